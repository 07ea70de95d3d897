/**
 * Multipart uploads of the S3 store: each upload is a directory (upload.json, part-<n>.json, <uuid>.part) built
 * aside and renamed into place; Complete concatenates the chosen parts into one object through the ordinary
 * commit, then moves the upload to the trash.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fsyncDir, tempPathFor, writeFileAtomic, writeJsonAtomic } from '../../store/atomic-file.js';
import { checksumBase64, compositeChecksum } from '../checksums.js';
import { s3Errors } from '../errors.js';
import type { BucketTable } from './bucket-table.js';
import { writeStreamAtomic, type PartFile, type UploadFile } from './disk-layout.js';
import {
  assertValidKey,
  publicPart,
  uploadInfo,
  type CompletedPart,
  type ObjectChecksum,
  type ObjectMeta,
  type PartInfo,
  type CreateUploadOptions,
  type StoredPart,
  type UploadInfo,
  type UploadState,
  type WriteConditions,
} from './model.js';
import { checkWriteConditions, etagMatches } from './write-conditions.js';

const MIN_PART_SIZE = 5 * 1024 * 1024;

export type ObjectReader = (
  bucket: string,
  key: string,
  options: { versionId?: string; start?: number; end?: number },
) => Promise<{ data: Buffer }>;

export class MultipartStore {
  constructor(
    private readonly table: BucketTable,
    private readonly readObject: ObjectReader,
  ) {}

  async createMultipartUpload(
    bucket: string,
    key: string,
    options: CreateUploadOptions = {},
  ): Promise<UploadInfo> {
    assertValidKey(key);
    const state = this.table.requireBucket(bucket);
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
    await this.table.commits.run(bucket, async () => {
      this.table.requireBucket(bucket).uploads.set(uploadId, upload);
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
    const upload = this.table.requireUpload(bucket, key, uploadId);
    const dir = this.table.uploadDir(bucket, upload.uploadId);
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
    const previous = await this.table.commits.run(bucket, async () => {
      const current = this.table.requireUpload(bucket, key, uploadId);
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
    this.table.requireUpload(bucket, key, uploadId);
    const { data } = await this.readObject(source.bucket, source.key, source);
    return this.uploadPart(bucket, key, uploadId, partNumber, data);
  }

  listParts(bucket: string, key: string, uploadId: string): { upload: UploadInfo; parts: PartInfo[] } {
    const upload = this.table.requireUpload(bucket, key, uploadId);
    const parts = [...upload.parts.values()].sort((a, b) => a.partNumber - b.partNumber).map(publicPart);
    return { upload: uploadInfo(upload), parts };
  }

  listMultipartUploads(bucket: string): UploadInfo[] {
    return [...this.table.requireBucket(bucket).uploads.values()]
      .map(uploadInfo)
      .sort((a, b) =>
        a.key === b.key ? a.initiated.getTime() - b.initiated.getTime() : a.key < b.key ? -1 : 1,
      );
  }

  async abortMultipartUpload(bucket: string, key: string, uploadId: string): Promise<void> {
    await this.table.commits.run(bucket, async () => {
      const upload = this.table.requireUpload(bucket, key, uploadId);
      await this.table.trash.move(
        this.table.uploadDir(bucket, upload.uploadId),
        path.join(this.table.requireBucket(bucket).dir, 'uploads'),
      );
      this.table.requireBucket(bucket).uploads.delete(uploadId);
    });
    await this.table.trash.empty();
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
    const upload = this.table.requireUpload(bucket, key, uploadId);
    const chosen = choosePartsToComplete(upload, parts);
    const state = this.table.requireBucket(bucket);
    checkWriteConditions(state.objects.get(key), key, conditions);

    // Concatenate the parts into a new data file.
    const dir = this.table.uploadDir(bucket, uploadId);
    const dataFile = randomUUID();
    const final = path.join(state.dir, 'data', dataFile);
    const fullChecksumChunks: Buffer[] = [];
    const wantFull = upload.checksumAlgorithm !== undefined && upload.checksumType === 'FULL_OBJECT';
    let size = 0;
    const partBytes = Readable.from(
      (async function* () {
        for (const part of chosen) yield await fs.readFile(path.join(dir, part.dataFile));
      })(),
    );
    await writeStreamAtomic(partBytes, final, (bytes) => {
      if (wantFull) fullChecksumChunks.push(bytes);
      size += bytes.length;
    });
    await fsyncDir(path.dirname(final));
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
    const meta = await this.table.commitObject(
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
        if (!this.table.requireBucket(bucket).uploads.has(uploadId)) throw s3Errors.noSuchUpload(uploadId);
      },
    );
    await this.table.commits.run(bucket, async () => {
      const current = this.table.buckets.get(bucket);
      if (!current?.uploads.delete(uploadId)) return;
      await this.table.trash.move(dir, path.join(current.dir, 'uploads'));
    });
    await this.table.trash.empty();
    return meta;
  }
}

/** The stored parts a Complete names, checked as S3 checks them (order, ETags, minimum size but the last). */
function choosePartsToComplete(upload: UploadState, parts: CompletedPart[]): StoredPart[] {
  if (parts.length === 0) throw s3Errors.malformedXml();
  const chosen: StoredPart[] = [];
  for (let i = 0; i < parts.length; i++) {
    const wanted = parts[i]!;
    if (i > 0 && wanted.partNumber <= parts[i - 1]!.partNumber)
      throw s3Errors.invalidPartOrder(upload.uploadId);
    const stored = upload.parts.get(wanted.partNumber);
    if (!stored || !etagMatches(wanted.etag, stored.etag)) {
      throw s3Errors.invalidPart(upload.uploadId, wanted.partNumber, wanted.etag);
    }
    chosen.push(stored);
  }
  for (let i = 0; i < chosen.length - 1; i++) {
    const part = chosen[i]!;
    if (part.size < MIN_PART_SIZE) throw s3Errors.entityTooSmall(part.size, part.partNumber, part.etag);
  }
  return chosen;
}
