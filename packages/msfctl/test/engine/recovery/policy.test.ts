import { describe, expect, it } from 'vitest';
import { translateAwsError } from '../../../src/adapters/aws/aws-errors.js';
import { unhealthy } from '../../../src/model/health.js';
import { chooseGoodSnapshot, latestSnapshotIsGood } from '../../../src/engine/recovery/good-snapshot.js';
import { parseOnFailure } from '../../../src/model/deploy-settings.js';
import { recoveryPlanMessages } from '../../../src/engine/recovery/messages.js';
import { DEFAULT_ON_FAILURE } from '../../../src/model/deploy-settings.js';
import { configUpdateBetween } from '../../../src/engine/updates.js';
import { decideRecovery, type RecoveryFacts, type Situation } from '../../../src/engine/recovery/policy.js';
import { isSnapshotImpossible } from '../../../src/engine/recovery/snapshot-error.js';
import { BAD, GOOD, T0, config, live, operation, snapshot } from '../../controller/support/apps.js';

const loop: Situation = {
  kind: 'crash-loop',
  health: unhealthy([
    { signal: 'restarts', message: '2 restarts in 14s since the job started (numRestarts 0 → 2)' },
  ]),
};
/** The update from v1 to v2 took this snapshot of v1 (the service's automatic snapshot on update). */
const updateSnapshot = snapshot('update-snapshot', 1, T0 + 1000);
const older = snapshot('nightly', 1, T0 - 86_400_000);

function facts(overrides: Partial<RecoveryFacts> = {}): RecoveryFacts {
  return {
    application: 'stock-prices',
    live: live(),
    lastGood: { versionId: 1, config: GOOD },
    snapshots: [older, updateSnapshot],
    deployStartedAt: T0,
    ...overrides,
  };
}

const kinds = (plan: { actions: { type: string }[] }) => plan.actions.map((a) => a.type);

describe('scenario 7: crash loop after a successful deploy', () => {
  it('rollback: RollbackApplication when it lands on the last good version with good state', () => {
    const plan = decideRecovery('rollback', loop, facts());
    expect(kinds(plan)).toEqual(['rollback', 'verify']);
    expect(plan.actions[0]).toEqual({
      type: 'rollback',
      fromVersion: 2,
      toVersion: 1,
      title:
        "RollbackApplication: stock-prices back from version 2 to version 1's configuration, as new version 3, restoring its latest snapshot",
    });
    expect(plan.summary).toBe(
      "stock-prices is crash-looping after the deploy (2 restarts in 14s since the job started (numRestarts 0 → 2)). Recovering: roll back to version 1's configuration (RollbackApplication creates version 3 with it).",
    );
    expect(plan).toMatchObject({
      policy: 'rollback',
      situation: 'crash-loop',
      deployFailed: true,
      warnings: [],
      target: { status: 'RUNNING', config: GOOD },
    });
  });

  it('rollback: by hand when the newest snapshot holds the bad version', () => {
    const plan = decideRecovery(
      'rollback',
      loop,
      facts({ snapshots: [older, updateSnapshot, snapshot('of-bad', 2, T0 + 5000)] }),
    );
    expect(kinds(plan)).toEqual(['force-stop', 'update', 'start', 'verify']);
    expect(plan.summary).toMatch(
      /RollbackApplication is not possible: the newest snapshot \(the one RollbackApplication restores\) was not taken of the good version/,
    );
    expect(plan.actions[1]).toMatchObject({
      type: 'update',
      update: { properties: GOOD.properties },
      changes: [
        {
          field: 'properties.OutputStream0["stream.name"]',
          before: 'no-such-stream',
          after: 'prices',
        },
      ],
    });
    expect(plan.actions[2]).toMatchObject({
      type: 'start',
      run: { from: 'snapshot', snapshot: 'update-snapshot', allowNonRestoredState: false },
    });
    expect(plan.actions[2]!.title).toBe(
      "Start stock-prices on version 1's configuration, restoring snapshot update-snapshot (version 1, 2026-01-01T12:00:01Z)",
    );
    expect(plan.target).toEqual({
      status: 'RUNNING',
      config: GOOD,
      configOf: 1,
      restoreFrom: 'update-snapshot',
    });
  });

  it('rollback: by hand when the previous version is not the last good one', () => {
    const plan = decideRecovery(
      'rollback',
      loop,
      facts({ live: live({ versionId: 3, versionUpdatedFrom: 2 }) }),
    );
    expect(kinds(plan)).toEqual(['force-stop', 'update', 'start', 'verify']);
    expect(plan.summary).toMatch(/the previous version is 2, not the last good version 1/);
  });

  it('rollback: by hand, with empty state and a warning, when there is no snapshot at all', () => {
    const plan = decideRecovery('rollback', loop, facts({ snapshots: [] }));
    expect(kinds(plan)).toEqual(['force-stop', 'update', 'start', 'verify']);
    expect(plan.actions[2]).toMatchObject({
      run: { from: 'none' },
      title: "Start stock-prices on version 1's configuration, with empty state",
    });
    expect(plan.warnings).toEqual([
      'No snapshot of a good version of stock-prices exists: it starts with empty state.',
    ]);
  });

  it('rollback: nothing to do without a last good version, and says what to do instead', () => {
    const plan = decideRecovery('rollback', loop, facts({ lastGood: undefined }));
    expect(plan.actions).toEqual([]);
    expect(plan.summary).toMatch(
      /msfctl has no record of a good version of stock-prices, so there is nothing to roll back to: fix the spec and apply, or `msfctl stop --force`/,
    );
  });

  it('stop: force-stops (a failing job cannot take a snapshot); nothing when already stopped', () => {
    expect(kinds(decideRecovery('stop', loop, facts()))).toEqual(['force-stop']);
    const stopped = decideRecovery('stop', loop, facts({ live: live({ status: 'READY' }) }));
    expect(stopped.actions).toEqual([]);
    expect(stopped.summary).toMatch(/It is READY already\.$/);
  });

  it('none: reports and leaves it', () => {
    const plan = decideRecovery('none', loop, facts());
    expect(plan.actions).toEqual([]);
    expect(plan.summary).toMatch(/Left as it is \(onFailure: none\)\.$/);
    expect(plan.deployFailed).toBe(true);
  });

  it('a runtime change is reverted by RollbackApplication when possible, with a warning when by hand', () => {
    const upgraded = live({ config: config('prices', { runtime: 'FLINK-1_20' }) });
    expect(kinds(decideRecovery('rollback', loop, facts({ live: upgraded })))).toEqual([
      'rollback',
      'verify',
    ]);
    const byHand = decideRecovery(
      'rollback',
      loop,
      facts({ live: { ...upgraded, versionUpdatedFrom: undefined } }),
    );
    expect(byHand.warnings).toContain(
      'Reverting the runtime (FLINK-1_20 → FLINK-1_19): the service may refuse a downgrade by UpdateApplication.',
    );
    expect(byHand.summary).toMatch(/the service does not say which version 2 replaced/);
  });
});

describe('scenario 3: a failed operation', () => {
  const failed = operation('op123456789a', 'UpdateApplication', 'FAILED', T0, {
    error:
      "org.apache.flink.client.program.ProgramInvocationException: The program's entry point class 'com.example.NoSuchJob' was not found in the jar file. StackTrace: ...",
  });
  const readyOnBad = facts({ live: live({ status: 'READY' }) });

  it('rollback: the service left it READY on the bad version: update back, start from the good snapshot', () => {
    const plan = decideRecovery('rollback', { kind: 'operation-failed', operation: failed }, readyOnBad);
    expect(kinds(plan)).toEqual(['update', 'start', 'verify']);
    expect(plan.summary).toMatch(
      /^UpdateApplication op123456789a failed: org\.apache\.flink\.client\.program\.ProgramInvocationException: .* was not found in the jar file\. Recovering: /,
    );
    expect(plan.summary).toMatch(
      /was not found in the jar file\. Recovering: revert to version 1's configuration and start it from its latest good snapshot \(RollbackApplication is not possible: the service rolls back only a RUNNING, UPDATING or AUTOSCALING application, and stock-prices is READY\)\.$/,
    );
    expect(plan.actions[1]).toMatchObject({ run: { from: 'snapshot', snapshot: 'update-snapshot' } });
  });

  it('rollback: only a check when it still runs the last good version', () => {
    const plan = decideRecovery(
      'rollback',
      { kind: 'operation-failed', operation: failed },
      facts({ live: live({ config: GOOD }) }),
    );
    expect(kinds(plan)).toEqual(['verify']);
    expect(plan.summary).toMatch(/still runs the last good version/);
  });

  it('stop and none leave a READY application READY', () => {
    expect(
      decideRecovery('stop', { kind: 'operation-failed', operation: failed }, readyOnBad).actions,
    ).toEqual([]);
    expect(
      decideRecovery('none', { kind: 'operation-failed', operation: failed }, readyOnBad).summary,
    ).toMatch(/is left READY \(onFailure: none\)/);
  });

  it('a first deploy that failed has nothing to return to', () => {
    const plan = decideRecovery(
      'rollback',
      { kind: 'operation-failed', operation: operation('op', 'StartApplication', 'FAILED', T0) },
      facts({ live: live({ status: 'READY', versionId: 1 }), lastGood: undefined, snapshots: [] }),
    );
    expect(plan.actions).toEqual([]);
    expect(plan.warnings[0]).toMatch(/no record of a good version/);
  });

  it('hands over to the system-rollback path when the failed operation names a rollback', () => {
    const withRollback = { ...failed, rollbackOperationId: 'rb0000000001' };
    const plan = decideRecovery(
      'rollback',
      { kind: 'operation-failed', operation: withRollback },
      facts({ live: live({ config: GOOD, versionId: 3 }) }),
    );
    expect(plan.situation).toBe('system-rollback');
    expect(kinds(plan)).toEqual(['reconcile', 'verify']);
    const inProgress = decideRecovery(
      'rollback',
      { kind: 'operation-failed', operation: withRollback },
      facts({ live: live({ status: 'ROLLING_BACK' }) }),
    );
    expect(kinds(inProgress)).toEqual(['wait', 'reconcile', 'verify']);
    expect(inProgress.actions[0]).toMatchObject({ operationId: 'rb0000000001' });
  });
});

describe('scenario 8: a deploy to a crash-looping application, which cannot take a snapshot', () => {
  const fix: Situation = {
    kind: 'snapshot-impossible',
    desired: GOOD,
    error: 'Failed to take snapshot for the application stock-prices at this moment.',
  };

  it.each(['rollback', 'stop', 'none'] as const)(
    'force-stops, updates and starts from the latest good snapshot (onFailure: %s)',
    (policy) => {
      const plan = decideRecovery(policy, fix, facts());
      expect(kinds(plan)).toEqual(['force-stop', 'update', 'start', 'verify']);
      expect(plan.deployFailed).toBe(false);
      expect(plan.warnings[0]).toMatch(
        /cannot take the snapshot this update needs; msfctl force-stops it and starts the new configuration from the latest good snapshot instead/,
      );
      expect(plan.actions[2]).toMatchObject({
        run: { from: 'snapshot', snapshot: 'update-snapshot', allowNonRestoredState: false },
      });
    },
  );

  it('carries allowNonRestoredState to the start, and skips the update when nothing changes', () => {
    const plan = decideRecovery(
      'rollback',
      { ...fix, desired: BAD, restore: { from: 'latest', allowNonRestoredState: true } },
      facts(),
    );
    expect(kinds(plan)).toEqual(['force-stop', 'start', 'verify']);
    expect(plan.actions[1]).toMatchObject({ run: { allowNonRestoredState: true } });
  });
});

describe('scenario 11: the service rolled back by itself', () => {
  const failedUpdate = operation('upd000000001', 'UpdateApplication', 'FAILED', T0, {
    rollbackOperationId: 'rb0000000001',
    error: 'java.lang.IllegalStateException: state not compatible StackTrace: x',
  });
  const rollbackOp = operation('rb0000000001', 'RollbackApplication', 'SUCCESSFUL', T0 + 5000);

  it('records it and checks the result', () => {
    const plan = decideRecovery(
      'rollback',
      {
        kind: 'system-rollback',
        rollback: { failed: failedUpdate, rollback: rollbackOp, state: 'succeeded' },
      },
      facts({ live: live({ versionId: 3, config: GOOD }) }),
    );
    expect(kinds(plan)).toEqual(['reconcile', 'verify']);
    expect(plan.summary).toBe(
      'UpdateApplication upd000000001 failed (java.lang.IllegalStateException: state not compatible); the service rolled stock-prices back by itself (system rollback rb0000000001): msfctl records it and checks the result.',
    );
  });

  it('starts the good version when the system rollback failed too (rollback policy only)', () => {
    const failedBoth = {
      failed: failedUpdate,
      rollback: { ...rollbackOp, status: 'FAILED' as const },
      state: 'failed' as const,
    };
    const readyOnGood = facts({ live: live({ status: 'READY', versionId: 3, config: GOOD }) });
    const plan = decideRecovery('rollback', { kind: 'system-rollback', rollback: failedBoth }, readyOnGood);
    expect(kinds(plan)).toEqual(['reconcile', 'start', 'verify']);
    expect(plan.summary).toMatch(/the service's system rollback failed too and left stock-prices READY/);
    expect(
      kinds(decideRecovery('stop', { kind: 'system-rollback', rollback: failedBoth }, readyOnGood)),
    ).toEqual(['reconcile']);
  });
});

describe('building blocks', () => {
  it('the good snapshot is the newest READY one of the good version, else the newest taken before the deploy', () => {
    const failedSnap = snapshot('failed', 1, T0 + 9000, 'FAILED');
    expect(
      chooseGoodSnapshot({ snapshots: [older, updateSnapshot, failedSnap], goodVersionId: 1 })?.snapshot.name,
    ).toBe('update-snapshot');
    const fromV0 = snapshot('v0', 0, T0 - 1000);
    expect(
      chooseGoodSnapshot({
        snapshots: [fromV0, snapshot('bad', 2, T0 + 1)],
        goodVersionId: 1,
        deployStartedAt: T0,
      }),
    ).toEqual({ snapshot: fromV0, why: 'before-deploy' });
    expect(
      chooseGoodSnapshot({ snapshots: [snapshot('bad', 2, T0 + 1)], goodVersionId: 1, deployStartedAt: T0 }),
    ).toBeUndefined();
    expect(latestSnapshotIsGood({ snapshots: [older, updateSnapshot], goodVersionId: 1 })).toBe(true);
    expect(
      latestSnapshotIsGood({ snapshots: [updateSnapshot, snapshot('bad', 2, T0 + 2000)], goodVersionId: 1 }),
    ).toBe(false);
  });

  it('the config update sends each changed section whole', () => {
    const from = config('a');
    const to = config('b', {
      code: { bucket: 'artifacts', key: 'v2.jar' },
      parallelism: { custom: true, parallelism: 2, perKpu: 1, autoscaling: false },
    });
    const { update, changes } = configUpdateBetween(from, to);
    expect(update).toEqual({ code: to.code, properties: to.properties, parallelism: to.parallelism });
    expect(changes.map((c) => c.field)).toEqual([
      'code',
      'parallelism.parallelism',
      'properties.OutputStream0["stream.name"]',
    ]);
    expect(configUpdateBetween(from, from).update).toEqual({});
  });

  it('recognises the service refusing a snapshot, raw or translated by msfctl', () => {
    const raw = Object.assign(
      new Error(
        'Failed to take snapshot for the application stock-prices at this moment. The application is currently experiencing downtime.',
      ),
      { name: 'InvalidApplicationConfigurationException' },
    );
    expect(isSnapshotImpossible(raw)).toBe(true);
    expect(isSnapshotImpossible(translateAwsError(raw, 'UpdateApplication stock-prices'))).toBe(true);
    expect(isSnapshotImpossible(new Error('wrapped', { cause: raw }))).toBe(true);
    expect(
      isSnapshotImpossible(
        Object.assign(new Error('Invalid checkpoint interval'), {
          name: 'InvalidApplicationConfigurationException',
        }),
      ),
    ).toBe(false);
    expect(
      isSnapshotImpossible(
        Object.assign(new Error('Failed to take snapshot'), { name: 'ResourceInUseException' }),
      ),
    ).toBe(false);
    expect(isSnapshotImpossible(undefined)).toBe(false);
  });

  it('parses --on-failure and defaults to rollback', () => {
    expect(DEFAULT_ON_FAILURE).toBe('rollback');
    expect(parseOnFailure('Stop')).toBe('stop');
    expect(() => parseOnFailure('revert')).toThrow(
      '--on-failure must be one of rollback, stop, none, not "revert".',
    );
  });

  it('prints every step, numbered, and the warnings', () => {
    const messages = recoveryPlanMessages(decideRecovery('rollback', loop, facts({ snapshots: [] })));
    expect(messages.map((m) => [m.code, m.text.split(' (')[0]])).toEqual([
      ['MSF_RECOVERY_E4000', 'stock-prices is crash-looping after the deploy'],
      ['MSF_RECOVERY_I4001', '  1. Force-stop stock-prices without a snapshot'],
      ['MSF_RECOVERY_I4001', "  2. Update stock-prices back to version 1's configuration"],
      ['MSF_RECOVERY_I4001', "  3. Start stock-prices on version 1's configuration, with empty state"],
      [
        'MSF_RECOVERY_I4001',
        "  4. Watch stock-prices for 60s to confirm version 1's configuration is healthy",
      ],
      [
        'MSF_RECOVERY_W4002',
        'No snapshot of a good version of stock-prices exists: it starts with empty state.',
      ],
    ]);
  });
});
