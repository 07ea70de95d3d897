import { XMLParser } from 'fast-xml-parser';
import { assertSafeValue } from '../api/safe-input.js';
import {
  header,
  signingRegion,
  signingService,
  type Service,
  type ServiceRequest,
  type ServiceResponse,
} from '../server/service.js';
import {
  checksumBase64,
  checksumHeader,
  multipartChecksumType,
  parseChecksumAlgorithm,
  type ChecksumAlgorithm,
  type ChecksumType,
} from './checksums.js';
import { hostId, S3Error, s3Errors } from './errors.js';
import type { ListPage } from './key-order.js';
import {
  etagMatches,
  type ObjectChecksum,
  type ObjectMeta,
  type PutObjectOptions,
  type S3Store,
  type WriteConditions,
} from './object-store.js';
import { checkPresignedExpiry } from './presigned.js';
import { readVerifiedBody } from './request-body.js';
import { el, wrap, XML_DECLARATION } from './xml.js';

const S3_NS = ' xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';
const OWNER_ID = '75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a';
const OWNER = wrap('Owner', el('ID', OWNER_ID) + el('DisplayName', 'msf-local'));
const MAX_KEYS = 1000;

/** Stored representation headers that S3 returns on GET/HEAD as they were sent on PUT. */
const STORED_HEADERS = [
  'cache-control',
  'content-disposition',
  'content-encoding',
  'content-language',
  'expires',
];

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

/** S3 REST-XML, path-style (`/bucket/key`), on top of an S3Store. */
export class S3Service implements Service {
  readonly name = 's3';
  private readonly xml = new XMLParser({
    parseTagValue: false,
    trimValues: false,
    ignoreDeclaration: true,
    removeNSPrefix: true,
    htmlEntities: true,
    isArray: (tag) => tag === 'Part' || tag === 'Object',
  });

  private readonly now: () => number;

  constructor(
    private readonly store: S3Store,
    options: { now?: () => number } = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  accepts(req: ServiceRequest): boolean {
    return isS3Request(req);
  }

  async handle(req: ServiceRequest): Promise<ServiceResponse> {
    let response: ServiceResponse;
    try {
      checkPresignedExpiry(req.query, this.now());
      response = await this.route(req);
    } catch (error) {
      const s3Error = error instanceof S3Error ? error : internalError(error);
      response = s3Error.toResponse(req.requestId, safeResource(req.rawPath));
    }
    response.headers = {
      'x-amz-request-id': req.requestId,
      'x-amz-id-2': hostId(req.requestId),
      ...response.headers,
    };
    return response;
  }

  private async route(req: ServiceRequest): Promise<ServiceResponse> {
    const { bucket, key } = parsePath(req.rawPath);
    const q = req.query;
    if (bucket === undefined) {
      if (req.method === 'GET') return this.listBuckets(req);
      throw s3Errors.methodNotAllowed(req.method, 'SERVICE');
    }
    if (key === '') {
      const unsupported = UNSUPPORTED_SUBRESOURCES.find((name) => q.has(name));
      if (unsupported) throw unsupportedSubresource(unsupported);
      if (q.has('tagging')) throw unsupportedSubresource('tagging');
      switch (req.method) {
        case 'PUT':
          if (q.has('versioning')) throw unsupportedSubresource('versioning');
          return this.createBucket(req, bucket);
        case 'HEAD':
          return this.headBucket(bucket);
        case 'DELETE':
          await this.store.deleteBucket(bucket);
          return { status: 204 };
        case 'POST':
          if (q.has('delete')) return this.deleteObjects(req, bucket);
          throw s3Errors.methodNotAllowed(req.method, 'BUCKET');
        case 'GET':
          if (q.has('location')) return this.getBucketLocation(bucket);
          if (q.has('versioning')) return this.getBucketVersioning(bucket);
          if (q.has('uploads')) return this.listMultipartUploads(req, bucket);
          if (q.has('versions')) return this.listObjectVersions(req, bucket);
          if (q.get('list-type') === '2') return this.listObjects(req, bucket, 2);
          return this.listObjects(req, bucket, 1);
        default:
          throw s3Errors.methodNotAllowed(req.method, 'BUCKET');
      }
    }
    const unsupported = UNSUPPORTED_SUBRESOURCES.find((name) => q.has(name));
    if (unsupported) throw unsupportedSubresource(unsupported);
    if (q.has('tagging')) return this.objectTagging(req, bucket, key);
    switch (req.method) {
      case 'PUT':
        if (q.has('uploadId')) {
          return header(req, 'x-amz-copy-source')
            ? this.uploadPartCopy(req, bucket, key)
            : this.uploadPart(req, bucket, key);
        }
        if (header(req, 'x-amz-copy-source')) return this.copyObject(req, bucket, key);
        return this.putObject(req, bucket, key);
      case 'GET':
        if (q.has('uploadId')) return this.listParts(req, bucket, key);
        return this.getObject(req, bucket, key, false);
      case 'HEAD':
        return this.getObject(req, bucket, key, true);
      case 'DELETE':
        if (q.has('uploadId')) {
          await this.store.abortMultipartUpload(bucket, key, q.get('uploadId') ?? '');
          return { status: 204 };
        }
        await this.store.deleteObject(bucket, key, { ifMatch: header(req, 'if-match') });
        return { status: 204 };
      case 'POST':
        if (q.has('uploads')) return this.createMultipartUpload(req, bucket, key);
        if (q.has('uploadId')) return this.completeMultipartUpload(req, bucket, key);
        throw s3Errors.methodNotAllowed(req.method, 'OBJECT');
      default:
        throw s3Errors.methodNotAllowed(req.method, 'OBJECT');
    }
  }

  // ---------------------------------------------------------------- buckets

  private listBuckets(req: ServiceRequest): ServiceResponse {
    const prefix = req.query.get('prefix') ?? '';
    const max = parseIntParam(req.query.get('max-buckets'), 'max-buckets', 10000, 1, 10000);
    const after = req.query.get('continuation-token');
    let buckets = this.store
      .listBuckets()
      .filter((b) => b.name.startsWith(prefix) && (!after || b.name > after));
    const truncated = buckets.length > max;
    buckets = buckets.slice(0, max);
    const items = buckets
      .map((b) =>
        wrap(
          'Bucket',
          el('Name', b.name) +
            el('CreationDate', b.creationDate.toISOString()) +
            el('BucketRegion', b.region),
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

  private async createBucket(req: ServiceRequest, bucket: string): Promise<ServiceResponse> {
    let region = signingRegion(req) ?? this.store.defaultRegion;
    if (req.body.length > 0) {
      const doc = this.parseXml(req.body) as { CreateBucketConfiguration?: { LocationConstraint?: unknown } };
      const constraint = doc.CreateBucketConfiguration?.LocationConstraint;
      if (typeof constraint === 'string' && constraint !== '')
        region = constraint === 'EU' ? 'eu-west-1' : constraint;
    }
    await this.store.createBucket(bucket, region);
    return { status: 200, headers: { location: `/${bucket}` } };
  }

  private headBucket(bucket: string): ServiceResponse {
    const info = this.store.getBucket(bucket);
    if (!info) throw s3Errors.noSuchBucket(bucket);
    return {
      status: 200,
      headers: { 'x-amz-bucket-region': info.region, 'x-amz-access-point-alias': 'false' },
    };
  }

  private getBucketLocation(bucket: string): ServiceResponse {
    const info = this.store.getBucket(bucket);
    if (!info) throw s3Errors.noSuchBucket(bucket);
    return xmlResponse(200, 'LocationConstraint', info.region === 'us-east-1' ? '' : info.region);
  }

  private getBucketVersioning(bucket: string): ServiceResponse {
    if (!this.store.getBucket(bucket)) throw s3Errors.noSuchBucket(bucket);
    return xmlResponse(200, 'VersioningConfiguration', '');
  }

  // ---------------------------------------------------------------- listing

  private listObjects(req: ServiceRequest, bucket: string, version: 1 | 2): ServiceResponse {
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
    const page = this.listPage(bucket, prefix, delimiter, after, maxKeys);
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

  /** One page of keys for a listing; max-keys=0 lists nothing and is not truncated. */
  private listPage(
    bucket: string,
    prefix: string,
    delimiter: string,
    after: string | undefined,
    maxKeys: number,
  ): ListPage<ObjectMeta> {
    if (maxKeys === 0) return { contents: [], commonPrefixes: [], isTruncated: false, last: undefined };
    return this.store.listObjects(bucket, {
      prefix,
      delimiter: delimiter || undefined,
      after,
      maxKeys: Math.min(maxKeys, MAX_KEYS),
    });
  }

  /**
   * ListObjectVersions of a bucket that never had versioning enabled (msf-local has none): S3 lists each object
   * once, as version "null", latest. Cleanup code uses it (boto3 `bucket.object_versions.delete()`, Terraform's
   * force_destroy), so it must answer rather than be NotImplemented.
   */
  private listObjectVersions(req: ServiceRequest, bucket: string): ServiceResponse {
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
    const page = this.listPage(bucket, prefix, delimiter, keyMarker || undefined, maxKeys);
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

  // ---------------------------------------------------------------- objects

  private async putObject(req: ServiceRequest, bucket: string, key: string): Promise<ServiceResponse> {
    if (!this.store.getBucket(bucket)) throw s3Errors.noSuchBucket(bucket);
    const body = readVerifiedBody(req);
    const options = writeOptionsFrom(req, body.contentEncoding);
    const meta = await this.store.putObject(bucket, key, body.data, {
      ...options,
      checksum: body.checksum ? { ...body.checksum, type: 'FULL_OBJECT' } : undefined,
      conditions: writeConditions(req),
    });
    return { status: 200, headers: { etag: meta.etag, ...sseHeaders(), ...checksumHeaders(meta.checksum) } };
  }

  private async getObject(
    req: ServiceRequest,
    bucket: string,
    key: string,
    head: boolean,
  ): Promise<ServiceResponse> {
    const versionId = req.query.get('versionId') ?? undefined;
    const meta = this.store.headObject(bucket, key, versionId);
    const conditional = evaluateReadConditions(req, meta);
    if (conditional) return conditional;

    const size = meta.size;
    let start = 0;
    let end = size - 1;
    let partial = false;
    const headers: Record<string, string> = {};
    const partNumberText = req.query.get('partNumber');
    const rangeHeader = header(req, 'range');
    if (partNumberText !== null) {
      const partNumber = parseIntParam(
        partNumberText,
        'partNumber',
        1,
        1,
        10000,
        'Part number must be an integer between 1 and 10000, inclusive',
      );
      const sizes = meta.partSizes ?? [size];
      if (partNumber > sizes.length)
        throw new S3Error('InvalidPartNumber', 416, 'The requested partnumber is not satisfiable', {
          PartNumberRequested: partNumber,
          ActualPartCount: sizes.length,
        });
      start = sizes.slice(0, partNumber - 1).reduce((a, b) => a + b, 0);
      end = start + sizes[partNumber - 1]! - 1;
      partial = meta.partSizes !== undefined;
      headers['x-amz-mp-parts-count'] = String(sizes.length);
    } else if (rangeHeader !== undefined) {
      const range = parseRange(rangeHeader, size);
      if (range) ({ start, end } = range);
      partial = range !== undefined;
    }
    Object.assign(headers, objectHeaders(meta, req.query));
    headers['content-length'] = String(partial ? end - start + 1 : size);
    if (partial) headers['content-range'] = `bytes ${start}-${end}/${size}`;
    // The full-object checksum only describes a full-object response.
    if (!partial && header(req, 'x-amz-checksum-mode')?.toUpperCase() === 'ENABLED') {
      Object.assign(headers, checksumHeaders(meta.checksum));
    }
    const status = partial ? 206 : 200;
    if (head || size === 0) return { status, headers };
    const { stream } = await this.store.openObjectStream(bucket, key, { versionId, start, end });
    return { status, headers, body: stream };
  }

  private async copyObject(req: ServiceRequest, bucket: string, key: string): Promise<ServiceResponse> {
    const source = parseCopySource(header(req, 'x-amz-copy-source')!);
    const sourceMeta = this.store.headObject(source.bucket, source.key, source.versionId);
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
      const { data } = await this.store.readObject(source.bucket, source.key, {
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
    const meta = await this.store.copyObject(
      source,
      { bucket, key },
      { replace, conditions: writeConditions(req) },
    );
    const body =
      el('LastModified', meta.lastModified.toISOString()) +
      el('ETag', meta.etag) +
      (meta.checksum ? el(checksumElement(meta.checksum.algorithm), meta.checksum.value) : '');
    return xmlResponse(200, 'CopyObjectResult', body, sseHeaders());
  }

  private async objectTagging(req: ServiceRequest, bucket: string, key: string): Promise<ServiceResponse> {
    switch (req.method) {
      case 'GET': {
        const tags = this.store.headObject(bucket, key).tags ?? {};
        const set = Object.entries(tags)
          .map(([k, v]) => wrap('Tag', el('Key', k) + el('Value', v)))
          .join('');
        return xmlResponse(200, 'Tagging', wrap('TagSet', set));
      }
      case 'PUT': {
        const doc = this.parseXml(req.body) as { Tagging?: { TagSet?: { Tag?: unknown } } };
        if (!doc.Tagging) throw s3Errors.malformedXml();
        const raw = doc.Tagging.TagSet?.Tag;
        const list = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]) as {
          Key?: unknown;
          Value?: unknown;
        }[];
        const tags: Record<string, string> = {};
        for (const tag of list) {
          if (typeof tag.Key !== 'string') throw s3Errors.malformedXml();
          tags[tag.Key] = typeof tag.Value === 'string' ? tag.Value : '';
        }
        validateTags(tags);
        await this.store.setObjectTags(bucket, key, tags);
        return { status: 200 };
      }
      case 'DELETE':
        await this.store.setObjectTags(bucket, key, {});
        return { status: 204 };
      default:
        throw s3Errors.methodNotAllowed(req.method, 'OBJECT');
    }
  }

  private async deleteObjects(req: ServiceRequest, bucket: string): Promise<ServiceResponse> {
    if (!this.store.getBucket(bucket)) throw s3Errors.noSuchBucket(bucket);
    const doc = this.parseXml(req.body) as {
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
        await this.store.deleteObject(bucket, key, {
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

  // ---------------------------------------------------------------- multipart

  private async createMultipartUpload(
    req: ServiceRequest,
    bucket: string,
    key: string,
  ): Promise<ServiceResponse> {
    if (!this.store.getBucket(bucket)) throw s3Errors.noSuchBucket(bucket);
    const algorithmHeader = header(req, 'x-amz-checksum-algorithm');
    const checksumAlgorithm = parseChecksumAlgorithm(algorithmHeader);
    if (algorithmHeader !== undefined && !checksumAlgorithm) {
      throw s3Errors.invalidArgument(
        'Invalid checksum algorithm',
        'x-amz-checksum-algorithm',
        algorithmHeader,
      );
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
    const upload = await this.store.createMultipartUpload(bucket, key, {
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

  private async uploadPart(req: ServiceRequest, bucket: string, key: string): Promise<ServiceResponse> {
    const uploadId = req.query.get('uploadId') ?? '';
    const partNumber = parsePartNumber(req.query.get('partNumber'));
    const { upload } = this.store.listParts(bucket, key, uploadId);
    const body = readVerifiedBody(req, upload.checksumAlgorithm);
    const part = await this.store.uploadPart(
      bucket,
      key,
      uploadId,
      partNumber,
      body.data,
      body.checksum?.value,
    );
    const headers: Record<string, string> = { etag: part.etag, ...sseHeaders() };
    if (body.checksum) headers[checksumHeader(body.checksum.algorithm)] = body.checksum.value;
    return { status: 200, headers };
  }

  private async uploadPartCopy(req: ServiceRequest, bucket: string, key: string): Promise<ServiceResponse> {
    const uploadId = req.query.get('uploadId') ?? '';
    const partNumber = parsePartNumber(req.query.get('partNumber'));
    const source = parseCopySource(header(req, 'x-amz-copy-source')!);
    const sourceMeta = this.store.headObject(source.bucket, source.key, source.versionId);
    checkCopySourceConditions(req, sourceMeta);
    let range: { start: number; end: number } | undefined;
    const rangeHeader = header(req, 'x-amz-copy-source-range');
    if (rangeHeader !== undefined) {
      const match = /^bytes=(\d+)-(\d+)$/.exec(rangeHeader.trim());
      if (!match || Number(match[2]) < Number(match[1]) || Number(match[2]) >= sourceMeta.size) {
        throw s3Errors.invalidArgument(
          'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy',
          'x-amz-copy-source-range',
          rangeHeader,
        );
      }
      range = { start: Number(match[1]), end: Number(match[2]) };
    }
    const part = await this.store.uploadPartCopy(bucket, key, uploadId, partNumber, { ...source, ...range });
    return xmlResponse(
      200,
      'CopyPartResult',
      el('LastModified', part.lastModified.toISOString()) + el('ETag', part.etag),
    );
  }

  private async completeMultipartUpload(
    req: ServiceRequest,
    bucket: string,
    key: string,
  ): Promise<ServiceResponse> {
    const uploadId = req.query.get('uploadId') ?? '';
    const { upload } = this.store.listParts(bucket, key, uploadId);
    const doc = this.parseXml(req.body) as { CompleteMultipartUpload?: { Part?: Record<string, unknown>[] } };
    const rawParts = doc.CompleteMultipartUpload?.Part;
    if (!Array.isArray(rawParts) || rawParts.length === 0) throw s3Errors.malformedXml();
    const checksumName = upload.checksumAlgorithm ? checksumElement(upload.checksumAlgorithm) : undefined;
    const parts = rawParts.map((part) => {
      const partNumber = Number(part.PartNumber);
      if (!Number.isInteger(partNumber) || typeof part.ETag !== 'string') throw s3Errors.malformedXml();
      const checksum = checksumName ? part[checksumName] : undefined;
      return { partNumber, etag: part.ETag, checksum: typeof checksum === 'string' ? checksum : undefined };
    });
    const meta = await this.store.completeMultipartUpload(bucket, key, uploadId, parts, writeConditions(req));
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

  private listParts(req: ServiceRequest, bucket: string, key: string): ServiceResponse {
    const uploadId = req.query.get('uploadId') ?? '';
    const maxParts = parseIntParam(req.query.get('max-parts'), 'max-parts', 1000, 0, 2 ** 31 - 1);
    const marker = parseIntParam(
      req.query.get('part-number-marker'),
      'part-number-marker',
      0,
      0,
      2 ** 31 - 1,
    );
    const { upload, parts } = this.store.listParts(bucket, key, uploadId);
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
      wrap('Initiator', el('ID', OWNER_ID) + el('DisplayName', 'msf-local')) +
      OWNER +
      el('StorageClass', 'STANDARD') +
      (upload.checksumAlgorithm ? el('ChecksumAlgorithm', upload.checksumAlgorithm) : '');
    return xmlResponse(200, 'ListPartsResult', body);
  }

  private listMultipartUploads(req: ServiceRequest, bucket: string): ServiceResponse {
    const prefix = req.query.get('prefix') ?? '';
    const uploads = this.store.listMultipartUploads(bucket).filter((u) => u.key.startsWith(prefix));
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
              wrap('Initiator', el('ID', OWNER_ID) + el('DisplayName', 'msf-local')) +
              OWNER +
              el('StorageClass', 'STANDARD') +
              el('Initiated', u.initiated.toISOString()),
          ),
        )
        .join('');
    return xmlResponse(200, 'ListMultipartUploadsResult', body);
  }

  private parseXml(body: Buffer): Record<string, unknown> {
    try {
      const parsed: unknown = this.xml.parse(body.toString('utf8'));
      assertSafeValue(parsed); // element names are keys here: no __proto__ or constructor, bounded depth
      if (parsed && typeof parsed === 'object') return parsed as Record<string, unknown>;
    } catch {
      // fall through
    }
    throw s3Errors.malformedXml();
  }
}

// -------------------------------------------------------------------- helpers

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

function xmlResponse(
  status: number,
  root: string,
  body: string,
  headers: Record<string, string> = {},
): ServiceResponse {
  return {
    status,
    headers: { 'content-type': 'application/xml', ...headers },
    body: XML_DECLARATION + wrap(root, body, S3_NS),
  };
}

function sseHeaders(): Record<string, string> {
  // S3 encrypts every new object with SSE-S3 and says so.
  return { 'x-amz-server-side-encryption': 'AES256' };
}

function checksumHeaders(checksum: ObjectChecksum | undefined): Record<string, string> {
  if (!checksum) return {};
  return { [checksumHeader(checksum.algorithm)]: checksum.value, 'x-amz-checksum-type': checksum.type };
}

function checksumElement(algorithm: ChecksumAlgorithm): string {
  return `Checksum${algorithm}`;
}

function objectHeaders(meta: ObjectMeta, query: URLSearchParams): Record<string, string> {
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

function writeOptionsFrom(req: ServiceRequest, contentEncoding: string | undefined): PutObjectOptions {
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

function validateTags(tags: Record<string, string>): void {
  if (Object.keys(tags).length > 10) {
    throw new S3Error('BadRequest', 400, 'Object tags cannot be greater than 10');
  }
  for (const [key, value] of Object.entries(tags)) {
    if (key.length === 0 || key.length > 128 || value.length > 256) {
      throw new S3Error('InvalidTag', 400, 'The TagKey you have provided is invalid', { TagKey: key });
    }
  }
}

function writeConditions(req: ServiceRequest): WriteConditions | undefined {
  const ifMatch = header(req, 'if-match');
  const ifNoneMatch = header(req, 'if-none-match');
  if (ifMatch === undefined && ifNoneMatch === undefined) return undefined;
  return { ifMatch, ifNoneMatch };
}

/** GET/HEAD preconditions in RFC 7232 order, as S3 evaluates them: 412 or 304, else undefined. */
function evaluateReadConditions(req: ServiceRequest, meta: ObjectMeta): ServiceResponse | undefined {
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

function checkCopySourceConditions(req: ServiceRequest, meta: ObjectMeta): void {
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

function parseHttpDate(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * A single `bytes=` range resolved against `size`, or undefined when the header is to be ignored
 * (malformed or multi-range: S3 then returns the whole object). Unsatisfiable → InvalidRange (416).
 */
export function parseRange(value: string, size: number): { start: number; end: number } | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0 || size === 0) throw s3Errors.invalidRange(value, size);
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Number(match[2]);
  if (end < start) return undefined;
  if (start >= size) throw s3Errors.invalidRange(value, size);
  return { start, end: Math.min(end, size - 1) };
}

function parseCopySource(value: string): { bucket: string; key: string; versionId?: string } {
  let source = value.trim();
  let versionId: string | undefined;
  const q = source.indexOf('?');
  if (q >= 0) {
    versionId = new URLSearchParams(source.slice(q + 1)).get('versionId') ?? undefined;
    source = source.slice(0, q);
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(source.replace(/^\//, ''));
  } catch {
    decoded = '';
  }
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1) {
    throw s3Errors.invalidArgument(
      'Copy Source must mention the source bucket and key: sourcebucket/sourcekey',
      'x-amz-copy-source',
      value,
    );
  }
  return { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1), versionId };
}

function parsePartNumber(value: string | null): number {
  return parseIntParam(
    value ?? '',
    'partNumber',
    0,
    1,
    10000,
    'Part number must be an integer between 1 and 10000, inclusive',
  );
}

function parseIntParam(
  value: string | null | undefined,
  name: string,
  fallback: number,
  min: number,
  max: number,
  message = `Provided ${name} not an integer or within integer range`,
): number {
  if (value === null || value === undefined) return fallback;
  const n = Number(value);
  if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw s3Errors.invalidArgument(message, name, value);
  }
  return n;
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

function encodeKeyPath(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}

function unsupportedSubresource(name: string): S3Error {
  return new S3Error('NotImplemented', 501, `msf-local does not implement the S3 ?${name} subresource`, {
    Header: name,
  });
}

/** The checksum members of an object in a listing (ListObjects(V2), ListObjectVersions), empty without one. */
function listedChecksum(o: ObjectMeta): string {
  return o.checksum
    ? el('ChecksumAlgorithm', o.checksum.algorithm) + el('ChecksumType', o.checksum.type)
    : '';
}

function internalError(error: unknown): S3Error {
  const e = s3Errors.internal();
  console.error('msf-local s3: internal error', error);
  return e;
}

/** The Resource element: the request path, without anything that could break the XML. */
function safeResource(rawPath: string): string {
  return rawPath.replace(/[^\x20-\x7e]/g, '');
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
