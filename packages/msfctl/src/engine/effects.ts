/**
 * The effects table: what each kind of action does to the running job, from the application's observed
 * status and settings. Pure; msf-api.md §4.1 and §4.3 are the source of these rules.
 */
import { newestReadySnapshot, type RestoreSettings, type SnapshotInfo } from '../model/application.js';
import type { Effect } from '../model/actions.js';
import { describeSnapshotRef } from '../model/snapshot-refs.js';

export interface NewestSnapshot {
  /** Undefined when the snapshots were not listed (then the text hedges). */
  known: boolean;
  snapshot?: SnapshotInfo;
}

export function newestReady(snapshots: readonly SnapshotInfo[] | undefined): NewestSnapshot {
  if (!snapshots) return { known: false };
  const snapshot = newestReadySnapshot(snapshots);
  return snapshot ? { known: true, snapshot } : { known: true };
}

function nonRestored(run: RestoreSettings): string {
  return run.allowNonRestoredState
    ? '; state of operators missing from the new job is dropped (allowNonRestoredState)'
    : '';
}

/** UpdateApplication on a RUNNING application: snapshot (if enabled), restart with the new version. */
export function updateRunningEffect(
  snapshotsEnabled: boolean,
  run: RestoreSettings,
  kpus: Effect['kpus'],
): Effect {
  const base = { restart: true, snapshot: snapshotsEnabled, kpus };
  switch (run.from) {
    case 'latest':
      return snapshotsEnabled
        ? {
            ...base,
            state: 'restored',
            stateDetail: `restored from the snapshot this update takes${nonRestored(run)}`,
          }
        : {
            ...base,
            state: 'dropped',
            stateDetail: 'snapshots are disabled: the job restarts without its current state',
          };
    case 'none':
      return {
        ...base,
        state: 'dropped',
        stateDetail: 'restore is "none": the job restarts with empty state',
      };
    case 'snapshot':
      return {
        ...base,
        state: 'restored',
        stateDetail: `restored from snapshot ${describeSnapshotRef(run)} (progress made after it is lost)${nonRestored(run)}`,
      };
  }
}

/** UpdateApplication on a READY application: a new version, no job touched. */
export function updateReadyEffect(): Effect {
  return {
    restart: false,
    snapshot: false,
    state: 'unchanged',
    stateDetail: 'no job runs: takes effect at the next start',
    kpus: { before: 0, after: 0 },
  };
}

export function createEffect(): Effect {
  return {
    restart: false,
    snapshot: false,
    state: 'unchanged',
    stateDetail: 'new application (READY, no job yet)',
    kpus: { before: 0, after: 0 },
  };
}

/** StartApplication on a READY application. */
export function startEffect(
  run: RestoreSettings,
  newest: NewestSnapshot,
  kpusAfter: number,
  isNew: boolean,
): Effect {
  const base = { restart: false, snapshot: false, kpus: { before: 0, after: kpusAfter } };
  switch (run.from) {
    case 'latest':
      if (isNew || (newest.known && !newest.snapshot)) {
        return {
          ...base,
          state: 'none',
          stateDetail: 'no snapshot exists yet: the job starts with empty state',
        };
      }
      return newest.snapshot
        ? {
            ...base,
            state: 'restored',
            stateDetail: `restored from the latest snapshot, ${newest.snapshot.name}${nonRestored(run)}`,
          }
        : {
            ...base,
            state: 'restored',
            stateDetail: `restored from the latest snapshot, if any${nonRestored(run)}`,
          };
    case 'none':
      return { ...base, state: 'none', stateDetail: 'restore is "none": the job starts with empty state' };
    case 'snapshot':
      return {
        ...base,
        state: 'restored',
        stateDetail: `restored from snapshot ${describeSnapshotRef(run)}${nonRestored(run)}`,
      };
  }
}

/** StopApplication: a snapshot when enabled and not forced. */
export function stopEffect(snapshotsEnabled: boolean, force: boolean, kpusBefore: number): Effect {
  const kpus = { before: kpusBefore, after: 0 };
  if (force)
    return {
      restart: false,
      snapshot: false,
      state: 'dropped',
      stateDetail: 'force stop: no snapshot, state since the last snapshot is lost',
      kpus,
    };
  return snapshotsEnabled
    ? {
        restart: false,
        snapshot: true,
        state: 'saved',
        stateDetail: 'the job stops; its state is kept in the snapshot the stop takes',
        kpus,
      }
    : {
        restart: false,
        snapshot: false,
        state: 'dropped',
        stateDetail: 'snapshots are disabled: the job stops without saving its state',
        kpus,
      };
}

/** "restart · snapshot taken · state restored from … · KPUs 1 → 2" */
export function summarizeEffect(effect: Effect): string[] {
  const parts: string[] = [];
  parts.push(effect.restart ? 'restart' : 'no restart');
  parts.push(effect.snapshot ? 'snapshot taken' : 'no snapshot');
  parts.push(`state ${effect.state}: ${effect.stateDetail}`);
  parts.push(`KPUs ${effect.kpus.before} → ${effect.kpus.after}`);
  return parts;
}

/** RollbackApplication: back to the previous version, with state from the latest snapshot. */
export function rollbackEffect(kpus: Effect['kpus']): Effect {
  return {
    restart: true,
    snapshot: false,
    state: 'restored',
    stateDetail: 'restored from the latest snapshot (progress after it is lost)',
    kpus,
  };
}

export function snapshotEffect(kpus: number): Effect {
  return {
    restart: false,
    snapshot: true,
    state: 'unchanged',
    stateDetail: 'the job keeps running',
    kpus: { before: kpus, after: kpus },
  };
}

export function deleteEffect(kpusBefore: number): Effect {
  return {
    restart: false,
    snapshot: false,
    state: 'dropped',
    stateDetail: 'the application is deleted',
    kpus: { before: kpusBefore, after: 0 },
  };
}
