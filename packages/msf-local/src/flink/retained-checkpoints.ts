import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * The newest completed checkpoint under `<workDir>/checkpoints/<jobId>/chk-<n>/`, where the cluster config puts
 * them (retained on cancellation). A checkpoint counts only once its `_metadata` exists: Flink writes that last.
 */
export async function newestRetainedCheckpoint(
  workDir: string,
): Promise<{ path: string; completedAt: number } | undefined> {
  const root = path.join(workDir, 'checkpoints');
  let newest: { path: string; completedAt: number } | undefined;
  for (const job of await entries(root)) {
    for (const chk of await entries(path.join(root, job))) {
      if (!/^chk-\d+$/.test(chk)) continue;
      const dir = path.join(root, job, chk);
      try {
        const stat = await fs.stat(path.join(dir, '_metadata'));
        if (!newest || stat.mtimeMs > newest.completedAt) newest = { path: dir, completedAt: stat.mtimeMs };
      } catch {
        // In progress or abandoned: no metadata yet.
      }
    }
  }
  return newest;
}

async function entries(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch {
    return [];
  }
}
