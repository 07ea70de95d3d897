/**
 * S3 lists keys in UTF-8 binary order. JavaScript compares strings by UTF-16 code unit, which differs for
 * characters above U+FFFF (surrogates) versus U+E000–U+FFFF; this comparator gives code-point order, which
 * is the same as UTF-8 byte order.
 */
export function compareKeys(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return fixup(x) - fixup(y);
  }
  return a.length - b.length;
}

function fixup(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

/** Index of the first element of sorted `keys` that is > `key` (or >= when `inclusive`). */
export function searchKeys(keys: readonly string[], key: string, inclusive = false): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const cmp = compareKeys(keys[mid]!, key);
    if (cmp < 0 || (!inclusive && cmp === 0)) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Inserts `key` into sorted `keys` unless present. */
export function insertKey(keys: string[], key: string): void {
  const index = searchKeys(keys, key, true);
  if (keys[index] !== key) keys.splice(index, 0, key);
}

/** Removes `key` from sorted `keys` if present. */
export function removeKey(keys: string[], key: string): void {
  const index = searchKeys(keys, key, true);
  if (keys[index] === key) keys.splice(index, 1);
}

export interface ListPage<T> {
  contents: T[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** The last key or common prefix returned: where the next page starts (exclusive). */
  last?: string;
}

/**
 * One page of a prefix/delimiter listing over sorted `keys`, starting strictly after `after`.
 * Keys sharing `prefix` + … + `delimiter` roll up into one common prefix, counted once toward `maxKeys`.
 * A common prefix equal to `after` was returned on the previous page and is skipped with all its keys.
 */
export function listPage<T>(
  keys: readonly string[],
  get: (key: string) => T,
  options: { prefix?: string; delimiter?: string; after?: string; maxKeys: number },
): ListPage<T> {
  const prefix = options.prefix ?? '';
  const delimiter = options.delimiter || undefined;
  const contents: T[] = [];
  const commonPrefixes: string[] = [];
  let last: string | undefined;
  let i = options.after !== undefined ? searchKeys(keys, options.after) : 0;
  if (prefix) i = Math.max(i, searchKeys(keys, prefix, true));
  let count = 0;
  let isTruncated = false;
  while (i < keys.length) {
    const key = keys[i]!;
    if (!key.startsWith(prefix)) break;
    let entry = key;
    let isPrefix = false;
    if (delimiter) {
      const at = key.indexOf(delimiter, prefix.length);
      if (at >= 0) {
        entry = key.slice(0, at + delimiter.length);
        isPrefix = true;
      }
    }
    if (isPrefix && entry === options.after) {
      while (i < keys.length && keys[i]!.startsWith(entry)) i++;
      continue;
    }
    if (count >= options.maxKeys) {
      isTruncated = true;
      break;
    }
    count++;
    last = entry;
    if (isPrefix) {
      commonPrefixes.push(entry);
      while (i < keys.length && keys[i]!.startsWith(entry)) i++;
    } else {
      contents.push(get(key));
      i++;
    }
  }
  return { contents, commonPrefixes, isTruncated, last };
}
