/** start, stop [--force], restart and rollback: the imperative lifecycle, independent of any config change. */
import {
  kpusFor,
  kpusInUse,
  type AppStatus,
  type LiveApplication,
  type RestoreSettings,
} from '../../model/application.js';
import { MsfctlError } from '../../model/errors.js';
import { newestReady, rollbackEffect, startEffect, stopEffect } from '../../engine/effects.js';
import type { PlannedAction } from '../../model/plan.js';
import { requireLive, runLifecycle, type LifecycleContext, type LifecycleResult } from '../run-actions.js';

/** Statuses a force stop can leave (msf-api.md §4.1). */
const FORCE_STOPPABLE: AppStatus[] = [
  'STARTING',
  'UPDATING',
  'STOPPING',
  'AUTOSCALING',
  'RUNNING',
  'ROLLING_BACK',
  'MAINTENANCE',
  'FORCE_STOPPING',
];

function startAction(
  live: LiveApplication,
  run: RestoreSettings,
  reason: string,
  snapshotsKnown: Parameters<typeof newestReady>[0],
): PlannedAction {
  const kpus = kpusFor(live.config.parallelism.parallelism, live.config.parallelism.perKpu);
  return { type: 'start', run, reason, effect: startEffect(run, newestReady(snapshotsKnown), kpus, false) };
}

async function checkSnapshot(ctx: LifecycleContext, run: RestoreSettings) {
  const snapshots = await ctx.gateway.listSnapshots(ctx.application);
  if (run.from === 'snapshot') {
    const named = snapshots.find((s) => s.name === run.snapshot);
    if (!named || named.status !== 'READY') {
      throw new MsfctlError(
        'SNAPSHOT',
        `Snapshot ${run.snapshot} of ${ctx.application} ${named ? `is ${named.status}` : 'does not exist'}.`,
        {
          hint: '`msfctl snapshot list` shows the snapshots you can restore from.',
        },
      );
    }
  }
  return snapshots;
}

export function startApplication(ctx: LifecycleContext, run: RestoreSettings): Promise<LifecycleResult> {
  return runLifecycle(ctx, 'start', async (found) => {
    const live = requireLive(found, ctx.application);
    if (live.status === 'RUNNING') return { nothing: `${ctx.application} is already RUNNING.` };
    if (live.status !== 'READY') throw busy(live, 'start');
    const snapshots = await checkSnapshot(ctx, run);
    return { actions: [startAction(live, run, 'msfctl start', snapshots)], details: { restore: run } };
  });
}

export function stopApplication(ctx: LifecycleContext, force: boolean): Promise<LifecycleResult> {
  return runLifecycle(ctx, 'stop', (found) => {
    const live = requireLive(found, ctx.application);
    if (live.status === 'READY') return { nothing: `${ctx.application} is already stopped (READY).` };
    if (force ? !FORCE_STOPPABLE.includes(live.status) : live.status !== 'RUNNING')
      throw busy(live, force ? 'force-stop' : 'stop');
    return {
      actions: [
        {
          type: 'stop',
          force,
          reason: force ? 'msfctl stop --force' : 'msfctl stop',
          effect: stopEffect(live.config.snapshotsEnabled, force, kpusInUse(live)),
        },
      ],
      details: { force },
    };
  });
}

/** Stops (with a snapshot, when enabled) and starts again, restoring as told. */
export function restartApplication(ctx: LifecycleContext, run: RestoreSettings): Promise<LifecycleResult> {
  return runLifecycle(ctx, 'restart', async (found) => {
    const live = requireLive(found, ctx.application);
    if (live.status !== 'RUNNING' && live.status !== 'READY') throw busy(live, 'restart');
    const snapshots = await checkSnapshot(ctx, run);
    const actions: PlannedAction[] = [];
    if (live.status === 'RUNNING') {
      actions.push({
        type: 'stop',
        force: false,
        reason: 'msfctl restart',
        effect: stopEffect(live.config.snapshotsEnabled, false, kpusInUse(live)),
      });
    }
    // After the stop, "latest" is the snapshot the stop just took.
    const start = startAction(
      live,
      run,
      'msfctl restart',
      live.status === 'RUNNING' && run.from === 'latest' && live.config.snapshotsEnabled
        ? undefined
        : snapshots,
    );
    if (live.status === 'RUNNING' && run.from === 'latest' && live.config.snapshotsEnabled) {
      start.effect = {
        ...start.effect,
        state: 'restored',
        stateDetail: 'restored from the snapshot the stop takes',
      };
    }
    actions.push(start);
    return { actions, details: { restore: run } };
  });
}

/** RollbackApplication: the previous version, with state from the latest snapshot. */
export function rollbackApplication(ctx: LifecycleContext): Promise<LifecycleResult> {
  return runLifecycle(ctx, 'rollback', async (found) => {
    const live = requireLive(found, ctx.application);
    if (!['RUNNING', 'UPDATING', 'AUTOSCALING'].includes(live.status)) {
      throw new MsfctlError(
        'APP_BUSY',
        `${ctx.application} is ${live.status}: the service rolls back only a RUNNING, UPDATING or AUTOSCALING application.`,
        {
          hint:
            live.status === 'READY'
              ? 'Start it first (`msfctl start`), or apply the previous spec.'
              : 'Wait for it to settle (`msfctl status`).',
        },
      );
    }
    if (live.versionId <= 1) {
      throw new MsfctlError(
        'APP_BUSY',
        `${ctx.application} is at version ${live.versionId}: there is no previous version to roll back to.`,
      );
    }
    const snapshots = await ctx.gateway.listSnapshots(ctx.application);
    if (!snapshots.some((s) => s.status === 'READY')) {
      throw new MsfctlError(
        'SNAPSHOT',
        `${ctx.application} has no snapshot: RollbackApplication restores the previous version's state from one.`,
        {
          hint: 'Apply the previous spec instead, or take a snapshot first (`msfctl snapshot create`).',
        },
      );
    }
    // The version the service returns to, for the KPUs after: its parallelism, not the current one.
    const toVersion = live.versionUpdatedFrom ?? live.versionId - 1;
    const previous = await ctx.gateway.describeVersion(ctx.application, toVersion).catch(() => undefined);
    const before = kpusInUse(live);
    const after = previous
      ? kpusFor(previous.config.parallelism.parallelism, previous.config.parallelism.perKpu)
      : before;
    return {
      actions: [
        {
          type: 'rollback',
          fromVersion: live.versionId,
          ...(previous ? { toVersion } : {}),
          effect: rollbackEffect({ before, after }),
        },
      ],
    };
  });
}

function busy(live: LiveApplication, what: string): MsfctlError {
  return new MsfctlError('APP_BUSY', `Cannot ${what} ${live.name}: it is ${live.status}.`, {
    hint:
      what === 'stop'
        ? 'A normal stop needs RUNNING. `msfctl stop --force` stops a stuck application (no snapshot).'
        : 'Wait for the current operation to finish (`msfctl status`), or `msfctl stop --force` if it is stuck.',
    details: { status: live.status },
  });
}
