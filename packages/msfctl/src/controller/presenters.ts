/**
 * How the executor's actions look while they run: a progress line per action for a verb's own plan
 * ("Updating app…" → "Updated app (version 3, RUNNING)"), numbered steps for a recovery (printed before it runs
 * by the watch phase). Both only emit IoHost messages.
 */
import type { Action } from '../model/actions.js';
import { recoveryStepEnd, recoveryStepStart } from '../engine/recovery/messages.js';
import type { IoHost, Progress } from '../ports/io-host.js';
import type { ActionPresenter } from './executor.js';

const VERB: Record<Action['type'], [string, string]> = {
  create: ['Creating', 'Created'],
  update: ['Updating', 'Updated'],
  start: ['Starting', 'Started'],
  stop: ['Stopping', 'Stopped'],
  'force-stop': ['Force-stopping', 'Stopped'],
  rollback: ['Rolling back', 'Rolled back'],
  snapshot: ['Taking snapshot of', 'Took snapshot of'],
  export: ['Exporting a snapshot of', 'Exported a snapshot of'],
  delete: ['Deleting', 'Deleted'],
  'add-logging': ['Adding a logging option to', 'Added a logging option to'],
  'delete-logging': ['Deleting a logging option of', 'Deleted a logging option of'],
  tag: ['Tagging', 'Tagged'],
  wait: ['Waiting for the operation on', 'Waited for the operation on'],
  reconcile: ['Reading back', 'Read back'],
  verify: ['Watching', 'Watched'],
};

/** A progress line per action, its wait updates prefixed with what it does. */
export function progressPresenter(host: IoHost, application: string): ActionPresenter {
  return {
    begin(action) {
      const label = `${VERB[action.type][0]} ${application}`;
      const progress = host.progress(`${label}…`);
      return {
        update: (text) => progress.update(`${label}: ${text}`),
        done: (text, ok) => progress.done(text, ok),
      };
    },
    end(record, _index, progress) {
      const [verb, done] = VERB[record.action.type];
      const live = record.live;
      if (!record.ok) progress.done(`${verb} ${application} failed`, false);
      else
        progress.done(`${done} ${application}${live ? ` (version ${live.versionId}, ${live.status})` : ''}`);
    },
    operationName: (action, operation) => operation ?? action.type,
  };
}

const SILENT: Progress = { update: () => undefined, done: () => undefined };

/** Numbered recovery steps, each announced before it runs and reported after; recorded as "recovery: …". */
export function recoveryPresenter(host: IoHost): ActionPresenter {
  return {
    begin(action, index) {
      host.notify(recoveryStepStart(action, index));
      return SILENT;
    },
    end(record, index) {
      host.notify(recoveryStepEnd(record, index));
    },
    operationName: (action, operation) => `recovery: ${action.type}${operation ? ` (${operation})` : ''}`,
  };
}
