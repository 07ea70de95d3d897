/** Bucket operations: ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation, GetBucketVersioning. */
import { el, wrap } from '../../api/xml.js';
import { signingRegion, type ServiceRequest, type ServiceResponse } from '../../server/service.js';
import type { S3Store } from '../backend/object-store.js';
import { s3Errors } from '../errors.js';
import { parseIntParam } from '../protocol/request-params.js';
import { OWNER, parseXml, xmlResponse } from '../protocol/xml-wire.js';

export function listBuckets(store: S3Store, req: ServiceRequest): ServiceResponse {
  const prefix = req.query.get('prefix') ?? '';
  const max = parseIntParam(req.query.get('max-buckets'), 'max-buckets', 10000, 1, 10000);
  const after = req.query.get('continuation-token');
  let buckets = store.listBuckets().filter((b) => b.name.startsWith(prefix) && (!after || b.name > after));
  const truncated = buckets.length > max;
  buckets = buckets.slice(0, max);
  const items = buckets
    .map((b) =>
      wrap(
        'Bucket',
        el('Name', b.name) + el('CreationDate', b.creationDate.toISOString()) + el('BucketRegion', b.region),
      ),
    )
    .join('');
  const body =
    OWNER +
    wrap('Buckets', items) +
    (truncated ? el('ContinuationToken', buckets[buckets.length - 1]!.name) : '') +
    (prefix ? el('Prefix', prefix) : '');
  return xmlResponse(200, 'ListAllMyBucketsResult', body);
}

export async function createBucket(
  store: S3Store,
  req: ServiceRequest,
  bucket: string,
): Promise<ServiceResponse> {
  let region = signingRegion(req) ?? store.defaultRegion;
  if (req.body.length > 0) {
    const doc = parseXml(req.body) as { CreateBucketConfiguration?: { LocationConstraint?: unknown } };
    const constraint = doc.CreateBucketConfiguration?.LocationConstraint;
    if (typeof constraint === 'string' && constraint !== '')
      region = constraint === 'EU' ? 'eu-west-1' : constraint;
  }
  await store.createBucket(bucket, region);
  return { status: 200, headers: { location: `/${bucket}` } };
}

export function headBucket(store: S3Store, bucket: string): ServiceResponse {
  const info = store.getBucket(bucket);
  if (!info) throw s3Errors.noSuchBucket(bucket);
  return {
    status: 200,
    headers: { 'x-amz-bucket-region': info.region, 'x-amz-access-point-alias': 'false' },
  };
}

export async function deleteBucket(store: S3Store, bucket: string): Promise<ServiceResponse> {
  await store.deleteBucket(bucket);
  return { status: 204 };
}

export function getBucketLocation(store: S3Store, bucket: string): ServiceResponse {
  const info = store.getBucket(bucket);
  if (!info) throw s3Errors.noSuchBucket(bucket);
  return xmlResponse(200, 'LocationConstraint', info.region === 'us-east-1' ? '' : info.region);
}

export function getBucketVersioning(store: S3Store, bucket: string): ServiceResponse {
  if (!store.getBucket(bucket)) throw s3Errors.noSuchBucket(bucket);
  return xmlResponse(200, 'VersioningConfiguration', '');
}
