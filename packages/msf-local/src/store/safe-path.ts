import { createHash } from 'node:crypto';
import path from 'node:path';

/**
 * Names that come from API callers (bucket names, object keys, application and snapshot names) must never
 * address a file outside the data directory. Store by a derived name, and check the resolved path anyway.
 */

/** A fixed-length, filesystem-safe name derived from any string (sha-256, hex). */
export function hashedName(name: string): string {
  return createHash('sha256').update(name, 'utf8').digest('hex');
}

/**
 * A readable, reversible, filesystem-safe single path segment: keeps [A-Za-z0-9_-] and encodes every
 * other byte as `.XX` (so '.', '/', '\\', NUL and '..' can never survive). Falls back to a hash when long.
 */
export function safeSegment(name: string): string {
  const encoded = Array.from(Buffer.from(name, 'utf8'))
    .map((byte) => {
      const c = String.fromCharCode(byte);
      return /[A-Za-z0-9_-]/.test(c) ? c : `.${byte.toString(16).padStart(2, '0')}`;
    })
    .join('');
  if (encoded.length === 0) return '.empty';
  return encoded.length <= 200 ? encoded : `.h${hashedName(name)}`;
}

/** Joins `segments` under `root`; throws if the result is not strictly inside `root`. */
export function resolveInside(root: string, ...segments: string[]): string {
  const base = path.resolve(root);
  for (const segment of segments) {
    if (segment.includes('\0'))
      throw new Error(`Path segment contains a NUL byte: ${JSON.stringify(segment)}`);
  }
  const resolved = path.resolve(base, ...segments);
  if (resolved !== base && resolved.startsWith(base + path.sep)) return resolved;
  throw new Error(`Path ${JSON.stringify(segments.join('/'))} escapes ${base}`);
}
