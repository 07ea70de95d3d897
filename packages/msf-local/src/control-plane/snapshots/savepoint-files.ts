/**
 * What msf-local knows of a Flink savepoint on disk: a directory whose `_metadata` file starts with Flink's
 * checkpoint-metadata header (magic number 0x4960672d, then the format version), next to the state files it
 * refers to by relative path (canonical savepoints are self-contained and relocatable).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';

export const METADATA_FILE = '_metadata';
/** Checkpoints.HEADER_MAGIC_NUMBER in Flink's runtime: the first four bytes of every `_metadata`. */
const METADATA_MAGIC = 0x4960672d;

/** The data is not a Flink savepoint; the message says why. */
export class NotASavepoint extends Error {
  override readonly name = 'NotASavepoint';
}

/** Throws NotASavepoint unless `header` (the first bytes of `_metadata`) is Flink checkpoint metadata. */
export function checkMetadataHeader(header: Buffer, where: string): void {
  if (header.length < 8) {
    throw new NotASavepoint(`${where} has ${header.length} bytes: too short for Flink savepoint metadata.`);
  }
  const magic = header.readUInt32BE(0);
  const version = header.readInt32BE(4);
  if (magic !== METADATA_MAGIC) {
    throw new NotASavepoint(
      `${where} is not Flink savepoint metadata: it starts with 0x${magic.toString(16).padStart(8, '0')}, ` +
        `not Flink's magic number 0x${METADATA_MAGIC.toString(16)}.`,
    );
  }
  if (version < 1 || version > 1000) {
    throw new NotASavepoint(`${where} has an unknown Flink metadata format version ${version}.`);
  }
}

/** Reads and checks the `_metadata` header of the savepoint in `dir`. */
export async function checkSavepointDir(dir: string): Promise<void> {
  const file = path.join(dir, METADATA_FILE);
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new NotASavepoint(`The savepoint directory has no ${METADATA_FILE} file.`);
    }
    throw error;
  }
  try {
    const header = Buffer.alloc(8);
    const { bytesRead } = await handle.read(header, 0, 8, 0);
    checkMetadataHeader(header.subarray(0, bytesRead), METADATA_FILE);
  } finally {
    await handle.close();
  }
}

/** Every regular file under `dir`, as relative paths with `/`, with its size. */
export async function savepointFiles(dir: string): Promise<{ relative: string; size: number }[]> {
  const files: { relative: string; size: number }[] = [];
  const walk = async (at: string, prefix: string): Promise<void> => {
    for (const entry of await fs.readdir(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) await walk(full, `${prefix}${entry.name}/`);
      else if (entry.isFile())
        files.push({ relative: `${prefix}${entry.name}`, size: (await fs.stat(full)).size });
    }
  };
  await walk(dir, '');
  return files.sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
}

export async function savepointSize(dir: string): Promise<number> {
  return (await savepointFiles(dir)).reduce((sum, file) => sum + file.size, 0);
}

/** Flink reports savepoints as `file:/abs/path` or plain paths; this is the local directory. */
export function localSavepointPath(location: string): string {
  return location.startsWith('file:') ? decodeURIComponent(location.replace(/^file:(\/\/)?/, '')) : location;
}
