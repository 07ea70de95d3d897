/**
 * Snapshots: create, list, delete, and prune by count and age. The retention policy is a pure function;
 * it never selects the newest READY snapshot (the state a restart or rollback would restore).
 */
import { waitForSnapshotGone } from '../wait.js';
import { kpusInUse, type SnapshotInfo } from '../../model/application.js';
import { MsfctlError } from '../../model/errors.js';
import { snapshotEffect } from '../../engine/effects.js';
import { recordSnapshot } from '../../model/ledger.js';
import { requireLive, runLifecycle, type LifecycleContext, type LifecycleResult } from '../run-actions.js';
import { withLockedSession } from '../session.js';

export function defaultSnapshotName(now: Date = new Date()): string {
  const t = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `msfctl-${t}`;
}

export function createSnapshot(
  ctx: LifecycleContext,
  name: string,
  reason = 'msfctl snapshot create',
): Promise<LifecycleResult> {
  return runLifecycle(
    ctx,
    'snapshot',
    (found) => {
      const live = requireLive(found, ctx.application);
      if (live.status !== 'RUNNING') {
        throw new MsfctlError(
          'APP_BUSY',
          `Cannot snapshot ${ctx.application}: it is ${live.status}; a snapshot needs a RUNNING job.`,
          {
            hint:
              live.status === 'READY'
                ? 'Its state is in its latest snapshot already (`msfctl snapshot list`).'
                : 'Wait for it to settle.',
          },
        );
      }
      return {
        actions: [{ type: 'snapshot', name, effect: snapshotEffect(kpusInUse(live)) }],
        details: { snapshot: name },
      };
    },
    async (session, result) => {
      if (result.ok) {
        await session.ledger.update((l) =>
          recordSnapshot(l, {
            name,
            takenAt: new Date().toISOString(),
            ...(result.live ? { versionId: result.live.versionId } : {}),
            reason,
          }),
        );
      }
    },
  );
}

export function listSnapshots(
  ctx: Pick<LifecycleContext, 'gateway' | 'application'>,
): Promise<SnapshotInfo[]> {
  return ctx.gateway.listSnapshots(ctx.application);
}

export interface PrunePolicy {
  /** Keep the newest N READY snapshots. */
  keep?: number;
  /** Delete only snapshots older than this. */
  olderThanMs?: number;
  /** Names never deleted (e.g. the spec's restore snapshot). */
  protect?: string[];
}

export interface PruneSelection {
  delete: SnapshotInfo[];
  keep: { snapshot: SnapshotInfo; reason: string }[];
}

export function assertPrunePolicy(policy: PrunePolicy): void {
  if (policy.keep === undefined && policy.olderThanMs === undefined) {
    throw new MsfctlError('USAGE', 'prune needs a policy: --keep N, --older-than DURATION, or both.');
  }
}

export function selectPrunable(
  snapshots: readonly SnapshotInfo[],
  policy: PrunePolicy,
  now: number,
): PruneSelection {
  assertPrunePolicy(policy);
  const sorted = [...snapshots].sort((a, b) => b.createdAt - a.createdAt);
  const ready = sorted.filter((s) => s.status === 'READY');
  const newest = ready[0];
  const keepNewest = new Set(ready.slice(0, Math.max(1, policy.keep ?? 1)).map((s) => s.name));
  const protect = new Set(policy.protect ?? []);
  const selection: PruneSelection = { delete: [], keep: [] };
  for (const s of sorted) {
    let reason: string | undefined;
    if (s.status === 'CREATING' || s.status === 'DELETING') reason = `${s.status}`;
    else if (s.name === newest?.name) reason = 'newest READY snapshot (never deleted)';
    else if (protect.has(s.name)) reason = 'named in the spec (restore.snapshot)';
    else if (policy.keep !== undefined && keepNewest.has(s.name)) reason = `among the newest ${policy.keep}`;
    else if (policy.olderThanMs !== undefined && now - s.createdAt <= policy.olderThanMs)
      reason = 'not old enough';
    if (reason) selection.keep.push({ snapshot: s, reason });
    else selection.delete.push(s);
  }
  return selection;
}

export async function deleteSnapshots(
  ctx: LifecycleContext,
  names: string[],
  reason: string,
): Promise<{ deleted: string[] }> {
  const deleted: string[] = [];
  await withLockedSession(
    { store: ctx.state, application: ctx.application, kind: 'snapshot', summary: reason, host: ctx.host },
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
