import type { ServiceResponse } from '../server/service.js';
import { el, XML_DECLARATION } from '../api/xml.js';

/**
 * An S3 error as S3 answers it: HTTP status, `<Error><Code/><Message/>…</Error>` body. `details` are the
 * extra elements S3 adds for that code (BucketName, Key, Condition, UploadId …), in order.
 */
export class S3Error extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details: Record<string, string | number | undefined> = {},
  ) {
    super(message);
    this.name = code;
  }

  toResponse(
    requestId: string,
    resource: string,
    extraHeaders: Record<string, string> = {},
  ): ServiceResponse {
    const details = Object.entries(this.details)
      .map(([name, value]) => el(name, value))
      .join('');
    const body =
      XML_DECLARATION +
      `<Error>${el('Code', this.code)}${el('Message', this.message)}${details}` +
      `${el('Resource', resource)}${el('RequestId', requestId)}${el('HostId', hostId(requestId))}</Error>`;
    return {
      status: this.status,
      headers: { 'content-type': 'application/xml', ...extraHeaders },
      body,
    };
  }
}

/** S3's x-amz-id-2 / HostId: opaque; derived from the request id so logs can be correlated. */
export function hostId(requestId: string): string {
  return Buffer.from(`msf-local/${requestId}`).toString('base64');
}

export const s3Errors = {
  noSuchBucket: (bucket: string) =>
    new S3Error('NoSuchBucket', 404, 'The specified bucket does not exist', { BucketName: bucket }),
  noSuchKey: (key: string) =>
    new S3Error('NoSuchKey', 404, 'The specified key does not exist.', { Key: key }),
  noSuchVersion: (key: string, versionId: string) =>
    new S3Error('NoSuchVersion', 404, 'The specified version does not exist.', {
      Key: key,
      VersionId: versionId,
    }),
  bucketAlreadyOwnedByYou: (bucket: string) =>
    new S3Error(
      'BucketAlreadyOwnedByYou',
      409,
      'Your previous request to create the named bucket succeeded and you already own it.',
      { BucketName: bucket },
    ),
  bucketNotEmpty: (bucket: string) =>
    new S3Error('BucketNotEmpty', 409, 'The bucket you tried to delete is not empty', { BucketName: bucket }),
  invalidBucketName: (bucket: string) =>
    new S3Error('InvalidBucketName', 400, 'The specified bucket is not valid.', { BucketName: bucket }),
  keyTooLong: (key: string) =>
    new S3Error('KeyTooLongError', 400, 'Your key is too long', {
      Size: Buffer.byteLength(key),
      MaxSizeAllowed: 1024,
    }),
  invalidRange: (range: string, size: number) =>
    new S3Error('InvalidRange', 416, 'The requested range is not satisfiable', {
      RangeRequested: range,
      ActualObjectSize: size,
    }),
  preconditionFailed: (condition: string) =>
    new S3Error('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold', {
      Condition: condition,
    }),
  notImplemented: (header: string) =>
    new S3Error(
      'NotImplemented',
      501,
      'A header you provided implies functionality that is not implemented',
      {
        Header: header,
      },
    ),
  noSuchUpload: (uploadId: string) =>
    new S3Error(
      'NoSuchUpload',
      404,
      'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
      { UploadId: uploadId },
    ),
  invalidPart: (uploadId: string, partNumber: number, etag: string) =>
    new S3Error(
      'InvalidPart',
      400,
      "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
      { UploadId: uploadId, PartNumber: partNumber, ETag: etag },
    ),
  invalidPartOrder: (uploadId: string) =>
    new S3Error(
      'InvalidPartOrder',
      400,
      'The list of parts was not in ascending order. Parts must be ordered by part number.',
      { UploadId: uploadId },
    ),
  entityTooSmall: (size: number, partNumber: number, etag: string) =>
    new S3Error('EntityTooSmall', 400, 'Your proposed upload is smaller than the minimum allowed size', {
      ProposedSize: size,
      MinSizeAllowed: 5 * 1024 * 1024,
      PartNumber: partNumber,
      ETag: etag,
    }),
  malformedXml: () =>
    new S3Error(
      'MalformedXML',
      400,
      'The XML you provided was not well-formed or did not validate against our published schema',
    ),
  invalidArgument: (message: string, name?: string, value?: string) =>
    new S3Error('InvalidArgument', 400, message, { ArgumentName: name, ArgumentValue: value }),
  invalidRequest: (message: string) => new S3Error('InvalidRequest', 400, message),
  badDigest: (message: string, details: Record<string, string> = {}) =>
    new S3Error('BadDigest', 400, message, details),
  invalidDigest: (digest: string) =>
    new S3Error('InvalidDigest', 400, 'The Content-MD5 you specified was invalid.', {
      'Content-MD5': digest,
    }),
  sha256Mismatch: (client: string, computed: string) =>
    new S3Error(
      'XAmzContentSHA256Mismatch',
      400,
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
      { ClientComputedContentSHA256: client, S3ComputedContentSHA256: computed },
    ),
  incompleteBody: () => new S3Error('IncompleteBody', 400, 'The request body terminated unexpectedly'),
  methodNotAllowed: (method: string, resourceType: string) =>
    new S3Error('MethodNotAllowed', 405, 'The specified method is not allowed against this resource.', {
      Method: method,
      ResourceType: resourceType,
    }),
  internal: () => new S3Error('InternalError', 500, 'We encountered an internal error. Please try again.'),
};

export function isS3Error(error: unknown, code?: string): error is S3Error {
  return error instanceof S3Error && (code === undefined || error.code === code);
}

/** An unexpected failure, logged here and answered as S3's InternalError (no stack trace to the client). */
export function internalError(error: unknown): S3Error {
  const e = s3Errors.internal();
  console.error('msf-local s3: internal error', error);
  return e;
}
