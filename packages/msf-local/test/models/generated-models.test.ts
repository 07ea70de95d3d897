/**
 * The committed input models (src/api/{logs,iam,sts,kms}/input-model.ts, src/cloudwatch/protocol/input-model.ts) are what scripts/models/generate.ts makes
 * of the botocore version scripts/models/requirements.txt pins: nobody edited them by hand, and nobody changed the
 * generator without regenerating. Needs that botocore in ~/.venvs/botocore-models (or $BOTOCORE_PYTHON), as .ci/run
 * installs it.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../../..');

it('regenerates the committed input models byte for byte from the pinned botocore', async () => {
  const result = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'scripts/models/generate.ts'), '--check'],
    { cwd: ROOT },
  ).catch((error: { stderr?: string; code?: number }) => ({ stderr: error.stderr ?? '', code: error.code }));
  expect(result.stderr).toBe('');
});
