/**
 * Snapshot names and the retention policy: pure. Pruning never selects the newest READY snapshot (the state a
 * restart or rollback would restore).
 */
import type { SnapshotInfo } from '../model/application.js';
import { MsfctlError } from '../model/errors.js';

export function defaultSnapshotName(now: Date = new Date()): string {
  const t = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `msfctl-${t}`;
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
