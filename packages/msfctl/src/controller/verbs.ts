/**
 * The lifecycle commands, each an observation and a pure decision (engine/verbs.ts) run through the one
 * pipeline: start, stop [--force], restart (from the latest snapshot, a named one, or none), rollback, scale,
 * destroy, snapshot create. Those that (re)start the job get the pipeline's watch and recovery.
 */
import type { LiveApplication, RestoreSettings, SnapshotInfo } from '../model/application.js';
import { MsfctlError } from '../model/errors.js';
import { recordSnapshot } from '../model/ledger.js';
import type { Action } from '../model/actions.js';
import {
  destroyDecision,
  restartDecision,
  rollbackDecision,
  rollbackTarget,
  scaleDecision,
  scaledParallelism,
  snapshotDecision,
  startDecision,
  stopDecision,
  type ScaleRequest,
} from '../engine/verbs.js';
import { defaultSnapshotName } from '../engine/snapshots.js';
import type { RunContext } from './context.js';
import { requireLive, runPipeline, type RunResult } from './pipeline.js';
import { withLockedSession } from './session.js';
import { waitForSnapshotGone } from './wait.js';

export type { ScaleRequest } from '../engine/verbs.js';

interface Seen {
  live: LiveApplication | undefined;
  snapshots: SnapshotInfo[];
}

const seen = (ctx: RunContext, snapshots: boolean) => async (): Promise<Seen> => {
  const live = await ctx.gateway.describe(ctx.application);
  return { live, snapshots: live && snapshots ? await ctx.gateway.listSnapshots(ctx.application) : [] };
};

export function startApplication(ctx: RunContext, run: RestoreSettings): Promise<RunResult> {
  return runPipeline(ctx, {
    kind: 'start',
    watch: true,
    observe: seen(ctx, true),
    plan: (o) => startDecision(requireLive(o.live, ctx.application), run, o.snapshots),
  });
}

export function stopApplication(ctx: RunContext, force: boolean): Promise<RunResult> {
  return runPipeline(ctx, {
    kind: 'stop',
    watch: false,
    observe: seen(ctx, false),
    plan: (o) => stopDecision(requireLive(o.live, ctx.application), force),
  });
}

/** Stops (with a snapshot, when enabled) and starts again, restoring as told. */
export function restartApplication(ctx: RunContext, run: RestoreSettings): Promise<RunResult> {
  return runPipeline(ctx, {
    kind: 'restart',
    watch: true,
    observe: seen(ctx, true),
    plan: (o) => restartDecision(requireLive(o.live, ctx.application), run, o.snapshots),
  });
}

/** RollbackApplication: the previous version, with state from the latest snapshot. */
export function rollbackApplication(ctx: RunContext): Promise<RunResult> {
  return runPipeline(ctx, {
    kind: 'rollback',
    watch: true,
    observe: async () => {
      const o = await seen(ctx, true)();
      const previous =
        o.live && o.live.versionId > 1
          ? await ctx.gateway.describeVersion(ctx.application, rollbackTarget(o.live)).catch(() => undefined)
          : undefined;
      return { ...o, previous };
    },
    plan: (o) => rollbackDecision(requireLive(o.live, ctx.application), o.snapshots, o.previous),
  });
}

/** Changes parallelism (and per-KPU, autoscaling) without touching the rest of the configuration. */
export function scaleApplication(ctx: RunContext, request: ScaleRequest): Promise<RunResult> {
  return runPipeline(ctx, {
    kind: 'scale',
    watch: true,
    observe: seen(ctx, false),
    plan: (o) => {
      const live = requireLive(o.live, ctx.application);
      const d = scaleDecision(live, request);
      if ('nothing' in d) return d;
      // What the run wants, should the service refuse the update's snapshot (a crash-looping job).
      const wanted = {
        config: { ...live.config, parallelism: scaledParallelism(live, request) },
        restore: request.restore,
      };
      return { ...d, wanted };
    },
  });
}

export interface DestroyOptions {
  skipSnapshot: boolean;
  /** Asked with the list of actions; must resolve true to go on. */
  approve: (actions: Action[]) => Promise<boolean>;
  now?: Date;
}

/**
 * Takes a final snapshot of a running job (unless skipped), stops it, deletes the application. The ledger keeps
 * its history, the final snapshot's name, and when the application was deleted.
 */
export async function destroyApplication(
  ctx: RunContext,
  options: DestroyOptions,
): Promise<RunResult & { finalSnapshot?: string }> {
  const wanted = options.skipSnapshot ? undefined : `${defaultSnapshotName(options.now)}-final`;
  let finalSnapshot: string | undefined;
  const result = await runPipeline(ctx, {
    kind: 'destroy',
    watch: false,
    observe: seen(ctx, false),
    plan: (o) => {
      const d = destroyDecision(requireLive(o.live, ctx.application), wanted);
      if (!('nothing' in d) && d.actions.some((a) => a.type === 'snapshot')) finalSnapshot = wanted;
      return d;
    },
    beforeIntent: async (d) => {
      if (!(await options.approve(d.actions)))
        throw new MsfctlError('ABORTED', 'Destroy cancelled: nothing was changed.');
    },
    executed: async (session, execution) => {
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
  });
  return { ...result, ...(finalSnapshot ? { finalSnapshot } : {}) };
}

export function createSnapshot(
  ctx: RunContext,
  name: string,
  reason = 'msfctl snapshot create',
): Promise<RunResult> {
  return runPipeline(ctx, {
    kind: 'snapshot',
    watch: false,
    observe: seen(ctx, false),
    plan: (o) => snapshotDecision(requireLive(o.live, ctx.application), name),
    executed: async (session, result) => {
      if (!result.ok) return;
      await session.ledger.update((l) =>
        recordSnapshot(l, {
          name,
          takenAt: new Date().toISOString(),
          ...(result.live ? { versionId: result.live.versionId } : {}),
          reason,
        }),
      );
    },
  });
}

export function listSnapshots(ctx: Pick<RunContext, 'gateway' | 'application'>): Promise<SnapshotInfo[]> {
  return ctx.gateway.listSnapshots(ctx.application);
}

/** Snapshot housekeeping (delete, prune): one DeleteApplicationSnapshot after another, under the lock. */
export async function deleteSnapshots(
  ctx: RunContext,
  names: string[],
  reason: string,
): Promise<{ deleted: string[] }> {
  const deleted: string[] = [];
  await withLockedSession(
    {
      store: ctx.state,
      application: ctx.application,
      kind: 'snapshot',
      summary: reason,
      host: ctx.host,
      ...(ctx.lock ? { lock: ctx.lock } : {}),
      ...(ctx.interrupts ? { interrupts: ctx.interrupts } : {}),
    },
    async (session) => {
      const snapshots = await ctx.gateway.listSnapshots(ctx.application);
      const targets = names.map((n) => {
        const s = snapshots.find((x) => x.name === n);
        if (!s)
          throw new MsfctlError('SNAPSHOT', `Snapshot ${n} of ${ctx.application} does not exist.`, {
            hint: '`msfctl snapshot list` shows the snapshots.',
          });
        return s;
      });
      await session.begin({ summary: `${reason}: ${names.join(', ')}`, details: { delete: names } });
      for (const s of targets) {
        const progress = ctx.host.progress(`Deleting snapshot ${s.name}`);
        try {
          await ctx.gateway.deleteSnapshot(ctx.application, s.name, s.createdAt);
          // Deletion is asynchronous (DELETING → gone).
          await waitForSnapshotGone(ctx.gateway, ctx.application, s.name, {
            ...(ctx.clock ? { clock: ctx.clock } : {}),
            progress,
            label: `Deleting snapshot ${s.name}`,
          });
        } catch (error) {
          progress.done(`Deleting snapshot ${s.name} failed`, false);
          throw error;
        }
        await session.recordOperation({ operation: 'DeleteApplicationSnapshot', status: 'SUCCESSFUL' });
        progress.done(`Deleted snapshot ${s.name}`);
        deleted.push(s.name);
      }
    },
  );
  return { deleted };
}
