/**
 * The path that needs no snapshot, for an application whose job is failing (it cannot take one): force-stop,
 * update while READY, start from a chosen snapshot. One builder for both of its users — the plan of a deploy
 * to a crash-looping application (controller/preflight/snapshot-check.ts, scenario 8) and the recovery
 * policy (back to the last good version by hand, or the deploy the service refused). Pure.
 */
import type { Action, ActionOf } from '../model/actions.js';
import {
  isForceStoppable,
  kpusFor,
  kpusInUse,
  type AppConfig,
  type LiveApplication,
  type RestoreSettings,
  type SnapshotInfo,
  type SnapshotMode,
} from '../model/application.js';
import type { ChangeKind } from '../model/changes.js';
import { newestReady, startEffect, stopEffect, updateReadyEffect } from './effects.js';
import { chooseGoodSnapshot } from './recovery/good-snapshot.js';
import { configUpdateBetween } from './updates.js';
import { restorableIn, restoreFromSnapshot } from '../model/snapshot-refs.js';

const KIND_ORDER: ChangeKind[] = ['runtime', 'code', 'scale', 'config'];

export interface ForcedPathInput {
  live: LiveApplication;
  /** The configuration the job runs afterwards. */
  to: AppConfig;
  run: RestoreSettings;
  snapshots: readonly SnapshotInfo[];
  /** Why no snapshot is taken (the force stop's reason). */
  why: string;
  /** Titles for people: the update's and the start's. */
  updateTitle: (fields: string) => string;
  startTitle: string;
  startReason: string;
}

/** force-stop (unless READY already), update (when the configuration differs), start. */
export function forcedPath(input: ForcedPathInput): Action[] {
  const { live, to, run } = input;
  const app = live.name;
  const actions: Action[] = [];
  if (isForceStoppable(live.status))
    actions.push({
      type: 'force-stop',
      reason: input.why,
      title: `Force-stop ${app} without a snapshot (${input.why})`,
      effect: stopEffect(false, true, kpusInUse(live)),
    });
  // The switch to enhanced snapshots is one-way: going back to a legacy version keeps the enhanced mode.
  const target =
    live.config.snapshotMode === 'enhanced' ? { ...to, snapshotMode: live.config.snapshotMode } : to;
  const { update, changes } = configUpdateBetween(live.config, target);
  if (changes.length) {
    const kinds = KIND_ORDER.filter((k) => changes.some((c) => c.kind === k));
    const forced: ActionOf<'update'> = {
      type: 'update',
      kinds,
      changes,
      update,
      title: input.updateTitle(changes.map((c) => c.field).join(', ')),
      effect: updateReadyEffect(),
    };
    actions.push(forced);
  }
  actions.push({
    type: 'start',
    run,
    reason: input.startReason,
    title: input.startTitle,
    effect: startEffect(
      run,
      newestReady(input.snapshots),
      kpusFor(to.parallelism.parallelism, to.parallelism.perKpu),
      false,
    ),
  });
  return actions;
}

export interface ForcedRestore {
  run: RestoreSettings;
  /** The snapshot the start restores, when it restores a named one. */
  snapshot?: SnapshotInfo;
  /** Why that snapshot, for people. */
  why: string;
}

/**
 * How the deploy's job restores when it goes the forced way: `restore.from: latest` becomes the newest snapshot
 * of good state (of the last good version, else one taken before the failing deploy began), else the newest
 * READY one; `none` and a named snapshot are kept as the spec says.
 */
export function forcedDeployRestore(input: {
  restore: RestoreSettings;
  snapshots: readonly SnapshotInfo[];
  /** The application's snapshot mode: which snapshots a start can name. */
  mode: SnapshotMode;
  lastGoodVersionId?: number;
  deployStartedAt?: number;
}): ForcedRestore {
  const { restore, lastGoodVersionId } = input;
  const snapshots = restorableIn(input.mode, input.snapshots);
  const good = chooseGoodSnapshot({
    snapshots,
    ...(lastGoodVersionId !== undefined ? { goodVersionId: lastGoodVersionId } : {}),
    ...(input.deployStartedAt !== undefined ? { deployStartedAt: input.deployStartedAt } : {}),
  });
  const chosen = good?.snapshot ?? newestReady(snapshots).snapshot;
  const why = good
    ? good.why === 'of-good-version'
      ? `of the last good version ${lastGoodVersionId}`
      : 'taken before the failing deploy'
    : lastGoodVersionId !== undefined
      ? `the newest one (none was taken of the last good version ${lastGoodVersionId})`
      : 'the newest one (msfctl knows no good version)';
  if (restore.from !== 'latest' || !chosen) return { run: restore, why };
  return {
    run: restoreFromSnapshot(chosen, restore.allowNonRestoredState),
    snapshot: chosen,
    why,
  };
}

/** "name (version 1, 2026-01-01T12:00:01Z)" */
export function describeSnapshot(snapshot: SnapshotInfo): string {
  return `${snapshot.name} (version ${snapshot.versionId}, ${new Date(snapshot.createdAt).toISOString().replace('.000Z', 'Z')})`;
}
