import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * What a rehearsal says about the savepoint it restores: where it is, how big, and what its `_metadata` header
 * tells without a Flink: the metadata format version, the checkpoint id and the number of operators.
 *
 * Header layout (Flink's MetadataV2V3SerializerBase, format versions 3 to 6 as written by Flink 1.19, 1.20 and
 * 2.x): magic number 0x4960672D, version (int), checkpoint id (long), number of master states (int) and their
 * bodies, number of operator states (int). Master states are rare (legacy master hooks); when there are some,
 * the operator count is not read (it would need their variable-length bodies parsed).
 */

export interface SavepointInfo {
  /** The savepoint directory (holds `_metadata`). */
  path: string;
  /** Bytes of all files under the directory. */
  sizeBytes: number;
  files: number;
  metadataVersion?: number;
  checkpointId?: number;
  /** Operators the savepoint holds state entries for (stateless ones included, as Flink records them). */
  operators?: number;
}

const MAGIC = 0x4960672d;
const KNOWN_VERSIONS = new Set([3, 4, 5, 6]);

export class SavepointError extends Error {
  override readonly name = 'SavepointError';
}

/** The savepoint directory for a directory holding `_metadata`, or the `_metadata` file itself. */
export async function resolveSavepoint(savepoint: string): Promise<string> {
  const resolved = path.resolve(savepoint);
  let stat;
  try {
    stat = await fs.stat(resolved);
  } catch {
    throw new SavepointError(`savepoint ${savepoint} does not exist`);
  }
  const dir = stat.isDirectory() ? resolved : path.dirname(resolved);
  if (!stat.isDirectory() && path.basename(resolved) !== '_metadata')
    throw new SavepointError(`savepoint ${savepoint} is neither a directory nor a _metadata file`);
  try {
    if (!(await fs.stat(path.join(dir, '_metadata'))).isFile()) throw new Error('not a file');
  } catch {
    throw new SavepointError(`savepoint ${savepoint} has no _metadata file: not a Flink savepoint`);
  }
  return dir;
}

export async function savepointInfo(dir: string): Promise<SavepointInfo> {
  const [{ sizeBytes, files }, header] = await Promise.all([
    sizeOf(dir),
    readHeader(path.join(dir, '_metadata')),
  ]);
  return { path: dir, sizeBytes, files, ...header };
}

async function sizeOf(dir: string): Promise<{ sizeBytes: number; files: number }> {
  let sizeBytes = 0;
  let files = 0;
  for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    sizeBytes += (await fs.stat(path.join(entry.parentPath, entry.name))).size;
    files += 1;
  }
  return { sizeBytes, files };
}

async function readHeader(
  file: string,
): Promise<Pick<SavepointInfo, 'metadataVersion' | 'checkpointId' | 'operators'>> {
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.alloc(24);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return parseHeader(buffer.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/** Exported for tests: the header fields of a `_metadata` file's first 24 bytes (none if unrecognised). */
export function parseHeader(
  bytes: Buffer,
): Pick<SavepointInfo, 'metadataVersion' | 'checkpointId' | 'operators'> {
  if (bytes.length < 8 || bytes.readUInt32BE(0) !== MAGIC) return {};
  const metadataVersion = bytes.readInt32BE(4);
  if (!KNOWN_VERSIONS.has(metadataVersion) || bytes.length < 24) return { metadataVersion };
  const checkpointId = Number(bytes.readBigInt64BE(8));
  const masterStates = bytes.readInt32BE(16);
  if (masterStates !== 0) return { metadataVersion, checkpointId };
  return { metadataVersion, checkpointId, operators: bytes.readInt32BE(20) };
}
