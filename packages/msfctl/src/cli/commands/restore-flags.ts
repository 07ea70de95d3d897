/** --snapshot NAME | --latest | --no-restore, and --allow-non-restored-state, as RestoreSettings. */
import type { Command } from 'commander';
import type { RestoreSettings } from '../../model/application.js';
import { MsfctlError } from '../../model/errors.js';

export interface RestoreFlags {
  snapshot?: string;
  latest?: boolean;
  restore?: boolean;
  allowNonRestoredState?: boolean;
}

export function addRestoreFlags(command: Command): Command {
  return command
    .option('--snapshot <name>', 'restore from this snapshot')
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
  if (flags.snapshot !== undefined)
    return { from: 'snapshot', snapshot: flags.snapshot, allowNonRestoredState: allow };
  if (flags.latest) return { from: 'latest', allowNonRestoredState: allow };
  if (flags.restore === false) return { from: 'none', allowNonRestoredState: allow };
  return { ...fallback, allowNonRestoredState: allow };
}
