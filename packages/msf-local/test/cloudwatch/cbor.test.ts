/** The CBOR codec of CloudWatch's RPC v2 CBOR protocol, against RFC 8949 Appendix A. */
import { describe, expect, it } from 'vitest';
import { CborTimestamp, decodeCbor, encodeCbor } from '../../src/cloudwatch/cbor.js';

const hex = (text: string) => Buffer.from(text, 'hex');

describe('CBOR', () => {
  it('decodes the RFC 8949 examples a client can send', () => {
    const vectors: [string, unknown][] = [
      ['00', 0],
      ['17', 23],
      ['1818', 24],
      ['1903e8', 1000],
      ['1a000f4240', 1000000],
      ['1b000000e8d4a51000', 1000000000000],
      ['20', -1],
      ['3903e7', -1000],
      ['f93c00', 1.0],
      ['f97bff', 65504.0],
      ['f90001', 5.960464477539063e-8],
      ['fa47c35000', 100000.0],
      ['fb3ff199999999999a', 1.1],
      ['f4', false],
      ['f5', true],
      ['f6', null],
      ['c11a514b67b0', 1363896240], // tag 1: epoch seconds
      ['c1fb41d452d9ec200000', 1363896240.5],
      ['6449455446', 'IETF'],
      ['62c3bc', 'ü'],
      ['4401020304', Buffer.from([1, 2, 3, 4])],
      ['83010203', [1, 2, 3]],
      ['a201020304', undefined], // integer keys: not a Smithy map
      ['a26161016162820203', { a: 1, b: [2, 3] }],
      ['9f018202039f0405ffff', [1, [2, 3], [4, 5]]],
      ['bf61610161629f0203ffff', { a: 1, b: [2, 3] }],
      ['7f657374726561646d696e67ff', 'streaming'],
    ];
    for (const [bytes, expected] of vectors) {
      if (expected === undefined) expect(() => decodeCbor(hex(bytes)), bytes).toThrow(/text strings/);
      else expect(decodeCbor(hex(bytes)), bytes).toEqual(expected);
    }
  });

  it('refuses truncated input, trailing bytes and a stray break', () => {
    expect(() => decodeCbor(hex('1903'))).toThrow(/truncated/);
    expect(() => decodeCbor(hex('0000'))).toThrow(/trailing/);
    expect(() => decodeCbor(hex('ff'))).toThrow(/break/);
    expect(() => decodeCbor(hex('6449'))).toThrow(/truncated/);
  });

  it('encodes outputs: maps, text, doubles as float64, timestamps as tag 1', () => {
    expect(encodeCbor({ a: [1.5, 'x'], t: new CborTimestamp(1363896240), ok: true }).toString('hex')).toBe(
      'a3' + '6161' + '82fb3ff80000000000006178' + '6174' + 'c1fb41d452d9ec000000' + '626f6b' + 'f5',
    );
    const long = 'x'.repeat(300);
    expect(decodeCbor(encodeCbor({ long, list: Array.from({ length: 30 }, (_, i) => i) }))).toEqual({
      long,
      list: Array.from({ length: 30 }, (_, i) => i),
    });
  });
});
