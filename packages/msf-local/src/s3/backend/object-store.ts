/**
 * The S3 object store behind the S3 service and the control plane's in-process API: buckets and objects here,
 * multipart uploads in multipart-store.ts, the disk layout in disk-layout.ts, crash repair in recovery.ts and
 * the commit protocol in bucket-table.ts.
 */
import { createHash, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import {
  fsyncDir,
  isNotFound,
  tempPathFor,
  writeFileAtomic,
  writeJsonAtomic,
} from '../../store/atomic-file.js';
import { resolveInside, safeSegment } from '../../store/safe-path.js';
import { s3Errors } from '../errors.js';
import { BucketTable } from './bucket-table.js';
import { metaPath, objectFile, Trash, writeStreamAtomic, type BucketFile } from './disk-layout.js';
import { listPage, removeKey, type ListPage } from './key-order.js';
import {
  assertValidBucketName,
  assertValidKey,
  publicMeta,
  type BucketInfo,
  type CompletedPart,
  type ListObjectsOptions,
  type ObjectMeta,
  type PartInfo,
  type CreateUploadOptions,
  type PutObjectOptions,
  type S3StoreOptions,
  type StoredObject,
  type UploadInfo,
  type WriteConditions,
} from './model.js';
import { MultipartStore } from './multipart-store.js';
import { loadBuckets } from './recovery.js';
import { checkWriteConditions, etagMatches } from './write-conditions.js';

export class S3Store {
  private readonly multipart: MultipartStore;
  readonly defaultRegion: string;

  private constructor(
    readonly dir: string,
    options: S3StoreOptions,
    private readonly table: BucketTable,
  ) {
    this.defaultRegion = options.defaultRegion ?? 'us-east-1';
    this.multipart = new MultipartStore(table, (bucket, key, readOptions) =>
      this.readObject(bucket, key, readOptions),
    );
  }

  /** Opens (creating if needed) the store in `dir`, recovering from any crash of an earlier process. */
  static async open(dir: string, options: S3StoreOptions = {}): Promise<S3Store> {
    const root = path.resolve(dir);
    const bucketsDir = path.join(root, 'buckets');
    const trash = new Trash(path.join(root, 'trash'));
    const warn = options.onWarning ?? ((message) => console.warn(`msf-local s3: ${message}`));
    const buckets = await loadBuckets(bucketsDir, trash, warn);
    return new S3Store(root, options, new BucketTable(buckets, bucketsDir, trash));
  }

  // ---------------------------------------------------------------- buckets

  listBuckets(): BucketInfo[] {
    return [...this.table.buckets.values()]
      .map((b) => ({ ...b.info }))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  getBucket(name: string): BucketInfo | undefined {
    const bucket = this.table.buckets.get(name);
    return bucket ? { ...bucket.info } : undefined;
  }

  /**
   * Creates a bucket. When it exists already: us-east-1 answers success (S3's legacy behaviour there),
   * every other region BucketAlreadyOwnedByYou. Returns whether a new bucket was made.
   */
  async createBucket(name: string, region = this.defaultRegion): Promise<boolean> {
    assertValidBucketName(name);
    const { bucketsDir, trash } = this.table;
    return this.table.commits.run(`bucket:${name}`, async () => {
      if (this.table.buckets.has(name)) {
        if (region === 'us-east-1') return false;
        throw s3Errors.bucketAlreadyOwnedByYou(name);
      }
      const dir = resolveInside(bucketsDir, safeSegment(name));
      const info: BucketInfo = { name, region, creationDate: new Date() };
      // Build the whole bucket directory aside, then rename it into place: it appears complete or not at all.
      const staging = tempPathFor(dir);
      await fs.mkdir(staging, { recursive: true });
      for (const sub of ['meta', 'data', 'uploads']) await fs.mkdir(path.join(staging, sub));
      const file: BucketFile = { version: 1, name, region, creationDate: info.creationDate.toISOString() };
      await writeJsonAtomic(path.join(staging, 'bucket.json'), file);
      try {
        await fs.rename(staging, dir).catch(async (error: NodeJS.ErrnoException) => {
          // A leftover directory of a deleted bucket (a write raced the delete): discard it and retry.
          if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
          await trash.move(dir, bucketsDir);
          await fs.rename(staging, dir);
        });
      } catch (error) {
        await fs.rm(staging, { recursive: true, force: true });
        throw error;
      }
      await fsyncDir(bucketsDir);
      this.table.buckets.set(name, { info, dir, objects: new Map(), sortedKeys: [], uploads: new Map() });
      return true;
    });
  }

  /** Deletes an empty bucket (in-progress multipart uploads are aborted with it). */
  async deleteBucket(name: string): Promise<void> {
    await this.table.commits.run(`bucket:${name}`, () =>
      this.table.commits.run(name, async () => {
        const bucket = this.table.requireBucket(name);
        if (bucket.objects.size > 0) throw s3Errors.bucketNotEmpty(name);
        await this.table.trash.move(bucket.dir, this.table.bucketsDir);
        this.table.buckets.delete(name);
      }),
    );
    await this.table.trash.empty();
  }

  // ---------------------------------------------------------------- objects

  /** Metadata of the current object; NoSuchBucket / NoSuchKey (or NoSuchVersion) as S3Error. */
  headObject(bucket: string, key: string, versionId?: string): ObjectMeta {
    return publicMeta(this.table.requireObject(bucket, key, versionId));
  }

  /** The object's bytes, or a byte range of them (inclusive `end`). */
  async readObject(
    bucket: string,
    key: string,
    options: { versionId?: string; start?: number; end?: number } = {},
  ): Promise<{ meta: ObjectMeta; data: Buffer }> {
    const { meta, stream } = await this.openObjectStream(bucket, key, options);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return { meta, data: Buffer.concat(chunks) };
  }

  /**
   * Streams the object (or an inclusive byte range). The file is opened before returning, so a concurrent
   * overwrite or delete cannot cut the stream short: the reader keeps the version it started with.
   */
  async openObjectStream(
    bucket: string,
    key: string,
    options: { versionId?: string; start?: number; end?: number } = {},
  ): Promise<{ meta: ObjectMeta; stream: Readable }> {
    for (let attempt = 0; ; attempt++) {
      const object = this.table.requireObject(bucket, key, options.versionId);
      const file = path.join(this.table.requireBucket(bucket).dir, 'data', object.dataFile);
      let handle: fs.FileHandle;
      try {
        handle = await fs.open(file, 'r');
      } catch (error) {
        // Replaced between reading the metadata and opening the file: read the new version.
        if (isNotFound(error) && attempt < 5) continue;
        throw error;
      }
      if (object.size === 0) {
        await handle.close();
        return { meta: publicMeta(object), stream: Readable.from([]) };
      }
      const stream = handle.createReadStream({
        start: options.start ?? 0,
        end: options.end ?? object.size - 1,
      });
      return { meta: publicMeta(object), stream };
    }
  }

  /** Copies the object to a local file atomically (for application JARs). Returns its metadata. */
  async downloadObject(
    bucket: string,
    key: string,
    destination: string,
    versionId?: string,
  ): Promise<ObjectMeta> {
    const { meta, stream } = await this.openObjectStream(bucket, key, { versionId });
    await fs.mkdir(path.dirname(destination), { recursive: true });
    await writeStreamAtomic(stream, destination);
    return meta;
  }

  /** Stores an object; honours If-Match / If-None-Match atomically with the write. */
  async putObject(
    bucket: string,
    key: string,
    data: Buffer,
    options: PutObjectOptions = {},
  ): Promise<ObjectMeta> {
    assertValidKey(key);
    const state = this.table.requireBucket(bucket);
    // Fail fast before writing bytes; the authoritative check is repeated inside the commit.
    checkWriteConditions(state.objects.get(key), key, options.conditions);
    const dataFile = randomUUID();
    await writeFileAtomic(path.join(state.dir, 'data', dataFile), data);
    const etag = `"${createHash('md5').update(data).digest('hex')}"`;
    return this.table.commitObject(
      bucket,
      key,
      {
        key,
        size: data.length,
        etag,
        lastModified: new Date(),
        contentType: options.contentType ?? 'binary/octet-stream',
        headers: options.headers ?? {},
        userMetadata: options.userMetadata ?? {},
        checksum: options.checksum,
        tags: options.tags,
        dataFile,
      },
      options.conditions,
    );
  }

  /**
   * Copies an object. `replace` gives new metadata (metadata directive REPLACE); otherwise the source's
   * metadata is kept. Conditions apply to the destination, as on PutObject.
   */
  async copyObject(
    source: { bucket: string; key: string; versionId?: string },
    destination: { bucket: string; key: string },
    options: { replace?: PutObjectOptions; conditions?: WriteConditions; tags?: Record<string, string> } = {},
  ): Promise<ObjectMeta> {
    assertValidKey(destination.key);
    const target = this.table.requireBucket(destination.bucket);
    checkWriteConditions(target.objects.get(destination.key), destination.key, options.conditions);
    const { meta, stream } = await this.openObjectStream(source.bucket, source.key, {
      versionId: source.versionId,
    });
    const dataFile = randomUUID();
    const md5 = createHash('md5');
    const final = path.join(target.dir, 'data', dataFile);
    await writeStreamAtomic(stream, final, (chunk) => md5.update(chunk));
    await fsyncDir(path.dirname(final));
    const replace = options.replace;
    // A copy is a single PUT: its ETag is the MD5 of the bytes, even when the source was multipart.
    const checksum =
      meta.checksum && meta.checksum.type === 'FULL_OBJECT' && !replace?.checksum
        ? meta.checksum
        : replace?.checksum;
    const object: StoredObject = {
      key: destination.key,
      size: meta.size,
      etag: `"${md5.digest('hex')}"`,
      lastModified: new Date(),
      contentType: replace ? (replace.contentType ?? 'binary/octet-stream') : meta.contentType,
      headers: replace ? (replace.headers ?? {}) : meta.headers,
      userMetadata: replace ? (replace.userMetadata ?? {}) : meta.userMetadata,
      tags: options.tags ?? meta.tags,
      checksum,
      dataFile,
    };
    return this.table.commitObject(destination.bucket, destination.key, object, options.conditions);
  }

  /**
   * Deletes an object; deleting a missing key succeeds, as in S3. With `ifMatch`, a missing key is
   * NoSuchKey and a different ETag PreconditionFailed. Returns whether an object was removed.
   */
  async deleteObject(bucket: string, key: string, options: { ifMatch?: string } = {}): Promise<boolean> {
    const removed = await this.table.commits.run(bucket, async () => {
      const state = this.table.requireBucket(bucket);
      const current = state.objects.get(key);
      if (options.ifMatch !== undefined) {
        if (!current) throw s3Errors.noSuchKey(key);
        if (!etagMatches(options.ifMatch, current.etag)) throw s3Errors.preconditionFailed('If-Match');
      }
      if (!current) return undefined;
      await fs.rm(metaPath(state.dir, key), { force: true });
      await fsyncDir(path.dirname(metaPath(state.dir, key)));
      state.objects.delete(key);
      removeKey(state.sortedKeys, key);
      return current;
    });
    if (removed) await this.table.removeDataFile(bucket, removed.dataFile);
    return removed !== undefined;
  }

  /** Replaces the object's tags (PutObjectTagging / DeleteObjectTagging); the bytes are untouched. */
  async setObjectTags(bucket: string, key: string, tags: Record<string, string>): Promise<void> {
    await this.table.commits.run(bucket, async () => {
      const state = this.table.requireBucket(bucket);
      const current = state.objects.get(key);
      if (!current) throw s3Errors.noSuchKey(key);
      const updated: StoredObject = { ...current, tags };
      await writeJsonAtomic(metaPath(state.dir, key), objectFile(updated));
      state.objects.set(key, updated);
    });
  }

  /** One page of a ListObjects listing. */
  listObjects(bucket: string, options: ListObjectsOptions): ListPage<ObjectMeta> {
    const state = this.table.requireBucket(bucket);
    return listPage(state.sortedKeys, (key) => publicMeta(state.objects.get(key)!), options);
  }

  objectCount(bucket: string): number {
    return this.table.requireBucket(bucket).objects.size;
  }

  // ---------------------------------------------------------------- multipart uploads (multipart-store.ts)

  createMultipartUpload(bucket: string, key: string, options: CreateUploadOptions = {}): Promise<UploadInfo> {
    return this.multipart.createMultipartUpload(bucket, key, options);
  }

  uploadPart(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    data: Buffer,
    checksum?: string,
  ): Promise<PartInfo> {
    return this.multipart.uploadPart(bucket, key, uploadId, partNumber, data, checksum);
  }

  uploadPartCopy(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    source: { bucket: string; key: string; versionId?: string; start?: number; end?: number },
  ): Promise<PartInfo> {
    return this.multipart.uploadPartCopy(bucket, key, uploadId, partNumber, source);
  }

  listParts(bucket: string, key: string, uploadId: string): { upload: UploadInfo; parts: PartInfo[] } {
    return this.multipart.listParts(bucket, key, uploadId);
  }

  listMultipartUploads(bucket: string): UploadInfo[] {
    return this.multipart.listMultipartUploads(bucket);
  }

  abortMultipartUpload(bucket: string, key: string, uploadId: string): Promise<void> {
    return this.multipart.abortMultipartUpload(bucket, key, uploadId);
  }

  completeMultipartUpload(
    bucket: string,
    key: string,
    uploadId: string,
    parts: CompletedPart[],
    conditions?: WriteConditions,
  ): Promise<ObjectMeta> {
    return this.multipart.completeMultipartUpload(bucket, key, uploadId, parts, conditions);
  }
}
