/** Object operations: PutObject, GetObject/HeadObject, CopyObject, DeleteObject, DeleteObjects. */
import { el, wrap } from '../../api/xml.js';
import { header, type ServiceRequest, type ServiceResponse } from '../../server/service.js';
import type { ObjectChecksum, PutObjectOptions } from '../backend/model.js';
import type { S3Store } from '../backend/object-store.js';
import { checksumBase64, parseChecksumAlgorithm } from '../checksums.js';
import { internalError, S3Error, s3Errors } from '../errors.js';
import { readVerifiedBody } from '../protocol/request-body.js';
import { parseCopySource } from '../protocol/request-params.js';
import { checksumElement, parseXml, xmlResponse } from '../protocol/xml-wire.js';
import { checksumHeaders, objectHeaders, sseHeaders, writeOptionsFrom } from './object-headers.js';
import { checkCopySourceConditions, evaluateReadConditions, writeConditions } from './preconditions.js';
import { requestedWindow } from './ranges.js';

export async function putObject(
  store: S3Store,
  req: ServiceRequest,
  bucket: string,
  key: string,
): Promise<ServiceResponse> {
  if (!store.getBucket(bucket)) throw s3Errors.noSuchBucket(bucket);
  const body = readVerifiedBody(req);
  const options = writeOptionsFrom(req, body.contentEncoding);
  const meta = await store.putObject(bucket, key, body.data, {
    ...options,
    checksum: body.checksum ? { ...body.checksum, type: 'FULL_OBJECT' } : undefined,
    conditions: writeConditions(req),
  });
  return { status: 200, headers: { etag: meta.etag, ...sseHeaders(), ...checksumHeaders(meta.checksum) } };
}

/** GetObject, or HeadObject when `head`: preconditions, then the whole object, a range or one part. */
export async function getObject(
  store: S3Store,
  req: ServiceRequest,
  bucket: string,
  key: string,
  head: boolean,
): Promise<ServiceResponse> {
  const versionId = req.query.get('versionId') ?? undefined;
  const meta = store.headObject(bucket, key, versionId);
  const conditional = evaluateReadConditions(req, meta);
  if (conditional) return conditional;

  const size = meta.size;
  const { start, end, partial, headers } = requestedWindow(req, meta);
  Object.assign(headers, objectHeaders(meta, req.query));
  headers['content-length'] = String(partial ? end - start + 1 : size);
  if (partial) headers['content-range'] = `bytes ${start}-${end}/${size}`;
  // The full-object checksum only describes a full-object response.
  if (!partial && header(req, 'x-amz-checksum-mode')?.toUpperCase() === 'ENABLED') {
    Object.assign(headers, checksumHeaders(meta.checksum));
  }
  const status = partial ? 206 : 200;
  if (head || size === 0) return { status, headers };
  const { stream } = await store.openObjectStream(bucket, key, { versionId, start, end });
  return { status, headers, body: stream };
}

export async function copyObject(
  store: S3Store,
  req: ServiceRequest,
  bucket: string,
  key: string,
): Promise<ServiceResponse> {
  const source = parseCopySource(header(req, 'x-amz-copy-source')!);
  const sourceMeta = store.headObject(source.bucket, source.key, source.versionId);
  checkCopySourceConditions(req, sourceMeta);
  const directive = (header(req, 'x-amz-metadata-directive') ?? 'COPY').toUpperCase();
  if (directive !== 'COPY' && directive !== 'REPLACE') {
    throw s3Errors.invalidArgument('Unknown metadata directive.', 'x-amz-metadata-directive', directive);
  }
  if (source.bucket === bucket && source.key === key && directive === 'COPY') {
    throw s3Errors.invalidRequest(
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
  }
  const algorithm = parseChecksumAlgorithm(header(req, 'x-amz-checksum-algorithm'));
  let replace: PutObjectOptions | undefined =
    directive === 'REPLACE' ? writeOptionsFrom(req, header(req, 'content-encoding')) : undefined;
  if (algorithm) {
    const { data } = await store.readObject(source.bucket, source.key, {
      versionId: source.versionId,
    });
    const checksum: ObjectChecksum = {
      algorithm,
      value: checksumBase64(algorithm, [data]),
      type: 'FULL_OBJECT',
    };
    replace = {
      ...(replace ?? {
        contentType: sourceMeta.contentType,
        headers: sourceMeta.headers,
        userMetadata: sourceMeta.userMetadata,
      }),
      checksum,
    };
  }
  const meta = await store.copyObject(source, { bucket, key }, { replace, conditions: writeConditions(req) });
  const body =
    el('LastModified', meta.lastModified.toISOString()) +
    el('ETag', meta.etag) +
    (meta.checksum ? el(checksumElement(meta.checksum.algorithm), meta.checksum.value) : '');
  return xmlResponse(200, 'CopyObjectResult', body, sseHeaders());
}

export async function deleteObject(
  store: S3Store,
  req: ServiceRequest,
  bucket: string,
  key: string,
): Promise<ServiceResponse> {
  await store.deleteObject(bucket, key, { ifMatch: header(req, 'if-match') });
  return { status: 204 };
}

/** DeleteObjects (POST ?delete): each key deleted on its own; failures are listed, not thrown. */
export async function deleteObjects(
  store: S3Store,
  req: ServiceRequest,
  bucket: string,
): Promise<ServiceResponse> {
  if (!store.getBucket(bucket)) throw s3Errors.noSuchBucket(bucket);
  const doc = parseXml(req.body) as {
    Delete?: { Object?: { Key?: unknown; ETag?: unknown; VersionId?: unknown }[]; Quiet?: unknown };
  };
  const objects = doc.Delete?.Object;
  if (!doc.Delete || !Array.isArray(objects) || objects.length === 0 || objects.length > 1000) {
    throw s3Errors.malformedXml();
  }
  const quiet = String(doc.Delete.Quiet ?? 'false').trim() === 'true';
  let out = '';
  for (const object of objects) {
    const key = typeof object.Key === 'string' ? object.Key : undefined;
    if (key === undefined) throw s3Errors.malformedXml();
    try {
      if (typeof object.VersionId === 'string' && object.VersionId !== 'null') {
        throw s3Errors.noSuchVersion(key, object.VersionId);
      }
      await store.deleteObject(bucket, key, {
        ifMatch: typeof object.ETag === 'string' ? object.ETag : undefined,
      });
      if (!quiet) {
        const version = object.VersionId === 'null' ? el('VersionId', 'null') : '';
        out += wrap('Deleted', el('Key', key) + version);
      }
    } catch (error) {
      const e = error instanceof S3Error ? error : internalError(error);
      out += wrap('Error', el('Key', key) + el('Code', e.code) + el('Message', e.message));
    }
  }
  return xmlResponse(200, 'DeleteResult', out);
}
