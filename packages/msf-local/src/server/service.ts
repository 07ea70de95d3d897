import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';

/** One HTTP request as every service sees it: body fully read, headers lower-cased by Node. */
export interface ServiceRequest {
  method: string;
  /** Raw path without the query string, still percent-encoded. */
  rawPath: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The x-amzn-RequestId this request is answered with. */
  requestId: string;
}

export interface ServiceResponse {
  status: number;
  headers?: Record<string, string>;
  body?: Buffer | string | Readable;
}

/** An AWS API served on the shared edge port (like LocalStack's edge). */
export interface Service {
  readonly name: string;
  /** True when the request is addressed to this service (X-Amz-Target, protocol, signing scope...). */
  accepts(req: ServiceRequest): boolean;
  handle(req: ServiceRequest): Promise<ServiceResponse>;
}

export function header(req: ServiceRequest, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** The service name in the SigV4 credential scope (…/region/<service>/aws4_request), if signed. */
export function signingService(req: ServiceRequest): string | undefined {
  const auth = header(req, 'authorization');
  const match = auth?.match(/Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\/aws4_request/);
  if (match) return match[1];
  const credential = req.query.get('X-Amz-Credential');
  return credential?.split('/')[3];
}

/** The region in the SigV4 credential scope, if signed. */
export function signingRegion(req: ServiceRequest): string | undefined {
  const auth = header(req, 'authorization');
  const match = auth?.match(/Credential=[^/]+\/[^/]+\/([^/]+)\//);
  return match?.[1] ?? req.query.get('X-Amz-Credential')?.split('/')[2];
}
