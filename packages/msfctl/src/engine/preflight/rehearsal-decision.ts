/**
 * Whether a plan is rehearsed, and on which state (pure). The rehearsal restores the job the plan (re)starts
 * with restored state — an update of the running job, or a start — from the state that very action restores:
 * a fresh snapshot where the update takes one now (restore "latest" of a running job), the named snapshot,
 * or the newest snapshot for a start.
 */
import type { Action, ActionOf } from '../../model/actions.js';
import {
  newestReadySnapshot,
  type LiveApplication,
  type RestoreSettings,
  type SnapshotInfo,
} from '../../model/application.js';
import type { Plan } from '../../model/plan.js';
import type { RehearsalSettings } from '../../model/rehearsal.js';

/** The sections of an update that can break the restore of state (its graph, its types, its Flink). */
const STATE_SECTIONS = ['code', 'runtime', 'properties', 'parallelism'] as const;

export type RehearsalState =
  { source: 'fresh' } | { source: 'snapshot'; snapshot: string; arn?: string; enhanced: boolean };

export type RehearsalDecision =
  | { rehearse: false; why: string }
  | {
      rehearse: true;
      action: ActionOf<'update'> | ActionOf<'start'>;
      run: RestoreSettings;
      state: RehearsalState;
    };

export function decideRehearsal(
  plan: Plan,
  live: LiveApplication | undefined,
  snapshots: readonly SnapshotInfo[] | undefined,
  settings: RehearsalSettings,
): RehearsalDecision {
  const no = (why: string): RehearsalDecision => ({ rehearse: false, why });
  if (settings.mode === 'off') return no(settings.byFlag ? '--no-rehearse' : 'deploy.rehearse is off');
  if (!live) return no('the application does not exist yet: no state to restore');
  const action = plan.actions.find(
    (a: Action): a is ActionOf<'update'> | ActionOf<'start'> =>
      (a.type === 'update' || a.type === 'start') && a.effect?.state === 'restored',
  );
  if (!action) return no('no action of this plan restarts the job with restored state');
  const run = action.type === 'start' ? action.run : action.run!;
  const graphChanged = plan.actions.some(
    (a) => a.type === 'update' && STATE_SECTIONS.some((s) => a.update[s] !== undefined),
  );
  if (!settings.explicit && !graphChanged && run.from !== 'snapshot')
    return no(
      'this change keeps the code, runtime, properties and parallelism: it cannot break the restore (`--rehearse` rehearses it anyway)',
    );
  if (plan.findings.some((f) => f.severity === 'refusal'))
    return no('the plan is refused already: nothing to rehearse');
  if (run.from === 'snapshot') {
    const known = snapshots?.find(
      (s) => s.name === run.snapshot && (!run.snapshotArn || s.enhanced?.arn === run.snapshotArn),
    );
    return {
      rehearse: true,
      action,
      run,
      state: {
        source: 'snapshot',
        snapshot: run.snapshot!,
        ...(run.snapshotArn ? { arn: run.snapshotArn } : {}),
        enhanced: Boolean(run.snapshotArn ?? known?.enhanced),
      },
    };
  }
  // An update of the running job restores the snapshot it takes now: a fresh one is the closest state.
  if (action.type === 'update') return { rehearse: true, action, run, state: { source: 'fresh' } };
  const newest = snapshots ? newestReadySnapshot(snapshots) : undefined;
  if (!newest) return no('the application has no snapshot: the start restores no state');
  return {
    rehearse: true,
    action,
    run,
    state: {
      source: 'snapshot',
      snapshot: newest.name,
      ...(newest.enhanced ? { arn: newest.enhanced.arn } : {}),
      enhanced: Boolean(newest.enhanced),
    },
  };
}
