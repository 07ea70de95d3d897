/**
 * The dashboard's views of msfctl's facts (pure): the health states (a crash loop is its own, red state), the
 * timeline merging the ledger with the service's operations (who, outcome, recoveries), the chart columns, the
 * latest log lines.
 */
import { describe, expect, it } from 'vitest';
import type { AppFacts } from '../../src/controller/dashboard/facts.js';
import { LOOKBACK_MS, streamLogs } from '../../src/controller/dashboard/logs.js';
import type { LogReader } from '../../src/ports/logs.js';
import { chartColumns, chartPeriodSeconds } from '../../src/controller/dashboard/series.js';
import { healthOf, timeline } from '../../src/controller/dashboard/views.js';
import type { LiveApplication, OperationInfo } from '../../src/model/application.js';
import { unhealthy, type HealthCheck, type HealthFacts } from '../../src/model/health.js';
import { emptyLedger, type Ledger } from '../../src/model/ledger.js';

const facts = (restarts: number): HealthFacts => ({
  window: { from: 0, to: 60_000 },
  periodSeconds: 1,
  datapoints: 60,
  restarts,
  uptimeResets: 0,
  longestOutageMs: 0,
  failedCheckpoints: 3,
});

function running(check: HealthCheck): AppFacts {
  return {
    name: 'orders',
    live: { status: 'RUNNING' } as LiveApplication,
    operations: [],
    versions: [],
    snapshots: [],
    health: check,
    logsAvailable: false,
  };
}

describe('healthOf', () => {
  it('calls repeated restarts a crash loop, and other evidence unhealthy', () => {
    const loop = unhealthy(
      [{ signal: 'restarts', message: '3 restarts in 20s (numRestarts 0 → 3)' }],
      facts(3),
    );
    expect(healthOf(running({ application: 'orders', checkedAt: 1, result: loop })).state).toBe(
      'crash-looping',
    );
    const checkpoints = unhealthy(
      [{ signal: 'failed-checkpoints', message: '3 failed checkpoints' }],
      facts(0),
    );
    expect(healthOf(running({ application: 'orders', checkedAt: 1, result: checkpoints }))).toMatchObject({
      state: 'unhealthy',
      reason: '3 failed checkpoints',
      evidence: [{ signal: 'failed-checkpoints', message: '3 failed checkpoints' }],
    });
  });

  it('judges no job: stopped, not deployed, or in an operation', () => {
    const base = { name: 'orders', operations: [], versions: [], snapshots: [], logsAvailable: false };
    expect(healthOf({ ...base, live: { status: 'READY' } as LiveApplication }).state).toBe('not-running');
    expect(healthOf(base).state).toBe('not-running');
    expect(healthOf({ ...base, live: { status: 'UPDATING' } as LiveApplication })).toMatchObject({
      state: 'unknown',
      reason: 'UPDATING: an operation is under way',
    });
  });
});

describe('timeline', () => {
  const op = (id: string, operation: string, at: number, status: OperationInfo['status'] = 'SUCCESSFUL') =>
    ({ id, operation, status, startedAt: at, endedAt: at + 5000 }) as OperationInfo;

  it("merges msfctl's entries with their operations, marks a recovered failure, and keeps outside operations", () => {
    const ledger: Ledger = {
      ...emptyLedger('orders'),
      entries: [
        {
          id: 'e1',
          kind: 'apply',
          startedAt: new Date(1000).toISOString(),
          endedAt: new Date(90_000).toISOString(),
          who: 'ana@laptop',
          outcome: 'failed',
          summary: 'code change',
          versionBefore: 3,
          versionAfter: 4,
          operations: [
            { id: 'op-update', operation: 'UpdateApplication', status: 'IN_PROGRESS' },
            { id: 'op-rollback', operation: 'RollbackApplication', status: 'SUCCESSFUL' },
          ],
          details: {
            recovery: {
              situation: 'crash-loop',
              summary: 'the job restarts again and again: roll back to version 3',
              ok: true,
              steps: [
                { kind: 'rollback', description: 'roll back to version 3', ok: true },
                { kind: 'verify', description: 'watch it for 60 s', ok: true },
              ],
            },
          },
        },
      ],
    };
    const operations = [
      op('op-console', 'StopApplication', 200_000),
      op('op-rollback', 'RollbackApplication', 60_000),
      op('op-update', 'UpdateApplication', 2000),
    ];
    const entries = timeline(operations, ledger);
    expect(entries.map((e) => [e.source, e.kind, e.outcome])).toEqual([
      ['service', 'StopApplication', 'succeeded'],
      ['msfctl', 'apply', 'recovered'],
    ]);
    const apply = entries[1]!;
    expect(apply.who).toBe('ana@laptop');
    // The service's status, not the one recorded when the operation started.
    expect(apply.operations.map((o) => [o.operation, o.status])).toEqual([
      ['UpdateApplication', 'SUCCESSFUL'],
      ['RollbackApplication', 'SUCCESSFUL'],
    ]);
    expect(apply.recovery).toMatchObject({
      trigger: 'crash-loop: the job restarts again and again: roll back to version 3',
      steps: [
        { action: 'rollback', outcome: 'succeeded' },
        { action: 'verify', outcome: 'succeeded' },
      ],
    });
    expect(entries[0]!.summary).toBe('StopApplication outside msfctl');
  });
});

describe('chart columns', () => {
  it('picks a period a chart can draw and aligns every column on it', () => {
    expect(chartPeriodSeconds(60 * 60_000, 1)).toBe(10);
    expect(chartPeriodSeconds(5 * 60_000, 1)).toBe(1);
    expect(chartPeriodSeconds(24 * 60 * 60_000, 60)).toBe(240);
    const columns = chartColumns(
      {
        application: 'orders',
        periodSeconds: 10,
        sources: {},
        points: [
          { at: 20_000, restarts: 1, uptimeMax: 5000 },
          { at: 0, restarts: 0, recordsInPerSecond: 7 },
          { at: 90_000, restarts: 2 },
        ],
      },
      5000,
      60_000,
    );
    expect(columns).toEqual({
      at: [0, 20_000],
      restarts: [0, 1],
      uptimeMs: [null, 5000],
      completedCheckpoints: [null, null],
      failedCheckpoints: [null, null],
      recordsInPerSecond: [7, null],
      recordsOutPerSecond: [null, null],
    });
  });
});

describe('latest log lines', () => {
  const arn = 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/msf/orders:log-stream:job';
  const record = (at: number, level: string, message: string) =>
    JSON.stringify({ messageType: level, logger: 'org.example.Job', message, threadName: 'main' });

  it("keeps the newest `limit` records of the logging option's stream, read page by page, oldest first", async () => {
    const reads: unknown[] = [];
    const pages = [
      { events: [1, 2, 3].map((i) => ({ timestamp: i * 1000, message: record(i, 'INFO', `line ${i}`) })) },
      {
        events: [
          { timestamp: 4000, message: record(4, 'FATAL', 'gone') },
          { timestamp: 5000, message: 'plain text from another writer' },
        ],
      },
    ];
    const reader: LogReader = {
      read: async (stream, from) => {
        reads.push([stream.group, stream.stream, from]);
        const page = pages[reads.length - 1]!;
        return { ...page, next: { cursor: `c${reads.length}` }, caughtUp: reads.length === pages.length };
      },
      search: async () => [],
    };
    const logs = streamLogs(reader, { now: () => LOOKBACK_MS + 10_000, sleep: async () => {} });
    const live = { config: { logStream: arn } } as LiveApplication;
    expect(logs.available(live)).toBe(true);
    expect(logs.available({ config: {} } as LiveApplication)).toBe(false);
    const excerpt = await logs.latest(live, 3, AbortSignal.timeout(1000));
    expect(reads).toEqual([
      ['/aws/msf/orders', 'job', { since: 10_000 }],
      ['/aws/msf/orders', 'job', { cursor: 'c1' }],
    ]);
    expect(excerpt.location).toBe('/aws/msf/orders / job');
    expect(excerpt.lines.map((l) => [l.at, l.level, l.message])).toEqual([
      ['1970-01-01T00:00:03.000Z', 'INFO', 'line 3'],
      ['1970-01-01T00:00:04.000Z', 'ERROR', 'gone'],
      ['1970-01-01T00:00:05.000Z', 'INFO', 'plain text from another writer'],
    ]);
    expect(excerpt.lines[0]).toMatchObject({ logger: 'org.example.Job', thread: 'main' });
  });
});
