/**
 * Can the service take the snapshot this plan needs? An update (or stop) of a RUNNING application with
 * snapshots enabled starts with a snapshot, and the service refuses one while the job is failing ("Failed to
 * take snapshot … experiencing downtime", scenario 8). When the current job is crash-looping, the plan takes
 * the path that needs no snapshot instead, and says so: force-stop, update while READY, start from the latest
 * good snapshot. The health read is the bake watch's detector over the current job's recent metrics; when it
 * cannot tell, the plan is left as it is (the after-apply guard still handles a refused snapshot).
 */
import {
  kpusFor,
  kpusInUse,
  type LiveApplication,
  type RestoreSettings,
  type SnapshotInfo,
} from '../../model/application.js';
import { CloudWatchHealthFetcher, periodFor } from '../../adapters/aws/cloudwatch-fetcher.js';
import { type HealthFetcher } from '../../ports/metrics.js';
import { currentJobBaseline } from '../../engine/health/current-job.js';
import { checkHealth } from '../health/health-check.js';
import { DEFAULT_HEALTH_RULES } from '../../engine/health/evaluator.js';
import type { HealthResult } from '../../model/health.js';
import { FlinkDashboardExceptionSource } from '../../adapters/aws/exception-source.js';
import { type ExceptionSource, type LatestException } from '../../ports/exceptions.js';
import type { PlanCheck, PlanCheckContext, PlanCheckOutcome } from './checks.js';
import { newestReady, startEffect, stopEffect, updateReadyEffect } from '../../engine/effects.js';
import type { Finding, PlannedAction } from '../../model/plan.js';
import { chooseGoodSnapshot } from '../../engine/recovery/good-snapshot.js';
import { systemClock, type Clock } from '../../ports/clock.js';

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

function needsSnapshot(action: PlannedAction): boolean {
  return (action.type === 'update' && action.run !== undefined) || (action.type === 'stop' && !action.force);
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
  const clock = options.clock ?? systemClock;
  const fetcher =
    options.fetcher?.(ctx) ??
    new CloudWatchHealthFetcher(ctx.clients.cloudwatch, {
      periodSeconds: periodFor(plan.target.kind ?? 'aws'),
    });
  const health = await currentJobHealth(ctx, live, fetcher, clock);
  if (health.status !== 'unhealthy') return undefined;

  const snapshots = ctx.observation.snapshots ?? (await ctx.gateway.listSnapshots(live.name));
  const lastGood = ctx.ledger.lastGood?.versionId;
  const good = chooseGoodSnapshot({
    snapshots,
    ...(lastGood !== undefined ? { goodVersionId: lastGood } : {}),
  });
  const chosen = good?.snapshot ?? newestReady(snapshots).snapshot;
  const why = good
    ? good.why === 'of-good-version'
      ? `of the last good version ${lastGood}`
      : 'taken before the failing deploy'
    : lastGood !== undefined
      ? `the newest one (none was taken of the last good version ${lastGood})`
      : 'the newest one (msfctl knows no good version)';
  const forcedRun = (run: RestoreSettings): RestoreSettings =>
    run.from === 'latest' && chosen
      ? { from: 'snapshot', snapshot: chosen.name, allowNonRestoredState: run.allowNonRestoredState }
      : run;

  const kpus = kpusInUse(live);
  const actions: PlannedAction[] = plan.actions.flatMap((action): PlannedAction[] => {
    if (action.type === 'stop' && !action.force) {
      return [
        {
          ...action,
          force: true,
          reason: `${action.reason}; forced: the crash-looping job cannot take a snapshot`,
          effect: stopEffect(false, true, kpus),
        },
      ];
    }
    if (action.type !== 'update' || !action.run) return [action];
    const run = forcedRun(action.run);
    const { run: _dropped, ...update } = action;
    const p = plan.desired.config.parallelism;
    return [
      {
        type: 'stop',
        force: true,
        reason: 'the crash-looping job cannot take a snapshot',
        effect: stopEffect(false, true, kpus),
      },
      { ...update, effect: updateReadyEffect() },
      {
        type: 'start',
        run,
        reason: 'running: true (after the forced update)',
        effect: startEffect(run, newestReady(snapshots), kpusFor(p.parallelism, p.perKpu), false),
      },
    ];
  });

  const exceptions = options.exceptions
    ? options.exceptions(ctx)
    : new FlinkDashboardExceptionSource(ctx.clients.msf);
  const lookup = exceptions ? await exceptions.latest(live.name) : undefined;
  const exception = lookup && 'found' in lookup ? lookup.found : undefined;
  const from = chosen
    ? `start it from snapshot ${describe(chosen)}, ${why}; progress after that snapshot is not kept`
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

function describe(snapshot: SnapshotInfo): string {
  return `${snapshot.name} (version ${snapshot.versionId}, ${new Date(snapshot.createdAt).toISOString().replace('.000Z', 'Z')})`;
}
