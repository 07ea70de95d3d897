import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A rehearsal's directory under the system temp dir, named after the process that owns it
 * (`msf-local-rehearsal-<pid>-*`), so that directories of rehearsals whose process was killed before it could
 * clean up are recognised and swept by the next rehearsal.
 */

const PREFIX = 'msf-local-rehearsal-';
const OWNED = new RegExp(`^${PREFIX}(\\d+)-`);

export function createSandboxDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), `${PREFIX}${process.pid}-`));
}

/** Removes sandbox directories whose process is gone. */
export async function sweepStaleSandboxes(): Promise<void> {
  const tmp = os.tmpdir();
  const entries = await fs.readdir(tmp).catch(() => [] as string[]);
  await Promise.all(
    entries.map(async (name) => {
      const owner = OWNED.exec(name)?.[1];
      if (owner === undefined || processAlive(Number(owner))) return;
      await fs.rm(path.join(tmp, name), { recursive: true, force: true }).catch(() => undefined);
    }),
  );
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // someone else's, alive
  }
}
