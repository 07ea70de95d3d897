/** Conditional requests: If-Match / If-None-Match / If-(Un)Modified-Since on reads, writes and copy sources. */
import { header, type ServiceRequest, type ServiceResponse } from '../../server/service.js';
import type { ObjectMeta, WriteConditions } from '../backend/model.js';
import { etagMatches } from '../backend/write-conditions.js';
import { s3Errors } from '../errors.js';
import { parseHttpDate } from '../protocol/request-params.js';

/** The write preconditions of a request; the store checks them atomically with the commit. */
export function writeConditions(req: ServiceRequest): WriteConditions | undefined {
  const ifMatch = header(req, 'if-match');
  const ifNoneMatch = header(req, 'if-none-match');
  if (ifMatch === undefined && ifNoneMatch === undefined) return undefined;
  return { ifMatch, ifNoneMatch };
}

/** GET/HEAD preconditions in RFC 7232 order, as S3 evaluates them: 412 or 304, else undefined. */
export function evaluateReadConditions(req: ServiceRequest, meta: ObjectMeta): ServiceResponse | undefined {
  const ifMatch = header(req, 'if-match');
  const ifNoneMatch = header(req, 'if-none-match');
  const ifModifiedSince = parseHttpDate(header(req, 'if-modified-since'));
  const ifUnmodifiedSince = parseHttpDate(header(req, 'if-unmodified-since'));
  const modified = Math.floor(meta.lastModified.getTime() / 1000) * 1000;
  if (ifMatch !== undefined) {
    if (!etagMatches(ifMatch, meta.etag)) throw s3Errors.preconditionFailed('If-Match');
  } else if (ifUnmodifiedSince !== undefined && modified > ifUnmodifiedSince) {
    throw s3Errors.preconditionFailed('If-Unmodified-Since');
  }
  const notModified =
    ifNoneMatch !== undefined
      ? etagMatches(ifNoneMatch, meta.etag)
      : ifModifiedSince !== undefined && modified <= ifModifiedSince;
  if (notModified) {
    return { status: 304, headers: { etag: meta.etag, 'last-modified': meta.lastModified.toUTCString() } };
  }
  return undefined;
}

export function checkCopySourceConditions(req: ServiceRequest, meta: ObjectMeta): void {
  const ifMatch = header(req, 'x-amz-copy-source-if-match');
  const ifNoneMatch = header(req, 'x-amz-copy-source-if-none-match');
  const ifModifiedSince = parseHttpDate(header(req, 'x-amz-copy-source-if-modified-since'));
  const ifUnmodifiedSince = parseHttpDate(header(req, 'x-amz-copy-source-if-unmodified-since'));
  const modified = Math.floor(meta.lastModified.getTime() / 1000) * 1000;
  if (ifMatch !== undefined) {
    if (!etagMatches(ifMatch, meta.etag)) throw s3Errors.preconditionFailed('x-amz-copy-source-If-Match');
  } else if (ifUnmodifiedSince !== undefined && modified > ifUnmodifiedSince) {
    throw s3Errors.preconditionFailed('x-amz-copy-source-If-Unmodified-Since');
  }
  if (ifNoneMatch !== undefined) {
    if (etagMatches(ifNoneMatch, meta.etag))
      throw s3Errors.preconditionFailed('x-amz-copy-source-If-None-Match');
  } else if (ifModifiedSince !== undefined && modified <= ifModifiedSince) {
    throw s3Errors.preconditionFailed('x-amz-copy-source-If-Modified-Since');
  }
}
