/**
 * How much of a request body the edge reads, chosen from its headers before a byte of it is read, so a huge or
 * endless body costs a 413 instead of memory. Each API's ceiling sits above the largest request its model allows.
 */
import type { IncomingHttpHeaders } from 'node:http';

const MiB = 1024 * 1024;

export interface BodyLimits {
  /** Kinesis Analytics V2: CreateApplication/UpdateApplication carry up to 50 MiB of ZIP code as base64. */
  msf: number;
  /** Every other JSON, CBOR and query API (PutLogEvents 1 MiB, PutRecords 5 MiB as base64, policies). */
  rpc: number;
  /** S3 (objects are read whole, then stored): msf-local's own ceiling, far below S3's 5 GiB single PUT. */
  s3: number;
}

export const DEFAULT_BODY_LIMITS: BodyLimits = { msf: 72 * MiB, rpc: 16 * MiB, s3: 1024 * MiB };

export function bodyLimitFor(headers: IncomingHttpHeaders, limits: BodyLimits = DEFAULT_BODY_LIMITS): number {
  const target = headers['x-amz-target'];
  if (typeof target === 'string')
    return target.startsWith('KinesisAnalytics_20180523.') ? limits.msf : limits.rpc;
  if (headers['smithy-protocol'] !== undefined) return limits.rpc;
  if ((headers['content-type'] ?? '').toLowerCase().includes('application/x-www-form-urlencoded'))
    return limits.rpc;
  return limits.s3;
}

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The request body is larger than ${limit} bytes, the most msf-local accepts for this API.`);
  }
}
