/**
 * The Python with a pinned boto3 that the tests drive msf-local with (Debian's python3-boto3 is older than the
 * enhanced-snapshot operations): a venv in msf-local's cache, created on first use and then reused.
 *
 *   npx tsx scripts/boto3-venv.ts      # creates it if needed (PyPI), prints its python
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultCacheRoot } from '../packages/msf-local/src/flink/index.js';

/** boto3 with the newest Kinesis Analytics V2 model (41 operations); botocore has the same version. */
export const BOTO3_VERSION = '1.44.18';

export function boto3VenvDir(cacheRoot = defaultCacheRoot()): string {
  return path.join(cacheRoot, 'python', `boto3-${BOTO3_VERSION}`);
}

/**
 * The venv's python, creating the venv first when it is missing. Built in a temporary directory and renamed
 * into place once complete, so concurrent callers and interrupted runs never see a half-installed venv.
 */
export function ensureBoto3Python(
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): string {
  const dir = boto3VenvDir();
  const python = path.join(dir, 'bin', 'python');
  if (existsSync(path.join(dir, '.complete'))) return python;
  const temp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  log(`installing boto3==${BOTO3_VERSION} into ${dir} (once) ...`);
  try {
    try {
      execFileSync('python3', ['-m', 'venv', temp], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (error) {
      throw new Error(
        `python3 -m venv failed (on Debian: apt-get install python3-venv): ${String((error as { stderr?: Buffer }).stderr ?? error)}`,
      );
    }
    execFileSync(
      path.join(temp, 'bin', 'python'),
      ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', `boto3==${BOTO3_VERSION}`],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    writeFileSync(path.join(temp, '.complete'), `boto3==${BOTO3_VERSION}\n`);
    try {
      renameSync(temp, dir);
    } catch (error) {
      // Another process finished first: use its venv.
      if (!existsSync(path.join(dir, '.complete'))) throw error;
    }
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
  return python;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${ensureBoto3Python()}\n`);
}
