/** What msf-local adds to the SDK's CBOR codec for CloudWatch: tag-1 timestamps both ways, clear errors. */
import { describe, expect, it } from 'vitest';
import { CborError, cborTimestamp, decodeCbor, encodeCbor } from '../../src/cloudwatch/protocol/cbor.js';

const hex = (text: string) => Buffer.from(text, 'hex');

describe('CloudWatch CBOR', () => {
  it('reads tag-1 timestamps as epoch seconds, nested in maps and lists', () => {
    // {"StartTime": 1(1363896240), "Q": [{"T": 1(1363896240.5)}]}
    const body = hex(
      'a2' + '69537461727454696d65' + 'c11a514b67b0' + '6151' + '81' + 'a16154' + 'c1fb41d452d9ec200000',
    );
    expect(decodeCbor(body)).toEqual({ StartTime: 1363896240, Q: [{ T: 1363896240.5 }] });
  });

  it('writes Dates as tag-1 timestamps that read back', () => {
    const bytes = encodeCbor({ Timestamps: [cborTimestamp(new Date(1363896240500))], Values: [1.5] });
    expect(bytes.includes(hex('c1fb41d452d9ec200000'))).toBe(true);
    expect(decodeCbor(bytes)).toEqual({ Timestamps: [1363896240.5], Values: [1.5] });
  });

  it('refuses truncated input and tags other than timestamps with a CborError', () => {
    expect(() => decodeCbor(hex('1903'))).toThrow(CborError);
    expect(() => decodeCbor(hex('6449'))).toThrow(CborError);
    expect(() => decodeCbor(hex('d8206449455446'))).toThrow(/unsupported CBOR tag 32/);
    expect(decodeCbor(hex('1b0020000000000001'))).toBe(9007199254740992);
  });
});
