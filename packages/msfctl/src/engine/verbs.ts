/**
 * The lifecycle verbs as pure decisions: an observation of the application → the actions that do what the
 * command asks, or why there is nothing to do, or a refusal (an MsfctlError). The controller runs them through
 * its one pipeline (controller/verbs.ts). "Restart from a snapshot" is `restart` here: stop (with a snapshot
 * when enabled), then start restoring from the latest snapshot, a named one, or none.
 */
import type { Action } from '../model/actions.js';
import {
  isForceStoppable,
  kpusFor,
  kpusInUse,
  ROLLBACK_STATUSES,
  type LiveApplication,
  type ParallelismSettings,
  type RestoreSettings,
  type SnapshotInfo,
} from '../model/application.js';
import { diffConfig } from '../model/changes.js';
import { MsfctlError } from '../model/errors.js';
import { resolveRestore, type RestoringApplication } from './restore.js';
import {
  newestReady,
  rollbackEffect,
  snapshotEffect,
  startEffect,
  stopEffect,
  updateReadyEffect,
  updateRunningEffect,
} from './effects.js';

export type VerbDecision =
  | { actions: Action[]; details?: Record<string, unknown>; intended?: 'RUNNING' | 'READY' }
  | { nothing: string };

function busy(live: LiveApplication, what: string): MsfctlError {
  return new MsfctlError('APP_BUSY', `Cannot ${what} ${live.name}: it is ${live.status}.`, {
    hint:
      what === 'stop'
        ? 'A normal stop needs RUNNING. `msfctl stop --force` stops a stuck application (no snapshot).'
        : what === 'force-stop' && live.status === 'FORCE_STOPPING'
          ? 'It is being force-stopped already: `msfctl status` shows when it is READY.'
          : 'Wait for the current operation to finish (`msfctl status`), or `msfctl stop --force` if it is stuck.',
    details: { status: live.status },
  });
}

/** The application as a restore judges it: its snapshot mode and the runtime the job will run. */
function restoring(live: LiveApplication): RestoringApplication {
  return { name: live.name, mode: live.config.snapshotMode, runtime: live.config.runtime };
}

/** The application's own snapshots among the candidates (what "latest" chooses from). */
function ownSnapshots(live: LiveApplication, candidates: readonly SnapshotInfo[]): SnapshotInfo[] {
  return candidates.filter(
    (s) =>
      !s.enhanced ||
      (s.enhanced.sourceApplication === live.name &&
        (s.enhanced.sourceApplicationCreatedAt === undefined ||
          Math.floor(s.enhanced.sourceApplicationCreatedAt / 1000) === Math.floor(live.createdAt / 1000))),
  );
}

function startAction(
  live: LiveApplication,
  run: RestoreSettings,
  reason: string,
  snapshotsKnown: readonly SnapshotInfo[] | undefined,
): Extract<Action, { type: 'start' }> {
  const kpus = kpusFor(live.config.parallelism.parallelism, live.config.parallelism.perKpu);
  return { type: 'start', run, reason, effect: startEffect(run, newestReady(snapshotsKnown), kpus, false) };
}

/**
 * `candidates`: the application's snapshots and, when the restore names an enhanced snapshot of another
 * application, that one (engine/restore.ts).
 */
export function startDecision(
  live: LiveApplication,
  asked: RestoreSettings,
  candidates: readonly SnapshotInfo[],
): VerbDecision {
  if (live.status === 'RUNNING') return { nothing: `${live.name} is already RUNNING.` };
  if (live.status !== 'READY') throw busy(live, 'start');
  const run = resolveRestore(restoring(live), asked, candidates);
  const snapshots = ownSnapshots(live, candidates);
  return {
    actions: [startAction(live, run, 'msfctl start', snapshots)],
    details: { restore: run },
    intended: 'RUNNING',
  };
}

export function stopDecision(live: LiveApplication, force: boolean): VerbDecision {
  if (live.status === 'READY') return { nothing: `${live.name} is already stopped (READY).` };
  if (force ? !isForceStoppable(live.status) : live.status !== 'RUNNING')
    throw busy(live, force ? 'force-stop' : 'stop');
  const effect = stopEffect(live.config.snapshotsEnabled, force, kpusInUse(live));
  return {
    actions: [
      force
        ? { type: 'force-stop', reason: 'msfctl stop --force', effect }
        : { type: 'stop', reason: 'msfctl stop', effect },
    ],
    details: { force },
  };
}

/** Stops (with a snapshot, when enabled) and starts again, restoring as told. */
export function restartDecision(
  live: LiveApplication,
  asked: RestoreSettings,
  candidates: readonly SnapshotInfo[],
): VerbDecision {
  // A stopped application is not restarted silently: starting it spends KPUs, which `start` says it does.
  if (live.status === 'READY')
    throw new MsfctlError('NOT_RUNNING', `Cannot restart ${live.name}: it is not running (READY).`, {
      hint: `\`msfctl start ${live.name}\` starts it (with the same --snapshot / --no-restore options); restart only restarts a RUNNING job.`,
      details: { status: live.status },
    });
  if (live.status !== 'RUNNING') throw busy(live, 'restart');
  const run = resolveRestore(restoring(live), asked, candidates);
  const snapshots = ownSnapshots(live, candidates);
  const actions: Action[] = [];
  const running = live.status === 'RUNNING';
  if (running) {
    actions.push({
      type: 'stop',
      reason: 'msfctl restart',
      effect: stopEffect(live.config.snapshotsEnabled, false, kpusInUse(live)),
    });
  }
  // After the stop, "latest" is the snapshot the stop just took.
  const fromStop = running && run.from === 'latest' && live.config.snapshotsEnabled;
  const start = startAction(live, run, 'msfctl restart', fromStop ? undefined : snapshots);
  if (fromStop && start.effect) {
    start.effect = {
      ...start.effect,
      state: 'restored',
      stateDetail: 'restored from the snapshot the stop takes',
    };
  }
  actions.push(start);
  return { actions, details: { restore: run }, intended: 'RUNNING' };
}

/** RollbackApplication: the previous version (`previous`, when it could be read), with state from the latest snapshot. */
export function rollbackDecision(
  live: LiveApplication,
  snapshots: readonly SnapshotInfo[],
  previous: LiveApplication | undefined,
): VerbDecision {
  if (!ROLLBACK_STATUSES.includes(live.status)) {
    throw new MsfctlError(
      'APP_BUSY',
      `${live.name} is ${live.status}: the service rolls back only a RUNNING, UPDATING or AUTOSCALING application.`,
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
      `${live.name} is at version ${live.versionId}: there is no previous version to roll back to.`,
    );
  }
  if (!snapshots.some((s) => s.status === 'READY')) {
    throw new MsfctlError(
      'SNAPSHOT',
      `${live.name} has no snapshot: RollbackApplication restores the previous version's state from one.`,
      { hint: 'Apply the previous spec instead, or take a snapshot first (`msfctl snapshot create`).' },
    );
  }
  // The KPUs after are the previous version's parallelism, not the current one.
  const before = kpusInUse(live);
  const after = previous
    ? kpusFor(previous.config.parallelism.parallelism, previous.config.parallelism.perKpu)
    : before;
  return {
    actions: [
      {
        type: 'rollback',
        fromVersion: live.versionId,
        ...(previous ? { toVersion: previous.versionId } : {}),
        effect: rollbackEffect({ before, after }),
      },
    ],
    intended: 'RUNNING',
  };
}

/** The version RollbackApplication returns to. */
export function rollbackTarget(live: LiveApplication): number {
  return live.versionUpdatedFrom ?? live.versionId - 1;
}

export interface ScaleRequest {
  parallelism: number;
  perKpu?: number;
  autoscaling?: boolean;
  kpuQuota: number;
  /** How the restarted job restores (a running application restarts to rescale). */
  restore: RestoreSettings;
}

/** The parallelism a scale request asks for, from what the application has now. */
export function scaledParallelism(live: LiveApplication, request: ScaleRequest): ParallelismSettings {
  return {
    custom: true,
    parallelism: request.parallelism,
    perKpu: request.perKpu ?? live.config.parallelism.perKpu,
    autoscaling: request.autoscaling ?? live.config.parallelism.autoscaling,
  };
}

export function scaleDecision(live: LiveApplication, request: ScaleRequest): VerbDecision {
  if (live.status !== 'RUNNING' && live.status !== 'READY') {
    throw new MsfctlError('APP_BUSY', `Cannot scale ${live.name}: it is ${live.status}.`, {
      hint: 'Wait for it to settle (`msfctl status`).',
    });
  }
  const parallelism = scaledParallelism(live, request);
  const kpus = kpusFor(parallelism.parallelism, parallelism.perKpu);
  if (kpus > request.kpuQuota) {
    throw new MsfctlError(
      'QUOTA_EXCEEDED',
      `parallelism ${parallelism.parallelism} at ${parallelism.perKpu} per KPU needs ⌈${parallelism.parallelism} ÷ ${parallelism.perKpu}⌉ = ${kpus} KPUs, over the quota of ${request.kpuQuota}.`,
      {
        hint: `Use at most parallelism ${request.kpuQuota * parallelism.perKpu}, a higher --per-kpu (max 8), or --kpu-quota if your account's quota is higher.`,
      },
    );
  }
  const changes = diffConfig(live.config, { ...live.config, parallelism });
  if (!changes.length)
    return {
      nothing: `${live.name} already runs with parallelism ${parallelism.parallelism} (${parallelism.perKpu} per KPU, autoscaling ${parallelism.autoscaling ? 'on' : 'off'}).`,
    };
  const running = live.status === 'RUNNING';
  return {
    actions: [
      {
        type: 'update',
        kinds: ['scale'],
        changes,
        update: { parallelism },
        ...(running ? { run: request.restore } : {}),
        effect: running
          ? updateRunningEffect(live.config.snapshotsEnabled, request.restore, {
              before: kpusInUse(live),
              after: kpus,
            })
          : updateReadyEffect(),
      },
    ],
    details: { parallelism },
    intended: running ? 'RUNNING' : 'READY',
  };
}

export function snapshotDecision(live: LiveApplication, name: string): VerbDecision {
  if (live.status !== 'RUNNING') {
    throw new MsfctlError(
      'APP_BUSY',
      `Cannot snapshot ${live.name}: it is ${live.status}; a snapshot needs a RUNNING job.`,
      {
        hint:
          live.status === 'READY'
            ? 'Its state is in its latest snapshot already (`msfctl snapshot list`).'
            : 'Wait for it to settle.',
      },
    );
  }
  return {
    actions: [{ type: 'snapshot', name, effect: snapshotEffect(kpusInUse(live)) }],
    details: { snapshot: name },
  };
}
