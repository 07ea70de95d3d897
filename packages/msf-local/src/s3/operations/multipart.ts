/**
 * Multipart upload operations: CreateMultipartUpload, UploadPart, UploadPartCopy, CompleteMultipartUpload,
 * AbortMultipartUpload, ListParts, ListMultipartUploads.
 */
import { el, wrap } from '../../api/xml.js';
import { header, type ServiceRequest, type ServiceResponse } from '../../server/service.js';
import type { S3Store } from '../backend/object-store.js';
import {
  checksumHeader,
  multipartChecksumType,
  parseChecksumAlgorithm,
  type ChecksumType,
} from '../checksums.js';
import { s3Errors } from '../errors.js';
import { readVerifiedBody } from '../protocol/request-body.js';
import { parseCopySource, parseIntParam, parsePartNumber } from '../protocol/request-params.js';
import { checksumElement, OWNER, OWNER_ID, parseXml, xmlResponse } from '../protocol/xml-wire.js';
import { sseHeaders, writeOptionsFrom } from './object-headers.js';
import { checkCopySourceConditions, writeConditions } from './preconditions.js';
import { copySourceRange } from './ranges.js';

const INITIATOR = wrap('Initiator', el('ID', OWNER_ID) + el('DisplayName', 'msf-local'));

export async function createMultipartUpload(
  store: S3Store,
  req: ServiceRequest,
  bucket: string,
  key: string,
): Promise<ServiceResponse> {
  if (!store.getBucket(bucket)) throw s3Errors.noSuchBucket(bucket);
  const algorithmHeader = header(req, 'x-amz-checksum-algorithm');
  const checksumAlgorithm = parseChecksumAlgorithm(algorithmHeader);
  if (algorithmHeader !== undefined && !checksumAlgorithm) {
    throw s3Errors.invalidArgument('Invalid checksum algorithm', 'x-amz-checksum-algorithm', algorithmHeader);
  }
  const typeHeader = header(req, 'x-amz-checksum-type')?.toUpperCase();
  if (typeHeader !== undefined && typeHeader !== 'FULL_OBJECT' && typeHeader !== 'COMPOSITE') {
    throw s3Errors.invalidArgument('Invalid checksum type', 'x-amz-checksum-type', typeHeader);
  }
  let checksumType: ChecksumType | undefined;
  if (checksumAlgorithm) {
    const resolved = multipartChecksumType(checksumAlgorithm, typeHeader);
    if (typeof resolved === 'object') throw s3Errors.invalidRequest(resolved.refused);
    checksumType = resolved;
  } else if (typeHeader !== undefined) {
    throw s3Errors.invalidRequest(
      'The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.',
    );
  }
  const upload = await store.createMultipartUpload(bucket, key, {
    ...writeOptionsFrom(req, header(req, 'content-encoding')),
    checksumAlgorithm,
    checksumType,
  });
  const headers: Record<string, string> = sseHeaders();
  if (upload.checksumAlgorithm) {
    headers['x-amz-checksum-algorithm'] = upload.checksumAlgorithm;
    headers['x-amz-checksum-type'] = upload.checksumType ?? 'COMPOSITE';
  }
  return xmlResponse(
    200,
    'InitiateMultipartUploadResult',
    el('Bucket', bucket) + el('Key', key) + el('UploadId', upload.uploadId),
    headers,
  );
}

export async function uploadPart(
  store: S3Store,
  req: ServiceRequest,
  bucket: string,
  key: string,
): Promise<ServiceResponse> {
  const uploadId = req.query.get('uploadId') ?? '';
  const partNumber = parsePartNumber(req.query.get('partNumber'));
  const { upload } = store.listParts(bucket, key, uploadId);
  const body = readVerifiedBody(req, upload.checksumAlgorithm);
  const part = await store.uploadPart(bucket, key, uploadId, partNumber, body.data, body.checksum?.value);
  const headers: Record<string, string> = { etag: part.etag, ...sseHeaders() };
  if (body.checksum) headers[checksumHeader(body.checksum.algorithm)] = body.checksum.value;
  return { status: 200, headers };
}

export async function uploadPartCopy(
  store: S3Store,
  req: ServiceRequest,
  bucket: string,
  key: string,
): Promise<ServiceResponse> {
  const uploadId = req.query.get('uploadId') ?? '';
  const partNumber = parsePartNumber(req.query.get('partNumber'));
  const source = parseCopySource(header(req, 'x-amz-copy-source')!);
  const sourceMeta = store.headObject(source.bucket, source.key, source.versionId);
  checkCopySourceConditions(req, sourceMeta);
  const range = copySourceRange(req, sourceMeta.size);
  const part = await store.uploadPartCopy(bucket, key, uploadId, partNumber, { ...source, ...range });
  return xmlResponse(
    200,
    'CopyPartResult',
    el('LastModified', part.lastModified.toISOString()) + el('ETag', part.etag),
  );
}

export async function completeMultipartUpload(
  store: S3Store,
  req: ServiceRequest,
  bucket: string,
  key: string,
): Promise<ServiceResponse> {
  const uploadId = req.query.get('uploadId') ?? '';
  const { upload } = store.listParts(bucket, key, uploadId);
  const doc = parseXml(req.body) as { CompleteMultipartUpload?: { Part?: Record<string, unknown>[] } };
  const rawParts = doc.CompleteMultipartUpload?.Part;
  if (!Array.isArray(rawParts) || rawParts.length === 0) throw s3Errors.malformedXml();
  const checksumName = upload.checksumAlgorithm ? checksumElement(upload.checksumAlgorithm) : undefined;
  const parts = rawParts.map((part) => {
    const partNumber = Number(part.PartNumber);
    if (!Number.isInteger(partNumber) || typeof part.ETag !== 'string') throw s3Errors.malformedXml();
    const checksum = checksumName ? part[checksumName] : undefined;
    return { partNumber, etag: part.ETag, checksum: typeof checksum === 'string' ? checksum : undefined };
  });
  const meta = await store.completeMultipartUpload(bucket, key, uploadId, parts, writeConditions(req));
  const host = header(req, 'host') ?? '127.0.0.1';
  const body =
    el('Location', `http://${host}/${bucket}/${encodeKeyPath(key)}`) +
    el('Bucket', bucket) +
    el('Key', key) +
    el('ETag', meta.etag) +
    (meta.checksum
      ? el(checksumElement(meta.checksum.algorithm), meta.checksum.value) +
        el('ChecksumType', meta.checksum.type)
      : '');
  return xmlResponse(200, 'CompleteMultipartUploadResult', body, sseHeaders());
}

export async function abortMultipartUpload(
  store: S3Store,
  req: ServiceRequest,
  bucket: string,
  key: string,
): Promise<ServiceResponse> {
  await store.abortMultipartUpload(bucket, key, req.query.get('uploadId') ?? '');
  return { status: 204 };
}

export function listParts(store: S3Store, req: ServiceRequest, bucket: string, key: string): ServiceResponse {
  const uploadId = req.query.get('uploadId') ?? '';
  const maxParts = parseIntParam(req.query.get('max-parts'), 'max-parts', 1000, 0, 2 ** 31 - 1);
  const marker = parseIntParam(req.query.get('part-number-marker'), 'part-number-marker', 0, 0, 2 ** 31 - 1);
  const { upload, parts } = store.listParts(bucket, key, uploadId);
  const after = parts.filter((p) => p.partNumber > marker);
  const page = after.slice(0, Math.min(maxParts, 1000));
  const truncated = after.length > page.length;
  const checksumName = upload.checksumAlgorithm ? checksumElement(upload.checksumAlgorithm) : undefined;
  const body =
    el('Bucket', bucket) +
    el('Key', key) +
    el('UploadId', uploadId) +
    el('PartNumberMarker', marker) +
    (page.length ? el('NextPartNumberMarker', page[page.length - 1]!.partNumber) : '') +
    el('MaxParts', maxParts) +
    el('IsTruncated', truncated) +
    page
      .map((p) =>
        wrap(
          'Part',
          el('PartNumber', p.partNumber) +
            el('LastModified', p.lastModified.toISOString()) +
            el('ETag', p.etag) +
            el('Size', p.size) +
            (checksumName && p.checksum ? el(checksumName, p.checksum) : ''),
        ),
      )
      .join('') +
    INITIATOR +
    OWNER +
    el('StorageClass', 'STANDARD') +
    (upload.checksumAlgorithm ? el('ChecksumAlgorithm', upload.checksumAlgorithm) : '');
  return xmlResponse(200, 'ListPartsResult', body);
}

export function listMultipartUploads(store: S3Store, req: ServiceRequest, bucket: string): ServiceResponse {
  const prefix = req.query.get('prefix') ?? '';
  const uploads = store.listMultipartUploads(bucket).filter((u) => u.key.startsWith(prefix));
  const page = uploads.slice(0, 1000);
  const body =
    el('Bucket', bucket) +
    el('KeyMarker', '') +
    el('UploadIdMarker', '') +
    el('Prefix', prefix) +
    el('MaxUploads', 1000) +
    el('IsTruncated', uploads.length > page.length) +
    page
      .map((u) =>
        wrap(
          'Upload',
          el('Key', u.key) +
            el('UploadId', u.uploadId) +
            INITIATOR +
            OWNER +
            el('StorageClass', 'STANDARD') +
            el('Initiated', u.initiated.toISOString()),
        ),
      )
      .join('');
  return xmlResponse(200, 'ListMultipartUploadsResult', body);
}

function encodeKeyPath(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}
