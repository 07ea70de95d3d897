import { s3Errors } from '../errors.js';
import type { WriteConditions } from './model.js';

/** S3 write preconditions: If-None-Match only `*`; If-Match on a missing key is NoSuchKey. */
export function checkWriteConditions(
  current: { etag: string } | undefined,
  key: string,
  conditions: WriteConditions | undefined,
): void {
  if (!conditions) return;
  const { ifMatch, ifNoneMatch } = conditions;
  if (ifNoneMatch !== undefined && ifMatch !== undefined)
    throw s3Errors.notImplemented('If-Match,If-None-Match');
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() !== '*') throw s3Errors.notImplemented('If-None-Match');
    if (current) throw s3Errors.preconditionFailed('If-None-Match');
  }
  if (ifMatch !== undefined) {
    if (!current) throw s3Errors.noSuchKey(key);
    if (!etagMatches(ifMatch, current.etag)) throw s3Errors.preconditionFailed('If-Match');
  }
}

/** True when an If-Match / If-None-Match header value (a list of ETags, or `*`) matches `etag`. */
export function etagMatches(header: string, etag: string): boolean {
  const bare = stripEtag(etag);
  return header.split(',').some((candidate) => {
    const value = candidate.trim();
    return value === '*' || stripEtag(value) === bare;
  });
}

function stripEtag(value: string): string {
  return value.replace(/^W\//, '').replace(/^"|"$/g, '');
}
