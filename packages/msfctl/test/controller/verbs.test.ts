/** Imperative lifecycle commands against an in-memory MSF. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { waitForOperation } from '../../src/controller/wait.js';
import { MsfctlError } from '../../src/model/errors.js';
import type { RunContext } from '../../src/controller/context.js';
import { createSnapshot, deleteSnapshots } from '../../src/controller/snapshots.js';
import {
  destroyApplication,
  restartApplication,
  rollbackApplication,
  scaleApplication,
  startApplication,
  stopApplication,
} from '../../src/controller/verbs.js';
import { selectPrunable } from '../../src/engine/snapshots.js';
import { createSilentHost } from '../../src/adapters/io/memory-host.js';
import { LedgerSession, readLedger } from '../../src/controller/state/ledger-store.js';
import { LocalObjectStore } from '../../src/adapters/state/local-object-store.js';
import { parseDuration } from '../../src/model/duration.js';
import { FakeMsf, fakeClock } from '../fakes/fake-msf.js';
import { config, snapshot } from '../unit/fixtures.js';

let msf: FakeMsf;
let ctx: RunContext;
const latest = { from: 'latest' as const, allowNonRestoredState: false };

async function settle() {
  for (let i = 0; i < 5; i++) await msf.describe('app');
}

beforeEach(async () => {
  msf = new FakeMsf({ polls: 1 });
  ctx = {
    gateway: msf,
    host: createSilentHost(),
    state: new LocalObjectStore(mkdtempSync(path.join(tmpdir(), 'msfctl-lc-'))),
    application: 'app',
    clock: fakeClock(),
  };
  await msf.create('app', config());
  await msf.start('app', latest);
  await settle();
});

describe('start / stop / restart', () => {
  it('stop takes a snapshot; start restores; both are no-ops in the target status', async () => {
    const stopped = await stopApplication(ctx, false);
    expect(stopped).toMatchObject({ ok: true, live: { status: 'READY' } });
    expect(stopped.actions[0]!.effect).toMatchObject({ snapshot: true, state: 'saved' });
    expect((await msf.listSnapshots('app')).length).toBe(1);
    expect((await stopApplication(ctx, false)).nothing).toContain('already stopped');
    const started = await startApplication(ctx, latest);
    expect(started.live?.status).toBe('RUNNING');
    expect(started.actions[0]!.effect!.stateDetail).toContain('restored from the latest snapshot, auto-');
    expect((await startApplication(ctx, latest)).nothing).toContain('already RUNNING');
    const { ledger } = await readLedger(ctx.state, 'app');
    expect(ledger.entries.map((e) => `${e.kind} ${e.outcome}`)).toEqual([
      'stop succeeded',
      'start succeeded',
    ]);
    expect(ledger.expected?.status).toBe('RUNNING');
  });

  it('stop --force takes no snapshot', async () => {
    const result = await stopApplication(ctx, true);
    expect(result.actions[0]!.effect).toMatchObject({ snapshot: false, state: 'dropped' });
    expect(msf.calls).toContain('stop app force');
    expect(await msf.listSnapshots('app')).toEqual([]);
  });

  it('restart --snapshot NAME checks the snapshot exists, stops, then starts from it', async () => {
    await createSnapshot(ctx, 'before');
    await expect(
      restartApplication(ctx, { from: 'snapshot', snapshot: 'nope', allowNonRestoredState: false }),
    ).rejects.toThrow(/Snapshot nope of app does not exist/);
    const result = await restartApplication(ctx, {
      from: 'snapshot',
      snapshot: 'before',
      allowNonRestoredState: false,
    });
    expect(result.ok).toBe(true);
    expect(result.actions.map((a) => a.type)).toEqual(['stop', 'start']);
    expect(msf.calls.filter((c) => c.startsWith('start')).at(-1)).toBe('start app snapshot');
  });

  it('a snapshot keeps who changed the application last: no "msfctl snapshot changed it" in the next plan (issue 16 item 7)', async () => {
    await restartApplication(ctx, { from: 'none', allowNonRestoredState: false });
    expect((await readLedger(ctx.state, 'app')).ledger.expected?.by).toBe('restart');
    await createSnapshot(ctx, 'kept');
    expect((await readLedger(ctx.state, 'app')).ledger.expected?.by).toBe('restart');
  });

  it('restart --no-restore starts with empty state', async () => {
    const result = await restartApplication(ctx, { from: 'none', allowNonRestoredState: false });
    expect(result.actions[1]!.effect!.state).toBe('none');
    expect(msf.calls.filter((c) => c.startsWith('start')).at(-1)).toBe('start app none');
  });

  it('a failed start reports the ErrorString', async () => {
    await stopApplication(ctx, false);
    msf.failNext.StartApplication = 'org.apache.flink.runtime.JobException: boom';
    const result = await startApplication(ctx, latest);
    expect(result.ok).toBe(false);
    expect(result.error?.message).toContain('JobException: boom');
  });
});

describe('rollback', () => {
  it('rolls back to the previous version', async () => {
    await msf.update(
      'app',
      { versionId: 1, conditionalToken: 'token-1' },
      { monitoring: { custom: true, logLevel: 'INFO', metricsLevel: 'APPLICATION' } },
    );
    await settle();
    const result = await rollbackApplication(ctx);
    expect(result.ok).toBe(true);
    expect(result.live).toMatchObject({
      status: 'RUNNING',
      versionId: 3,
      rolledBackFrom: 2,
      rolledBackTo: 1,
    });
    expect(result.live?.config.monitoring.logLevel).toBe('ERROR');
    expect((await readLedger(ctx.state, 'app')).ledger.expected?.by).toBe('rollback');
  });

  it('shows the KPUs of the version it returns to, not the current ones', async () => {
    await msf.update(
      'app',
      { versionId: 1, conditionalToken: 'token-1' },
      { parallelism: { custom: true, parallelism: 4, perKpu: 1, autoscaling: false } },
    );
    await settle();
    const result = await rollbackApplication(ctx);
    expect(result.actions[0]).toMatchObject({ type: 'rollback', fromVersion: 2, toVersion: 1 });
    expect(result.actions[0]!.effect!.kpus).toEqual({ before: 4, after: 1 });
  });

  it('says why it cannot: version 1, or not running', async () => {
    await expect(rollbackApplication(ctx)).rejects.toThrow(/no previous version/);
    await stopApplication(ctx, false);
    await expect(rollbackApplication(ctx)).rejects.toThrow(/rolls back only a RUNNING/);
  });
});

describe('scale', () => {
  it('updates parallelism only, and refuses over the quota with the arithmetic', async () => {
    const result = await scaleApplication(ctx, { parallelism: 4, perKpu: 2, kpuQuota: 64, restore: latest });
    expect(result.live?.config.parallelism).toMatchObject({ parallelism: 4, perKpu: 2 });
    expect(result.actions[0]!.effect!.kpus).toEqual({ before: 1, after: 2 });
    await expect(scaleApplication(ctx, { parallelism: 200, kpuQuota: 64, restore: latest })).rejects.toThrow(
      /⌈200 ÷ 2⌉ = 100 KPUs, over the quota of 64/,
    );
  });
});

describe('snapshots', () => {
  it('creates, records in the ledger, deletes', async () => {
    const created = await createSnapshot(ctx, 'manual-1');
    expect(created.ok).toBe(true);
    expect((await readLedger(ctx.state, 'app')).ledger.snapshots.map((s) => s.name)).toEqual(['manual-1']);
    await deleteSnapshots(ctx, ['manual-1'], 'test');
    expect(await msf.listSnapshots('app')).toEqual([]);
    await expect(deleteSnapshots(ctx, ['manual-1'], 'test')).rejects.toThrow(/does not exist/);
  });

  it('prune policy: keep N and older-than; never the newest READY snapshot', () => {
    const day = 86_400_000;
    const now = 100 * day;
    const snaps = [
      snapshot('s1', now - 10 * day),
      snapshot('s2', now - 8 * day),
      snapshot('s3', now - 3 * day),
      snapshot('s4', now - 1 * day),
      snapshot('creating', now - 20 * day, 'CREATING'),
    ];
    const byKeep = selectPrunable(snaps, { keep: 2 }, now);
    expect(byKeep.delete.map((s) => s.name)).toEqual(['s2', 's1']);
    const byAge = selectPrunable(snaps, { olderThanMs: 5 * day }, now);
    expect(byAge.delete.map((s) => s.name)).toEqual(['s2', 's1']);
    const both = selectPrunable(snaps, { keep: 1, olderThanMs: 2 * day }, now);
    expect(both.delete.map((s) => s.name)).toEqual(['s3', 's2', 's1']);
    // Every snapshot is old: the newest READY one still stays.
    const all = selectPrunable(snaps, { olderThanMs: 0 }, now);
    expect(all.delete.map((s) => s.name)).toEqual(['s3', 's2', 's1']);
    expect(all.keep.find((k) => k.snapshot.name === 's4')?.reason).toContain('newest READY');
    expect(selectPrunable(snaps, { olderThanMs: 0, protect: ['s1'] }, now).delete.map((s) => s.name)).toEqual(
      ['s3', 's2'],
    );
    expect(() => selectPrunable(snaps, {}, now)).toThrow(/needs a policy/);
  });

  it('parses durations', () => {
    expect(parseDuration('7d')).toBe(7 * 86_400_000);
    expect(parseDuration('1d12h')).toBe(36 * 3_600_000);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('7 days')).toBeUndefined();
  });
});

describe('destroy', () => {
  it('takes a final snapshot, force-stops, deletes, and keeps the history', async () => {
    const session = await LedgerSession.open(ctx.state, 'app');
    await session.update((l) => ({
      ...l,
      lastGood: { versionId: 1, config: config(), at: '2026-11-25T09:00:00Z' },
    }));
    const result = await destroyApplication(ctx, {
      skipSnapshot: false,
      approve: async () => true,
      now: new Date('2026-11-25T10:00:00Z'),
    });
    expect(result.ok).toBe(true);
    expect(result.finalSnapshot).toBe('msfctl-20261125-100000-final');
    expect(msf.calls.filter((c) => !c.startsWith('describe'))).toEqual([
      'create app',
      'start app latest',
      'snapshot msfctl-20261125-100000-final',
      'stop app force',
      'delete app',
    ]);
    const { ledger } = await readLedger(ctx.state, 'app');
    expect(ledger.deletedAt).toBeDefined();
    expect(ledger.lastGood).toBeUndefined(); // a later application of that name starts afresh
    expect(ledger.snapshots.map((s) => s.name)).toEqual(['msfctl-20261125-100000-final']);
    expect(ledger.entries.at(-1)).toMatchObject({ kind: 'destroy', outcome: 'succeeded' });
  });

  it('--skip-snapshot takes none; a refusal changes nothing', async () => {
    await expect(destroyApplication(ctx, { skipSnapshot: true, approve: async () => false })).rejects.toThrow(
      /cancelled/,
    );
    expect(msf.apps.has('app')).toBe(true);
    const result = await destroyApplication(ctx, { skipSnapshot: true, approve: async () => true });
    expect(result.finalSnapshot).toBeUndefined();
    expect(msf.calls).not.toContain(expect.stringMatching(/^snapshot/));
  });
});

describe('waiters', () => {
  it('give up after the timeout with the last status seen, using the injected clock', async () => {
    const slow = new FakeMsf({ polls: 10_000 });
    await slow.create('app', config());
    const { operationId } = await slow.start('app', latest);
    const clock = fakeClock();
    const error = await waitForOperation(slow, 'app', operationId!, { clock, timeoutMs: 60_000 }).catch(
      (e: unknown) => e,
    );
    expect(MsfctlError.is(error, 'TIMEOUT')).toBe(true);
    expect((error as Error).message).toMatch(
      /after 1m\d*s? \(last seen: STARTING \(StartApplication in progress\)\)/,
    );
  });
});
