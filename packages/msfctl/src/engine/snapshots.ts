/**
 * Snapshot names, lookup and the retention policy: pure. Retention covers both kinds (application snapshots and
 * an application's enhanced snapshots) and never selects the newest READY snapshot of the application (the
 * state a restart or rollback would restore).
 */
import type { SnapshotInfo, SnapshotMode } from '../model/application.js';
import { MsfctlError } from '../model/errors.js';
import { isSnapshotArn, snapshotKey } from '../model/snapshot-refs.js';

/**
 * msfctl-<UTC time>; in enhanced mode msfctl-<application>-<UTC time>, since an enhanced snapshot's name is
 * unique in the whole account and Region, not only within its application.
 */
export function defaultSnapshotName(
  now: Date = new Date(),
  enhancedOf?: { application: string; mode: SnapshotMode },
): string {
  const t = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return enhancedOf?.mode === 'enhanced' ? `msfctl-${enhancedOf.application}-${t}` : `msfctl-${t}`;
}

/**
 * The snapshot `ref` (a name, or an enhanced snapshot's ARN) names among `snapshots`; undefined when none. A
 * name both an application snapshot and an enhanced snapshot carry is ambiguous: the ARN tells them apart.
 */
export function findSnapshot(
  snapshots: readonly SnapshotInfo[],
  ref: string,
  application: string,
): SnapshotInfo | undefined {
  if (isSnapshotArn(ref)) return snapshots.find((s) => s.enhanced?.arn === ref);
  const named = snapshots.filter((s) => s.name === ref);
  if (named.length > 1) {
    throw new MsfctlError(
      'USAGE',
      `${application} has an application snapshot and an enhanced snapshot both named ${ref}.`,
      { hint: `Name the enhanced one by its ARN (${named.find((s) => s.enhanced)?.enhanced?.arn}).` },
    );
  }
  return named[0];
}

export interface PrunePolicy {
  /** Keep the newest N READY snapshots. */
  keep?: number;
  /** Delete only snapshots older than this. */
  olderThanMs?: number;
  /** Names never deleted (e.g. the spec's restore snapshot). */
  protect?: string[];
  /** Names or `*` patterns never deleted (the spec's snapshots.protect). */
  protectPatterns?: string[];
}

/** A `*` pattern as a whole-name match: `release-*` protects release-1.2, not pre-release-1. */
export function namePattern(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
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

/** `snapshots` are one application's, of both kinds: the newest READY one among all of them is never deleted. */
export function selectPrunable(
  snapshots: readonly SnapshotInfo[],
  policy: PrunePolicy,
  now: number,
): PruneSelection {
  assertPrunePolicy(policy);
  const sorted = [...snapshots].sort((a, b) => b.createdAt - a.createdAt);
  const ready = sorted.filter((s) => s.status === 'READY');
  const newest = ready[0] ? snapshotKey(ready[0]) : undefined;
  const keepNewest = new Set(ready.slice(0, Math.max(1, policy.keep ?? 1)).map(snapshotKey));
  const protect = new Set(policy.protect ?? []);
  const patterns = (policy.protectPatterns ?? []).map((p) => ({ p, re: namePattern(p) }));
  const selection: PruneSelection = { delete: [], keep: [] };
  for (const s of sorted) {
    let reason: string | undefined;
    if (s.status === 'CREATING' || s.status === 'DELETING') reason = `${s.status}`;
    else if (snapshotKey(s) === newest) reason = 'newest READY snapshot (never deleted)';
    else if (protect.has(s.name)) reason = 'named in the spec (restore.snapshot)';
    else if (patterns.some(({ re }) => re.test(s.name)))
      reason = `protected by snapshots.protect (${patterns.find(({ re }) => re.test(s.name))!.p})`;
    else if (policy.keep !== undefined && keepNewest.has(snapshotKey(s)))
      reason = `among the newest ${policy.keep}`;
    else if (policy.olderThanMs !== undefined && now - s.createdAt <= policy.olderThanMs)
      reason = 'not old enough';
    if (reason) selection.keep.push({ snapshot: s, reason });
    else selection.delete.push(s);
  }
  return selection;
}
