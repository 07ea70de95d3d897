/**
 * S3 REST routing, path-style (`/bucket/key`): which operation a request is, from its method, path and
 * subresource query parameters. Subresources msf-local does not implement are answered 501, never misread.
 */
import { header, signingService, type ServiceRequest, type ServiceResponse } from '../../server/service.js';
import type { S3Store } from '../backend/object-store.js';
import { S3Error, s3Errors } from '../errors.js';
import * as buckets from '../operations/buckets.js';
import * as listing from '../operations/listing.js';
import * as multipart from '../operations/multipart.js';
import * as objects from '../operations/objects.js';
import { objectTagging } from '../operations/tagging.js';

/** Bucket subresources S3 has and msf-local does not implement: answered 501, never misread as a listing. */
const UNSUPPORTED_SUBRESOURCES = [
  'accelerate',
  'acl',
  'analytics',
  'cors',
  'encryption',
  'intelligent-tiering',
  'inventory',
  'lifecycle',
  'logging',
  'metrics',
  'notification',
  'object-lock',
  'ownershipControls',
  'policy',
  'policyStatus',
  'publicAccessBlock',
  'replication',
  'requestPayment',
  'restore',
  'retention',
  'legal-hold',
  'select',
  'torrent',
  'website',
  'attributes',
];

/**
 * True when a request is (probably) for S3: signed for service `s3`, or unsigned and not addressed to a
 * JSON/query API. The edge server asks the other services first, so this is the fallback route.
 */
export function isS3Request(req: ServiceRequest): boolean {
  const service = signingService(req);
  if (service !== undefined) return service === 's3';
  if (header(req, 'x-amz-target')) return false;
  const contentType = header(req, 'content-type') ?? '';
  if (req.method === 'POST' && req.rawPath === '/' && /x-www-form-urlencoded|json|cbor/.test(contentType)) {
    return false;
  }
  return true;
}

/** Runs the operation `req` asks for against `store`. */
export function route(store: S3Store, req: ServiceRequest): Promise<ServiceResponse> | ServiceResponse {
  const { bucket, key } = parsePath(req.rawPath);
  const q = req.query;
  if (bucket === undefined) {
    if (req.method === 'GET') return buckets.listBuckets(store, req);
    throw s3Errors.methodNotAllowed(req.method, 'SERVICE');
  }
  if (key === '') {
    const unsupported = UNSUPPORTED_SUBRESOURCES.find((name) => q.has(name));
    if (unsupported) throw unsupportedSubresource(unsupported);
    if (q.has('tagging')) throw unsupportedSubresource('tagging');
    switch (req.method) {
      case 'PUT':
        if (q.has('versioning')) throw unsupportedSubresource('versioning');
        return buckets.createBucket(store, req, bucket);
      case 'HEAD':
        return buckets.headBucket(store, bucket);
      case 'DELETE':
        return buckets.deleteBucket(store, bucket);
      case 'POST':
        if (q.has('delete')) return objects.deleteObjects(store, req, bucket);
        throw s3Errors.methodNotAllowed(req.method, 'BUCKET');
      case 'GET':
        if (q.has('location')) return buckets.getBucketLocation(store, bucket);
        if (q.has('versioning')) return buckets.getBucketVersioning(store, bucket);
        if (q.has('uploads')) return multipart.listMultipartUploads(store, req, bucket);
        if (q.has('versions')) return listing.listObjectVersions(store, req, bucket);
        if (q.get('list-type') === '2') return listing.listObjects(store, req, bucket, 2);
        return listing.listObjects(store, req, bucket, 1);
      default:
        throw s3Errors.methodNotAllowed(req.method, 'BUCKET');
    }
  }
  const unsupported = UNSUPPORTED_SUBRESOURCES.find((name) => q.has(name));
  if (unsupported) throw unsupportedSubresource(unsupported);
  if (q.has('tagging')) return objectTagging(store, req, bucket, key);
  switch (req.method) {
    case 'PUT':
      if (q.has('uploadId')) {
        return header(req, 'x-amz-copy-source')
          ? multipart.uploadPartCopy(store, req, bucket, key)
          : multipart.uploadPart(store, req, bucket, key);
      }
      if (header(req, 'x-amz-copy-source')) return objects.copyObject(store, req, bucket, key);
      return objects.putObject(store, req, bucket, key);
    case 'GET':
      if (q.has('uploadId')) return multipart.listParts(store, req, bucket, key);
      return objects.getObject(store, req, bucket, key, false);
    case 'HEAD':
      return objects.getObject(store, req, bucket, key, true);
    case 'DELETE':
      if (q.has('uploadId')) return multipart.abortMultipartUpload(store, req, bucket, key);
      return objects.deleteObject(store, req, bucket, key);
    case 'POST':
      if (q.has('uploads')) return multipart.createMultipartUpload(store, req, bucket, key);
      if (q.has('uploadId')) return multipart.completeMultipartUpload(store, req, bucket, key);
      throw s3Errors.methodNotAllowed(req.method, 'OBJECT');
    default:
      throw s3Errors.methodNotAllowed(req.method, 'OBJECT');
  }
}

/** `/bucket/key…` (still percent-encoded) → decoded bucket and key; `/` → no bucket. */
export function parsePath(rawPath: string): { bucket?: string; key: string } {
  const path = rawPath.startsWith('/') ? rawPath.slice(1) : rawPath;
  if (path === '') return { key: '' };
  const slash = path.indexOf('/');
  try {
    const bucket = decodeURIComponent(slash < 0 ? path : path.slice(0, slash));
    const key = slash < 0 ? '' : decodeURIComponent(path.slice(slash + 1));
    return { bucket, key };
  } catch {
    throw new S3Error('InvalidURI', 400, "Couldn't parse the specified URI.", { URI: rawPath });
  }
}

function unsupportedSubresource(name: string): S3Error {
  return new S3Error('NotImplemented', 501, `msf-local does not implement the S3 ?${name} subresource`, {
    Header: name,
  });
}
