/** Small builders for domain values used across unit tests. */
import {
  SERVICE_DEFAULTS,
  type AppConfig,
  type DesiredApplication,
  type LiveApplication,
  type SnapshotInfo,
} from '../../src/model/application.js';

export function config(overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    runtime: 'FLINK-1_19',
    role: 'arn:aws:iam::123456789012:role/flink',
    code: { bucket: 'artifacts', key: 'msfctl/artifacts/aaa.jar' },
    properties: { OutputStream0: { 'stream.name': 'out', 'aws.region': 'us-east-1' } },
    parallelism: { custom: true, parallelism: 1, perKpu: 1, autoscaling: false },
    monitoring: { custom: true, logLevel: 'ERROR', metricsLevel: 'APPLICATION' },
    checkpoints: { ...SERVICE_DEFAULTS.checkpoints },
    snapshotsEnabled: true,
    snapshotMode: 'legacy',
    systemRollback: false,
    ...overrides,
  };
}

export function desired(
  overrides: Partial<DesiredApplication> = {},
  configOverrides: Partial<AppConfig> = {},
): DesiredApplication {
  return {
    name: 'stock-prices',
    running: true,
    restore: { from: 'latest', allowNonRestoredState: false },
    config: config(configOverrides),
    ...overrides,
  };
}

export function live(
  overrides: Partial<LiveApplication> = {},
  configOverrides: Partial<AppConfig> = {},
): LiveApplication {
  const c = config(configOverrides);
  return {
    name: 'stock-prices',
    arn: 'arn:aws:kinesisanalytics:us-east-1:123456789012:application/stock-prices',
    status: 'RUNNING',
    versionId: 3,
    conditionalToken: 'tok-3',
    createdAt: 1_700_000_000_000,
    config: c,
    currentParallelism: c.parallelism.parallelism,
    ...overrides,
  };
}

export function snapshot(
  name: string,
  createdAt: number,
  status: SnapshotInfo['status'] = 'READY',
): SnapshotInfo {
  return { name, status, versionId: 1, createdAt };
}

/** An enhanced snapshot of `source` (an application created at `sourceCreatedAt`), or an imported one. */
export function enhancedSnapshot(
  name: string,
  createdAt: number,
  options: {
    status?: SnapshotInfo['status'];
    source?: string;
    sourceCreatedAt?: number;
    initiator?: 'USER' | 'SYSTEM';
    runtime?: string;
    imported?: boolean;
  } = {},
): SnapshotInfo {
  const imported = options.imported === true;
  return {
    name,
    status: options.status ?? 'READY',
    versionId: imported ? 0 : 2,
    createdAt,
    ...(imported ? {} : { runtime: options.runtime ?? 'FLINK-1_20' }),
    enhanced: {
      arn: `arn:aws:kinesisanalytics:us-east-1:123456789012:snapshot/${name}`,
      initiator: options.initiator ?? 'USER',
      initiatorOperation: imported
        ? 'ImportSnapshot'
        : options.initiator === 'SYSTEM'
          ? 'SystemCreateSnapshot'
          : 'CreateSnapshot',
      ...(imported
        ? { importedFrom: 's3://exports/sp/' }
        : {
            sourceApplication: options.source ?? 'stock-prices',
            sourceApplicationCreatedAt: options.sourceCreatedAt ?? 1_700_000_000_000,
          }),
    },
  };
}
