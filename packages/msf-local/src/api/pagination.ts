import { invalidArgument } from '../control-plane/errors.js';

/**
 * One page of `items`. The token is the key of the first item of the next page, so a page boundary
 * survives items being added between calls; NextToken is absent on the last page.
 */
export function paginate<T>(
  items: T[],
  keyOf: (item: T) => string,
  limit: number | undefined,
  nextToken: string | undefined,
): { page: T[]; nextToken?: string } {
  let start = 0;
  if (nextToken !== undefined) {
    start = items.findIndex((item) => keyOf(item) === nextToken);
    if (start < 0) throw invalidArgument(`Invalid NextToken: ${nextToken}`);
  }
  const size = limit ?? 50;
  const page = items.slice(start, start + size);
  const next = items[start + size];
  return next === undefined ? { page } : { page, nextToken: keyOf(next) };
}
