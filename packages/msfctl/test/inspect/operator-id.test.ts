import { describe, expect, it } from 'vitest';

import { operatorIdFromUid } from '../../src/adapters/inspector/operator-id.js';

// Produced by Flink itself: `jar-inspector operator-id …` hashes a one-operator graph carrying each uid with
// StreamGraphHasherV2 (identical on Flink 1.19.3, 1.20.5 and 2.2.1). operator-id.flink.test.ts re-checks live.
const FROM_FLINK: Record<string, string> = {
  '': '00000000000000000000000000000000',
  a: '897859f6655555855a890e51483ab5e6',
  'source-stream': '1c74b44dd8227eee2b16ade0d42b86e2',
  'windowed-avg-price': '92db63661f27c47128cef368f65f7524',
  'kinesis-sink': 'f206f6769266b6fb7824a100b47c2710',
  // 16 bytes (one block, empty tail), 15 (tail only), 17 (block + 1-byte tail)
  '0123456789abcdef': 'a7d14acf946de04bda08a7635c5bc387',
  '0123456789abcde': '5123bfc0f6d52da6f04c547c0cf5cc4f',
  '0123456789abcdef0': '75c0a58587ae24ebca283131b368fb73',
  'Ünïcödé-Operator': '4ab34436241c95b5420db0296e97d588',
  株価の平均: '45805b92db2bf76671d013d021679c59',
  'emoji-🚀-uid': 'cdc68b1c3c064e82af907ecdee3cad86',
  'a uid with spaces and a much longer tail to cross several 16-byte blocks of the hash':
    '9d8a10a88fbc8103955fc5ecc10a9b99',
};

describe('operatorIdFromUid', () => {
  for (const [uid, expected] of Object.entries(FROM_FLINK)) {
    it(`matches Flink for ${JSON.stringify(uid)}`, () => {
      expect(operatorIdFromUid(uid)).toBe(expected);
    });
  }

  it('returns 32 lowercase hex digits', () => {
    expect(operatorIdFromUid('counter')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('encodes an unpaired surrogate as Java does (as "?"), not as U+FFFD', () => {
    expect(operatorIdFromUid('x\uD800y')).toBe(operatorIdFromUid('x?y'));
    expect(operatorIdFromUid('x\uD800y')).not.toBe(operatorIdFromUid('x\uFFFDy'));
  });
});
