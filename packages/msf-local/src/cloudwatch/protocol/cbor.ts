/**
 * CBOR for CloudWatch's Smithy RPC v2 CBOR protocol, by the codec the AWS SDK itself uses for that protocol
 * (`@smithy/core/cbor`). Only timestamps need adapting: tag 1 around epoch seconds, which the operations read
 * as plain epoch seconds.
 */
import { cbor, tag, tagSymbol } from '@smithy/core/cbor';
import { assertSafeValue } from '../../api/safe-input.js';

export class CborError extends Error {}

/** Decodes a request body; tag-1 timestamps become their epoch seconds, every number a JS number. */
export function decodeCbor(bytes: Uint8Array): unknown {
  let value: unknown;
  try {
    value = cbor.deserialize(bytes);
  } catch (error) {
    throw new CborError((error as Error).message);
  }
  // The codec assigns map keys: a `__proto__` key became the prototype of the map it was in. Refused here
  // (UnsafeInputError), before untag's copy would silently drop it.
  assertSafeValue(value);
  return untag(value);
}

export function encodeCbor(value: unknown): Buffer {
  return Buffer.from(cbor.serialize(value));
}

/** A timestamp as Smithy RPC v2 CBOR writes it: tag 1 around epoch seconds. */
export function cborTimestamp(date: Date): unknown {
  return tag({ tag: 1, value: date.getTime() / 1000 });
}

function untag(value: unknown): unknown {
  // Integers past 2^53 decode as bigint; CloudWatch's inputs are doubles and small integers.
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(untag);
  if (value instanceof Uint8Array || typeof value !== 'object' || value === null) return value;
  if (isTag(value)) {
    if (value.tag === 1) return Number(value.value);
    throw new CborError(`unsupported CBOR tag ${String(value.tag)}`);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, untag(v)]));
}

function isTag(value: object): value is { tag: number | bigint; value: unknown } {
  return tagSymbol in value;
}
