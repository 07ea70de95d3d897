/**
 * Where the S3 store keeps things on disk, under the directory it is given:
 *   buckets/<safe bucket name>/bucket.json                       the bucket (its presence = it exists)
 *   buckets/<b>/meta/<h[0..2]>/<h>.json                          one object's metadata, h = sha256(key)
 *   buckets/<b>/data/<uuid>                                      immutable object bytes, named by the metadata
 *   buckets/<b>/uploads/<uploadId>/upload.json, part-<n>.json, <uuid>.part   multipart uploads in progress
 *   trash/                                                       deleted buckets/uploads, removed at start
 *
 * Keys and bucket names never become paths: keys are hashed, bucket names pass through `safeSegment`.
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { fsyncDir, isNotFound, tempPathFor } from '../../store/atomic-file.js';
import { hashedName } from '../../store/safe-path.js';
import type { ChecksumAlgorithm } from '../checksums.js';
import type { StoredObject, StoredPart } from './model.js';

export interface ObjectFile {
  version: 1;
  object: Omit<StoredObject, 'lastModified'> & { lastModified: string };
}

export interface BucketFile {
  version: 1;
  name: string;
  region: string;
  creationDate: string;
}

export interface UploadFile {
  version: 1;
  uploadId: string;
  key: string;
  initiated: string;
  contentType: string;
  headers: Record<string, string>;
  userMetadata: Record<string, string>;
  tags?: Record<string, string>;
  checksumAlgorithm?: ChecksumAlgorithm;
  checksumType?: 'FULL_OBJECT' | 'COMPOSITE';
}

export interface PartFile {
  version: 1;
  part: Omit<StoredPart, 'lastModified'> & { lastModified: string };
}

export function objectFile(object: StoredObject): ObjectFile {
  return { version: 1, object: { ...object, lastModified: object.lastModified.toISOString() } };
}

/** The metadata file of `key` in the bucket directory `bucketDir`. */
export function metaPath(bucketDir: string, key: string): string {
  const hash = hashedName(key);
  return path.join(bucketDir, 'meta', hash.slice(0, 2), `${hash}.json`);
}

/** Writes `stream` to `final` (temp + fsync + rename), feeding each chunk to `onChunk`; nothing half-written. */
export async function writeStreamAtomic(
  stream: Readable,
  final: string,
  onChunk: (chunk: Buffer) => void = () => {},
): Promise<void> {
  const temp = tempPathFor(final);
  try {
    const out = await fs.open(temp, 'wx', 0o644);
    try {
      for await (const chunk of stream) {
        onChunk(chunk as Buffer);
        await out.write(chunk as Buffer);
      }
      await out.sync();
    } finally {
      await out.close();
    }
    await fs.rename(temp, final);
  } catch (error) {
    stream.destroy();
    await fs.rm(temp, { force: true });
    throw error;
  }
}

/** Deleted directories go to trash/ by one rename (atomic), and are removed from there afterwards. */
export class Trash {
  constructor(readonly dir: string) {}

  async move(dir: string, parent: string): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    await fs.rename(dir, path.join(this.dir, randomUUID()));
    await fsyncDir(parent);
  }

  async empty(): Promise<void> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
    await Promise.all(
      names.map((name) => fs.rm(path.join(this.dir, name), { recursive: true, force: true })),
    );
  }
}
