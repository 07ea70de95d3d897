/** Listing a bucket: ListObjects (V1 and V2) and ListObjectVersions, with S3's paging and key encoding. */
import { el, wrap } from '../../api/xml.js';
import type { ServiceRequest, ServiceResponse } from '../../server/service.js';
import type { ListPage } from '../backend/key-order.js';
import type { ObjectMeta } from '../backend/model.js';
import type { S3Store } from '../backend/object-store.js';
import { s3Errors } from '../errors.js';
import { parseIntParam } from '../protocol/request-params.js';
import { OWNER, xmlResponse } from '../protocol/xml-wire.js';

const MAX_KEYS = 1000;

export function listObjects(
  store: S3Store,
  req: ServiceRequest,
  bucket: string,
  version: 1 | 2,
): ServiceResponse {
  const q = req.query;
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? '';
  const maxKeys = parseIntParam(
    q.get('max-keys'),
    'max-keys',
    MAX_KEYS,
    0,
    2 ** 31 - 1,
    'Provided max-keys not an integer or within integer range',
  );
  const { encodingType, encode: enc } = keyEncoding(q);
  let after: string | undefined;
  const continuationToken = q.get('continuation-token') ?? undefined;
  const startAfter = q.get('start-after') ?? undefined;
  const marker = q.get('marker') ?? undefined;
  if (version === 2) {
    if (continuationToken !== undefined) after = decodeToken(continuationToken);
    else if (startAfter) after = startAfter;
  } else if (marker) {
    after = marker;
  }
  const page = listPage(store, bucket, prefix, delimiter, after, maxKeys);
  const fetchOwner = version === 1 || q.get('fetch-owner') === 'true';
  const contents = page.contents
    .map((o) =>
      wrap(
        'Contents',
        el('Key', enc(o.key)) +
          el('LastModified', o.lastModified.toISOString()) +
          el('ETag', o.etag) +
          listedChecksum(o) +
          el('Size', o.size) +
          (fetchOwner ? OWNER : '') +
          el('StorageClass', 'STANDARD'),
      ),
    )
    .join('');
  const prefixes = page.commonPrefixes.map((p) => wrap('CommonPrefixes', el('Prefix', enc(p)))).join('');
  let body = el('Name', bucket) + el('Prefix', enc(prefix));
  if (version === 2) {
    body +=
      (delimiter ? el('Delimiter', enc(delimiter)) : '') +
      el('MaxKeys', maxKeys) +
      (encodingType ? el('EncodingType', encodingType) : '') +
      el('KeyCount', page.contents.length + page.commonPrefixes.length) +
      el('IsTruncated', page.isTruncated) +
      (continuationToken !== undefined ? el('ContinuationToken', continuationToken) : '') +
      (page.isTruncated && page.last !== undefined
        ? el('NextContinuationToken', encodeToken(page.last))
        : '') +
      (startAfter && continuationToken === undefined ? el('StartAfter', enc(startAfter)) : '');
  } else {
    body +=
      el('Marker', enc(marker ?? '')) +
      (page.isTruncated && page.last !== undefined ? el('NextMarker', enc(page.last)) : '') +
      el('MaxKeys', maxKeys) +
      (delimiter ? el('Delimiter', enc(delimiter)) : '') +
      (encodingType ? el('EncodingType', encodingType) : '') +
      el('IsTruncated', page.isTruncated);
  }
  return xmlResponse(200, 'ListBucketResult', body + contents + prefixes);
}

/**
 * ListObjectVersions of a bucket that never had versioning enabled (msf-local has none): S3 lists each object
 * once, as version "null", latest. Cleanup code uses it (boto3 `bucket.object_versions.delete()`, Terraform's
 * force_destroy), so it must answer rather than be NotImplemented.
 */
export function listObjectVersions(store: S3Store, req: ServiceRequest, bucket: string): ServiceResponse {
  const q = req.query;
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? '';
  const maxKeys = parseIntParam(q.get('max-keys'), 'max-keys', MAX_KEYS, 0, 2 ** 31 - 1);
  const { encodingType, encode: enc } = keyEncoding(q);
  const keyMarker = q.get('key-marker') ?? '';
  const versionIdMarker = q.get('version-id-marker') ?? undefined;
  if (versionIdMarker !== undefined && keyMarker === '') {
    throw s3Errors.invalidArgument(
      'A version-id marker cannot be specified without a key marker.',
      'version-id-marker',
      versionIdMarker,
    );
  }
  if (versionIdMarker === '') {
    throw s3Errors.invalidArgument('A version-id marker cannot be empty.', 'version-id-marker', '');
  }
  if (versionIdMarker !== undefined && versionIdMarker !== 'null') {
    throw s3Errors.invalidArgument('Invalid version id specified', 'version-id-marker', versionIdMarker);
  }
  const page = listPage(store, bucket, prefix, delimiter, keyMarker || undefined, maxKeys);
  const versions = page.contents
    .map((o) =>
      wrap(
        'Version',
        el('Key', enc(o.key)) +
          el('VersionId', 'null') +
          el('IsLatest', true) +
          el('LastModified', o.lastModified.toISOString()) +
          el('ETag', o.etag) +
          listedChecksum(o) +
          el('Size', o.size) +
          el('StorageClass', 'STANDARD') +
          OWNER,
      ),
    )
    .join('');
  const prefixes = page.commonPrefixes.map((p) => wrap('CommonPrefixes', el('Prefix', enc(p)))).join('');
  const next =
    page.isTruncated && page.last !== undefined
      ? el('NextKeyMarker', enc(page.last)) + el('NextVersionIdMarker', 'null')
      : '';
  const body =
    el('Name', bucket) +
    el('Prefix', enc(prefix)) +
    el('KeyMarker', enc(keyMarker)) +
    el('VersionIdMarker', versionIdMarker ?? '') +
    next +
    el('MaxKeys', maxKeys) +
    (delimiter ? el('Delimiter', enc(delimiter)) : '') +
    (encodingType ? el('EncodingType', encodingType) : '') +
    el('IsTruncated', page.isTruncated) +
    versions +
    prefixes;
  return xmlResponse(200, 'ListVersionsResult', body);
}

/** One page of keys for a listing; max-keys=0 lists nothing and is not truncated. */
function listPage(
  store: S3Store,
  bucket: string,
  prefix: string,
  delimiter: string,
  after: string | undefined,
  maxKeys: number,
): ListPage<ObjectMeta> {
  if (maxKeys === 0) return { contents: [], commonPrefixes: [], isTruncated: false, last: undefined };
  return store.listObjects(bucket, {
    prefix,
    delimiter: delimiter || undefined,
    after,
    maxKeys: Math.min(maxKeys, MAX_KEYS),
  });
}

function encodeToken(last: string): string {
  return Buffer.from(JSON.stringify({ a: last }), 'utf8').toString('base64url');
}

function decodeToken(token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { a?: unknown };
    if (typeof parsed.a === 'string') return parsed.a;
  } catch {
    // fall through
  }
  throw s3Errors.invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
}

/** encoding-type=url: percent-encode like S3 (spaces and '+' must survive a form-style decode). */
function s3UrlEncode(value: string): string {
  return encodeURIComponent(value).replace(/%2F/g, '/');
}

/** The checksum members of an object in a listing (ListObjects(V2), ListObjectVersions), empty without one. */
function listedChecksum(o: ObjectMeta): string {
  return o.checksum
    ? el('ChecksumAlgorithm', o.checksum.algorithm) + el('ChecksumType', o.checksum.type)
    : '';
}

/** `encoding-type=url` asks for keys (and prefixes, delimiters) URL-encoded in a listing; S3 knows no other. */
function keyEncoding(query: URLSearchParams): {
  encodingType: string | undefined;
  encode: (value: string) => string;
} {
  const encodingType = query.get('encoding-type') ?? undefined;
  if (encodingType !== undefined && encodingType !== 'url') {
    throw s3Errors.invalidArgument(
      'Invalid Encoding Method specified in Request',
      'encoding-type',
      encodingType,
    );
  }
  return { encodingType, encode: encodingType === 'url' ? s3UrlEncode : (value) => value };
}
