import { describe, expect, it } from 'vitest';
import { unhealthy, unknown } from '../../src/model/health.js';
import { executeRecovery } from '../../src/controller/recovery/recovery-executor.js';
import {
  recoveryOutcomeMessage,
  stepEndMessage,
  stepStartMessage,
} from '../../src/engine/recovery/messages.js';
import type { RecoveryPlan } from '../../src/model/recovery.js';
import { decideRecovery, type RecoveryFacts, type Situation } from '../../src/engine/recovery/policy.js';
import { recoveryPortFor } from '../../src/controller/recovery/gateway-port.js';
import { FakeMsf, fakeClock } from '../fakes/fake-msf.js';
import { FakeRecoveryPort } from './support/fake-port.js';
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
const looping = () => new FakeRecoveryPort(live(), { 1: GOOD });

describe('executeRecovery', () => {
  it('runs RollbackApplication and the health check (scenario 7, service rollback)', async () => {
    const port = looping();
    const outcome = await executeRecovery(decideRecovery('rollback', loop, facts()), port);
    expect(outcome.ok).toBe(true);
    expect(port.calls).toEqual(['describe', 'rollback 2', 'wait op1', 'verify 60s']);
    expect(outcome.live).toMatchObject({ status: 'RUNNING', versionId: 3, config: GOOD, rolledBackTo: 1 });
    expect(outcome.steps.map((s) => [s.step.kind, s.ok])).toEqual([
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
    const outcome = await executeRecovery(plan, port);
    expect(outcome.ok).toBe(true);
    expect(port.calls).toEqual([
      'describe',
      'stop --force',
      'wait op1',
      'describe',
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
    const outcome = await executeRecovery(
      decideRecovery('none', { kind: 'snapshot-impossible', desired: fix }, facts()),
      port,
    );
    expect(outcome.ok).toBe(true);
    expect(port.calls.filter((c) => c !== 'describe' && !c.startsWith('wait'))).toEqual([
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
    const outcome = await executeRecovery(plan, port);
    expect(outcome.ok).toBe(false);
    expect(outcome.failed?.step.kind).toBe('start');
    expect(outcome.failed?.error).toBe(
      "StartApplication op3 ended FAILED: org.apache.flink.client.program.ProgramInvocationException: The program's entry point class 'X' was not found",
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
    const outcome = await executeRecovery(decideRecovery('rollback', loop, facts()), port);
    expect(outcome).toMatchObject({
      ok: false,
      failed: {
        step: { kind: 'rollback' },
        error: 'Application stock-prices cannot be rolled back because it has no snapshots.',
      },
    });
    expect(outcome.steps).toHaveLength(1);
  });

  it('fails when the recovered version is still unhealthy, and passes an unknown verdict with a note', async () => {
    const port = looping();
    port.verdicts.push(unhealthy([{ signal: 'restarts', message: '3 restarts in 30s' }]));
    const bad = await executeRecovery(decideRecovery('rollback', loop, facts()), port);
    expect(bad.failed).toMatchObject({
      step: { kind: 'verify' },
      error: 'still unhealthy: 3 restarts in 30s',
    });

    const port2 = looping();
    port2.verdicts.push(unknown('no datapoints yet'));
    const notKnown = await executeRecovery(decideRecovery('rollback', loop, facts()), port2);
    expect(notKnown.ok).toBe(true);
    expect(notKnown.steps.at(-1)?.skipped).toBe('health not known: no datapoints yet');
  });

  it('skips a force stop of an application already READY, and a check without a health watch', async () => {
    const port = new FakeRecoveryPort(live({ status: 'READY' }), { 1: GOOD });
    const plan: RecoveryPlan = {
      ...decideRecovery('stop', loop, facts()),
      steps: [
        { kind: 'force-stop', description: 'Force-stop' },
        { kind: 'verify', description: 'Watch', bakeSeconds: 10 },
      ],
    };
    const { verify: _none, ...noVerify } = port.with({});
    const outcome = await executeRecovery(plan, noVerify);
    expect(outcome.ok).toBe(true);
    expect(outcome.steps.map((s) => s.skipped)).toEqual([
      'stock-prices is already READY',
      'no health watch available',
    ]);
    expect(port.calls).toEqual(['describe']);
  });

  it('announces each step before it runs and reports it after, with its time', async () => {
    const port = looping();
    const clock = fakeClock(T0);
    const events: string[] = [];
    const slow = port.with({
      waitForOutcome: async (app, id) => {
        await clock.sleep(12_000);
        return port.waitForOutcome(app, id);
      },
    });
    await executeRecovery(decideRecovery('rollback', loop, facts()), slow, {
      clock,
      onStepStart: (step, i) => void events.push(stepStartMessage(step, i).text),
      onStepEnd: (record, i) => void events.push(stepEndMessage(record, i).text),
    });
    expect(events).toEqual([
      'Recovery step 1: RollbackApplication: stock-prices back from version 2 to version 1, restoring its latest snapshot…',
      'Recovery step 1 done in 12s (RUNNING, version 3)',
      'Recovery step 2: Watch stock-prices for 60s to confirm version 1 is healthy…',
      'Recovery step 2 done in 0s',
    ]);
  });

  it('an empty plan is a successful recovery that attempted nothing', async () => {
    const outcome = await executeRecovery(decideRecovery('none', loop, facts()), looping());
    expect(outcome).toMatchObject({ ok: true, steps: [] });
    expect(recoveryOutcomeMessage(outcome).text).toBe('No recovery was attempted for stock-prices.');
  });
});

describe("recoveryPortFor: the policy and executor over msfctl's MsfGateway and waiters", () => {
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
    expect(plan.steps.map((s) => s.kind)).toEqual(['rollback', 'verify']);
    const port = recoveryPortFor(gateway, {
      wait: { clock: fakeClock(), pollMs: 1 },
      verify: async () => unknown('not watched in this test'),
    });
    const outcome = await executeRecovery(plan, port);
    expect(outcome.ok).toBe(true);
    expect(outcome.live).toMatchObject({ status: 'RUNNING', config: GOOD, rolledBackTo: 1 });
  });
});
