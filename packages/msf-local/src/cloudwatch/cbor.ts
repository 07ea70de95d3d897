/**
 * The CBOR (RFC 8949) that Smithy RPC v2 CBOR uses, for CloudWatch's third protocol: decoding takes every
 * well-formed item a client can send (definite and indefinite lengths, half/single/double floats, tags), encoding
 * writes what CloudWatch outputs hold (maps, arrays, text, booleans, doubles, timestamps as tag 1).
 */

export class CborError extends Error {}

/** Tag 1 (epoch-based date/time) decodes to its number: the epoch seconds the operations already read. */
export function decodeCbor(bytes: Uint8Array): unknown {
  const reader = new Reader(bytes);
  const value = reader.item();
  if (reader.offset !== bytes.length) throw new CborError('trailing bytes after the CBOR item');
  return value;
}

const BREAK = Symbol('break');

class Reader {
  offset = 0;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  item(): unknown {
    const value = this.next();
    if (value === BREAK) throw new CborError('unexpected break');
    return value;
  }

  private need(n: number): void {
    if (this.offset + n > this.bytes.length) throw new CborError('truncated CBOR');
  }

  private argument(info: number): number {
    if (info < 24) return info;
    const sizes: Record<number, number> = { 24: 1, 25: 2, 26: 4, 27: 8 };
    const size = sizes[info];
    if (size === undefined) throw new CborError(`reserved additional information ${info}`);
    this.need(size);
    const at = this.offset;
    this.offset += size;
    if (size === 1) return this.view.getUint8(at);
    if (size === 2) return this.view.getUint16(at);
    if (size === 4) return this.view.getUint32(at);
    const big = this.view.getBigUint64(at);
    if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw new CborError('integer beyond 2^53');
    return Number(big);
  }

  private next(): unknown {
    this.need(1);
    const initial = this.bytes[this.offset++]!;
    const major = initial >> 5;
    const info = initial & 0x1f;
    if (major === 7) return this.simple(info);
    if (info === 31) return this.indefinite(major);
    const n = this.argument(info);
    switch (major) {
      case 0:
        return n;
      case 1:
        return -1 - n;
      case 2:
      case 3: {
        this.need(n);
        const chunk = this.bytes.subarray(this.offset, this.offset + n);
        this.offset += n;
        return major === 2 ? Buffer.from(chunk) : Buffer.from(chunk).toString('utf8');
      }
      case 4:
        return Array.from({ length: n }, () => this.item());
      case 5: {
        const map: Record<string, unknown> = {};
        for (let i = 0; i < n; i++) map[this.key()] = this.item();
        return map;
      }
      default:
        // Tags: 1 is a timestamp (its number is kept); others carry their content unchanged.
        return this.item();
    }
  }

  private key(): string {
    const key = this.item();
    if (typeof key !== 'string') throw new CborError('map keys must be text strings');
    return key;
  }

  private indefinite(major: number): unknown {
    if (major === 2 || major === 3) {
      const chunks: Buffer[] = [];
      for (let chunk = this.next(); chunk !== BREAK; chunk = this.next()) {
        chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Buffer));
      }
      const joined = Buffer.concat(chunks);
      return major === 2 ? joined : joined.toString('utf8');
    }
    if (major === 4) {
      const list: unknown[] = [];
      for (let value = this.next(); value !== BREAK; value = this.next()) list.push(value);
      return list;
    }
    if (major === 5) {
      const map: Record<string, unknown> = {};
      for (let key = this.next(); key !== BREAK; key = this.next()) {
        if (typeof key !== 'string') throw new CborError('map keys must be text strings');
        map[key] = this.item();
      }
      return map;
    }
    throw new CborError(`major type ${major} cannot have an indefinite length`);
  }

  private simple(info: number): unknown {
    switch (info) {
      case 20:
        return false;
      case 21:
        return true;
      case 22:
      case 23:
        return null;
      case 25:
        this.need(2);
        this.offset += 2;
        return halfFloat(this.view.getUint16(this.offset - 2));
      case 26:
        this.need(4);
        this.offset += 4;
        return this.view.getFloat32(this.offset - 4);
      case 27:
        this.need(8);
        this.offset += 8;
        return this.view.getFloat64(this.offset - 8);
      case 31:
        return BREAK;
      default:
        throw new CborError(`unsupported simple value ${info}`);
    }
  }
}

function halfFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

// ------------------------------------------------------------------ encoding

/** A value to encode as a timestamp: tag 1 around epoch seconds. */
export class CborTimestamp {
  constructor(readonly epochSeconds: number) {}
}

/** Encodes maps, arrays, text, booleans, null, numbers (always as float64: CloudWatch outputs are doubles). */
export function encodeCbor(value: unknown): Buffer {
  const parts: Buffer[] = [];
  write(value, parts);
  return Buffer.concat(parts);
}

function head(major: number, n: number): Buffer {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
  if (n < 0x10000) {
    const b = Buffer.alloc(3);
    b[0] = (major << 5) | 25;
    b.writeUInt16BE(n, 1);
    return b;
  }
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(n, 1);
  return b;
}

function write(value: unknown, out: Buffer[]): void {
  if (value === null || value === undefined) {
    out.push(Buffer.from([0xf6]));
  } else if (typeof value === 'boolean') {
    out.push(Buffer.from([value ? 0xf5 : 0xf4]));
  } else if (typeof value === 'number') {
    const b = Buffer.alloc(9);
    b[0] = 0xfb;
    b.writeDoubleBE(value, 1);
    out.push(b);
  } else if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    out.push(head(3, bytes.length), bytes);
  } else if (value instanceof CborTimestamp) {
    out.push(Buffer.from([0xc1]));
    write(value.epochSeconds, out);
  } else if (Buffer.isBuffer(value)) {
    out.push(head(2, value.length), value);
  } else if (Array.isArray(value)) {
    out.push(head(4, value.length));
    for (const item of value) write(item, out);
  } else if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    out.push(head(5, entries.length));
    for (const [k, v] of entries) {
      write(k, out);
      write(v, out);
    }
  } else {
    throw new CborError(`cannot encode a ${typeof value}`);
  }
}
