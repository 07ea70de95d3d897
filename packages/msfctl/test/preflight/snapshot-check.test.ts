/**
 * Scenario 8 at plan time: a change that needs a snapshot of a crash-looping job is planned as force-stop,
 * update while READY, start from the latest good snapshot — and only the current job's restarts count.
 * makePlan and the planner are msfctl's own; MSF is the in-memory fake and the metrics a stub series.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { HealthFetcher } from '../../src/ports/metrics.js';
import type { HealthPoint } from '../../src/model/health-series.js';
import { makePlan } from '../../src/controller/make-plan.js';
import { createSilentHost } from '../../src/adapters/io/memory-host.js';
import type { Plan } from '../../src/model/plan.js';
import {
  snapshotFeasibilityCheck,
  type SnapshotCheckReport,
} from '../../src/controller/preflight/snapshot-check.js';
import type { LoadedSpec } from '../../src/spec/load.js';
import { applicationSpecSchema } from '../../src/spec/schema.js';
import { readLedger } from '../../src/controller/state/ledger-store.js';
import type { Ledger } from '../../src/model/ledger.js';
import { LocalObjectStore } from '../../src/adapters/state/local-object-store.js';
import { applyWith, fakeArtifacts } from '../fakes/artifacts.js';
import { FakeMsf, fakeClock } from '../fakes/fake-msf.js';

function spec(stream: string, fields: Record<string, unknown> = {}): LoadedSpec {
  const parsed = applicationSpecSchema.parse({
    application: 'app',
    runtime: 'FLINK-1_19',
    role: 'arn:aws:iam::123456789012:role/r',
    code: { s3: { bucket: 'code', key: 'v1.jar' } },
    properties: { OutputStream0: { 'stream.name': stream } },
    ...fields,
  });
  return {
    spec: parsed,
    source: { kind: 'spec', path: 'msfctl.yaml' },
    baseDir: '/tmp',
    warnings: [],
    digest: stream,
  };
}

/** Metrics of one job per period: restarts every 3 s (looping) or none; `oldJobLooped` only before `jobStart`. */
function metrics(shape: 'looping' | 'healthy' | 'old-job-looped', jobStart: () => number): HealthFetcher {
  return {
    periodSeconds: 1,
    async fetch(application, window) {
      const points: HealthPoint[] = [];
      for (let t = Math.ceil(window.start / 1000) * 1000; t <= window.end; t += 1000) {
        const sinceJob = t - jobStart();
        const looping = shape === 'looping' || (shape === 'old-job-looped' && sinceJob < 0);
        points.push(
          looping
            ? {
                at: t,
                restarts: 1 + Math.floor(Math.abs(sinceJob) / 3000),
                uptimeMin: 0,
                uptimeMax: 500,
                down: 500,
              }
            : {
                at: t,
                restarts: 0,
                uptimeMin: Math.max(0, sinceJob),
                uptimeMax: Math.max(0, sinceJob),
                down: 0,
              },
        );
      }
      return {
        ok: true,
        series: {
          application,
          periodSeconds: 1,
          points,
          sources: { restarts: 'numRestarts', uptime: 'uptime', down: ['downtime'] },
        },
        fetchedAt: window.end,
      };
    },
  };
}

let msf: FakeMsf;
let ledger: Ledger;

beforeEach(async () => {
  msf = new FakeMsf();
  const state = new LocalObjectStore(mkdtempSync(path.join(tmpdir(), 'msfctl-snapshot-check-')));
  const run = (stream: string) =>
    applyWith({
      application: 'app',
      spec: spec(stream),
      gateway: msf,
      artifacts: fakeArtifacts(),
      state,
      host: createSilentHost(),
      target: { region: 'us-east-1' },
      autoApprove: true,
      clock: fakeClock(),
    });
  expect((await run('good')).ok).toBe(true);
  // Version 2 is the crash-looping deploy left as it is (onFailure: none): version 1 stays the last good one.
  expect((await run('no-such-stream')).ok).toBe(true);
  ledger = { ...(await readLedger(state, 'app')).ledger };
  ledger.lastGood = { ...ledger.lastGood!, versionId: 1 };
});

async function planWith(
  shape: 'looping' | 'healthy' | 'old-job-looped',
  fields: Record<string, unknown> = {},
): Promise<Plan> {
  const jobStart = () =>
    msf.apps.get('app')!.operations.find((o) => o.operation === 'UpdateApplication')!.endedAt ?? 0;
  const later = { now: () => Date.now() + 30_000, sleep: async () => undefined };
  const { plan } = await makePlan({
    spec: spec('good', fields),
    ledger,
    gateway: msf,
    artifacts: fakeArtifacts(),
    host: createSilentHost(),
    target: { kind: 'local', region: 'us-east-1' },
    checks: [
      snapshotFeasibilityCheck({
        fetcher: () => metrics(shape, jobStart),
        exceptions: () => undefined,
        clock: later,
      }),
    ],
  });
  return plan;
}

describe('snapshot preflight (scenario 8)', () => {
  it("a crash-looping job: force-stop, update while READY, start from the last good version's snapshot", async () => {
    const good = msf.apps.get('app')!.snapshots.find((s) => s.versionId === 1)!;
    const plan = await planWith('looping');
    expect(
      plan.actions.map((a) => [
        a.type,
        a.type === 'force-stop'
          ? a.reason
          : a.type === 'start'
            ? a.run
            : a.type === 'update'
              ? (a.run ?? 'no restart')
              : undefined,
      ]),
    ).toEqual([
      ['force-stop', 'the crash-looping job cannot take a snapshot'],
      ['update', 'no restart'],
      ['start', { from: 'snapshot', snapshot: good.name, allowNonRestoredState: false }],
    ]);
    const finding = plan.findings.find((f) => f.code === 'SNAPSHOT_IMPOSSIBLE');
    expect(finding?.severity).toBe('warning');
    expect(finding?.message).toMatch(
      /^a snapshot of app cannot be taken now: its job is crash-looping \(\d+ restarts in .* since the job started/,
    );
    expect(finding?.message).toContain(`start it from snapshot ${good.name} (version 1,`);
    expect(finding?.message).toContain('of the last good version 1');
    expect(plan.preflight?.snapshot as SnapshotCheckReport).toMatchObject({
      snapshotImpossible: true,
      restoreFrom: { name: good.name, versionId: 1 },
    });
  });

  it('AllowNonRestoredState asked for the update goes with the start that replaces it', async () => {
    const plan = await planWith('looping', { restore: { allowNonRestoredState: true } });
    expect(plan.actions.at(-1)).toMatchObject({
      type: 'start',
      run: { from: 'snapshot', allowNonRestoredState: true },
    });
  });

  it('running: false stops it with force instead of a snapshot the service would refuse', async () => {
    const plan = await planWith('looping', { running: false });
    expect(plan.actions.map((a) => a.type)).toEqual(['force-stop', 'update']);
  });

  it('a healthy job: the plan is left as it is (one update that takes a snapshot)', async () => {
    const plan = await planWith('healthy');
    expect(plan.actions).toEqual([
      expect.objectContaining({ type: 'update', run: expect.objectContaining({ from: 'latest' }) }),
    ]);
    expect(plan.findings).toEqual([]);
  });

  it('restarts of a job that has since been replaced do not count', async () => {
    const plan = await planWith('old-job-looped');
    expect(plan.actions.map((a) => a.type)).toEqual(['update']);
  });
});
