/** The headers an object carries: stored on PUT (representation headers, x-amz-meta-*, tags), returned on GET/HEAD. */
import { header, type ServiceRequest } from '../../server/service.js';
import type { ObjectChecksum, ObjectMeta, PutObjectOptions } from '../backend/model.js';
import { checksumHeader } from '../checksums.js';
import { S3Error } from '../errors.js';

/** Stored representation headers that S3 returns on GET/HEAD as they were sent on PUT. */
const STORED_HEADERS = [
  'cache-control',
  'content-disposition',
  'content-encoding',
  'content-language',
  'expires',
];

export function sseHeaders(): Record<string, string> {
  // S3 encrypts every new object with SSE-S3 and says so.
  return { 'x-amz-server-side-encryption': 'AES256' };
}

export function checksumHeaders(checksum: ObjectChecksum | undefined): Record<string, string> {
  if (!checksum) return {};
  return { [checksumHeader(checksum.algorithm)]: checksum.value, 'x-amz-checksum-type': checksum.type };
}

export function objectHeaders(meta: ObjectMeta, query: URLSearchParams): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': meta.contentType,
    etag: meta.etag,
    'last-modified': meta.lastModified.toUTCString(),
    'accept-ranges': 'bytes',
    ...sseHeaders(),
  };
  for (const name of STORED_HEADERS) {
    const value = meta.headers[name];
    if (value !== undefined) headers[name] = value;
  }
  for (const [name, value] of Object.entries(meta.userMetadata)) headers[`x-amz-meta-${name}`] = value;
  const tagCount = Object.keys(meta.tags ?? {}).length;
  if (tagCount > 0) headers['x-amz-tagging-count'] = String(tagCount);
  // response-* query parameters override the stored headers (used by presigned URLs).
  for (const name of ['content-type', ...STORED_HEADERS]) {
    const override = query.get(`response-${name}`);
    if (override !== null) headers[name] = override;
  }
  return headers;
}

export function writeOptionsFrom(req: ServiceRequest, contentEncoding: string | undefined): PutObjectOptions {
  const headers: Record<string, string> = {};
  for (const name of STORED_HEADERS) {
    const value = name === 'content-encoding' ? contentEncoding : header(req, name);
    if (value !== undefined && value !== '') headers[name] = value;
  }
  const userMetadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith('x-amz-meta-') && value !== undefined) {
      userMetadata[name.slice('x-amz-meta-'.length)] = Array.isArray(value) ? value.join(',') : value;
    }
  }
  const tagging = header(req, 'x-amz-tagging');
  let tags: Record<string, string> | undefined;
  if (tagging !== undefined) {
    tags = Object.fromEntries(new URLSearchParams(tagging));
    validateTags(tags);
  }
  return { contentType: header(req, 'content-type') || undefined, headers, userMetadata, tags };
}

export function validateTags(tags: Record<string, string>): void {
  if (Object.keys(tags).length > 10) {
    throw new S3Error('BadRequest', 400, 'Object tags cannot be greater than 10');
  }
  for (const [key, value] of Object.entries(tags)) {
    if (key.length === 0 || key.length > 128 || value.length > 256) {
      throw new S3Error('InvalidTag', 400, 'The TagKey you have provided is invalid', { TagKey: key });
    }
  }
}
