import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import {
  fsyncDir,
  isNotFound,
  isTempFileName,
  readJsonFile,
  removeStaleTempFiles,
  tempPathFor,
  writeFileAtomic,
  writeJsonAtomic,
} from '../store/atomic-file.js';
import { KeyedMutex } from '../store/keyed-mutex.js';
import { hashedName, resolveInside, safeSegment } from '../store/safe-path.js';
import { checksumBase64, compositeChecksum, type ChecksumAlgorithm } from './checksums.js';
import { S3Error, s3Errors } from './errors.js';
import { compareKeys, insertKey, listPage, removeKey, type ListPage } from './key-order.js';

/**
 * The S3 object store behind the S3 service and the control plane's in-process API.
 *
 * On disk, under the directory it is given:
 *   buckets/<safe bucket name>/bucket.json                       the bucket (its presence = it exists)
 *   buckets/<b>/meta/<h[0..2]>/<h>.json                          one object's metadata, h = sha256(key)
 *   buckets/<b>/data/<uuid>                                      immutable object bytes, named by the metadata
 *   buckets/<b>/uploads/<uploadId>/upload.json, part-<n>.json, <uuid>.part   multipart uploads in progress
 *   trash/                                                       deleted buckets/uploads, removed at start
 *
 * Keys and bucket names never become paths: keys are hashed, bucket names pass through `safeSegment`.
 * A write puts the bytes in a new data file (temp + fsync + rename), then commits by atomically replacing
 * the metadata file, then deletes the previous data file. `kill -9` at any point leaves either the old or
 * the new object; stray data files and temp files are collected at the next start.
 * Commits of one bucket are serialised (check-then-write for conditional requests is atomic).
 */

export interface BucketInfo {
  name: string;
  region: string;
  creationDate: Date;
}

export interface ObjectChecksum {
  algorithm: ChecksumAlgorithm;
  /** base64; composite multipart checksums end in `-<parts>`. */
  value: string;
  type: 'FULL_OBJECT' | 'COMPOSITE';
}

export interface ObjectMeta {
  key: string;
  size: number;
  /** As S3 sends it, with the double quotes. */
  etag: string;
  lastModified: Date;
  contentType: string;
  /** Stored representation headers: content-encoding, content-disposition, cache-control, content-language, expires. */
  headers: Record<string, string>;
  /** x-amz-meta-* without the prefix, names lower-cased. */
  userMetadata: Record<string, string>;
  checksum?: ObjectChecksum;
  /** Sizes of the parts of a multipart object, in order. */
  partSizes?: number[];
  /** Object tags (x-amz-tagging, PutObjectTagging). */
  tags?: Record<string, string>;
}

export interface WriteConditions {
  /** If-Match: the current ETag must be one of these (or any object for `*`). */
  ifMatch?: string;
  /** If-None-Match: only `*` is supported for writes, as in S3. */
  ifNoneMatch?: string;
}

export interface PutObjectOptions {
  contentType?: string;
  headers?: Record<string, string>;
  userMetadata?: Record<string, string>;
  checksum?: ObjectChecksum;
  tags?: Record<string, string>;
  conditions?: WriteConditions;
}

export interface ListObjectsOptions {
  prefix?: string;
  delimiter?: string;
  /** Exclusive start: a key or a common prefix returned by an earlier page. */
  after?: string;
  maxKeys: number;
}

export interface UploadInfo {
  uploadId: string;
  key: string;
  initiated: Date;
  checksumAlgorithm?: ChecksumAlgorithm;
  checksumType?: 'FULL_OBJECT' | 'COMPOSITE';
}

export interface PartInfo {
  partNumber: number;
  size: number;
  etag: string;
  lastModified: Date;
  checksum?: string;
}

export interface CompletedPart {
  partNumber: number;
  etag: string;
  checksum?: string;
}

export interface S3StoreOptions {
  /** Region of buckets created without a LocationConstraint. */
  defaultRegion?: string;
  /** Problems found while loading (ignored stray files); defaults to console.warn. */
  onWarning?: (message: string) => void;
}

const MIN_PART_SIZE = 5 * 1024 * 1024;
const MAX_KEY_BYTES = 1024;

interface StoredObject extends ObjectMeta {
  dataFile: string;
  /** The multipart upload this object was completed from (lets start-up drop a half-removed upload). */
  completedUploadId?: string;
}

interface StoredPart extends PartInfo {
  dataFile: string;
}

interface UploadState extends UploadInfo {
  tags?: Record<string, string>;
  contentType: string;
  headers: Record<string, string>;
  userMetadata: Record<string, string>;
  parts: Map<number, StoredPart>;
}

interface BucketState {
  info: BucketInfo;
  dir: string;
  objects: Map<string, StoredObject>;
  sortedKeys: string[];
  uploads: Map<string, UploadState>;
}

interface ObjectFile {
  version: 1;
  object: Omit<StoredObject, 'lastModified'> & { lastModified: string };
}

interface BucketFile {
  version: 1;
  name: string;
  region: string;
  creationDate: string;
}

interface UploadFile {
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

interface PartFile {
  version: 1;
  part: Omit<StoredPart, 'lastModified'> & { lastModified: string };
}

export class S3Store {
  private readonly buckets = new Map<string, BucketState>();
  private readonly commits = new KeyedMutex();
  private readonly bucketsDir: string;
  private readonly trashDir: string;
  private readonly warn: (message: string) => void;
  readonly defaultRegion: string;

  private constructor(
    readonly dir: string,
    options: S3StoreOptions,
  ) {
    this.bucketsDir = path.join(dir, 'buckets');
    this.trashDir = path.join(dir, 'trash');
    this.defaultRegion = options.defaultRegion ?? 'us-east-1';
    this.warn = options.onWarning ?? ((message) => console.warn(`msf-local s3: ${message}`));
  }

  /** Opens (creating if needed) the store in `dir`, recovering from any crash of an earlier process. */
  static async open(dir: string, options: S3StoreOptions = {}): Promise<S3Store> {
    const store = new S3Store(path.resolve(dir), options);
    await store.load();
    return store;
  }

  // ---------------------------------------------------------------- buckets

  listBuckets(): BucketInfo[] {
    return [...this.buckets.values()].map((b) => ({ ...b.info })).sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  getBucket(name: string): BucketInfo | undefined {
    const bucket = this.buckets.get(name);
    return bucket ? { ...bucket.info } : undefined;
  }

  /**
   * Creates a bucket. When it exists already: us-east-1 answers success (S3's legacy behaviour there),
   * every other region BucketAlreadyOwnedByYou. Returns whether a new bucket was made.
   */
  async createBucket(name: string, region = this.defaultRegion): Promise<boolean> {
    assertValidBucketName(name);
    return this.commits.run(`bucket:${name}`, async () => {
      if (this.buckets.has(name)) {
        if (region === 'us-east-1') return false;
        throw s3Errors.bucketAlreadyOwnedByYou(name);
      }
      const dir = resolveInside(this.bucketsDir, safeSegment(name));
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
          await this.moveToTrash(dir, this.bucketsDir);
          await fs.rename(staging, dir);
        });
      } catch (error) {
        await fs.rm(staging, { recursive: true, force: true });
        throw error;
      }
      await fsyncDir(this.bucketsDir);
      this.buckets.set(name, { info, dir, objects: new Map(), sortedKeys: [], uploads: new Map() });
      return true;
    });
  }

  /** Deletes an empty bucket (in-progress multipart uploads are aborted with it). */
  async deleteBucket(name: string): Promise<void> {
    await this.commits.run(`bucket:${name}`, () =>
      this.commits.run(name, async () => {
        const bucket = this.requireBucket(name);
        if (bucket.objects.size > 0) throw s3Errors.bucketNotEmpty(name);
        await this.moveToTrash(bucket.dir, this.bucketsDir);
        this.buckets.delete(name);
      }),
    );
    await this.emptyTrash();
  }

  // ---------------------------------------------------------------- objects

  /** Metadata of the current object; NoSuchBucket / NoSuchKey (or NoSuchVersion) as S3Error. */
  headObject(bucket: string, key: string, versionId?: string): ObjectMeta {
    return publicMeta(this.requireObject(bucket, key, versionId));
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
      const object = this.requireObject(bucket, key, options.versionId);
      const file = path.join(this.requireBucket(bucket).dir, 'data', object.dataFile);
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
    const temp = tempPathFor(destination);
    await fs.mkdir(path.dirname(destination), { recursive: true });
    try {
      const out = await fs.open(temp, 'wx', 0o644);
      try {
        for await (const chunk of stream) await out.write(chunk as Buffer);
        await out.sync();
      } finally {
        await out.close();
      }
      await fs.rename(temp, destination);
    } catch (error) {
      stream.destroy();
      await fs.rm(temp, { force: true });
      throw error;
    }
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
    const state = this.requireBucket(bucket);
    // Fail fast before writing bytes; the authoritative check is repeated inside the commit.
    checkWriteConditions(state.objects.get(key), key, options.conditions);
    const dataFile = randomUUID();
    await writeFileAtomic(path.join(state.dir, 'data', dataFile), data);
    const etag = `"${createHash('md5').update(data).digest('hex')}"`;
    return this.commitObject(
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
    const target = this.requireBucket(destination.bucket);
    checkWriteConditions(target.objects.get(destination.key), destination.key, options.conditions);
    const { meta, stream } = await this.openObjectStream(source.bucket, source.key, {
      versionId: source.versionId,
    });
    const dataFile = randomUUID();
    const md5 = createHash('md5');
    const final = path.join(target.dir, 'data', dataFile);
    const temp = tempPathFor(final);
    try {
      const out = await fs.open(temp, 'wx', 0o644);
      try {
        for await (const chunk of stream) {
          md5.update(chunk as Buffer);
          await out.write(chunk as Buffer);
        }
        await out.sync();
      } finally {
        await out.close();
      }
      await fs.rename(temp, final);
      await fsyncDir(path.dirname(final));
    } catch (error) {
      stream.destroy();
      await fs.rm(temp, { force: true });
      throw error;
    }
    const replace = options.replace;
    // A copy is a single PUT: its ETag is the MD5 of the bytes, even when the source was multipart.
    const checksum =
      meta.checksum && meta.checksum.type === 'FULL_OBJECT' && !replace?.checksum
        ? meta.checksum
        : replace?.checksum;
    return this.commitObject(
      destination.bucket,
      destination.key,
      {
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
      },
      options.conditions,
    );
  }

  /**
   * Deletes an object; deleting a missing key succeeds, as in S3. With `ifMatch`, a missing key is
   * NoSuchKey and a different ETag PreconditionFailed. Returns whether an object was removed.
   */
  async deleteObject(bucket: string, key: string, options: { ifMatch?: string } = {}): Promise<boolean> {
    const removed = await this.commits.run(bucket, async () => {
      const state = this.requireBucket(bucket);
      const current = state.objects.get(key);
      if (options.ifMatch !== undefined) {
        if (!current) throw s3Errors.noSuchKey(key);
        if (!etagMatches(options.ifMatch, current.etag)) throw s3Errors.preconditionFailed('If-Match');
      }
      if (!current) return undefined;
      await fs.rm(this.metaPath(state, key), { force: true });
      await fsyncDir(path.dirname(this.metaPath(state, key)));
      state.objects.delete(key);
      removeKey(state.sortedKeys, key);
      return current;
    });
    if (removed) await this.removeDataFile(bucket, removed.dataFile);
    return removed !== undefined;
  }

  /** Replaces the object's tags (PutObjectTagging / DeleteObjectTagging); the bytes are untouched. */
  async setObjectTags(bucket: string, key: string, tags: Record<string, string>): Promise<void> {
    await this.commits.run(bucket, async () => {
      const state = this.requireBucket(bucket);
      const current = state.objects.get(key);
      if (!current) throw s3Errors.noSuchKey(key);
      const updated: StoredObject = { ...current, tags };
      const file: ObjectFile = {
        version: 1,
        object: { ...updated, lastModified: updated.lastModified.toISOString() },
      };
      await writeJsonAtomic(this.metaPath(state, key), file);
      state.objects.set(key, updated);
    });
  }

  /** One page of a ListObjects listing. */
  listObjects(bucket: string, options: ListObjectsOptions): ListPage<ObjectMeta> {
    const state = this.requireBucket(bucket);
    return listPage(state.sortedKeys, (key) => publicMeta(state.objects.get(key)!), options);
  }

  objectCount(bucket: string): number {
    return this.requireBucket(bucket).objects.size;
  }

  // ---------------------------------------------------------------- multipart uploads

  async createMultipartUpload(
    bucket: string,
    key: string,
    options: PutObjectOptions & {
      checksumAlgorithm?: ChecksumAlgorithm;
      checksumType?: 'FULL_OBJECT' | 'COMPOSITE';
    } = {},
  ): Promise<UploadInfo> {
    assertValidKey(key);
    const state = this.requireBucket(bucket);
    const uploadId = randomBytes(48).toString('base64url');
    const upload: UploadState = {
      uploadId,
      key,
      initiated: new Date(),
      contentType: options.contentType ?? 'binary/octet-stream',
      headers: options.headers ?? {},
      userMetadata: options.userMetadata ?? {},
      tags: options.tags,
      checksumAlgorithm: options.checksumAlgorithm,
      checksumType: options.checksumAlgorithm ? (options.checksumType ?? 'COMPOSITE') : undefined,
      parts: new Map(),
    };
    const file: UploadFile = {
      version: 1,
      uploadId,
      key,
      initiated: upload.initiated.toISOString(),
      contentType: upload.contentType,
      headers: upload.headers,
      userMetadata: upload.userMetadata,
      tags: upload.tags,
      checksumAlgorithm: upload.checksumAlgorithm,
      checksumType: upload.checksumType,
    };
    const dir = path.join(state.dir, 'uploads', uploadId);
    const staging = tempPathFor(dir);
    await fs.mkdir(staging, { recursive: true });
    await writeJsonAtomic(path.join(staging, 'upload.json'), file);
    await fs.rename(staging, dir);
    await fsyncDir(path.dirname(dir));
    await this.commits.run(bucket, async () => {
      this.requireBucket(bucket).uploads.set(uploadId, upload);
    });
    return uploadInfo(upload);
  }

  async uploadPart(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    data: Buffer,
    checksum?: string,
  ): Promise<PartInfo> {
    const upload = this.requireUpload(bucket, key, uploadId);
    const dir = this.uploadDir(bucket, upload.uploadId);
    const dataFile = `${randomUUID()}.part`;
    await writeFileAtomic(path.join(dir, dataFile), data);
    const part: StoredPart = {
      partNumber,
      size: data.length,
      etag: `"${createHash('md5').update(data).digest('hex')}"`,
      lastModified: new Date(),
      checksum,
      dataFile,
    };
    const previous = await this.commits.run(bucket, async () => {
      const current = this.requireUpload(bucket, key, uploadId);
      const file: PartFile = { version: 1, part: { ...part, lastModified: part.lastModified.toISOString() } };
      await writeJsonAtomic(path.join(dir, `part-${partNumber}.json`), file);
      const old = current.parts.get(partNumber);
      current.parts.set(partNumber, part);
      return old;
    });
    if (previous) await fs.rm(path.join(dir, previous.dataFile), { force: true });
    return publicPart(part);
  }

  /** UploadPartCopy: a part made of (a byte range of) an existing object. */
  async uploadPartCopy(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    source: { bucket: string; key: string; versionId?: string; start?: number; end?: number },
  ): Promise<PartInfo> {
    this.requireUpload(bucket, key, uploadId);
    const { data } = await this.readObject(source.bucket, source.key, source);
    return this.uploadPart(bucket, key, uploadId, partNumber, data);
  }

  listParts(bucket: string, key: string, uploadId: string): { upload: UploadInfo; parts: PartInfo[] } {
    const upload = this.requireUpload(bucket, key, uploadId);
    const parts = [...upload.parts.values()].sort((a, b) => a.partNumber - b.partNumber).map(publicPart);
    return { upload: uploadInfo(upload), parts };
  }

  listMultipartUploads(bucket: string): UploadInfo[] {
    return [...this.requireBucket(bucket).uploads.values()]
      .map(uploadInfo)
      .sort((a, b) =>
        a.key === b.key ? a.initiated.getTime() - b.initiated.getTime() : a.key < b.key ? -1 : 1,
      );
  }

  async abortMultipartUpload(bucket: string, key: string, uploadId: string): Promise<void> {
    await this.commits.run(bucket, async () => {
      const upload = this.requireUpload(bucket, key, uploadId);
      await this.moveToTrash(
        this.uploadDir(bucket, upload.uploadId),
        path.join(this.requireBucket(bucket).dir, 'uploads'),
      );
      this.requireBucket(bucket).uploads.delete(uploadId);
    });
    await this.emptyTrash();
  }

  /**
   * Completes an upload: validates the part list as S3 does, writes the object (ETag `md5-of-md5s-N`),
   * honouring If-Match / If-None-Match, and removes the upload.
   */
  async completeMultipartUpload(
    bucket: string,
    key: string,
    uploadId: string,
    parts: CompletedPart[],
    conditions?: WriteConditions,
  ): Promise<ObjectMeta> {
    const upload = this.requireUpload(bucket, key, uploadId);
    if (parts.length === 0) throw s3Errors.malformedXml();
    const chosen: StoredPart[] = [];
    for (let i = 0; i < parts.length; i++) {
      const wanted = parts[i]!;
      if (i > 0 && wanted.partNumber <= parts[i - 1]!.partNumber) throw s3Errors.invalidPartOrder(uploadId);
      const stored = upload.parts.get(wanted.partNumber);
      if (!stored || !etagMatches(wanted.etag, stored.etag)) {
        throw s3Errors.invalidPart(uploadId, wanted.partNumber, wanted.etag);
      }
      chosen.push(stored);
    }
    for (let i = 0; i < chosen.length - 1; i++) {
      const part = chosen[i]!;
      if (part.size < MIN_PART_SIZE) throw s3Errors.entityTooSmall(part.size, part.partNumber, part.etag);
    }
    const state = this.requireBucket(bucket);
    checkWriteConditions(state.objects.get(key), key, conditions);

    // Concatenate the parts into a new data file.
    const dir = this.uploadDir(bucket, uploadId);
    const dataFile = randomUUID();
    const final = path.join(state.dir, 'data', dataFile);
    const temp = tempPathFor(final);
    const fullChecksumChunks: Buffer[] = [];
    const wantFull = upload.checksumAlgorithm !== undefined && upload.checksumType === 'FULL_OBJECT';
    let size = 0;
    try {
      const out = await fs.open(temp, 'wx', 0o644);
      try {
        for (const part of chosen) {
          const bytes = await fs.readFile(path.join(dir, part.dataFile));
          if (wantFull) fullChecksumChunks.push(bytes);
          await out.write(bytes);
          size += bytes.length;
        }
        await out.sync();
      } finally {
        await out.close();
      }
      await fs.rename(temp, final);
      await fsyncDir(path.dirname(final));
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
    const md5s = Buffer.concat(chosen.map((p) => Buffer.from(p.etag.replace(/"/g, ''), 'hex')));
    const etag = `"${createHash('md5').update(md5s).digest('hex')}-${chosen.length}"`;
    let checksum: ObjectChecksum | undefined;
    const algorithm = upload.checksumAlgorithm;
    if (algorithm && wantFull) {
      checksum = { algorithm, value: checksumBase64(algorithm, fullChecksumChunks), type: 'FULL_OBJECT' };
    } else if (algorithm && chosen.every((p) => p.checksum)) {
      checksum = {
        algorithm,
        value: compositeChecksum(
          algorithm,
          chosen.map((p) => p.checksum!),
        ),
        type: 'COMPOSITE',
      };
    }
    const meta = await this.commitObject(
      bucket,
      key,
      {
        key,
        size,
        etag,
        lastModified: new Date(),
        contentType: upload.contentType,
        headers: upload.headers,
        userMetadata: upload.userMetadata,
        tags: upload.tags,
        checksum,
        partSizes: chosen.map((p) => p.size),
        dataFile,
        completedUploadId: uploadId,
      },
      conditions,
      () => {
        // Inside the commit: a concurrent Complete or Abort of the same upload loses.
        if (!this.requireBucket(bucket).uploads.has(uploadId)) throw s3Errors.noSuchUpload(uploadId);
      },
    );
    await this.commits.run(bucket, async () => {
      const current = this.buckets.get(bucket);
      if (!current?.uploads.delete(uploadId)) return;
      await this.moveToTrash(dir, path.join(current.dir, 'uploads'));
    });
    await this.emptyTrash();
    return meta;
  }

  // ---------------------------------------------------------------- internals

  private async commitObject(
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
        const file: ObjectFile = {
          version: 1,
          object: { ...object, lastModified: object.lastModified.toISOString() },
        };
        await writeJsonAtomic(this.metaPath(state, key), file);
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

  private async removeDataFile(bucket: string, dataFile: string): Promise<void> {
    const state = this.buckets.get(bucket);
    if (state) await fs.rm(path.join(state.dir, 'data', dataFile), { force: true });
  }

  private metaPath(state: BucketState, key: string): string {
    const hash = hashedName(key);
    return path.join(state.dir, 'meta', hash.slice(0, 2), `${hash}.json`);
  }

  private uploadDir(bucket: string, uploadId: string): string {
    return resolveInside(path.join(this.requireBucket(bucket).dir, 'uploads'), uploadId);
  }

  private requireBucket(name: string): BucketState {
    const bucket = this.buckets.get(name);
    if (!bucket) throw s3Errors.noSuchBucket(name);
    return bucket;
  }

  private requireObject(bucket: string, key: string, versionId?: string): StoredObject {
    const object = this.requireBucket(bucket).objects.get(key);
    if (versionId !== undefined && versionId !== 'null') {
      // Versioning is not implemented: every object is the "null" version.
      throw object ? s3Errors.noSuchVersion(key, versionId) : s3Errors.noSuchKey(key);
    }
    if (!object) throw s3Errors.noSuchKey(key);
    return object;
  }

  /** Upload ids come from callers: they are only used as paths after they are found in memory. */
  private requireUpload(bucket: string, key: string, uploadId: string): UploadState {
    const upload = this.requireBucket(bucket).uploads.get(uploadId);
    if (!upload || upload.key !== key) throw s3Errors.noSuchUpload(uploadId);
    return upload;
  }

  private async moveToTrash(dir: string, parent: string): Promise<void> {
    await fs.mkdir(this.trashDir, { recursive: true });
    await fs.rename(dir, path.join(this.trashDir, randomUUID()));
    await fsyncDir(parent);
  }

  private async emptyTrash(): Promise<void> {
    let names: string[];
    try {
      names = await fs.readdir(this.trashDir);
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
    await Promise.all(
      names.map((name) => fs.rm(path.join(this.trashDir, name), { recursive: true, force: true })),
    );
  }

  private async load(): Promise<void> {
    await fs.mkdir(this.bucketsDir, { recursive: true });
    await this.emptyTrash();
    await removeStaleTempFiles(this.bucketsDir);
    for (const entry of await fs.readdir(this.bucketsDir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const dir = path.join(this.bucketsDir, entry.name);
      const file = await readJsonFile<BucketFile>(path.join(dir, 'bucket.json'));
      if (!file) {
        this.warn(`removing ${dir}: no bucket.json`);
        await fs.rm(dir, { recursive: true, force: true });
        continue;
      }
      if (safeSegment(file.name) !== entry.name) {
        this.warn(`ignoring ${dir}: it holds bucket ${JSON.stringify(file.name)}`);
        continue;
      }
      const state: BucketState = {
        info: { name: file.name, region: file.region, creationDate: new Date(file.creationDate) },
        dir,
        objects: new Map(),
        sortedKeys: [],
        uploads: new Map(),
      };
      await this.loadObjects(state);
      await this.loadUploads(state);
      this.buckets.set(file.name, state);
    }
  }

  private async loadObjects(state: BucketState): Promise<void> {
    const metaDir = path.join(state.dir, 'meta');
    const dataDir = path.join(state.dir, 'data');
    await fs.mkdir(metaDir, { recursive: true });
    await fs.mkdir(dataDir, { recursive: true });
    for (const shard of await fs.readdir(metaDir)) {
      const shardDir = path.join(metaDir, shard);
      for (const name of await fs.readdir(shardDir)) {
        const file = path.join(shardDir, name);
        if (isTempFileName(name)) {
          await fs.rm(file, { force: true });
          continue;
        }
        const stored = await readJsonFile<ObjectFile>(file);
        if (!stored) continue;
        const object: StoredObject = { ...stored.object, lastModified: new Date(stored.object.lastModified) };
        if (this.metaPath(state, object.key) !== file) {
          this.warn(`ignoring ${file}: misplaced metadata for key ${JSON.stringify(object.key)}`);
          continue;
        }
        state.objects.set(object.key, object);
      }
    }
    state.sortedKeys = [...state.objects.keys()];
    state.sortedKeys.sort(compareKeys);
    // Collect data files no metadata points at (a crash between writing the bytes and committing).
    const referenced = new Set([...state.objects.values()].map((o) => o.dataFile));
    for (const name of await fs.readdir(dataDir)) {
      if (!referenced.has(name)) await fs.rm(path.join(dataDir, name), { force: true });
    }
    for (const object of state.objects.values()) {
      try {
        await fs.access(path.join(dataDir, object.dataFile));
      } catch {
        this.warn(
          `object ${JSON.stringify(object.key)} in ${state.info.name} lost its data file; dropping it`,
        );
        state.objects.delete(object.key);
        removeKey(state.sortedKeys, object.key);
      }
    }
  }

  private async loadUploads(state: BucketState): Promise<void> {
    const uploadsDir = path.join(state.dir, 'uploads');
    await fs.mkdir(uploadsDir, { recursive: true });
    await removeStaleTempFiles(uploadsDir);
    const completed = new Set([...state.objects.values()].map((o) => o.completedUploadId).filter(Boolean));
    for (const uploadId of await fs.readdir(uploadsDir)) {
      const dir = path.join(uploadsDir, uploadId);
      const file = await readJsonFile<UploadFile>(path.join(dir, 'upload.json'));
      if (!file || completed.has(uploadId) || file.uploadId !== uploadId) {
        await fs.rm(dir, { recursive: true, force: true });
        continue;
      }
      const upload: UploadState = {
        uploadId,
        key: file.key,
        initiated: new Date(file.initiated),
        contentType: file.contentType,
        headers: file.headers,
        userMetadata: file.userMetadata,
        tags: file.tags,
        checksumAlgorithm: file.checksumAlgorithm,
        checksumType: file.checksumType,
        parts: new Map(),
      };
      await removeStaleTempFiles(dir);
      const names = await fs.readdir(dir);
      for (const name of names) {
        if (!/^part-\d+\.json$/.test(name)) continue;
        const partFile = await readJsonFile<PartFile>(path.join(dir, name));
        if (!partFile) continue;
        upload.parts.set(partFile.part.partNumber, {
          ...partFile.part,
          lastModified: new Date(partFile.part.lastModified),
        });
      }
      const referenced = new Set([...upload.parts.values()].map((p) => p.dataFile));
      for (const name of names) {
        if (name.endsWith('.part') && !referenced.has(name))
          await fs.rm(path.join(dir, name), { force: true });
      }
      state.uploads.set(uploadId, upload);
    }
  }
}

function publicMeta(object: StoredObject): ObjectMeta {
  return {
    key: object.key,
    size: object.size,
    etag: object.etag,
    lastModified: object.lastModified,
    contentType: object.contentType,
    headers: object.headers,
    userMetadata: object.userMetadata,
    checksum: object.checksum,
    partSizes: object.partSizes,
    tags: object.tags,
  };
}

function publicPart(part: StoredPart): PartInfo {
  return {
    partNumber: part.partNumber,
    size: part.size,
    etag: part.etag,
    lastModified: part.lastModified,
    checksum: part.checksum,
  };
}

function uploadInfo(upload: UploadState): UploadInfo {
  return {
    uploadId: upload.uploadId,
    key: upload.key,
    initiated: upload.initiated,
    checksumAlgorithm: upload.checksumAlgorithm,
    checksumType: upload.checksumType,
  };
}

/** S3 write preconditions: If-None-Match only `*`; If-Match on a missing key is NoSuchKey. */
export function checkWriteConditions(
  current: { etag: string } | undefined,
  key: string,
  conditions: WriteConditions | undefined,
): void {
  if (!conditions) return;
  const { ifMatch, ifNoneMatch } = conditions;
  if (ifNoneMatch !== undefined && ifMatch !== undefined)
    throw s3Errors.notImplemented('If-Match,If-None-Match');
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() !== '*') throw s3Errors.notImplemented('If-None-Match');
    if (current) throw s3Errors.preconditionFailed('If-None-Match');
  }
  if (ifMatch !== undefined) {
    if (!current) throw s3Errors.noSuchKey(key);
    if (!etagMatches(ifMatch, current.etag)) throw s3Errors.preconditionFailed('If-Match');
  }
}

/** True when an If-Match / If-None-Match header value (a list of ETags, or `*`) matches `etag`. */
export function etagMatches(header: string, etag: string): boolean {
  const bare = stripEtag(etag);
  return header.split(',').some((candidate) => {
    const value = candidate.trim();
    return value === '*' || stripEtag(value) === bare;
  });
}

function stripEtag(value: string): string {
  return value.replace(/^W\//, '').replace(/^"|"$/g, '');
}

export function assertValidBucketName(name: string): void {
  const valid =
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) &&
    !name.includes('..') &&
    !/^\d+\.\d+\.\d+\.\d+$/.test(name) &&
    !name.startsWith('xn--') &&
    !name.startsWith('sthree-') &&
    !name.endsWith('-s3alias') &&
    !name.endsWith('--ol-s3');
  if (!valid) throw s3Errors.invalidBucketName(name);
}

function assertValidKey(key: string): void {
  if (key.length === 0) throw new S3Error('InvalidArgument', 400, 'Object key must not be empty');
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) throw s3Errors.keyTooLong(key);
}
