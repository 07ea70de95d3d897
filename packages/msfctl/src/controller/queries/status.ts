/** status: the application at a glance — status, version, runtime, scale, last operation, snapshots, code. */
import type { MsfGateway } from '../../ports/msf.js';
import {
  describeCode,
  kpusFor,
  kpusInUse,
  type AppStatus,
  type OperationInfo,
  type SnapshotMode,
} from '../../model/application.js';
import { detectDrift, hasDrift } from '../../engine/drift.js';
import { artifactAt, msfctlOperationIds, type Ledger } from '../../model/ledger.js';
import { lockLiveness, type LockInfo } from '../state/lock.js';

export interface StatusReport {
  application: string;
  exists: boolean;
  status?: AppStatus;
  versionId?: number;
  runtime?: string;
  parallelism?: {
    configured: number;
    current: number;
    perKpu: number;
    autoscaling: boolean;
    kpus: number;
    kpusConfigured: number;
  };
  code?: { location: string; sha256?: string };
  lastOperation?: OperationInfo;
  /** Both kinds; the mode says which kind new snapshots are. */
  snapshots?: {
    mode: SnapshotMode;
    count: number;
    newest?: { name: string; createdAt: string; arn?: string };
  };
  lastGoodVersion?: number;
  /** The service changed since msfctl last left it; absent while an msfctl command holds the lock. */
  drift?: boolean;
  /** `state`: held by a running command, or left by one that is gone (the next command takes it over). */
  lock?: LockInfo & { state: ReturnType<typeof lockLiveness> };
  /** The ledger says msfctl deleted it. */
  deletedAt?: string;
  /** Where the job's logs go (the logging option's log stream ARN) and at which level; absent: nowhere. */
  logs?: { logStream: string; level: string };
}

export async function getStatus(
  gateway: MsfGateway,
  application: string,
  ledger: Ledger | undefined,
  lock: LockInfo | undefined,
): Promise<StatusReport> {
  const held = lock ? { lock: { ...lock, state: lockLiveness(lock) } } : {};
  const inFlight = held.lock?.state === 'held';
  const live = await gateway.describe(application);
  if (!live) {
    return {
      application,
      exists: false,
      ...(ledger?.deletedAt ? { deletedAt: ledger.deletedAt } : {}),
      ...held,
    };
  }
  const [operations, snapshots] = await Promise.all([
    gateway.listOperations(application, 20),
    gateway.listSnapshots(application),
  ]);
  let lastOperation = operations[0];
  if (lastOperation?.id)
    lastOperation = await gateway.describeOperation(application, lastOperation.id).catch(() => lastOperation);
  const ready = snapshots.filter((s) => s.status === 'READY');
  const p = live.config.parallelism;
  const sha256 = artifactAt(ledger, live.config.code.bucket, live.config.code.key)?.sha256;
  return {
    application,
    exists: true,
    status: live.status,
    versionId: live.versionId,
    runtime: live.config.runtime,
    parallelism: {
      configured: p.parallelism,
      current: live.currentParallelism,
      perKpu: p.perKpu,
      autoscaling: p.autoscaling,
      kpus: kpusInUse(live),
      kpusConfigured: kpusFor(p.parallelism, p.perKpu),
    },
    code: { location: describeCode(live.config.code), ...(sha256 ? { sha256 } : {}) },
    ...(lastOperation ? { lastOperation } : {}),
    snapshots: {
      mode: live.config.snapshotMode,
      count: snapshots.length,
      ...(ready[0]
        ? {
            newest: {
              name: ready[0].name,
              createdAt: new Date(ready[0].createdAt).toISOString(),
              ...(ready[0].enhanced ? { arn: ready[0].enhanced.arn } : {}),
            },
          }
        : {}),
    },
    ...(live.config.logStream
      ? { logs: { logStream: live.config.logStream, level: live.config.monitoring.logLevel } }
      : {}),
    ...(ledger?.lastGood ? { lastGoodVersion: ledger.lastGood.versionId } : {}),
    // While an msfctl command holds the lock, its own operation is not in the ledger's baseline yet: drift is
    // not known until it ends (the lock row says who is changing the application).
    ...(ledger?.expected && !inFlight
      ? { drift: hasDrift(detectDrift(ledger.expected, live, operations, msfctlOperationIds(ledger))) }
      : {}),
    ...held,
  };
}
