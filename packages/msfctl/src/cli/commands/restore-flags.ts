/** --snapshot NAME_OR_ARN | --latest | --no-restore, and --allow-non-restored-state, as RestoreSettings. */
import type { Command } from 'commander';
import type { RestoreSettings } from '../../model/application.js';
import { MsfctlError } from '../../model/errors.js';
import { isSnapshotArn, parseSnapshotRef, snapshotNameFromArn } from '../../model/snapshot-refs.js';

export interface RestoreFlags {
  snapshot?: string;
  latest?: boolean;
  restore?: boolean;
  allowNonRestoredState?: boolean;
}

export function addRestoreFlags(command: Command): Command {
  return command
    .option(
      '--snapshot <name-or-arn>',
      "restore from this snapshot: a name, or an enhanced snapshot's ARN (any application's; enhanced mode)",
    )
    .option('--latest', 'restore from the latest snapshot')
    .option('--no-restore', 'start with empty state (no snapshot restored)')
    .option(
      '--allow-non-restored-state',
      'let the job start even if some snapshot state maps to no operator',
    );
}

export function restoreFrom(flags: RestoreFlags, fallback: RestoreSettings): RestoreSettings {
  const chosen = [flags.snapshot !== undefined, flags.latest === true, flags.restore === false].filter(
    Boolean,
  ).length;
  if (chosen > 1) throw new MsfctlError('USAGE', 'Choose one of --snapshot NAME, --latest and --no-restore.');
  const allow = flags.allowNonRestoredState ?? fallback.allowNonRestoredState;
  if (flags.snapshot !== undefined) {
    const ref = parseSnapshotRef(flags.snapshot, '--snapshot');
    return isSnapshotArn(ref)
      ? {
          from: 'snapshot',
          snapshot: snapshotNameFromArn(ref)!,
          snapshotArn: ref,
          allowNonRestoredState: allow,
        }
      : { from: 'snapshot', snapshot: ref, allowNonRestoredState: allow };
  }
  if (flags.latest) return { from: 'latest', allowNonRestoredState: allow };
  if (flags.restore === false) return { from: 'none', allowNonRestoredState: allow };
  return { ...fallback, allowNonRestoredState: allow };
}
