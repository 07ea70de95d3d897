/**
 * Observe: read the live application (DescribeApplication) and what is needed to explain it — its snapshots
 * when a start would restore from one, its recent operations when it moved since msfctl last saw it — into
 * plain values. The only I/O of planning happens here.
 */
import type { MsfGateway } from '../ports/msf.js';
import type {
  LiveApplication,
  OperationInfo,
  SnapshotInfo,
  SnapshotMode,
  Tags,
} from '../model/application.js';
import { detectDrift } from '../engine/drift.js';
import type { DriftReport } from '../model/plan.js';
import { msfctlOperationIds, type Ledger } from '../model/ledger.js';

export interface Observation {
  live: LiveApplication | undefined;
  /** Listed when the plan needs them (a start, or a named restore snapshot). */
  snapshots?: SnapshotInfo[];
  /** Listed when asked for (the spec manages tags). */
  tags?: Tags;
  drift: DriftReport;
}

export interface ObserveOptions {
  /** List snapshots even when not needed to plan (status, restart). */
  snapshots?: boolean;
  /** The desired restore source, to validate a named snapshot. */
  restoreFrom?: 'latest' | 'none' | 'snapshot';
  /**
   * What the spec wants, when planning: a READY application that stays stopped in the same snapshot mode needs
   * no restore source, so its snapshots are not listed (a fleet of stopped applications plans with one call each).
   */
  desired?: { running: boolean; snapshotMode: SnapshotMode };
  /** List the application's tags. */
  tags?: boolean;
}

export async function observe(
  gateway: MsfGateway,
  name: string,
  ledger: Ledger | undefined,
  options: ObserveOptions = {},
): Promise<Observation> {
  const live = await gateway.describe(name);
  if (!live) return { live, drift: { changes: [], operations: [], notes: [] } };
  const expected = ledger?.expected;
  const moved =
    expected !== undefined && (expected.versionId !== live.versionId || expected.status !== live.status);
  const mayStart =
    options.desired === undefined ||
    options.desired.running ||
    options.desired.snapshotMode !== live.config.snapshotMode;
  const needSnapshots =
    options.snapshots || (live.status === 'READY' && mayStart) || options.restoreFrom === 'snapshot';
  const [snapshots, operations, tags] = await Promise.all([
    needSnapshots ? gateway.listSnapshots(name, live) : Promise.resolve(undefined),
    moved ? gateway.listOperations(name, 20) : Promise.resolve([] as OperationInfo[]),
    options.tags ? gateway.listTags(live.arn) : Promise.resolve(undefined),
  ]);
  const interrupted = (ledger?.entries ?? []).filter((e) => e.outcome === 'interrupted');
  const drift = detectDrift(expected, live, operations, msfctlOperationIds(ledger), interrupted, tags);
  return { live, ...(snapshots ? { snapshots } : {}), ...(tags ? { tags } : {}), drift };
}
