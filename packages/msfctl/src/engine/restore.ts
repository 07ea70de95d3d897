/**
 * Which snapshot a (re)start restores, checked before anything runs. Pure: the controller lists and describes
 * the candidates. A legacy-mode application restores its own application snapshots, by name; an enhanced-mode
 * one restores enhanced snapshots only, by ARN — its own, named by name, or any application's, by name (names are
 * unique in the account and Region) or ARN.
 */
import type { RestoreSettings, SnapshotInfo, SnapshotMode } from '../model/application.js';
import { MsfctlError } from '../model/errors.js';
import { ENHANCED_MIN_RUNTIME, flinkRuntimeRank, restoreFromSnapshot } from '../model/snapshot-refs.js';

export interface RestoringApplication {
  name: string;
  mode: SnapshotMode;
  runtime: string;
}

const LIST_HINT =
  '`msfctl snapshot list` shows the snapshots you can restore from (`--all`: every enhanced snapshot).';

/**
 * The restore settings to send: unchanged unless they name a snapshot; then by SnapshotName (legacy) or
 * SnapshotArn (enhanced). Throws a SNAPSHOT error saying why the snapshot cannot be restored.
 */
export function resolveRestore(
  app: RestoringApplication,
  run: RestoreSettings,
  candidates: readonly SnapshotInfo[],
): RestoreSettings {
  if (run.from !== 'snapshot') return run;
  const shown = run.snapshotArn ?? run.snapshot;
  if (app.mode === 'legacy') {
    if (run.snapshotArn) {
      throw new MsfctlError(
        'SNAPSHOT',
        `${app.name} is in legacy snapshot mode: it restores only its own application snapshots, by name; ${run.snapshotArn} is an enhanced snapshot.`,
        {
          hint: `Enhanced snapshots restore into applications in enhanced mode (snapshots.mode: enhanced in the spec, ${ENHANCED_MIN_RUNTIME} or later; the switch is one-way).`,
        },
      );
    }
    const named = candidates.find((s) => !s.enhanced && s.name === run.snapshot);
    if (!named || named.status !== 'READY') {
      throw new MsfctlError(
        'SNAPSHOT',
        `Snapshot ${run.snapshot} of ${app.name} ${named ? `is ${named.status}` : 'does not exist'}.`,
        { hint: LIST_HINT },
      );
    }
    return { from: 'snapshot', snapshot: named.name, allowNonRestoredState: run.allowNonRestoredState };
  }
  const target = run.snapshotArn
    ? candidates.find((s) => s.enhanced?.arn === run.snapshotArn)
    : candidates.find((s) => s.enhanced && s.name === run.snapshot);
  if (!target) {
    const legacy = !run.snapshotArn && candidates.some((s) => !s.enhanced && s.name === run.snapshot);
    throw new MsfctlError(
      'SNAPSHOT',
      legacy
        ? `Snapshot ${run.snapshot} of ${app.name} is an application snapshot from before it switched to enhanced snapshots: an application in enhanced mode restores enhanced snapshots only.`
        : `Snapshot ${shown} does not exist (no enhanced snapshot of that ${run.snapshotArn ? 'ARN' : 'name'} in this account and Region).`,
      { hint: LIST_HINT },
    );
  }
  if (target.status !== 'READY')
    throw new MsfctlError('SNAPSHOT', `Snapshot ${shown} is ${target.status}, not READY.`, {
      hint: LIST_HINT,
    });
  const taken = target.runtime ? flinkRuntimeRank(target.runtime) : undefined;
  const runs = flinkRuntimeRank(app.runtime);
  if (taken !== undefined && runs !== undefined && taken > runs) {
    throw new MsfctlError(
      'SNAPSHOT',
      `Snapshot ${shown} was taken on ${target.runtime}, newer than ${app.name}'s ${app.runtime}: Flink does not restore a savepoint of a newer version.`,
      { hint: `Restore it into an application on ${target.runtime} or later.` },
    );
  }
  return restoreFromSnapshot(target, run.allowNonRestoredState);
}
