/**
 * Can the service take the snapshot this plan needs? An update (or stop) of a RUNNING application with
 * snapshots enabled starts with a snapshot, and the service refuses one while the job is failing ("Failed to
 * take snapshot … experiencing downtime", scenario 8). When the current job is crash-looping, the plan takes
 * the path that needs no snapshot instead, and says so: force-stop, update while READY, start from the latest
 * good snapshot. The health read is the bake watch's detector over the current job's recent metrics; when it
 * cannot tell, the plan is left as it is (the after-apply guard still handles a refused snapshot).
 */
import type { Action, ActionOf } from '../../model/actions.js';
import { kpusInUse, type LiveApplication } from '../../model/application.js';
import type { HealthResult } from '../../model/health.js';
import type { Finding } from '../../model/plan.js';
import { stopEffect } from '../../engine/effects.js';
import { describeSnapshot, forcedDeployRestore, forcedPath } from '../../engine/forced-path.js';
import { currentJobBaseline } from '../../engine/health/current-job.js';
import { DEFAULT_HEALTH_RULES } from '../../engine/health/evaluator.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import type { ExceptionSource } from '../../ports/exceptions.js';
import type { LatestException } from '../../model/health.js';
import type { HealthFetcher } from '../../ports/metrics.js';
import { checkHealth } from '../health/health-check.js';
import type { PlanCheck, PlanCheckContext, PlanCheckOutcome } from './check.js';

export const SNAPSHOT_CHECK = 'snapshot';

export interface SnapshotCheckReport {
  /** The current job crash-loops: no snapshot can be taken, the plan takes the forced path. */
  snapshotImpossible: boolean;
  health: HealthResult;
  /** The snapshot the forced path restores. */
  restoreFrom?: { name: string; versionId: number; createdAt: string; why: string };
  exception?: LatestException;
}

export interface SnapshotCheckOptions {
  fetcher?: (ctx: PlanCheckContext) => HealthFetcher;
  exceptions?: (ctx: PlanCheckContext) => ExceptionSource | undefined;
  clock?: Clock;
}

export function snapshotFeasibilityCheck(options: SnapshotCheckOptions = {}): PlanCheck {
  return {
    name: SNAPSHOT_CHECK,
    async run(ctx) {
      return runSnapshotCheck(ctx, options);
    },
  };
}

function needsSnapshot(action: Action): boolean {
  return (action.type === 'update' && action.run !== undefined) || action.type === 'stop';
}

async function runSnapshotCheck(
  ctx: PlanCheckContext,
  options: SnapshotCheckOptions,
): Promise<PlanCheckOutcome | undefined> {
  const { plan } = ctx;
  const live = ctx.observation.live;
  if (
    !live ||
    live.status !== 'RUNNING' ||
    !live.config.snapshotsEnabled ||
    !plan.actions.some(needsSnapshot)
  )
    return undefined;
  const clock = options.clock ?? ctx.clock ?? systemClock;
  const fetcher = options.fetcher?.(ctx) ?? ctx.metrics;
  // Without metrics the plan is left as it is (the watch phase still handles a refused snapshot).
  if (!fetcher) return undefined;
  const health = await currentJobHealth(ctx, live, fetcher, clock);
  if (health.status !== 'unhealthy') return undefined;

  const snapshots = ctx.observation.snapshots ?? (await ctx.gateway.listSnapshots(live.name));
  const lastGood = ctx.ledger.lastGood?.versionId;
  const update = plan.actions.find(
    (a): a is ActionOf<'update'> => a.type === 'update' && a.run !== undefined,
  );
  const restore = forcedDeployRestore({
    restore: update?.run ?? plan.desired.restore,
    snapshots,
    mode: live.config.snapshotMode,
    ...(lastGood !== undefined ? { lastGoodVersionId: lastGood } : {}),
  });
  const chosen = restore.snapshot;
  const why = restore.why;

  const kpus = kpusInUse(live);
  const actions: Action[] = plan.actions.flatMap((action): Action[] => {
    if (action.type === 'stop') {
      return [
        {
          type: 'force-stop',
          reason: `${action.reason ?? 'msfctl'}; forced: the crash-looping job cannot take a snapshot`,
          effect: stopEffect(false, true, kpus),
        },
      ];
    }
    if (action.type !== 'update' || !action.run) return [action];
    // The same path recovery takes when the service refuses the snapshot: force-stop, update, start.
    return forcedPath({
      live,
      to: plan.desired.config,
      run: action.run.from === 'latest' ? restore.run : action.run,
      snapshots,
      why: 'the crash-looping job cannot take a snapshot',
      updateTitle: () => `update: ${action.kinds.join(', ')}`,
      startTitle: `start ${live.name} after the forced update`,
      startReason: 'running: true (after the forced update)',
    }).map((a) => {
      // Plans name their actions from their fields: the titles are recovery's.
      const { title: _title, ...untitled } = a;
      return a.type === 'update' ? { ...untitled, kinds: action.kinds, changes: action.changes } : untitled;
    });
  });

  const exceptions = options.exceptions ? options.exceptions(ctx) : ctx.exceptions;
  const lookup = exceptions ? await exceptions.latest(live.name) : undefined;
  const exception = lookup && 'found' in lookup ? lookup.found : undefined;
  const from = chosen
    ? `start it from snapshot ${describeSnapshot(chosen)}, ${why}; progress after that snapshot is not kept`
    : 'start it (there is no snapshot to restore: it starts with empty state)';
  const findings: Finding[] = [
    {
      severity: 'warning',
      code: 'SNAPSHOT_IMPOSSIBLE',
      message: `a snapshot of ${live.name} cannot be taken now: its job is crash-looping (${health.reason}), so the service would refuse this change ("Failed to take snapshot … experiencing downtime"). msfctl takes the path that needs no snapshot: force-stop ${live.name}, update it while READY, and ${from}`,
    },
  ];
  if (exception)
    findings.push({
      severity: 'info',
      code: 'LATEST_EXCEPTION',
      message: `latest exception of the failing job: ${exception.rootCause ?? exception.summary}`,
    });
  return {
    findings,
    actions,
    report: {
      snapshotImpossible: true,
      health,
      ...(chosen
        ? {
            restoreFrom: {
              name: chosen.name,
              versionId: chosen.versionId,
              createdAt: new Date(chosen.createdAt).toISOString(),
              why,
            },
          }
        : {}),
      ...(exception ? { exception } : {}),
    } satisfies SnapshotCheckReport,
  };
}

/**
 * The detector over the current job only: from the moment the operation that started it ended (its restart
 * counter starts at 0 there) or, for an older job, over the last few periods. Restarts of a job that has since
 * been replaced (by a rollback, say) say nothing about whether this one can take a snapshot.
 */
async function currentJobHealth(
  ctx: PlanCheckContext,
  live: LiveApplication,
  fetcher: HealthFetcher,
  clock: Clock,
): Promise<HealthResult> {
  const check = await checkHealth({
    application: live.name,
    fetcher,
    clock,
    windowSeconds: fetcher.periodSeconds >= 60 ? 5 * fetcher.periodSeconds : 60,
    // The bake's rules, whether or not the current job started within the window.
    rules: DEFAULT_HEALTH_RULES,
    baseline: async (now, windowMs) =>
      currentJobBaseline(await ctx.gateway.listOperations(live.name, 10).catch(() => []), now, windowMs),
  });
  return check.result;
}
