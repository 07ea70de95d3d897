/**
 * `msfctl history` (issue 16 items 2 and 13): msfctl's own outcome of each command and its recovery steps
 * beside the service's operations; repeats grouped; the table fits the terminal's width.
 */
import { describe, expect, it } from 'vitest';
import { getHistory, groupRepeats } from '../../src/controller/queries/history.js';
import { renderHistory } from '../../src/cli/views/views.js';
import { createStyle } from '../../src/adapters/io/style.js';
import { emptyLedger, type Ledger, type LedgerEntry } from '../../src/model/ledger.js';
import type { MsfGateway } from '../../src/ports/msf.js';
import type { OperationInfo } from '../../src/model/application.js';
import { live } from './fixtures.js';

const T = (s: number) => Date.UTC(2026, 0, 1, 12, 0, s);
const ERROR =
  'org.apache.flink.runtime.JobException: Recovery is suppressed by FixedDelayRestartBackoffTimeStrategy. StackTrace: ' +
  'at org.apache.flink.runtime.executiongraph.failover.ExecutionFailureHandler.handleFailure(ExecutionFailureHandler.java:219) '.repeat(
    5,
  );

const operations: OperationInfo[] = [
  {
    id: 'op2',
    operation: 'RollbackApplication',
    status: 'SUCCESSFUL',
    startedAt: T(40),
    versionFrom: 6,
    versionTo: 7,
  },
  {
    id: 'op1',
    operation: 'UpdateApplication',
    status: 'SUCCESSFUL',
    startedAt: T(0),
    versionFrom: 5,
    versionTo: 6,
  },
];

function gateway(): MsfGateway {
  return {
    describe: async () => live({ versionId: 7 }),
    listVersions: async () => [
      { versionId: 7, status: 'RUNNING' },
      { versionId: 6, status: 'ROLLED_BACK' },
    ],
    listOperations: async () => operations,
    describeOperation: async (_app: string, id: string) => operations.find((o) => o.id === id)!,
  } as unknown as MsfGateway;
}

function ledger(): Ledger {
  const failed: LedgerEntry = {
    id: 'e1',
    kind: 'apply',
    startedAt: new Date(T(0)).toISOString(),
    endedAt: new Date(T(70)).toISOString(),
    who: 'dev@laptop',
    outcome: 'failed',
    summary: 'update',
    operations: [
      { id: 'op1', operation: 'UpdateApplication', status: 'SUCCESSFUL' },
      { id: 'op2', operation: 'recovery: rollback (RollbackApplication)', status: 'SUCCESSFUL' },
      { operation: 'recovery: verify', status: 'SUCCESSFUL' },
    ],
    error: `app after msfctl apply: the job is crash-looping (recovered: app RUNNING on version 7). ${ERROR}`,
    details: {
      recovery: {
        situation: 'crash-loop',
        policy: 'rollback',
        ok: true,
        steps: [
          { kind: 'rollback', ok: true },
          { kind: 'verify', ok: true },
        ],
      },
    },
  };
  const prune: LedgerEntry = {
    id: 'e2',
    kind: 'snapshot',
    startedAt: new Date(T(90)).toISOString(),
    endedAt: new Date(T(95)).toISOString(),
    who: 'dev@laptop',
    outcome: 'succeeded',
    summary: 'prune',
    operations: [...Array<number>(6)].map(() => ({
      operation: 'DeleteApplicationSnapshot',
      status: 'SUCCESSFUL',
    })),
  };
  return { ...emptyLedger('app'), entries: [failed, prune] };
}

describe('history', () => {
  it("shows msfctl's own outcome beside the service's operations, and the recovery with its steps (item 2)", async () => {
    const report = await getHistory(gateway(), 'app', ledger());
    expect(report.rows.map((r) => [r.operation, r.status, r.outcome])).toEqual([
      ['DeleteApplicationSnapshot ×6', 'succeeded', 'succeeded'],
      ['recovery (crash-loop, onFailure rollback)', 'recovered', 'failed, recovered'],
      ['RollbackApplication', 'SUCCESSFUL', 'failed, recovered'],
      ['UpdateApplication', 'SUCCESSFUL', 'failed, recovered'],
    ]);
    expect(report.rows[1]!.steps).toEqual([
      { kind: 'rollback', ok: true },
      { kind: 'verify', ok: true },
    ]);
    const text = renderHistory(report, createStyle(false), 200);
    expect(text).toMatch(
      /UpdateApplication +SUCCESSFUL +5 → 6 +msfctl apply \(dev@laptop\): failed, recovered/,
    );
    expect(text).toMatch(/recovery \(crash-loop, onFailure rollback\): rollback ok, verify ok +recovered/);
  });

  it.each([80, 120, 160])('fits %i columns, repeats grouped (item 13)', async (width) => {
    const report = await getHistory(gateway(), 'app', ledger());
    for (const style of [createStyle(false), createStyle(true)]) {
      const lines = renderHistory(report, style, width).split('\n');
      // eslint-disable-next-line no-control-regex
      const visible = lines.map((l) => l.replace(/\u001b\[[0-9;]*m/g, '').length);
      expect(Math.max(...visible)).toBeLessThanOrEqual(width);
      expect(lines.join('\n')).toContain('…');
    }
  });

  it('groups runs of one name', () => {
    expect(groupRepeats(['A', 'A', 'A', 'B', 'A'])).toBe('A ×3, B, A');
    expect(groupRepeats([])).toBe('');
  });
});
