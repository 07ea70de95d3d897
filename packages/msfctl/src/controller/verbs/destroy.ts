/**
 * destroy: take a final snapshot of a running job (unless --skip-snapshot), stop it, delete the application.
 * The ledger keeps its history, the final snapshot's name, and when the application was deleted.
 */
import { kpusInUse } from '../../model/application.js';
import { MsfctlError } from '../../model/errors.js';
import { deleteEffect, snapshotEffect, stopEffect } from '../../engine/effects.js';
import type { PlannedAction } from '../../model/plan.js';
import { recordSnapshot } from '../../model/ledger.js';
import { requireLive, runLifecycle, type LifecycleContext, type LifecycleResult } from '../run-actions.js';
import { defaultSnapshotName } from './snapshots.js';

export interface DestroyOptions {
  skipSnapshot: boolean;
  /** Asked with the list of actions; must resolve true to go on. */
  approve: (actions: PlannedAction[]) => Promise<boolean>;
  now?: Date;
}

export async function destroyApplication(
  ctx: LifecycleContext,
  options: DestroyOptions,
): Promise<LifecycleResult & { finalSnapshot?: string }> {
  let finalSnapshot: string | undefined;
  const result = await runLifecycle(
    ctx,
    'destroy',
    async (found) => {
      const live = requireLive(found, ctx.application);
      if (live.status === 'DELETING') return { nothing: `${ctx.application} is already being deleted.` };
      const actions: PlannedAction[] = [];
      const kpus = kpusInUse(live);
      if (live.status === 'RUNNING' && !options.skipSnapshot) {
        finalSnapshot = `${defaultSnapshotName(options.now)}-final`;
        actions.push({ type: 'snapshot', name: finalSnapshot, effect: snapshotEffect(kpus) });
      }
      if (live.status !== 'READY') {
        // The state is in the final snapshot already (or is being dropped on purpose): no second snapshot.
        const stop = stopEffect(false, true, kpus);
        actions.push({
          type: 'stop',
          force: true,
          reason: 'destroy',
          effect: finalSnapshot
            ? { ...stop, state: 'saved', stateDetail: `state kept in the final snapshot ${finalSnapshot}` }
            : stop,
        });
      }
      actions.push({ type: 'delete', effect: deleteEffect(0) });
      if (!(await options.approve(actions)))
        throw new MsfctlError('ABORTED', 'Destroy cancelled: nothing was changed.');
      return {
        actions,
        details: { finalSnapshot: finalSnapshot ?? null, skipSnapshot: options.skipSnapshot },
      };
    },
    async (session, execution) => {
      const tookSnapshot = finalSnapshot && execution.completed.some((a) => a.type === 'snapshot');
      await session.ledger.update((l) => ({
        ...(tookSnapshot
          ? recordSnapshot(l, {
              name: finalSnapshot!,
              takenAt: new Date().toISOString(),
              reason: 'destroy: final snapshot',
            })
          : l),
        // The history stays; what described the deleted application (baseline, last good version) goes.
        ...(execution.ok
          ? { deletedAt: new Date().toISOString(), expected: undefined, lastGood: undefined }
          : {}),
      }));
    },
  );
  return { ...result, ...(finalSnapshot ? { finalSnapshot } : {}) };
}
