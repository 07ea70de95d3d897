import { invalidArgument } from '../control-plane/errors.js';

/**
 * One page of `items`. The token is the key of the first item of the next page, so a page boundary
 * survives items being added between calls; NextToken is absent on the last page.
 *
 * `sortedByKey`: the items are in ascending key order (applications by name), so a token whose item was
 * deleted between calls resumes at the next key instead of failing.
 */
export function paginate<T>(
  items: T[],
  keyOf: (item: T) => string,
  limit: number | undefined,
  nextToken: string | undefined,
  sortedByKey = false,
): { page: T[]; nextToken?: string } {
  let start = 0;
  if (nextToken !== undefined) {
    start = sortedByKey
      ? firstAtOrAfter(items, keyOf, nextToken)
      : items.findIndex((item) => keyOf(item) === nextToken);
    if (start < 0) throw invalidArgument(`Invalid NextToken: ${nextToken}`);
  }
  const size = limit ?? 50;
  const page = items.slice(start, start + size);
  const next = items[start + size];
  return next === undefined ? { page } : { page, nextToken: keyOf(next) };
}

function firstAtOrAfter<T>(items: T[], keyOf: (item: T) => string, token: string): number {
  const index = items.findIndex((item) => keyOf(item) >= token);
  return index < 0 ? items.length : index;
}
