/**
 * Crash-safe file writes: the new content goes to a temporary file in the same directory, is flushed to disk,
 * then renamed over (or, for create-only, hard-linked to) the target. Readers see the old file or the new one,
 * never a partial one, whatever moment the process is killed.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, link, rename, unlink } from 'node:fs/promises';
import path from 'node:path';

async function writeTemp(file: string, content: string): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  const handle = await open(temp, 'wx');
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return temp;
}

async function syncDir(dir: string): Promise<void> {
  // Makes the rename itself durable; not supported everywhere, and harmless to skip.
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    /* best effort */
  }
}

/** Replaces `file` atomically. */
export async function writeFileAtomic(file: string, content: string): Promise<void> {
  const temp = await writeTemp(file, content);
  try {
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDir(path.dirname(file));
}

/** Creates `file` with `content` only if it does not exist; returns false if it does. */
export async function createFileExclusive(file: string, content: string): Promise<boolean> {
  const temp = await writeTemp(file, content);
  try {
    await link(temp, file);
    await syncDir(path.dirname(file));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}
