/**
 * Request input that cannot reach the object model: keys that name prototype machinery (`__proto__`, `constructor`,
 * `prototype`) are refused wherever a client can put a key (JSON, CBOR, query, XML), nesting is bounded (a deep
 * body must not cost a stack overflow), and operations are looked up among a table's own entries only, so
 * `X-Amz-Target: <prefix>.constructor` names no operation.
 */

export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Deeper than any AWS input model nests (MSF's application configuration is about 8 levels). */
export const MAX_INPUT_DEPTH = 64;

/** Input refused before any operation sees it; callers answer it as their protocol's serialization error. */
export class UnsafeInputError extends Error {}

/** `table[key]` when it is the table's own entry, else undefined. */
export function ownEntry<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** JSON.parse, refusing forbidden keys and nesting deeper than `maxDepth`. */
export function parseJsonSafely(text: string, maxDepth = MAX_INPUT_DEPTH): unknown {
  checkJsonDepth(text, maxDepth);
  return JSON.parse(text, (key, value: unknown) => {
    if (FORBIDDEN_KEYS.has(key)) throw forbidden(key);
    return value;
  });
}

/** For decoded values (CBOR): the same refusals as parseJsonSafely. */
export function assertSafeValue(value: unknown, maxDepth = MAX_INPUT_DEPTH, depth = 0): void {
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array || value instanceof Date)
    return;
  if (depth >= maxDepth) throw tooDeep(maxDepth);
  if (value instanceof Map) {
    for (const [key, item] of value) {
      if (typeof key === 'string' && FORBIDDEN_KEYS.has(key)) throw forbidden(key);
      assertSafeValue(item, maxDepth, depth + 1);
    }
    return;
  }
  // A decoder that assigns keys (`o[k] = v`) turns a `__proto__` key into the object's prototype, not a member.
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== null && proto !== Object.prototype && proto !== Array.prototype) throw forbidden('__proto__');
  for (const key of Reflect.ownKeys(value)) {
    if (typeof key === 'string' && FORBIDDEN_KEYS.has(key)) throw forbidden(key);
    assertSafeValue((value as Record<string | symbol, unknown>)[key], maxDepth, depth + 1);
  }
}

/** Counts bracket nesting outside strings: linear, and before JSON.parse builds anything. */
function checkJsonDepth(text: string, maxDepth: number): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) throw tooDeep(maxDepth);
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
}

function forbidden(key: string): UnsafeInputError {
  return new UnsafeInputError(`The key ${key} is not allowed in a request.`);
}

function tooDeep(maxDepth: number): UnsafeInputError {
  return new UnsafeInputError(`The request nests deeper than ${maxDepth} levels.`);
}
