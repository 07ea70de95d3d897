import { S3Error } from '../errors.js';

/** The longest a SigV4 presigned URL may live: seven days. */
const MAX_SIGV4_EXPIRES_SECONDS = 604_800;

/**
 * The lifetime check of a presigned URL, as S3 applies it. msf-local verifies no signature, but a link that S3
 * would refuse as expired must not work here either (an app's "the link expires" path has to be testable).
 * - SigV4 (`X-Amz-Date` + `X-Amz-Expires`): expired → 403 AccessDenied "Request has expired"; more than a week
 *   → 400 AuthorizationQueryParametersError.
 * - SigV2 (`AWSAccessKeyId` + `Signature` + `Expires`, epoch seconds): expired → the same 403.
 * Returns nothing for a request that is not presigned.
 */
export function checkPresignedExpiry(query: URLSearchParams, now: number): void {
  const amzDate = query.get('X-Amz-Date');
  const amzExpires = query.get('X-Amz-Expires');
  if (query.get('X-Amz-Algorithm') !== null && amzDate !== null && amzExpires !== null) {
    const seconds = Number(amzExpires);
    if (!/^-?\d+$/.test(amzExpires)) throw authorizationQueryError('X-Amz-Expires should be a number');
    if (seconds < 0) throw authorizationQueryError('X-Amz-Expires must be non-negative');
    if (seconds > MAX_SIGV4_EXPIRES_SECONDS) {
      throw authorizationQueryError(
        `X-Amz-Expires must be less than a week (in seconds) that is ${MAX_SIGV4_EXPIRES_SECONDS}`,
      );
    }
    const signedAt = parseAmzDate(amzDate);
    if (signedAt === undefined) {
      throw authorizationQueryError(`X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`);
    }
    const expires = signedAt + seconds * 1000;
    if (now > expires) throw expired(now, expires, { 'X-Amz-Expires': amzExpires });
    return;
  }
  const v2Expires = query.get('Expires');
  if (query.get('AWSAccessKeyId') !== null && query.get('Signature') !== null && v2Expires !== null) {
    const expires = Number(v2Expires) * 1000;
    if (Number.isFinite(expires) && now > expires) throw expired(now, expires, {});
  }
}

/** `20261125T142742Z` → epoch ms. */
function parseAmzDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

/** S3 writes these times to the second: 2026-09-15T13:37:03Z. */
function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function expired(now: number, expires: number, extra: Record<string, string>): S3Error {
  return new S3Error('AccessDenied', 403, 'Request has expired', {
    ...extra,
    Expires: isoSeconds(expires),
    ServerTime: isoSeconds(now),
  });
}

function authorizationQueryError(message: string): S3Error {
  return new S3Error('AuthorizationQueryParametersError', 400, message);
}
