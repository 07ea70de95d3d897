/** Parsing of S3 request parameters (query integers, copy source, HTTP dates), with S3's error for each. */
import { s3Errors } from '../errors.js';

export function parseIntParam(
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

export function parsePartNumber(value: string | null): number {
  return parseIntParam(
    value ?? '',
    'partNumber',
    0,
    1,
    10000,
    'Part number must be an integer between 1 and 10000, inclusive',
  );
}

export function parseCopySource(value: string): { bucket: string; key: string; versionId?: string } {
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

export function parseHttpDate(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
