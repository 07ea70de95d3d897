/**
 * Flink's OperatorID for an operator with a user uid: MurmurHash3 x64_128 (seed 0) over the uid's UTF-8 bytes,
 * as Flink's StreamGraphHasherV2 computes it with Guava's `Hashing.murmur3_128(0)`. The 16 hash bytes are h1 then
 * h2, each little-endian (Guava's `asBytes()`); `OperatorID.toString()` prints those bytes as 32 lowercase hex.
 */

const MASK64 = (1n << 64n) - 1n;
const C1 = 0x87c37b91114253d5n;
const C2 = 0x4cf5ad432745937fn;

export function operatorIdFromUid(uid: string): string {
  const [h1, h2] = murmur3x64_128(javaUtf8(uid));
  return littleEndianHex(h1) + littleEndianHex(h2);
}

/** UTF-8 as Java's `String.getBytes(UTF_8)` writes it: an unpaired surrogate becomes '?' (TextEncoder writes U+FFFD). */
function javaUtf8(text: string): Uint8Array {
  return new TextEncoder().encode(
    text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '?'),
  );
}

function murmur3x64_128(bytes: Uint8Array): [bigint, bigint] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const blocks = Math.floor(bytes.length / 16);
  let h1 = 0n;
  let h2 = 0n;

  for (let i = 0; i < blocks; i++) {
    const k1 = view.getBigUint64(i * 16, true);
    const k2 = view.getBigUint64(i * 16 + 8, true);
    h1 ^= mixK1(k1);
    h1 = rotl64(h1, 27n);
    h1 = (h1 + h2) & MASK64;
    h1 = (h1 * 5n + 0x52dce729n) & MASK64;
    h2 ^= mixK2(k2);
    h2 = rotl64(h2, 31n);
    h2 = (h2 + h1) & MASK64;
    h2 = (h2 * 5n + 0x38495ab5n) & MASK64;
  }

  const tail = blocks * 16;
  const remaining = bytes.length & 15;
  let k1 = 0n;
  let k2 = 0n;
  for (let i = remaining - 1; i >= 8; i--) k2 = (k2 << 8n) | BigInt(bytes[tail + i]!);
  for (let i = Math.min(remaining, 8) - 1; i >= 0; i--) k1 = (k1 << 8n) | BigInt(bytes[tail + i]!);
  if (remaining > 8) h2 ^= mixK2(k2);
  if (remaining > 0) h1 ^= mixK1(k1);

  const length = BigInt(bytes.length);
  h1 ^= length;
  h2 ^= length;
  h1 = (h1 + h2) & MASK64;
  h2 = (h2 + h1) & MASK64;
  h1 = fmix64(h1);
  h2 = fmix64(h2);
  h1 = (h1 + h2) & MASK64;
  h2 = (h2 + h1) & MASK64;
  return [h1, h2];
}

function mixK1(k: bigint): bigint {
  return (rotl64((k * C1) & MASK64, 31n) * C2) & MASK64;
}

function mixK2(k: bigint): bigint {
  return (rotl64((k * C2) & MASK64, 33n) * C1) & MASK64;
}

function rotl64(x: bigint, r: bigint): bigint {
  return ((x << r) | (x >> (64n - r))) & MASK64;
}

function fmix64(k: bigint): bigint {
  k ^= k >> 33n;
  k = (k * 0xff51afd7ed558ccdn) & MASK64;
  k ^= k >> 33n;
  k = (k * 0xc4ceb9fe1a85ec53n) & MASK64;
  k ^= k >> 33n;
  return k;
}

function littleEndianHex(value: bigint): string {
  let hex = '';
  for (let i = 0n; i < 8n; i++) hex += ((value >> (8n * i)) & 0xffn).toString(16).padStart(2, '0');
  return hex;
}
