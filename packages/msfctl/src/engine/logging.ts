/**
 * The actions that bring an application's logging options and tags to the spec. Neither travels in
 * UpdateApplication: logging options are added and deleted one by one (each a new version, the job keeps
 * running), tags are set and removed on the application's ARN (no version). Pure.
 */
import type { Action } from '../model/actions.js';
import type { LiveApplication, Tags } from '../model/application.js';
import { kpusInUse } from '../model/application.js';
import type { Effect } from '../model/actions.js';

/** A change that touches no job: the running one keeps running, a stopped one stays stopped. */
function untouched(live: LiveApplication): Effect {
  const kpus = kpusInUse(live);
  return {
    restart: false,
    snapshot: false,
    state: 'unchanged',
    stateDetail: live.status === 'RUNNING' ? 'the job keeps running' : 'no job runs',
    kpus: { before: kpus, after: kpus },
  };
}

/**
 * Deletes first (any option whose stream is not the desired one), then adds the desired stream when no option
 * has it: at no moment does the application hold more options than the service allows.
 */
export function loggingActions(live: LiveApplication, logStream: string | undefined): Action[] {
  const options = live.loggingOptions ?? [];
  const actions: Action[] = options
    .filter((o) => o.logStreamArn !== logStream)
    .map((o) => ({
      type: 'delete-logging' as const,
      optionId: o.id,
      logStream: o.logStreamArn,
      effect: untouched(live),
    }));
  if (logStream && !options.some((o) => o.logStreamArn === logStream))
    actions.push({ type: 'add-logging', logStream, effect: untouched(live) });
  return actions;
}

/** One tag action when the tags differ (the service's aws:… tags are left alone); none otherwise. */
export function tagsAction(live: LiveApplication, current: Tags, desired: Tags | undefined): Action[] {
  if (desired === undefined) return [];
  const set = Object.fromEntries(Object.entries(desired).filter(([k, v]) => current[k] !== v));
  const remove = Object.keys(current).filter((k) => !(k in desired) && !k.startsWith('aws:'));
  if (!Object.keys(set).length && !remove.length) return [];
  return [{ type: 'tag', set, remove: remove.sort(), effect: untouched(live) }];
}
