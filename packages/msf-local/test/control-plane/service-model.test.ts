/**
 * The transcribed input model is reproducible: scripts/models regenerates input-model.ts, byte for byte,
 * from the botocore of the pinned boto3 venv (the version its header names).
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { ensureBoto3Python } from '../../../../scripts/boto3-venv.js';
import { generate, INPUT_MODEL_FILE } from '../../../../scripts/models/kinesisanalyticsv2-input-model.js';

it('input-model.ts is what scripts/models generates from botocore', async () => {
  const { version, source } = await generate(ensureBoto3Python());
  expect(source.split('\n')[1]).toContain(`from botocore ${version}`);
  expect(readFileSync(INPUT_MODEL_FILE, 'utf8')).toBe(source);
});
