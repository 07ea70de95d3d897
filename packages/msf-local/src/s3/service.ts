/**
 * The S3 service (REST-XML, path-style) on top of an S3Store. Layout, as the MSF service's:
 * service.ts (this: errors and common headers) → protocol/ (routing, request parsing, XML wire) →
 * operations/ (one module per operation group) → backend/ (the store: model, disk layout, recovery, multipart).
 */
import type { Service, ServiceRequest, ServiceResponse } from '../server/service.js';
import type { S3Store } from './backend/object-store.js';
import { hostId, internalError, S3Error } from './errors.js';
import { checkPresignedExpiry } from './protocol/presigned.js';
import { isS3Request, route } from './protocol/routing.js';

export { isS3Request } from './protocol/routing.js';

export class S3Service implements Service {
  readonly name = 's3';
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
      response = await route(this.store, req);
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
}

/** The Resource element: the request path, without anything that could break the XML. */
function safeResource(rawPath: string): string {
  return rawPath.replace(/[^\x20-\x7e]/g, '');
}
