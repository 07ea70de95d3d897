import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * Crash-safe file writes: a reader (or the process after `kill -9` or a power cut) sees either the old
 * content or the new content of a file, never a torn one.
 *
 * How: write a temp file in the same directory, fsync it, rename it over the target (atomic on POSIX),
 * then fsync the directory so the rename itself is durable before we acknowledge anything.
 */

const TEMP_MARKER = '.tmp-';

/** Writes `data` to `file` atomically and durably; creates the parent directory if needed. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true });
  const temp = tempPathFor(file);
  try {
    const handle = await fs.open(temp, 'wx', 0o644);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  await fsyncDir(dir);
}

/** Writes `value` as pretty JSON, atomically and durably. */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await writeFileAtomic(file, JSON.stringify(value, null, 2) + '\n');
}

/** Reads a JSON file; `undefined` when it does not exist. A file that does not parse is an error, not absent. */
export async function readJsonFile<T>(file: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new Error(`Corrupt JSON file ${file}: ${(error as Error).message}`, { cause: error });
  }
}

/** A unique temp path next to `file`; same directory so the final rename never crosses file systems. */
export function tempPathFor(file: string): string {
  return path.join(
    path.dirname(file),
    `${TEMP_MARKER}${path.basename(file).slice(0, 64)}-${process.pid}-${randomBytes(6).toString('hex')}`,
  );
}

/** True for names produced by `tempPathFor` (left behind by a crash between write and rename). */
export function isTempFileName(name: string): boolean {
  return name.startsWith(TEMP_MARKER);
}

/** Deletes temp files (and temp directories) a crash left directly in `dir`. Call at start-up, before serving. */
export async function removeStaleTempFiles(dir: string): Promise<number> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (error) {
    if (isNotFound(error)) return 0;
    throw error;
  }
  const stale = names.filter(isTempFileName);
  await Promise.all(stale.map((name) => fs.rm(path.join(dir, name), { force: true, recursive: true })));
  return stale.length;
}

/** Makes directory entries (creates, renames, deletes) in `dir` durable. */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}
