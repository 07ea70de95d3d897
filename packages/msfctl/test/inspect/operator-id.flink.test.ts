import { describe, expect, it } from 'vitest';

import { FLINK_RUNTIMES, type RuntimeEnvironment } from 'msf-flink-runtime';
import { flinkOperatorIds } from '../../src/adapters/inspector/inspect-jar.js';
import { operatorIdFromUid } from '../../src/adapters/inspector/operator-id.js';

const UIDS = [
  'windowed-avg-price',
  'source-stream',
  '0123456789abcdef',
  '0123456789abcdef0',
  'Ünïcödé-Operator',
  '株価の平均',
  'emoji-🚀-uid',
  `long-${'x'.repeat(200)}`,
];

describe('operatorIdFromUid against Flink itself', () => {
  for (const runtime of Object.keys(FLINK_RUNTIMES) as RuntimeEnvironment[]) {
    it(`equals StreamGraphHasherV2 on ${runtime}`, async () => {
      const fromFlink = await flinkOperatorIds(UIDS, runtime);
      expect(Object.keys(fromFlink)).toEqual(UIDS);
      for (const uid of UIDS) expect(operatorIdFromUid(uid), uid).toBe(fromFlink[uid]);
    });
  }
});
