/**
 * The same watch-and-recover phase after start, restart and rollback, inside msfctl's real lifecycle commands
 * (lock, ledger, executor) over the in-memory MSF whose "no-such-stream" configuration crash-loops.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RunContext } from '../../src/controller/context.js';
import {
  restartApplication,
  scaleApplication,
  startApplication,
  stopApplication,
} from '../../src/controller/verbs.js';
import { createSilentHost } from '../../src/adapters/io/memory-host.js';
import { applyWith, fakeArtifacts } from '../fakes/artifacts.js';
import type { OnFailurePolicy } from '../../src/model/deploy-settings.js';
import { readLedger } from '../../src/controller/state/ledger-store.js';
import { LocalObjectStore } from '../../src/adapters/state/local-object-store.js';
import { fakeClock } from '../fakes/fake-msf.js';
import { BROKEN, LoopingMsf, metrics, spec } from './support/looping-msf.js';

const LATEST = { from: 'latest' as const, allowNonRestoredState: false };

let msf: LoopingMsf;
let state: LocalObjectStore;
let host: ReturnType<typeof createSilentHost>;

async function deploy(stream: string, onFailure: OnFailurePolicy = 'none') {
  return applyWith({
    application: 'app',
    spec: spec(stream),
    gateway: msf,
    artifacts: fakeArtifacts(),
    state,
    host,
    target: { region: 'us-east-1' },
    autoApprove: true,
    clock: fakeClock(),
    metrics: metrics(msf),
    deploy: { bakeSeconds: 30, onFailure, acceptStateLoss: false },
  });
}

function ctx(onFailure: OnFailurePolicy, bakeSeconds = 30): RunContext {
  return {
    gateway: msf,
    host,
    state,
    application: 'app',
    clock: fakeClock(),
    metrics: metrics(msf),
    deploy: { bakeSeconds, onFailure },
  };
}

const texts = (code: string) => host.messages.filter((m) => m.code === code).map((m) => m.text);

beforeEach(async () => {
  msf = new LoopingMsf();
  state = new LocalObjectStore(mkdtempSync(path.join(tmpdir(), 'msfctl-lifecycle-guard-')));
  host = createSilentHost();
  expect((await deploy('prices')).ok).toBe(true);
  host.messages.length = 0;
});

describe('bake watch after start, restart, rollback', () => {
  it('a healthy restart is baked, reported and recorded as good', async () => {
    const result = await restartApplication(ctx('rollback'), LATEST);
    expect(result.ok).toBe(true);
    expect(texts('MSF_HEALTH_I3000')).toEqual([expect.stringMatching(/^app is healthy after a 30s bake/)]);
    expect(result.watch).toMatchObject({ bake: { status: 'healthy' } });
    expect((await readLedger(state, 'app')).ledger.lastGood?.versionId).toBe(result.live?.versionId);
  });

  it('scale is watched like apply, start, restart and rollback: baked, and a crash loop recovered (issue 16 item 10)', async () => {
    const healthy = await scaleApplication(ctx('rollback'), {
      parallelism: 2,
      kpuQuota: 64,
      restore: LATEST,
    });
    expect(healthy.ok).toBe(true);
    expect(texts('MSF_HEALTH_I3000')).toEqual([expect.stringMatching(/^app is healthy after a 30s bake/)]);
    expect(healthy.watch).toMatchObject({ bake: { status: 'healthy' } });

    expect((await deploy(BROKEN)).ok).toBe(false); // left looping (onFailure: none)
    host.messages.length = 0;
    const looping = await scaleApplication(ctx('rollback'), {
      parallelism: 3,
      kpuQuota: 64,
      restore: LATEST,
    });
    expect(looping.ok).toBe(false);
    expect(texts('MSF_HEALTH_E3002')).toHaveLength(1);
    // The looping job cannot take the update's snapshot: scale deploys without one, and its watch sees the loop.
    expect(looping.watch?.recovery).toMatchObject({ policy: 'rollback' });
  });

  it('bake 0 watches nothing', async () => {
    const result = await restartApplication(ctx('rollback', 0), LATEST);
    expect(result.ok).toBe(true);
    expect(texts('MSF_HEALTH_I3000')).toEqual([]);
  });

  it('a start that crash-loops on a version that is not the last good one: rollback brings the good one back', async () => {
    expect((await deploy(BROKEN)).ok).toBe(false); // left looping (onFailure: none)
    await stopApplication(ctx('none'), true);
    host.messages.length = 0;
    const result = await startApplication(ctx('rollback'), LATEST);
    expect(result.ok).toBe(false);
    expect(result.error?.message).toMatch(
      /^app after msfctl start: the job is crash-looping \(recovered: app RUNNING on version \d+ with version \d+'s configuration\)\.$/,
    );
    expect(result.live?.config.properties.OutputStream0!['stream.name']).toBe('prices');
    expect(texts('MSF_HEALTH_E3002')).toHaveLength(1);
    const entry = (await readLedger(state, 'app')).ledger.entries.at(-1)!;
    expect(entry).toMatchObject({ kind: 'start', outcome: 'failed' });
    // RollbackApplication applies: the previous version is the last good one, the newest snapshot is of it.
    expect(entry.operations.map((o) => o.operation)).toEqual([
      'StartApplication',
      'recovery: rollback (RollbackApplication)',
      'recovery: verify',
    ]);
  });

  it('a crash loop on the last good version: nothing to roll back to, said as such; stop force-stops it', async () => {
    expect((await deploy(BROKEN)).ok).toBe(false);
    // Make the looping version the last good one (as if it had passed a bake before its stream was deleted).
    const { LedgerSession } = await import('../../src/controller/state/ledger-store.js');
    const session = await LedgerSession.open(state, 'app');
    const live = (await msf.describe('app'))!;
    await session.update((l) => ({
      ...l,
      lastGood: { versionId: live.versionId, config: live.config, at: new Date().toISOString() },
    }));
    await stopApplication(ctx('none'), true);
    host.messages.length = 0;

    const kept = await startApplication(ctx('rollback'), LATEST);
    expect(kept.ok).toBe(false);
    expect(texts('MSF_RECOVERY_E4000')).toEqual([
      expect.stringContaining(
        "it runs the last good version's configuration, so there is nothing to roll back to",
      ),
    ]);
    expect(kept.live?.status).toBe('RUNNING');

    await stopApplication(ctx('none'), true);
    const stopped = await startApplication(ctx('stop'), LATEST);
    expect(stopped.ok).toBe(false);
    expect(stopped.live?.status).toBe('READY');
  });
});
