/**
 * The recovery policy as a pure decision: `deploy.onFailure` × the situation × what the service reports now →
 * a RecoveryPlan. No I/O; the caller observes (DescribeApplication, ListApplicationSnapshots, the ledger's
 * last good version) and the executor acts.
 *
 * Getting back to the last good version ("rollback"):
 *  - RollbackApplication when the service allows it and it lands where we want: status RUNNING, UPDATING or
 *    AUTOSCALING, the previous version is the last good one, and the newest READY snapshot (the one it
 *    restores) holds good state;
 *  - otherwise by hand: force-stop (a failing job cannot take a snapshot, and its state since the last good
 *    snapshot is not wanted), UpdateApplication back to the good configuration while READY (no restart), and
 *    StartApplication from the latest good snapshot (RESTORE_FROM_CUSTOM_SNAPSHOT).
 * Then a bake watch on the recovered application.
 *
 * Situations: a failed operation (scenario 3), a crash loop after a successful deploy (scenario 7), a deploy
 * to a crash-looping application that needs a snapshot the service cannot take (scenario 8; the steps are the
 * deploy itself, whatever the policy), and a rollback the service did by itself (scenario 11).
 */
import { restorableIn, restoreFromSnapshot } from '../../model/snapshot-refs.js';
import type { Action } from '../../model/actions.js';
import {
  isForceStoppable,
  ROLLBACK_STATUSES,
  type AppConfig,
  type LiveApplication,
  type OperationInfo,
  type RestoreSettings,
  type SnapshotInfo,
} from '../../model/application.js';
import { diffConfig } from '../../model/changes.js';
import type { OnFailurePolicy } from '../../model/deploy-settings.js';
import type { HealthResult } from '../../model/health.js';
import type { RecoveryPlan } from '../../model/recovery.js';
import { describeSnapshot, forcedDeployRestore, forcedPath } from '../forced-path.js';
import { chooseGoodSnapshot, latestSnapshotIsGood, type GoodSnapshot } from './good-snapshot.js';
import type { SystemRollback } from './system-rollback.js';

export type Situation =
  | { kind: 'operation-failed'; operation?: OperationInfo }
  | { kind: 'crash-loop'; health: HealthResult }
  | {
      kind: 'snapshot-impossible';
      /** The configuration the deploy wants (the fix). */
      desired: AppConfig;
      /** How the deploy's job restores (the spec's restore settings). */
      restore?: RestoreSettings;
      /** The service's "Failed to take snapshot ..." message, when it came from a refused call. */
      error?: string;
    }
  | { kind: 'system-rollback'; rollback: SystemRollback };

export interface RecoveryFacts {
  application: string;
  /** The application as described now (undefined: it does not exist). */
  live: LiveApplication | undefined;
  /** The last version msfctl saw healthy (the ledger's lastGood). */
  lastGood?: { versionId: number; config: AppConfig };
  snapshots: readonly SnapshotInfo[];
  /** When the failed deploy began (epoch ms): snapshots taken before it are of good state. */
  deployStartedAt?: number;
}

export interface RecoveryOptions {
  /** Bake of the verify action. @default 60 */
  verifySeconds?: number;
}

function verify(application: string, seconds: number, what: string): Action {
  return {
    type: 'verify',
    title: `Watch ${application} for ${seconds}s to confirm ${what} is healthy`,
    bakeSeconds: seconds,
  };
}

function forceStop(application: string, why: string): Action {
  return { type: 'force-stop', reason: why, title: `Force-stop ${application} without a snapshot (${why})` };
}

function describeGood(good: GoodSnapshot): string {
  return `${describeSnapshot(good.snapshot).replace(/\)$/, '')}${good.why === 'before-deploy' ? ', taken before the failed deploy' : ''})`;
}

/** Why RollbackApplication would not land on the last good version with good state; undefined when it would. */
function whyNotServiceRollback(facts: RecoveryFacts): string | undefined {
  const { live, lastGood } = facts;
  if (!live || !lastGood) return 'nothing to roll back';
  if (!ROLLBACK_STATUSES.includes(live.status))
    return `the service rolls back only a RUNNING, UPDATING or AUTOSCALING application, and ${facts.application} is ${live.status}`;
  if (!facts.snapshots.some((s) => s.status === 'READY'))
    return 'RollbackApplication needs a snapshot and there is none';
  if (live.versionUpdatedFrom !== lastGood.versionId) {
    return live.versionUpdatedFrom === undefined
      ? `the service does not say which version ${live.versionId} replaced`
      : `the previous version is ${live.versionUpdatedFrom}, not the last good version ${lastGood.versionId}`;
  }
  if (
    !latestSnapshotIsGood({
      snapshots: facts.snapshots,
      goodVersionId: lastGood.versionId,
      ...(facts.deployStartedAt !== undefined ? { deployStartedAt: facts.deployStartedAt } : {}),
    })
  ) {
    return 'the newest snapshot (the one RollbackApplication restores) was not taken of the good version';
  }
  return undefined;
}

interface Route {
  actions: Action[];
  warnings: string[];
  how: string;
  target?: RecoveryPlan['target'];
}

/** Actions that bring the last good version back, RUNNING with its state. */
function backToGood(facts: RecoveryFacts, options: Required<RecoveryOptions>): Route {
  const { application, live, lastGood } = facts;
  if (!live)
    return {
      actions: [],
      warnings: [`${application} no longer exists: there is nothing to recover.`],
      how: 'nothing to recover',
    };
  if (!lastGood) {
    return {
      actions: [],
      warnings: [
        `msfctl has no record of a good version of ${application}, so there is nothing to roll back to: fix the spec and apply, or \`msfctl stop --force\`.`,
      ],
      how: 'no last good version to return to',
    };
  }
  const good = `version ${lastGood.versionId}'s configuration`;
  const target = { status: 'RUNNING' as const, config: lastGood.config, configOf: lastGood.versionId };
  const notRollback = whyNotServiceRollback(facts);
  if (!notRollback) {
    return {
      actions: [
        {
          type: 'rollback',
          // The service does not go back to the old version: it creates version N+1 with its configuration.
          title: `RollbackApplication: ${application} back from version ${live.versionId} to ${good}, as new version ${live.versionId + 1}, restoring its latest snapshot`,
          fromVersion: live.versionId,
          toVersion: lastGood.versionId,
        },
        verify(application, options.verifySeconds, `version ${lastGood.versionId}`),
      ],
      warnings: [],
      how: `roll back to ${good} (RollbackApplication creates version ${live.versionId + 1} with it)`,
      target,
    };
  }
  const warnings: string[] = [];
  if (!isForceStoppable(live.status) && live.status !== 'READY')
    warnings.push(`${application} is ${live.status}; the actions below expect it to settle first.`);
  const chosen = chooseGoodSnapshot({
    snapshots: restorableIn(live.config.snapshotMode, facts.snapshots),
    goodVersionId: lastGood.versionId,
    ...(facts.deployStartedAt !== undefined ? { deployStartedAt: facts.deployStartedAt } : {}),
  });
  if (!chosen)
    warnings.push(`No snapshot of a good version of ${application} exists: it starts with empty state.`);
  // Back to good state only: with no snapshot of it, empty state rather than the failing version's.
  const run: RestoreSettings = chosen
    ? restoreFromSnapshot(chosen.snapshot, false)
    : { from: 'none', allowNonRestoredState: false };
  const actions = forcedPath({
    live,
    to: lastGood.config,
    run,
    snapshots: facts.snapshots,
    why: 'the failing version cannot take one; the last good snapshot stays',
    updateTitle: (fields) => `Update ${application} back to ${good} (${fields})`,
    startTitle: `Start ${application} on ${good}, ${chosen ? `restoring snapshot ${describeGood(chosen)}` : 'with empty state'}`,
    startReason: 'recovery',
  });
  if (actions.some((a) => a.type === 'update' && a.update.runtime))
    warnings.push(
      `Reverting the runtime (${live.config.runtime} → ${lastGood.config.runtime}): the service may refuse a downgrade by UpdateApplication.`,
    );
  actions.push(verify(application, options.verifySeconds, good));
  const parts = [
    ...(actions[0]?.type === 'force-stop' ? ['force-stop'] : []),
    ...(actions.some((a) => a.type === 'update')
      ? [`revert to version ${lastGood.versionId}'s configuration`]
      : []),
    chosen ? 'start it from its latest good snapshot' : 'start it with empty state',
  ];
  const how = `${parts.slice(0, -1).join(', ')}${parts.length > 1 ? ' and ' : ''}${parts.at(-1)} (RollbackApplication is not possible: ${notRollback})`;
  return {
    actions,
    warnings,
    how,
    target: { ...target, ...(chosen ? { restoreFrom: chosen.snapshot.name } : {}) },
  };
}

/** An ErrorString without its stack trace and final full stop (ErrorString is `<class>: <message> StackTrace: ...`). */
function firstPart(error: string): string {
  return error.split(' StackTrace:')[0]!.trim().replace(/\.$/, '');
}

function onGoodVersion(facts: RecoveryFacts): boolean {
  return (
    facts.live !== undefined &&
    facts.lastGood !== undefined &&
    diffConfig(facts.live.config, facts.lastGood.config).length === 0
  );
}

export function decideRecovery(
  policy: OnFailurePolicy,
  situation: Situation,
  facts: RecoveryFacts,
  options: RecoveryOptions = {},
): RecoveryPlan {
  const opts: Required<RecoveryOptions> = { verifySeconds: options.verifySeconds ?? 60 };
  const { application, live } = facts;
  const plan = (summary: string, route: Route, deployFailed = true): RecoveryPlan => ({
    application,
    policy,
    situation: situation.kind,
    summary,
    actions: route.actions,
    warnings: route.warnings,
    ...(route.target ? { target: route.target } : {}),
    deployFailed,
  });
  const leave = (what: string): Route => ({ actions: [], warnings: [], how: what });

  switch (situation.kind) {
    case 'snapshot-impossible': {
      // The deploy itself, not a recovery: whatever the policy, the only way forward without a snapshot.
      const warnings = [
        `${application} is failing, so the service cannot take the snapshot this update needs; msfctl force-stops it and starts the new configuration from the latest good snapshot instead.`,
      ];
      if (!live) return plan(`${application} no longer exists.`, leave('nothing to deploy to'));
      const restore = forcedDeployRestore({
        restore: situation.restore ?? { from: 'latest', allowNonRestoredState: false },
        snapshots: facts.snapshots,
        mode: live.config.snapshotMode,
        ...(facts.lastGood ? { lastGoodVersionId: facts.lastGood.versionId } : {}),
        ...(facts.deployStartedAt !== undefined ? { deployStartedAt: facts.deployStartedAt } : {}),
      });
      if (restore.run.from === 'latest')
        warnings.push(`No snapshot of ${application} exists: it starts with empty state.`);
      const actions = forcedPath({
        live,
        to: situation.desired,
        run: restore.run,
        snapshots: facts.snapshots,
        why: 'the failing job cannot take one',
        updateTitle: (fields) => `Update ${application} to the new configuration (${fields})`,
        startTitle: `Start ${application} on the new configuration, ${restore.snapshot ? `restoring snapshot ${describeSnapshot(restore.snapshot)}, ${restore.why}` : restore.run.from === 'none' ? 'with empty state' : `restoring ${restore.run.from === 'snapshot' ? `snapshot ${restore.run.snapshot}` : 'the latest snapshot'}`}`,
        startReason: 'running: true (after the forced update)',
      });
      actions.push(verify(application, opts.verifySeconds, 'the new configuration'));
      return plan(
        `${application} cannot take a snapshot (its job is failing): deploying by force-stop, update and start from the latest good snapshot.`,
        {
          actions,
          warnings,
          how: 'force-stop, update, start',
          target: {
            status: 'RUNNING',
            config: situation.desired,
            ...(restore.snapshot ? { restoreFrom: restore.snapshot.name } : {}),
          },
        },
        false,
      );
    }

    case 'system-rollback': {
      const { rollback } = situation;
      const opText = `${rollback.failed.operation} ${rollback.failed.id} failed${rollback.failed.error ? ` (${firstPart(rollback.failed.error)})` : ''}`;
      const actions: Action[] = [];
      if (rollback.state === 'in-progress' && rollback.failed.rollbackOperationId) {
        actions.push({
          type: 'wait',
          title: `Wait for the service's rollback (operation ${rollback.failed.rollbackOperationId}) to finish`,
          operationId: rollback.failed.rollbackOperationId,
        });
      }
      const reconcile: Action = {
        type: 'reconcile',
        title: `Record the service's rollback of ${application} in the ledger`,
      };
      if (rollback.state === 'failed' || (rollback.state !== 'in-progress' && live?.status === 'READY')) {
        const route =
          policy === 'rollback' ? backToGood(facts, opts) : leave(`leave it READY (onFailure: ${policy})`);
        return plan(
          `${opText}; the service's system rollback failed too and left ${application} ${live?.status ?? 'gone'}: ${route.how}.`,
          { ...route, actions: [...actions, reconcile, ...route.actions] },
        );
      }
      return plan(
        `${opText}; the service rolled ${application} back by itself (system rollback${rollback.rollback ? ` ${rollback.rollback.id}` : ''}): msfctl records it and checks the result.`,
        {
          actions: [
            ...actions,
            reconcile,
            verify(application, opts.verifySeconds, 'the rolled-back version'),
          ],
          warnings: [],
          how: 'record it',
          target: { status: 'RUNNING', ...(facts.lastGood ? { config: facts.lastGood.config } : {}) },
        },
      );
    }

    case 'operation-failed': {
      const op = situation.operation;
      const opText = op
        ? `${op.operation} ${op.id} failed${op.error ? `: ${firstPart(op.error)}` : ''}`
        : 'The deploy failed';
      if (live?.status === 'ROLLING_BACK' || op?.rollbackOperationId) {
        const rollback: SystemRollback = {
          failed: op ?? { id: '', operation: 'UpdateApplication', status: 'FAILED' },
          state:
            live?.status === 'ROLLING_BACK'
              ? 'in-progress'
              : live?.status === 'READY'
                ? 'failed'
                : 'succeeded',
        };
        return decideRecovery(policy, { kind: 'system-rollback', rollback }, facts, opts);
      }
      if (policy === 'none')
        return plan(
          `${opText}. ${application} is left ${live?.status ?? 'gone'} (onFailure: none).`,
          leave('none'),
        );
      if (live?.status === 'RUNNING' && onGoodVersion(facts)) {
        return plan(`${opText}. ${application} still runs the last good version.`, {
          actions: [verify(application, opts.verifySeconds, 'the last good version')],
          warnings: [],
          how: 'check it',
          target: { status: 'RUNNING', config: facts.lastGood!.config },
        });
      }
      if (policy === 'stop') {
        const running = live !== undefined && isForceStoppable(live.status);
        return plan(
          `${opText}. ${running ? `Stopping ${application} (onFailure: stop).` : `${application} is ${live?.status ?? 'gone'}: nothing to stop.`}`,
          {
            actions: running ? [forceStop(application, 'onFailure: stop')] : [],
            warnings: [],
            how: 'stop',
            target: { status: 'READY' },
          },
        );
      }
      const route = backToGood(facts, opts);
      return plan(
        `${opText}. ${route.actions.length ? `Recovering: ${route.how}.` : (route.warnings[0] ?? '')}`,
        route,
      );
    }

    case 'crash-loop': {
      const evidence = situation.health.reason;
      const head = `${application} is crash-looping after the deploy (${evidence})`;
      if (policy === 'none') return plan(`${head}. Left as it is (onFailure: none).`, leave('none'));
      if (policy === 'stop') {
        const running = live !== undefined && isForceStoppable(live.status);
        return plan(
          `${head}. ${running ? 'Stopping it (onFailure: stop).' : `It is ${live?.status ?? 'gone'} already.`}`,
          {
            actions: running
              ? [forceStop(application, 'a failing job cannot take one; onFailure: stop')]
              : [],
            warnings: [],
            how: 'stop',
            target: { status: 'READY' },
          },
        );
      }
      // Going back to the version that is looping restarts the same loop: say so and leave it.
      if (onGoodVersion(facts))
        return plan(
          `${head}; it runs the last good version's configuration, so there is nothing to roll back to. Fix the cause, or stop it with \`msfctl stop --force\`.`,
          leave('nothing to roll back to'),
        );
      const route = backToGood(facts, opts);
      return plan(
        `${head}. ${route.actions.length ? `Recovering: ${route.how}.` : (route.warnings[0] ?? '')}`,
        route,
      );
    }
  }
}
