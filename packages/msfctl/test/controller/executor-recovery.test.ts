/**
 * Recovery plans run by the one executor (the same one every verb uses), against a scripted MSF: which calls,
 * in which order, what each action reports, and where it stops.
 */
import { describe, expect, it } from 'vitest';
import { createSilentHost } from '../../src/adapters/io/memory-host.js';
import { executePlan } from '../../src/controller/executor.js';
import { recoveryPresenter } from '../../src/controller/presenters.js';
import { recoveryOutcomeMessage } from '../../src/engine/recovery/messages.js';
import { decideRecovery, type RecoveryFacts, type Situation } from '../../src/engine/recovery/policy.js';
import { unhealthy, unknown } from '../../src/model/health.js';
import type { RecoveryOutcome, RecoveryPlan } from '../../src/model/recovery.js';
import type { Clock } from '../../src/ports/clock.js';
import type { MsfGateway } from '../../src/ports/msf.js';
import { FakeMsf, fakeClock } from '../fakes/fake-msf.js';
import { ScriptedMsf } from './support/fake-port.js';
import { BAD, GOOD, T0, live, snapshot } from './support/apps.js';

const loop: Situation = {
  kind: 'crash-loop',
  health: unhealthy([{ signal: 'restarts', message: '2 restarts' }]),
};
const updateSnapshot = snapshot('update-snapshot', 1, T0 + 1000);

function facts(overrides: Partial<RecoveryFacts> = {}): RecoveryFacts {
  return {
    application: 'stock-prices',
    live: live(),
    lastGood: { versionId: 1, config: GOOD },
    snapshots: [updateSnapshot],
    deployStartedAt: T0,
    ...overrides,
  };
}

/** The application of scenario 7: version 2 (bad) RUNNING, updated from version 1 (good). */
const looping = () => new ScriptedMsf(live(), { 1: GOOD });

interface RunOptions {
  gateway?: MsfGateway;
  verify?: boolean;
  clock?: Clock;
  host?: ReturnType<typeof createSilentHost>;
}

/** Runs a recovery plan the way the watch phase does: the executor, numbered steps, verify by health watch. */
async function recover(
  plan: RecoveryPlan,
  msf: ScriptedMsf,
  options: RunOptions = {},
): Promise<RecoveryOutcome> {
  const gateway = options.gateway ?? msf;
  const execution = await executePlan(plan.actions, {
    gateway,
    application: plan.application,
    basis: await gateway.describe(plan.application),
    presenter: recoveryPresenter(options.host ?? createSilentHost()),
    clock: options.clock ?? fakeClock(T0),
    wait: { pollMs: 1 },
    ...(options.verify === false ? {} : { verify: (app: string, s: number) => msf.verify(app, s) }),
  });
  return {
    plan,
    ok: execution.ok,
    records: execution.records,
    live: execution.live,
    ...(execution.ok ? {} : { failed: execution.records.at(-1)! }),
  };
}

const calls = (msf: ScriptedMsf) => msf.calls.filter((c) => c !== 'describe');

describe('recovery plans on the executor', () => {
  it('runs RollbackApplication and the health check (scenario 7, service rollback)', async () => {
    const port = looping();
    const outcome = await recover(decideRecovery('rollback', loop, facts()), port);
    expect(outcome.ok).toBe(true);
    expect(calls(port)).toEqual(['rollback 2', 'wait op1', 'verify 60s']);
    expect(outcome.live).toMatchObject({ status: 'RUNNING', versionId: 3, config: GOOD, rolledBackTo: 1 });
    expect(outcome.records.map((r) => [r.action.type, r.ok])).toEqual([
      ['rollback', true],
      ['verify', true],
    ]);
  });

  it('force-stops, reverts and starts from the good snapshot (scenario 7 by hand)', async () => {
    const port = looping();
    const plan = decideRecovery(
      'rollback',
      loop,
      facts({ snapshots: [updateSnapshot, snapshot('of-bad', 2, T0 + 5000)] }),
    );
    const outcome = await recover(plan, port);
    expect(outcome.ok).toBe(true);
    expect(calls(port)).toEqual([
      'stop --force',
      'wait op1',
      'update properties',
      'wait op2',
      'start snapshot update-snapshot',
      'wait op3',
      'verify 60s',
    ]);
    expect(port.lastRun).toEqual({
      from: 'snapshot',
      snapshot: 'update-snapshot',
      allowNonRestoredState: false,
    });
    expect(outcome.live).toMatchObject({ status: 'RUNNING', config: GOOD });
  });

  it('deploys the fix of a crash-looping application without a snapshot (scenario 8)', async () => {
    const port = looping();
    const fix = {
      ...GOOD,
      properties: { OutputStream0: { 'stream.name': 'prices-v2', 'aws.region': 'us-east-1' } },
    };
    const outcome = await recover(
      decideRecovery('none', { kind: 'snapshot-impossible', desired: fix }, facts()),
      port,
    );
    expect(outcome.ok).toBe(true);
    expect(calls(port).filter((c) => !c.startsWith('wait'))).toEqual([
      'stop --force',
      'update properties',
      'start snapshot update-snapshot',
      'verify 60s',
    ]);
    expect(outcome.live?.config.properties.OutputStream0!['stream.name']).toBe('prices-v2');
  });

  it('stops at a step whose operation fails, with its ErrorString, and runs nothing after it', async () => {
    const port = looping();
    port.failNext.start =
      "org.apache.flink.client.program.ProgramInvocationException: The program's entry point class 'X' was not found";
    const plan = decideRecovery('rollback', loop, facts({ live: live({ versionUpdatedFrom: undefined }) }));
    const outcome = await recover(plan, port);
    expect(outcome.ok).toBe(false);
    expect(outcome.failed?.action.type).toBe('start');
    expect(outcome.failed?.error).toBe(
      "StartApplication of stock-prices FAILED: org.apache.flink.client.program.ProgramInvocationException: The program's entry point class 'X' was not found.",
    );
    expect(port.calls).not.toContain('verify 60s');
    expect(recoveryOutcomeMessage(outcome)).toMatchObject({ level: 'error', code: 'MSF_RECOVERY_E4007' });
    expect(recoveryOutcomeMessage(outcome).text).toMatch(
      /^Recovery of stock-prices stopped at "Start stock-prices on version 1's configuration, restoring snapshot update-snapshot/,
    );
  });

  it('stops at a call the service refuses', async () => {
    const port = looping();
    port.refuseNext.rollback = Object.assign(
      new Error('Application stock-prices cannot be rolled back because it has no snapshots.'),
      { name: 'UnsupportedOperationException' },
    );
    const outcome = await recover(decideRecovery('rollback', loop, facts()), port);
    expect(outcome).toMatchObject({
      ok: false,
      failed: {
        action: { type: 'rollback' },
        error: 'Application stock-prices cannot be rolled back because it has no snapshots.',
      },
    });
    expect(outcome.records).toHaveLength(1);
  });

  it('fails when the recovered version is still unhealthy, and passes an unknown verdict with a note', async () => {
    const port = looping();
    port.verdicts.push(unhealthy([{ signal: 'restarts', message: '3 restarts in 30s' }]));
    const bad = await recover(decideRecovery('rollback', loop, facts()), port);
    expect(bad.failed).toMatchObject({
      action: { type: 'verify' },
      error: 'still unhealthy: 3 restarts in 30s',
    });

    const port2 = looping();
    port2.verdicts.push(unknown('no datapoints yet'));
    const notKnown = await recover(decideRecovery('rollback', loop, facts()), port2);
    expect(notKnown.ok).toBe(true);
    expect(notKnown.records.at(-1)?.skipped).toBe('health not known: no datapoints yet');
  });

  it('skips a force stop of an application already READY, and a check without a health watch', async () => {
    const port = new ScriptedMsf(live({ status: 'READY' }), { 1: GOOD });
    const plan: RecoveryPlan = {
      ...decideRecovery('stop', loop, facts()),
      actions: [
        { type: 'force-stop', title: 'Force-stop' },
        { type: 'verify', title: 'Watch', bakeSeconds: 10 },
      ],
    };
    const outcome = await recover(plan, port, { verify: false });
    expect(outcome.ok).toBe(true);
    expect(outcome.records.map((r) => r.skipped)).toEqual([
      'stock-prices is already READY',
      'no health watch available',
    ]);
    expect(calls(port)).toEqual([]);
  });

  it('announces each step before it runs and reports it after, with its time', async () => {
    const port = looping();
    const clock = fakeClock(T0);
    const host = createSilentHost();
    const slow = Object.assign(Object.create(port) as ScriptedMsf, {
      describeOperation: async (app: string, id: string) => {
        await clock.sleep(12_000);
        return port.describeOperation(app, id);
      },
    });
    await recover(decideRecovery('rollback', loop, facts()), port, { gateway: slow, clock, host });
    expect(host.messages.map((m) => m.text)).toEqual([
      "Recovery step 1: RollbackApplication: stock-prices back from version 2 to version 1's configuration, as new version 3, restoring its latest snapshot…",
      'Recovery step 1 done in 12s (RUNNING, version 3)',
      'Recovery step 2: Watch stock-prices for 60s to confirm version 1 is healthy…',
      'Recovery step 2 done in 0s (RUNNING, version 3)',
    ]);
  });

  it('an empty plan is a successful recovery that attempted nothing', async () => {
    const outcome = await recover(decideRecovery('none', loop, facts()), looping());
    expect(outcome).toMatchObject({ ok: true, records: [] });
    expect(recoveryOutcomeMessage(outcome).text).toBe('No recovery was attempted for stock-prices.');
  });
});

describe("the policy and the executor over msfctl's MsfGateway and waiters", () => {
  it('rolls a crash-looping update back on the in-memory gateway', async () => {
    const gateway = new FakeMsf({ polls: 2 });
    await gateway.create('stock-prices', GOOD);
    await gateway.start('stock-prices', { from: 'none', allowNonRestoredState: false });
    while ((await gateway.describe('stock-prices'))?.status !== 'RUNNING');
    const before = await gateway.describe('stock-prices');
    const deployStartedAt = Date.now() - 1;
    await gateway.update(
      'stock-prices',
      {
        versionId: before!.versionId,
        ...(before!.conditionalToken ? { conditionalToken: before!.conditionalToken } : {}),
      },
      { properties: BAD.properties },
    );
    while ((await gateway.describe('stock-prices'))?.status !== 'RUNNING');

    const current = await gateway.describe('stock-prices');
    const plan = decideRecovery('rollback', loop, {
      application: 'stock-prices',
      live: current,
      lastGood: { versionId: before!.versionId, config: GOOD },
      snapshots: await gateway.listSnapshots('stock-prices'),
      deployStartedAt,
    });
    expect(plan.actions.map((a) => a.type)).toEqual(['rollback', 'verify']);
    const outcome = await executePlan(plan.actions, {
      gateway,
      application: 'stock-prices',
      basis: current,
      presenter: recoveryPresenter(createSilentHost()),
      clock: fakeClock(),
      wait: { pollMs: 1 },
      verify: async () => unknown('not watched in this test'),
    });
    expect(outcome.ok).toBe(true);
    expect(outcome.live).toMatchObject({ status: 'RUNNING', config: GOOD, rolledBackTo: 1 });
  });
});
