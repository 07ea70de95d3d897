/**
 * The differences between the two pipelines msfctl had (apply's after-apply guard, the lifecycle commands'
 * guard), each with the behaviour that was kept, now that every verb runs through the one pipeline: the same
 * watch, the same recovery policy, the same way of recording the last good version.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSilentHost } from '../../src/adapters/io/memory-host.js';
import { LocalObjectStore } from '../../src/adapters/state/local-object-store.js';
import type { RunContext } from '../../src/controller/context.js';
import { readLedger } from '../../src/controller/state/ledger-store.js';
import {
  restartApplication,
  scaleApplication,
  startApplication,
  stopApplication,
} from '../../src/controller/verbs.js';
import { decideRecovery, type RecoveryFacts } from '../../src/engine/recovery/policy.js';
import { stopDecision } from '../../src/engine/verbs.js';
import { MsfctlError } from '../../src/model/errors.js';
import { unhealthy } from '../../src/model/health.js';
import type { HealthFetcher } from '../../src/ports/metrics.js';
import { applyWith, fakeArtifacts } from '../fakes/artifacts.js';
import { fakeClock } from '../fakes/fake-msf.js';
import { BAD, GOOD, T0, live, snapshot } from './support/apps.js';
import { LoopingMsf, metrics, spec } from './support/looping-msf.js';

const LATEST = { from: 'latest' as const, allowNonRestoredState: false };
const loop = {
  kind: 'crash-loop' as const,
  health: unhealthy([{ signal: 'restarts', message: '2 restarts' }]),
};

let msf: LoopingMsf;
let state: LocalObjectStore;
let host: ReturnType<typeof createSilentHost>;

function ctx(overrides: Partial<RunContext> = {}): RunContext {
  return {
    gateway: msf,
    host,
    state,
    application: 'app',
    clock: fakeClock(),
    metrics: metrics(msf),
    deploy: { bakeSeconds: 30, onFailure: 'rollback' },
    ...overrides,
  };
}

async function ledger() {
  return (await readLedger(state, 'app')).ledger;
}

beforeEach(async () => {
  msf = new LoopingMsf();
  state = new LocalObjectStore(mkdtempSync(path.join(tmpdir(), 'msfctl-one-pipeline-')));
  host = createSilentHost();
  const deployed = await applyWith({
    ...ctx(),
    deploy: { bakeSeconds: 30, onFailure: 'rollback', acceptStateLoss: false },
    spec: spec('prices'),
    artifacts: fakeArtifacts(),
    target: { region: 'us-east-1' },
    autoApprove: true,
  });
  expect(deployed.ok).toBe(true);
  host.messages.length = 0;
});

describe('one pipeline: what the two old ones did differently, and what is kept', () => {
  it("a failed operation of a lifecycle command is recovered like a deploy's (the lifecycle guard ignored it)", async () => {
    await stopApplication(ctx(), false);
    msf.failNext.StartApplication = 'java.lang.IllegalStateException: the job could not start';
    const result = await startApplication(ctx(), LATEST);
    expect(result.ok).toBe(false);
    expect(result.live?.status).toBe('RUNNING');
    expect(result.error?.message).toMatch(
      /^StartApplication of app FAILED: java\.lang\.IllegalStateException: the job could not start\. Then an operation failed \(recovered: app RUNNING on version 1\)\.$/,
    );
    const entry = (await ledger()).entries.at(-1)!;
    expect(entry.operations.map((o) => [o.operation, o.status])).toEqual([
      ['StartApplication', 'FAILED'],
      ['recovery: start (StartApplication)', 'SUCCESSFUL'],
      ['recovery: verify', 'SUCCESSFUL'],
    ]);
  });

  it('the crash loop of the last good version is decided by the pure policy: nothing to roll back to', () => {
    const facts: RecoveryFacts = {
      application: 'stock-prices',
      live: live({ config: GOOD }),
      lastGood: { versionId: 1, config: GOOD },
      snapshots: [snapshot('s', 1, T0 - 1000)],
      deployStartedAt: T0,
    };
    const plan = decideRecovery('rollback', loop, facts);
    expect(plan.actions).toEqual([]);
    expect(plan.summary).toMatch(
      /it runs the last good version's configuration, so there is nothing to roll back to\. Fix the cause, or stop it with `msfctl stop --force`\.$/,
    );
    // With another version running, the same crash loop goes back to the good one.
    expect(
      decideRecovery('rollback', loop, { ...facts, live: live({ config: BAD }) }).actions.length,
    ).toBeGreaterThan(0);
  });

  it('the last good version has one shape: its provenance is kept only while it describes the configuration', async () => {
    const deployed = (await ledger()).lastGood!;
    expect(deployed).toMatchObject({ versionId: 1, specDigest: 'digest-prices' });

    // A healthy restart of the same configuration: a new version, the same spec digest.
    const restarted = await restartApplication(ctx(), LATEST);
    expect(restarted.ok).toBe(true);
    expect((await ledger()).lastGood).toMatchObject({ specDigest: 'digest-prices', config: deployed.config });

    // A configuration changed outside msfctl, then started healthy: good, but no spec made it.
    await stopApplication(ctx(), false);
    msf.outOfBand('app', (c) => ({ ...c, monitoring: { ...c.monitoring, custom: true, logLevel: 'WARN' } }));
    const started = await startApplication(ctx(), LATEST);
    expect(started.ok).toBe(true);
    const good = (await ledger()).lastGood!;
    expect(good.versionId).toBe(started.live?.versionId);
    expect(good.config.monitoring.logLevel).toBe('WARN');
    expect(good.specDigest).toBeUndefined();
  });

  it('a start without a watch (bake 0) records the last good version, as apply always did', async () => {
    await stopApplication(ctx(), false);
    msf.outOfBand('app', (c) => ({ ...c, monitoring: { ...c.monitoring, custom: true, logLevel: 'WARN' } }));
    const started = await startApplication(
      ctx({ deploy: { bakeSeconds: 0, onFailure: 'rollback' } }),
      LATEST,
    );
    expect(started.ok).toBe(true);
    expect((await ledger()).lastGood?.versionId).toBe(started.live?.versionId);
  });

  it('one list of statuses a force stop leaves: ROLLING_BACK yes, FORCE_STOPPING no (the service refuses it)', () => {
    expect(stopDecision(live({ status: 'ROLLING_BACK' }), true)).toMatchObject({
      actions: [{ type: 'force-stop' }],
    });
    const busy = (() => {
      try {
        stopDecision(live({ status: 'FORCE_STOPPING' }), true);
      } catch (error) {
        return error;
      }
    })();
    expect(MsfctlError.is(busy, 'APP_BUSY')).toBe(true);
    const stopped = decideRecovery('stop', loop, {
      application: 'stock-prices',
      live: live({ status: 'ROLLING_BACK' }),
      snapshots: [],
    });
    expect(stopped.actions.map((a) => a.type)).toEqual(['force-stop']);
  });

  it('the crash-loop path is built once: the deploy the service refused honours restore.from and keeps state', () => {
    const facts: RecoveryFacts = {
      application: 'stock-prices',
      live: live(),
      lastGood: { versionId: 1, config: GOOD },
      // Only a snapshot of the failing version 2, taken after the deploy began.
      snapshots: [snapshot('of-v2', 2, T0 + 5000)],
      deployStartedAt: T0,
    };
    const fix = { kind: 'snapshot-impossible' as const, desired: GOOD };
    // No snapshot of good state: the newest one, as the plan's forced path does (recovery used to start empty).
    const latest = decideRecovery('rollback', { ...fix, restore: LATEST }, facts);
    expect(latest.actions.find((a) => a.type === 'start')).toMatchObject({
      run: { from: 'snapshot', snapshot: 'of-v2' },
    });
    // restore.from none is kept (recovery used to restore a snapshot whatever the spec said).
    const none = decideRecovery(
      'rollback',
      { ...fix, restore: { from: 'none', allowNonRestoredState: false } },
      facts,
    );
    expect(none.actions.find((a) => a.type === 'start')).toMatchObject({ run: { from: 'none' } });
  });

  it('scale gets the same watch and recovery as apply (issue 16: it restarted the job unwatched)', async () => {
    // A job that crash-loops once it runs at parallelism 2.
    const scaledLoops: HealthFetcher = {
      periodSeconds: 1,
      async fetch(application, window) {
        const current = await msf.describe(application);
        const loops = current?.config.parallelism.parallelism === 2;
        const points = [];
        for (let t = Math.ceil(window.start / 1000) * 1000; t <= window.end; t += 1000) {
          const s = (t - window.start) / 1000;
          points.push(
            loops
              ? { at: t, restarts: 1 + Math.floor(s / 10), uptimeMin: 0, uptimeMax: 0, down: 1000 }
              : { at: t, restarts: 0, uptimeMin: s * 1000, uptimeMax: s * 1000, down: 0 },
          );
        }
        return {
          ok: true as const,
          series: { application, periodSeconds: 1, points, sources: { restarts: 'numRestarts' } },
          fetchedAt: window.end,
        };
      },
    };
    const result = await scaleApplication(ctx({ metrics: scaledLoops, verifySeconds: 10 }), {
      parallelism: 2,
      kpuQuota: 64,
      restore: LATEST,
    });
    expect(result.ok).toBe(false);
    expect(result.watch).toMatchObject({
      bake: { status: 'unhealthy' },
      recovery: { situation: 'crash-loop' },
    });
    expect(result.live?.config.parallelism.parallelism).not.toBe(2);
    const entry = (await ledger()).entries.at(-1)!;
    expect(entry).toMatchObject({ kind: 'scale', outcome: 'failed' });
    expect(entry.operations.map((o) => o.operation)).toContain('recovery: rollback (RollbackApplication)');
  });
});
