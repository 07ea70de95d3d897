/**
 * Which snapshot holds good state: the newest READY snapshot taken while the last good version ran. A snapshot
 * records the version it was taken of (the service's automatic snapshot at an update carries the version
 * being replaced), so one of the last good version is good; failing that, one taken before the failed deploy
 * began was taken of whatever ran then, which was good or older.
 */
import type { SnapshotInfo } from '../../model/application.js';

export interface GoodSnapshotQuery {
  snapshots: readonly SnapshotInfo[];
  /** The last version known good (the ledger's lastGood). */
  goodVersionId?: number;
  /** When the failed deploy started (epoch ms). */
  deployStartedAt?: number;
}

export interface GoodSnapshot {
  snapshot: SnapshotInfo;
  why: 'of-good-version' | 'before-deploy';
}

export function chooseGoodSnapshot(query: GoodSnapshotQuery): GoodSnapshot | undefined {
  const ready = query.snapshots.filter((s) => s.status === 'READY').sort((a, b) => b.createdAt - a.createdAt);
  const ofGood =
    query.goodVersionId === undefined ? undefined : ready.find((s) => s.versionId === query.goodVersionId);
  if (ofGood) return { snapshot: ofGood, why: 'of-good-version' };
  const before =
    query.deployStartedAt === undefined ? undefined : ready.find((s) => s.createdAt < query.deployStartedAt!);
  return before ? { snapshot: before, why: 'before-deploy' } : undefined;
}

/** The snapshot RollbackApplication would restore (the newest READY one) is good state. */
export function latestSnapshotIsGood(query: GoodSnapshotQuery): boolean {
  const latest = query.snapshots
    .filter((s) => s.status === 'READY')
    .sort((a, b) => b.createdAt - a.createdAt)[0];
  const good = chooseGoodSnapshot(query);
  return latest !== undefined && good !== undefined && latest.name === good.snapshot.name;
}
