/**
 * The watch-and-recover phase inside msfctl's real apply (lock, ledger, executor, waiters) over the in-memory
 * MSF: scenarios 3, 7 and 8 decided, executed, printed and recorded. The metrics come from a stub that reads the
 * fake's current configuration: the "no-such-stream" configuration crash-loops, any other is healthy.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ApplyInput } from '../../src/controller/apply.js';
import type { RunContext } from '../../src/controller/context.js';
import { createSilentHost } from '../../src/adapters/io/memory-host.js';
import type { OnFailurePolicy } from '../../src/model/deploy-settings.js';
import { applyWith, fakeArtifacts } from '../fakes/artifacts.js';
import { readLedger } from '../../src/controller/state/ledger-store.js';
import { LocalObjectStore } from '../../src/adapters/state/local-object-store.js';
import { fakeClock } from '../fakes/fake-msf.js';
import { BROKEN, LoopingMsf, metrics, spec } from './support/looping-msf.js';

let msf: LoopingMsf;
let state: LocalObjectStore;
let host: ReturnType<typeof createSilentHost>;

function input(
  stream: string,
  watch: { bakeSeconds?: number; onFailure?: OnFailurePolicy } = {},
): RunContext & ApplyInput {
  return {
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
    deploy: { bakeSeconds: 60, onFailure: 'rollback', acceptStateLoss: false, ...watch },
    verifySeconds: 20,
  };
}

const texts = (code: string) => host.messages.filter((m) => m.code === code).map((m) => m.text);

beforeEach(async () => {
  msf = new LoopingMsf();
  state = new LocalObjectStore(mkdtempSync(path.join(tmpdir(), 'msfctl-guard-')));
  host = createSilentHost();
  const first = await applyWith(input('prices'));
  expect(first.ok).toBe(true);
  expect(texts('MSF_HEALTH_I3000')).toEqual([
    'app is healthy after a 1m bake: 0 restarts since the job started, up 1m, 0 failed.',
  ]);
  host.messages.length = 0;
});

describe('the watch-and-recover phase of apply', () => {
  it('issue 11: an apply interrupted during its bake is health-checked (and recovered) by the next apply', async () => {
    // The first apply of the broken configuration is interrupted (Ctrl-C) at its bake's first metrics read.
    let handler: ((signal: 'SIGINT') => void) | undefined;
    let exited!: (code: number) => void;
    const exit = new Promise<number>((resolve) => (exited = resolve));
    const base = metrics(msf);
    const interrupted = {
      ...input(BROKEN),
      interrupts: {
        subscribe: (h: (signal: 'SIGINT') => void) => ((handler = h), () => (handler = undefined)),
        exit: (code: number) => exited(code),
      },
      metrics: {
        ...base,
        fetch: () => {
          handler?.('SIGINT');
          return new Promise<never>(() => undefined); // the process is gone: the bake never ends
        },
      },
    };
    const clock = fakeClock(Date.now());
    void applyWith({ ...interrupted, clock });
    expect(await exit).toBe(130);
    const before = (await readLedger(state, 'app')).ledger.entries.at(-1)!;
    expect(before).toMatchObject({
      kind: 'apply',
      outcome: 'interrupted',
      bake: { bakeSeconds: 60, versionId: 2 },
    });
    expect(before.bake?.status).toBeUndefined();
    host.messages.length = 0;

    // The service matches the spec now; the next apply does not say "nothing to do": it finishes the bake.
    const next = await applyWith({ ...input(BROKEN), clock });
    expect(next.nothing).toBeUndefined();
    expect(texts('MSF_APPLY_W1003')).toEqual([
      expect.stringMatching(
        /^app matches the spec, but the apply that deployed version 2 was interrupted during its health watch/,
      ),
    ]);
    expect(texts('MSF_HEALTH_E3002')).toHaveLength(1);
    expect(next.ok).toBe(false);
    expect(next.failures).toEqual([
      "the job is crash-looping (recovered: app RUNNING on version 3 with version 1's configuration)",
    ]);
    const entry = (await readLedger(state, 'app')).ledger.entries.at(-1)!;
    expect(entry).toMatchObject({
      kind: 'apply',
      outcome: 'failed',
      summary: 'finish the health watch of an interrupted run',
      bake: { startedAt: before.bake!.startedAt, status: 'unhealthy' },
    });

    // Once checked, an apply has nothing left to do.
    host.messages.length = 0;
    await applyWith(input('prices'));
    expect(texts('MSF_APPLY_W1003')).toEqual([]);
  });

  it('scenario 7: detects the crash loop after a successful update and rolls back to the last good version', async () => {
    const result = await applyWith(input(BROKEN));
    expect(result.execution?.ok).toBe(true);
    expect(result.ok).toBe(false);
    expect(result.failures).toEqual([
      "the job is crash-looping (recovered: app RUNNING on version 3 with version 1's configuration)",
    ]);
    expect(result.live).toMatchObject({ status: 'RUNNING', versionId: 3, rolledBackTo: 1 });
    expect(result.live?.config.properties.OutputStream0!['stream.name']).toBe('prices');
    // The second restart comes 10 s into the bake; the bake reads every 2 s.
    expect(texts('MSF_HEALTH_E3002')).toEqual([
      expect.stringMatching(
        /^app is unhealthy \(detected after 1[0-2]s of the bake\): crash loop or failing job\.$/,
      ),
    ]);
    expect(texts('MSF_RECOVERY_I4001')).toEqual([
      "  1. RollbackApplication: app back from version 2 to version 1's configuration, as new version 3, restoring its latest snapshot",
      '  2. Watch app for 20s to confirm version 1 is healthy',
    ]);
    expect(texts('MSF_RECOVERY_I4006')).toEqual([
      "Recovered app: RUNNING on version 3 (version 1's configuration, as a new version). The deploy itself failed.",
    ]);

    const { ledger } = await readLedger(state, 'app');
    const entry = ledger.entries.at(-1)!;
    expect(entry).toMatchObject({ kind: 'apply', outcome: 'failed' });
    expect(entry.operations.map((o) => [o.operation, o.status])).toEqual([
      ['UpdateApplication', 'SUCCESSFUL'],
      ['recovery: rollback (RollbackApplication)', 'SUCCESSFUL'],
      ['recovery: verify', 'SUCCESSFUL'],
    ]);
    expect(entry.details?.recovery).toMatchObject({ situation: 'crash-loop', policy: 'rollback', ok: true });
    expect(ledger.lastGood).toMatchObject({ versionId: 3, specDigest: 'digest-prices' });
    expect(ledger.expected).toMatchObject({ versionId: 3, status: 'RUNNING', by: 'recovery' });
  });

  it('scenario 7 with onFailure stop and none', async () => {
    const stopped = await applyWith(input(BROKEN, { onFailure: 'stop' }));
    expect(stopped.failures).toEqual(['the job is crash-looping (recovered: app READY on version 2)']);
    expect(stopped.live?.status).toBe('READY');
    msf = new LoopingMsf();
    state = new LocalObjectStore(mkdtempSync(path.join(tmpdir(), 'msfctl-guard-')));
    await applyWith(input('prices'));
    const left = await applyWith(input(BROKEN, { onFailure: 'none' }));
    expect(left.failures).toEqual(['the job is crash-looping (no recovery attempted)']);
    expect(left.live?.status).toBe('RUNNING');
  });

  it('scenario 3: a failed update left READY is brought back to the last good version with its state', async () => {
    msf.failNext.UpdateApplication =
      "org.apache.flink.client.program.ProgramInvocationException: The program's entry point class 'com.example.NoSuchJob' was not found in the jar file. StackTrace: ...";
    const result = await applyWith(input(BROKEN));
    expect(result.execution?.ok).toBe(false);
    expect(result.failures).toEqual([
      "an operation failed (recovered: app RUNNING on version 3 with version 1's configuration)",
    ]);
    expect(result.live?.config.properties.OutputStream0!['stream.name']).toBe('prices');
    expect(result.live?.lastRun).toMatchObject({
      from: 'snapshot',
      snapshot: expect.stringMatching(/^auto-/),
    });
    const ops = (await readLedger(state, 'app')).ledger.entries.at(-1)!.operations.map((o) => o.operation);
    expect(ops).toEqual([
      'UpdateApplication',
      'recovery: update (UpdateApplication)',
      'recovery: start (StartApplication)',
      'recovery: verify',
    ]);
  });

  it('scenario 8: deploying the fix to a crash-looping application force-stops, updates and starts from the good snapshot', async () => {
    await applyWith(input(BROKEN, { onFailure: 'none' }));
    expect(msf.looping()).toBe(true);
    host.messages.length = 0;
    msf.calls.length = 0;
    const result = await applyWith(input('prices-v2'));
    expect(result.execution?.failure?.error.code).toBe('SNAPSHOT');
    expect(result.failures).toEqual([]);
    expect(result.live).toMatchObject({ status: 'RUNNING', lastRun: { from: 'snapshot' } });
    expect(result.live?.config.properties.OutputStream0!['stream.name']).toBe('prices-v2');
    expect(texts('MSF_RECOVERY_W4002')[0]).toMatch(
      /cannot take the snapshot this update needs; msfctl force-stops it/,
    );
    expect(msf.calls.filter((c) => /^(stop|update|start)/.test(c))).toEqual([
      'stop app force',
      'update app',
      'start app snapshot',
    ]);
    // The refused UpdateApplication was carried out another way: the deploy the user asked for succeeded.
    expect(result.ok).toBe(true);
    expect(result.error).toBeUndefined();
    const entry = (await readLedger(state, 'app')).ledger.entries.at(-1)!;
    expect(entry.outcome).toBe('succeeded');
    expect(result.watch).toMatchObject({
      recovery: { situation: 'snapshot-impossible', ok: true },
    });
  });

  it('scenario 3: the error keeps the ErrorString and says where recovery left the application', async () => {
    msf.failNext.UpdateApplication =
      "org.apache.flink.client.program.ProgramInvocationException: The program's entry point class 'com.example.NoSuchJob' was not found in the jar file. StackTrace: at a.b.C(D.java:1)";
    const result = await applyWith(input(BROKEN));
    expect(result.ok).toBe(false);
    expect(result.error?.message).toBe(
      "UpdateApplication of app FAILED: org.apache.flink.client.program.ProgramInvocationException: The program's entry point class 'com.example.NoSuchJob' was not found in the jar file. Then an operation failed (recovered: app RUNNING on version 3 with version 1's configuration).",
    );
    expect(result.error?.hint).toMatch(/^app is now RUNNING at version 3\. /);
  });

  it('bake 0 watches nothing and decides nothing', async () => {
    const result = await applyWith(input(BROKEN, { bakeSeconds: 0 }));
    expect(result.ok).toBe(true);
    expect(texts('MSF_HEALTH_E3002')).toEqual([]);
    expect(result.watch).toEqual({ bake: 'skipped (bake 0 s)' });
  });
});
