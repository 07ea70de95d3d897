import { createHash } from 'node:crypto';
import zlib from 'node:zlib';

/**
 * S3's flexible checksums (x-amz-checksum-<algorithm>), base64 of the big-endian digest, as the SDKs send
 * them. CRC32 comes from zlib; CRC32C and CRC64NVME are table-driven here (no native module needed).
 */

export const CHECKSUM_ALGORITHMS = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

export function parseChecksumAlgorithm(value: string | undefined): ChecksumAlgorithm | undefined {
  if (value === undefined) return undefined;
  const upper = value.toUpperCase();
  return (CHECKSUM_ALGORITHMS as readonly string[]).includes(upper)
    ? (upper as ChecksumAlgorithm)
    : undefined;
}

export type ChecksumType = 'FULL_OBJECT' | 'COMPOSITE';

/**
 * The checksum type of a multipart upload, as CreateMultipartUpload decides it: CRC64NVME exists only as a
 * FULL_OBJECT checksum (its default), SHA1/SHA256 only as COMPOSITE, CRC32/CRC32C as either (COMPOSITE by default).
 * Returns the reason in S3's words when the combination is refused.
 */
export function multipartChecksumType(
  algorithm: ChecksumAlgorithm,
  requested: ChecksumType | undefined,
): ChecksumType | { refused: string } {
  const type = requested ?? (algorithm === 'CRC64NVME' ? 'FULL_OBJECT' : 'COMPOSITE');
  if (type === 'COMPOSITE' && algorithm === 'CRC64NVME') {
    return { refused: 'The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.' };
  }
  if (type === 'FULL_OBJECT' && (algorithm === 'SHA1' || algorithm === 'SHA256')) {
    return {
      refused: `The FULL_OBJECT checksum type cannot be used with the ${algorithm.toLowerCase()} checksum algorithm.`,
    };
  }
  return type;
}

/** The header that carries a checksum of `algorithm`, e.g. x-amz-checksum-crc32. */
export function checksumHeader(algorithm: ChecksumAlgorithm): string {
  return `x-amz-checksum-${algorithm.toLowerCase()}`;
}

/** The digest of `algorithm` over all `chunks` as raw bytes. */
export function checksumBytes(algorithm: ChecksumAlgorithm, chunks: Uint8Array[]): Buffer {
  switch (algorithm) {
    case 'CRC32': {
      let crc = 0;
      for (const chunk of chunks) crc = zlib.crc32(chunk, crc);
      return uint32(crc);
    }
    case 'CRC32C': {
      let crc = 0;
      for (const chunk of chunks) crc = crc32c(chunk, crc);
      return uint32(crc);
    }
    case 'CRC64NVME': {
      let state: Crc64 = { hi: 0, lo: 0 };
      for (const chunk of chunks) state = crc64nvme(chunk, state);
      const out = Buffer.alloc(8);
      out.writeUInt32BE(state.hi >>> 0, 0);
      out.writeUInt32BE(state.lo >>> 0, 4);
      return out;
    }
    case 'SHA1':
    case 'SHA256': {
      const hash = createHash(algorithm === 'SHA1' ? 'sha1' : 'sha256');
      for (const chunk of chunks) hash.update(chunk);
      return hash.digest();
    }
  }
}

export function checksumBase64(algorithm: ChecksumAlgorithm, chunks: Uint8Array[]): string {
  return checksumBytes(algorithm, chunks).toString('base64');
}

/** A multipart object's COMPOSITE checksum: the checksum of the parts' raw checksums, then `-N`. */
export function compositeChecksum(algorithm: ChecksumAlgorithm, partChecksumsBase64: string[]): string {
  const raw = partChecksumsBase64.map((value) => Buffer.from(value, 'base64'));
  return `${checksumBase64(algorithm, raw)}-${partChecksumsBase64.length}`;
}

function uint32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0);
  return out;
}

// CRC-32C (Castagnoli), reflected polynomial 0x82F63B78.
const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32c(data: Uint8Array, previous: number): number {
  let crc = ~previous >>> 0;
  for (let i = 0; i < data.length; i++) crc = CRC32C_TABLE[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}

// CRC-64/NVME, reflected polynomial 0x9A6C9329AC4BC9B5, init and xorout all ones. 64-bit state kept as two
// 32-bit halves so the inner loop stays in fast integer arithmetic.
interface Crc64 {
  hi: number;
  lo: number;
}

const CRC64_TABLE = (() => {
  const hiTable = new Uint32Array(256);
  const loTable = new Uint32Array(256);
  const polyHi = 0x9a6c9329;
  const polyLo = 0xac4bc9b5;
  for (let n = 0; n < 256; n++) {
    let hi = 0;
    let lo = n;
    for (let k = 0; k < 8; k++) {
      const lsb = lo & 1;
      lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
      hi = hi >>> 1;
      if (lsb) {
        hi = (hi ^ polyHi) >>> 0;
        lo = (lo ^ polyLo) >>> 0;
      }
    }
    hiTable[n] = hi;
    loTable[n] = lo;
  }
  return { hiTable, loTable };
})();

function crc64nvme(data: Uint8Array, previous: Crc64): Crc64 {
  const { hiTable, loTable } = CRC64_TABLE;
  let hi = ~previous.hi >>> 0;
  let lo = ~previous.lo >>> 0;
  for (let i = 0; i < data.length; i++) {
    const index = (lo ^ data[i]!) & 0xff;
    lo = (loTable[index]! ^ ((lo >>> 8) | (hi << 24))) >>> 0;
    hi = (hiTable[index]! ^ (hi >>> 8)) >>> 0;
  }
  return { hi: ~hi >>> 0, lo: ~lo >>> 0 };
}
