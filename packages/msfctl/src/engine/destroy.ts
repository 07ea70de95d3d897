/**
 * destroy as a pure decision, and what it does to the application's snapshots, said before anyone confirms.
 * In legacy snapshot mode an application's snapshots are deleted with it: the newest READY one (the final
 * snapshot, when one is taken) is exported to S3 first where the target can export it, and otherwise the user is
 * told plainly that the state is lost. In enhanced mode its enhanced snapshots outlive it.
 */
import type { Action } from '../model/actions.js';
import {
  kpusInUse,
  newestReadySnapshot,
  type LiveApplication,
  type S3Prefix,
  type SnapshotInfo,
} from '../model/application.js';
import { describeS3Prefix } from '../model/snapshot-refs.js';
import { deleteEffect, snapshotEffect, stopEffect } from './effects.js';
import type { VerbDecision } from './verbs.js';

export interface DestroyInput {
  live: LiveApplication;
  /** The application's snapshots (both kinds) before the destroy. */
  snapshots: readonly SnapshotInfo[];
  /** The final snapshot's name; undefined: --skip-snapshot. */
  finalSnapshot: string | undefined;
  /** Where a legacy application's last snapshot goes, or why it cannot (the target cannot export; --no-export). */
  export: { to: S3Prefix; role: string } | { none: string };
}

export type DestroyDecision = VerbDecision & {
  /** What happens to the snapshots, in sentences (shown before the confirmation, kept in the ledger). */
  fate: string[];
  /** The snapshot the final snapshot action takes, if any. */
  finalSnapshot?: string;
};

/**
 * Where destroy exports a legacy application's last snapshot unless told otherwise:
 * s3://<bucket>/msfctl/final-snapshots/<application>/ (the savepoint then lands in a sub-prefix per export).
 */
export function defaultExportLocation(bucket: string, application: string): S3Prefix {
  return { bucket, prefix: `msfctl/final-snapshots/${application}/` };
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** A final snapshot of a running job (unless skipped), an export in legacy mode, a force stop, the delete. */
export function destroyDecision(input: DestroyInput): DestroyDecision {
  const { live, snapshots } = input;
  if (live.status === 'DELETING') return { nothing: `${live.name} is already being deleted.`, fate: [] };
  const actions: Action[] = [];
  const kpus = kpusInUse(live);
  const finalSnapshot = live.status === 'RUNNING' ? input.finalSnapshot : undefined;
  if (finalSnapshot) actions.push({ type: 'snapshot', name: finalSnapshot, effect: snapshotEffect(kpus) });

  const enhancedMode = live.config.snapshotMode === 'enhanced';
  const applicationSnapshots = snapshots.filter((s) => !s.enhanced);
  const enhanced = snapshots.filter((s) => s.enhanced);
  const fate: string[] = [];
  if (enhancedMode) {
    const others = enhanced.length ? ` and its ${count(enhanced.length, 'other enhanced snapshot')}` : '';
    fate.push(
      finalSnapshot
        ? `Enhanced snapshots outlive their application: the final snapshot ${finalSnapshot}${others} stay, with their ARNs (printed after the delete).`
        : enhanced.length
          ? `Enhanced snapshots outlive their application: its ${count(enhanced.length, 'enhanced snapshot')} stay, with their ARNs (printed after the delete).`
          : `It has no enhanced snapshot${input.finalSnapshot ? ' and no job runs to take a final one' : ''}: no state is kept.`,
    );
    const n = applicationSnapshots.length;
    if (n)
      fate.push(
        `${n === 1 ? 'Its application snapshot' : `Its ${n} application snapshots`} from before the switch to enhanced mode ${n === 1 ? 'is' : 'are'} deleted with it.`,
      );
  } else {
    // The state to keep: the final snapshot, or else the newest READY one (a stopped job's state).
    const keep = finalSnapshot ?? newestReadySnapshot(applicationSnapshots)?.name;
    const total = applicationSnapshots.length + (finalSnapshot ? 1 : 0);
    if (!keep) {
      fate.push(
        input.finalSnapshot || live.status !== 'RUNNING'
          ? 'It has no snapshot: there is no state to keep.'
          : 'No final snapshot (--skip-snapshot) and no other snapshot: its state is lost.',
      );
    } else if ('to' in input.export) {
      actions.push({
        type: 'export',
        snapshot: keep,
        enhanced: false,
        to: input.export.to,
        role: input.export.role,
        title: `export snapshot ${keep} to ${describeS3Prefix(input.export.to)} (application snapshots are deleted with their application)`,
      });
      fate.push(
        `Application snapshots die with their application (legacy snapshot mode): ${keep === finalSnapshot ? 'the final snapshot' : 'the newest snapshot'} ${keep} is exported to ${describeS3Prefix(input.export.to)} first; ${total > 1 ? `the ${count(total, 'snapshot')} are then deleted with it` : 'then it is deleted with it'}.`,
      );
    } else {
      fate.push(
        `WARNING: its ${count(total, 'snapshot')}${finalSnapshot ? ', the final one included,' : ''} will be deleted with it (legacy snapshot mode) and not exported (${input.export.none}): the state in ${total === 1 ? 'it' : 'them'} is lost.`,
      );
    }
  }

  if (live.status !== 'READY') {
    // The state is in the final snapshot already (or is being dropped on purpose): no second snapshot.
    const stop = stopEffect(false, true, kpus);
    actions.push({
      type: 'force-stop',
      reason: 'destroy',
      effect: finalSnapshot
        ? { ...stop, state: 'saved', stateDetail: `state kept in the final snapshot ${finalSnapshot}` }
        : stop,
    });
  }
  actions.push({ type: 'delete', effect: deleteEffect(0) });
  return {
    actions,
    fate,
    ...(finalSnapshot ? { finalSnapshot } : {}),
    details: {
      finalSnapshot: finalSnapshot ?? null,
      skipSnapshot: !input.finalSnapshot,
      snapshotMode: live.config.snapshotMode,
      ...('to' in input.export && !enhancedMode ? { exportTo: describeS3Prefix(input.export.to) } : {}),
      fate,
    },
  };
}
