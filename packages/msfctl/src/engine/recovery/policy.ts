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
import type {
  AppConfig,
  LiveApplication,
  OperationInfo,
  RestoreSettings,
  SnapshotInfo,
} from '../../model/application.js';
import type { HealthResult } from '../../model/health.js';
import { diffConfig, sectionsOf, type FieldChange } from '../../model/changes.js';
import type { ConfigUpdate } from '../../model/application.js';
import { chooseGoodSnapshot, latestSnapshotIsGood, type GoodSnapshot } from './good-snapshot.js';
import type { RecoveryPlan, RecoveryStep } from '../../model/recovery.js';
import type { OnFailurePolicy } from '../../model/deploy-settings.js';
import type { SystemRollback } from './system-rollback.js';

export type Situation =
  | { kind: 'operation-failed'; operation?: OperationInfo }
  | { kind: 'crash-loop'; health: HealthResult }
  | {
      kind: 'snapshot-impossible';
      /** The configuration the deploy wants (the fix). */
      desired: AppConfig;
      allowNonRestoredState?: boolean;
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
  /** Bake of the verify step. @default 60 */
  verifySeconds?: number;
}

const ROLLBACK_STATUSES = ['RUNNING', 'UPDATING', 'AUTOSCALING'];
/** Statuses a force stop gets out of (msf-api.md §4.1, §4.5). */
const FORCE_STOPPABLE = ['RUNNING', 'STARTING', 'UPDATING', 'STOPPING', 'AUTOSCALING', 'MAINTENANCE'];

function changedFields(changes: readonly FieldChange[]): string[] {
  return changes.map((c) => `${c.field}: ${c.before ?? '(none)'} → ${c.after ?? '(none)'}`);
}

/** The UpdateApplication payload that turns `from` into `to`: every changed section, sent whole. */
export function configUpdateBetween(
  from: AppConfig,
  to: AppConfig,
): { update: ConfigUpdate; changes: FieldChange[] } {
  const changes = diffConfig(from, to);
  const update: ConfigUpdate = {};
  for (const section of sectionsOf(changes)) {
    switch (section) {
      case 'runtime':
        update.runtime = to.runtime;
        break;
      case 'role':
        update.role = to.role;
        break;
      case 'code':
        update.code = to.code;
        break;
      case 'properties':
        update.properties = to.properties;
        break;
      case 'parallelism':
        update.parallelism = to.parallelism;
        break;
      case 'monitoring':
        update.monitoring = to.monitoring;
        break;
      case 'checkpoints':
        update.checkpoints = to.checkpoints;
        break;
      case 'snapshotsEnabled':
        update.snapshotsEnabled = to.snapshotsEnabled;
        break;
      case 'systemRollback':
        update.systemRollback = to.systemRollback;
        break;
    }
  }
  return { update, changes };
}

function verify(application: string, seconds: number, what: string): RecoveryStep {
  return {
    kind: 'verify',
    description: `Watch ${application} for ${seconds}s to confirm ${what} is healthy`,
    bakeSeconds: seconds,
  };
}

function forceStop(application: string, why: string): RecoveryStep {
  return { kind: 'force-stop', description: `Force-stop ${application} without a snapshot (${why})` };
}

function describeSnapshot(good: GoodSnapshot): string {
  const s = good.snapshot;
  const when = new Date(s.createdAt).toISOString().replace('.000Z', 'Z');
  return `${s.name} (version ${s.versionId}, ${when}${good.why === 'before-deploy' ? ', taken before the failed deploy' : ''})`;
}

function startFrom(
  application: string,
  good: GoodSnapshot | undefined,
  allowNonRestoredState: boolean,
  what: string,
): RecoveryStep {
  const run: RestoreSettings = good
    ? { from: 'snapshot', snapshot: good.snapshot.name, allowNonRestoredState }
    : { from: 'none', allowNonRestoredState };
  const state = good ? `restoring snapshot ${describeSnapshot(good)}` : 'with empty state';
  return { kind: 'start', description: `Start ${application} on ${what}, ${state}`, run };
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
  steps: RecoveryStep[];
  warnings: string[];
  how: string;
  target?: RecoveryPlan['target'];
}

/** Steps that bring the last good version back, RUNNING with its state. */
function backToGood(facts: RecoveryFacts, options: Required<RecoveryOptions>): Route {
  const { application, live, lastGood } = facts;
  if (!live)
    return {
      steps: [],
      warnings: [`${application} no longer exists: there is nothing to recover.`],
      how: 'nothing to recover',
    };
  if (!lastGood) {
    return {
      steps: [],
      warnings: [
        `msfctl has no record of a good version of ${application}, so there is nothing to roll back to: fix the spec and apply, or \`msfctl stop --force\`.`,
      ],
      how: 'no last good version to return to',
    };
  }
  const good = `version ${lastGood.versionId}'s configuration`;
  const target = { status: 'RUNNING' as const, config: lastGood.config };
  const notRollback = whyNotServiceRollback(facts);
  if (!notRollback) {
    return {
      steps: [
        {
          kind: 'rollback',
          description: `RollbackApplication: ${application} back from version ${live.versionId} to version ${lastGood.versionId}, restoring its latest snapshot`,
          fromVersion: live.versionId,
        },
        verify(application, options.verifySeconds, `version ${lastGood.versionId}`),
      ],
      warnings: [],
      how: `roll back to version ${lastGood.versionId} (RollbackApplication)`,
      target,
    };
  }
  const steps: RecoveryStep[] = [];
  const warnings: string[] = [];
  if (FORCE_STOPPABLE.includes(live.status))
    steps.push(forceStop(application, 'the failing version cannot take one; the last good snapshot stays'));
  else if (live.status !== 'READY')
    warnings.push(`${application} is ${live.status}; the steps below expect it to settle first.`);
  const { update, changes } = configUpdateBetween(live.config, lastGood.config);
  if (changes.length) {
    steps.push({
      kind: 'update',
      description: `Update ${application} back to ${good} (${changes.map((c) => c.field).join(', ')})`,
      update,
      fields: changedFields(changes),
    });
    if (update.runtime)
      warnings.push(
        `Reverting the runtime (${live.config.runtime} → ${lastGood.config.runtime}): the service may refuse a downgrade by UpdateApplication.`,
      );
  }
  const chosen = chooseGoodSnapshot({
    snapshots: facts.snapshots,
    goodVersionId: lastGood.versionId,
    ...(facts.deployStartedAt !== undefined ? { deployStartedAt: facts.deployStartedAt } : {}),
  });
  if (!chosen)
    warnings.push(`No snapshot of a good version of ${application} exists: it starts with empty state.`);
  steps.push(startFrom(application, chosen, false, good));
  steps.push(verify(application, options.verifySeconds, good));
  const actions = [
    ...(steps[0]?.kind === 'force-stop' ? ['force-stop'] : []),
    ...(changes.length ? [`revert to version ${lastGood.versionId}'s configuration`] : []),
    chosen ? 'start it from its latest good snapshot' : 'start it with empty state',
  ];
  const how = `${actions.slice(0, -1).join(', ')}${actions.length > 1 ? ' and ' : ''}${actions.at(-1)} (RollbackApplication is not possible: ${notRollback})`;
  return {
    steps,
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
    steps: route.steps,
    warnings: route.warnings,
    ...(route.target ? { target: route.target } : {}),
    deployFailed,
  });
  const leave = (what: string): Route => ({ steps: [], warnings: [], how: what });

  switch (situation.kind) {
    case 'snapshot-impossible': {
      // The deploy itself, not a recovery: whatever the policy, the only way forward without a snapshot.
      const steps: RecoveryStep[] = [];
      const warnings = [
        `${application} is failing, so the service cannot take the snapshot this update needs; msfctl force-stops it and starts the new configuration from the latest good snapshot instead.`,
      ];
      if (live && FORCE_STOPPABLE.includes(live.status))
        steps.push(forceStop(application, 'the failing job cannot take one'));
      const from = live?.config;
      const { update, changes } = from
        ? configUpdateBetween(from, situation.desired)
        : { update: {}, changes: [] };
      if (changes.length)
        steps.push({
          kind: 'update',
          description: `Update ${application} to the new configuration (${changes.map((c) => c.field).join(', ')})`,
          update,
          fields: changedFields(changes),
        });
      const chosen = chooseGoodSnapshot({
        snapshots: facts.snapshots,
        ...(facts.lastGood ? { goodVersionId: facts.lastGood.versionId } : {}),
        ...(facts.deployStartedAt !== undefined ? { deployStartedAt: facts.deployStartedAt } : {}),
      });
      if (!chosen)
        warnings.push(`No snapshot of a good version of ${application} exists: it starts with empty state.`);
      steps.push(
        startFrom(application, chosen, situation.allowNonRestoredState ?? false, 'the new configuration'),
      );
      steps.push(verify(application, opts.verifySeconds, 'the new configuration'));
      return plan(
        `${application} cannot take a snapshot (its job is failing): deploying by force-stop, update and start from the latest good snapshot.`,
        {
          steps,
          warnings,
          how: 'force-stop, update, start',
          target: {
            status: 'RUNNING',
            config: situation.desired,
            ...(chosen ? { restoreFrom: chosen.snapshot.name } : {}),
          },
        },
        false,
      );
    }

    case 'system-rollback': {
      const { rollback } = situation;
      const opText = `${rollback.failed.operation} ${rollback.failed.id} failed${rollback.failed.error ? ` (${firstPart(rollback.failed.error)})` : ''}`;
      const steps: RecoveryStep[] = [];
      if (rollback.state === 'in-progress' && rollback.failed.rollbackOperationId) {
        steps.push({
          kind: 'wait',
          description: `Wait for the service's rollback (operation ${rollback.failed.rollbackOperationId}) to finish`,
          operationId: rollback.failed.rollbackOperationId,
        });
      }
      const reconcile: RecoveryStep = {
        kind: 'reconcile',
        description: `Record the service's rollback of ${application} in the ledger`,
      };
      if (rollback.state === 'failed' || (rollback.state !== 'in-progress' && live?.status === 'READY')) {
        const route =
          policy === 'rollback' ? backToGood(facts, opts) : leave(`leave it READY (onFailure: ${policy})`);
        return plan(
          `${opText}; the service's system rollback failed too and left ${application} ${live?.status ?? 'gone'}: ${route.how}.`,
          { ...route, steps: [...steps, reconcile, ...route.steps] },
        );
      }
      return plan(
        `${opText}; the service rolled ${application} back by itself (system rollback${rollback.rollback ? ` ${rollback.rollback.id}` : ''}): msfctl records it and checks the result.`,
        {
          steps: [...steps, reconcile, verify(application, opts.verifySeconds, 'the rolled-back version')],
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
          steps: [verify(application, opts.verifySeconds, 'the last good version')],
          warnings: [],
          how: 'check it',
          target: { status: 'RUNNING', config: facts.lastGood!.config },
        });
      }
      if (policy === 'stop') {
        const running = live !== undefined && FORCE_STOPPABLE.includes(live.status);
        return plan(
          `${opText}. ${running ? `Stopping ${application} (onFailure: stop).` : `${application} is ${live?.status ?? 'gone'}: nothing to stop.`}`,
          {
            steps: running ? [forceStop(application, 'onFailure: stop')] : [],
            warnings: [],
            how: 'stop',
            target: { status: 'READY' },
          },
        );
      }
      const route = backToGood(facts, opts);
      return plan(
        `${opText}. ${route.steps.length ? `Recovering: ${route.how}.` : (route.warnings[0] ?? '')}`,
        route,
      );
    }

    case 'crash-loop': {
      const evidence = situation.health.reason;
      const head = `${application} is crash-looping after the deploy (${evidence})`;
      if (policy === 'none') return plan(`${head}. Left as it is (onFailure: none).`, leave('none'));
      if (policy === 'stop') {
        const running = live !== undefined && FORCE_STOPPABLE.includes(live.status);
        return plan(
          `${head}. ${running ? 'Stopping it (onFailure: stop).' : `It is ${live?.status ?? 'gone'} already.`}`,
          {
            steps: running ? [forceStop(application, 'a failing job cannot take one; onFailure: stop')] : [],
            warnings: [],
            how: 'stop',
            target: { status: 'READY' },
          },
        );
      }
      const route = backToGood(facts, opts);
      return plan(
        `${head}. ${route.steps.length ? `Recovering: ${route.how}.` : (route.warnings[0] ?? '')}`,
        route,
      );
    }
  }
}
