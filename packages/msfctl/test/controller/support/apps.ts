/** Plain-value applications, snapshots and operations for the recovery tests. */
import type {
  AppConfig,
  LiveApplication,
  OperationInfo,
  SnapshotInfo,
} from '../../../src/model/application.js';

export const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

export function config(stream = 'prices', overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    runtime: 'FLINK-1_19',
    role: 'arn:aws:iam::000000000000:role/msf',
    code: { bucket: 'artifacts', key: 'stock-prices-abc.jar' },
    properties: { OutputStream0: { 'stream.name': stream, 'aws.region': 'us-east-1' } },
    parallelism: { custom: true, parallelism: 1, perKpu: 1, autoscaling: false },
    monitoring: { custom: true, logLevel: 'ERROR', metricsLevel: 'APPLICATION' },
    checkpoints: { custom: false, enabled: true, intervalMs: 60_000, minPauseMs: 5_000 },
    snapshotsEnabled: true,
    snapshotMode: 'legacy',
    systemRollback: false,
    ...overrides,
  };
}

export const GOOD = config('prices');
export const BAD = config('no-such-stream');

export function live(overrides: Partial<LiveApplication> = {}): LiveApplication {
  return {
    name: 'stock-prices',
    arn: 'arn:aws:kinesisanalytics:us-east-1:000000000000:application/stock-prices',
    status: 'RUNNING',
    versionId: 2,
    versionUpdatedFrom: 1,
    conditionalToken: 'token-2',
    createdAt: T0 - 3_600_000,
    config: BAD,
    currentParallelism: 1,
    ...overrides,
  };
}

export function snapshot(
  name: string,
  versionId: number,
  createdAt: number,
  status: SnapshotInfo['status'] = 'READY',
): SnapshotInfo {
  return { name, status, versionId, createdAt };
}

export function operation(
  id: string,
  op: string,
  status: OperationInfo['status'],
  startedAt: number,
  extra: Partial<OperationInfo> = {},
): OperationInfo {
  return { id, operation: op, status, startedAt, ...extra };
}
