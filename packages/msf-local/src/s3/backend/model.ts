/**
 * The S3 store's data model: what callers see (BucketInfo, ObjectMeta, UploadInfo, PartInfo …), what the store
 * keeps in memory per bucket (BucketState), and the S3 rules on names that every write checks first.
 */
import type { ChecksumAlgorithm } from '../checksums.js';
import { S3Error, s3Errors } from '../errors.js';

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

/** What CreateMultipartUpload takes beyond a PUT's options. */
export type CreateUploadOptions = PutObjectOptions & {
  checksumAlgorithm?: ChecksumAlgorithm;
  checksumType?: 'FULL_OBJECT' | 'COMPOSITE';
};

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

export interface StoredObject extends ObjectMeta {
  dataFile: string;
  /** The multipart upload this object was completed from (lets start-up drop a half-removed upload). */
  completedUploadId?: string;
}

export interface StoredPart extends PartInfo {
  dataFile: string;
}

export interface UploadState extends UploadInfo {
  tags?: Record<string, string>;
  contentType: string;
  headers: Record<string, string>;
  userMetadata: Record<string, string>;
  parts: Map<number, StoredPart>;
}

export interface BucketState {
  info: BucketInfo;
  dir: string;
  objects: Map<string, StoredObject>;
  sortedKeys: string[];
  uploads: Map<string, UploadState>;
}

const MAX_KEY_BYTES = 1024;

export function publicMeta(object: StoredObject): ObjectMeta {
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

export function publicPart(part: StoredPart): PartInfo {
  return {
    partNumber: part.partNumber,
    size: part.size,
    etag: part.etag,
    lastModified: part.lastModified,
    checksum: part.checksum,
  };
}

export function uploadInfo(upload: UploadState): UploadInfo {
  return {
    uploadId: upload.uploadId,
    key: upload.key,
    initiated: upload.initiated,
    checksumAlgorithm: upload.checksumAlgorithm,
    checksumType: upload.checksumType,
  };
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

export function assertValidKey(key: string): void {
  if (key.length === 0) throw new S3Error('InvalidArgument', 400, 'Object key must not be empty');
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) throw s3Errors.keyTooLong(key);
}
