/**
 * Finding snapshots through the MSF port: an application's own (both kinds), and enhanced snapshots of the
 * account, which may belong to another application or outlive a deleted one. The choosing is pure
 * (engine/snapshots.ts, engine/restore.ts); the reading is here.
 */
import type { RestoreSettings, SnapshotInfo, SnapshotMode } from '../model/application.js';
import { MsfctlError } from '../model/errors.js';
import { isSnapshotArn, snapshotNameFromArn } from '../model/snapshot-refs.js';
import { findSnapshot } from '../engine/snapshots.js';
import type { MsfGateway } from '../ports/msf.js';

/** The application's snapshots; none when the application does not exist (any more). */
export async function snapshotsIfAny(gateway: MsfGateway, application: string): Promise<SnapshotInfo[]> {
  try {
    return await gateway.listSnapshots(application);
  } catch (error) {
    if (MsfctlError.is(error, 'APP_NOT_FOUND')) return [];
    throw error;
  }
}

/**
 * The snapshot `ref` (a name or an enhanced snapshot's ARN) names: one of the application's, or else an enhanced
 * snapshot of that name in the account. Undefined when there is none. The name must be a valid snapshot name.
 */
export async function lookupSnapshot(
  gateway: MsfGateway,
  /** Undefined: the account's enhanced snapshots only. */
  application: string | undefined,
  ref: string,
): Promise<SnapshotInfo | undefined> {
  if (application !== undefined) {
    const own = findSnapshot(await snapshotsIfAny(gateway, application), ref, application);
    if (own) return own;
  }
  const name = isSnapshotArn(ref) ? snapshotNameFromArn(ref)! : ref;
  const enhanced = await gateway.describeEnhancedSnapshot(name);
  return enhanced && (!isSnapshotArn(ref) || enhanced.enhanced?.arn === ref) ? enhanced : undefined;
}

/**
 * What a restore may choose from: the application's snapshots and, when it names an enhanced snapshot that is
 * not one of them (another application's, or a deleted one's), that snapshot as the service describes it.
 */
export async function restoreCandidates(
  gateway: MsfGateway,
  application: { name: string; mode: SnapshotMode; exists: boolean },
  run: RestoreSettings,
): Promise<SnapshotInfo[]> {
  const own = application.exists ? await gateway.listSnapshots(application.name) : [];
  if (run.from !== 'snapshot' || application.mode !== 'enhanced') return own;
  const name = run.snapshotArn ? snapshotNameFromArn(run.snapshotArn) : run.snapshot;
  const known = own.some((s) =>
    run.snapshotArn ? s.enhanced?.arn === run.snapshotArn : s.enhanced && s.name === name,
  );
  if (!name || known) return own;
  const other = await gateway.describeEnhancedSnapshot(name);
  return other ? [...own, other] : own;
}
