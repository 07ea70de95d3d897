/**
 * The store's in-memory state (every bucket, its objects and uploads) and the one way an object is committed.
 * A write puts the bytes in a new data file (temp + fsync + rename), then commits by atomically replacing
 * the metadata file, then deletes the previous data file. `kill -9` at any point leaves either the old or
 * the new object; stray data files and temp files are collected at the next start (recovery.ts).
 * Commits of one bucket are serialised (check-then-write for conditional requests is atomic).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeJsonAtomic } from '../../store/atomic-file.js';
import { KeyedMutex } from '../../store/keyed-mutex.js';
import { resolveInside } from '../../store/safe-path.js';
import { s3Errors } from '../errors.js';
import { metaPath, objectFile, type Trash } from './disk-layout.js';
import { insertKey } from './key-order.js';
import {
  publicMeta,
  type BucketState,
  type ObjectMeta,
  type StoredObject,
  type UploadState,
  type WriteConditions,
} from './model.js';
import { checkWriteConditions } from './write-conditions.js';

export class BucketTable {
  readonly commits = new KeyedMutex();

  constructor(
    readonly buckets: Map<string, BucketState>,
    readonly bucketsDir: string,
    readonly trash: Trash,
  ) {}

  requireBucket(name: string): BucketState {
    const bucket = this.buckets.get(name);
    if (!bucket) throw s3Errors.noSuchBucket(name);
    return bucket;
  }

  requireObject(bucket: string, key: string, versionId?: string): StoredObject {
    const object = this.requireBucket(bucket).objects.get(key);
    if (versionId !== undefined && versionId !== 'null') {
      // Versioning is not implemented: every object is the "null" version.
      throw object ? s3Errors.noSuchVersion(key, versionId) : s3Errors.noSuchKey(key);
    }
    if (!object) throw s3Errors.noSuchKey(key);
    return object;
  }

  /** Upload ids come from callers: they are only used as paths after they are found in memory. */
  requireUpload(bucket: string, key: string, uploadId: string): UploadState {
    const upload = this.requireBucket(bucket).uploads.get(uploadId);
    if (!upload || upload.key !== key) throw s3Errors.noSuchUpload(uploadId);
    return upload;
  }

  uploadDir(bucket: string, uploadId: string): string {
    return resolveInside(path.join(this.requireBucket(bucket).dir, 'uploads'), uploadId);
  }

  /**
   * Makes `object` (its data file already written) the current version of `key`, checking `conditions` (and
   * `precheck`) inside the bucket's commit; the data file of whichever version loses is removed.
   */
  async commitObject(
    bucket: string,
    key: string,
    object: StoredObject,
    conditions: WriteConditions | undefined,
    precheck?: () => void,
  ): Promise<ObjectMeta> {
    let replaced: StoredObject | undefined;
    try {
      replaced = await this.commits.run(bucket, async () => {
        const state = this.requireBucket(bucket);
        precheck?.();
        const current = state.objects.get(key);
        checkWriteConditions(current, key, conditions);
        await writeJsonAtomic(metaPath(state.dir, key), objectFile(object));
        state.objects.set(key, object);
        insertKey(state.sortedKeys, key);
        return current;
      });
    } catch (error) {
      await this.removeDataFile(bucket, object.dataFile);
      throw error;
    }
    if (replaced) await this.removeDataFile(bucket, replaced.dataFile);
    return publicMeta(object);
  }

  async removeDataFile(bucket: string, dataFile: string): Promise<void> {
    const state = this.buckets.get(bucket);
    if (state) await fs.rm(path.join(state.dir, 'data', dataFile), { force: true });
  }
}
