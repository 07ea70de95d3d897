/**
 * Kinesis Analytics V2 wire shapes ↔ msfctl's domain values. The only place that knows both; pure. The shapes
 * with SnapshotMode and SnapshotArn are the enhanced-snapshot extension's (enhanced-snapshots/types.ts).
 */
import type {
  ApplicationOperationInfo,
  ApplicationOperationInfoDetails,
  SnapshotDetails,
} from '@aws-sdk/client-kinesis-analytics-v2';
import type {
  ApplicationDetailV2,
  CreateApplicationRequest,
  SnapshotMode as WireSnapshotMode,
  StartApplicationRequest,
  UpdateApplicationRequest,
} from './enhanced-snapshots/index.js';
import {
  bucketArn,
  bucketFromArn,
  SERVICE_DEFAULTS,
  type AppConfig,
  type AppStatus,
  type LiveApplication,
  type LogLevel,
  type MetricsLevel,
  type OperationInfo,
  type PropertyGroups,
  type RestoreSettings,
  type SnapshotInfo,
  type SnapshotMode,
} from '../../model/application.js';
import type { ConfigUpdate } from '../../model/application.js';
import { snapshotNameFromArn } from '../../model/snapshot-refs.js';

type ApplicationConfiguration = NonNullable<CreateApplicationRequest['ApplicationConfiguration']>;
type ApplicationConfigurationUpdate = NonNullable<UpdateApplicationRequest['ApplicationConfigurationUpdate']>;
type RunConfiguration = NonNullable<StartApplicationRequest['RunConfiguration']>;
type RunConfigurationUpdate = NonNullable<UpdateApplicationRequest['RunConfigurationUpdate']>;

const SNAPSHOT_MODE: Record<SnapshotMode, WireSnapshotMode> = {
  legacy: 'APPLICATION_SNAPSHOTS_LEGACY',
  enhanced: 'ENHANCED_SNAPSHOTS',
};

const RESTORE_TYPE = {
  latest: 'RESTORE_FROM_LATEST_SNAPSHOT',
  none: 'SKIP_RESTORE_FROM_SNAPSHOT',
  snapshot: 'RESTORE_FROM_CUSTOM_SNAPSHOT',
} as const;

function ms(date: Date | undefined): number | undefined {
  return date === undefined ? undefined : date.getTime();
}

export function toLiveApplication(detail: ApplicationDetailV2): LiveApplication {
  const conf = detail.ApplicationConfigurationDescription ?? {};
  const flink = conf.FlinkApplicationConfigurationDescription ?? {};
  const par = flink.ParallelismConfigurationDescription;
  const mon = flink.MonitoringConfigurationDescription;
  const cp = flink.CheckpointConfigurationDescription;
  const s3 =
    conf.ApplicationCodeConfigurationDescription?.CodeContentDescription
      ?.S3ApplicationCodeLocationDescription;
  const code = conf.ApplicationCodeConfigurationDescription?.CodeContentDescription;
  const properties: PropertyGroups = {};
  for (const group of conf.EnvironmentPropertyDescriptions?.PropertyGroupDescriptions ?? []) {
    if (group.PropertyGroupId) properties[group.PropertyGroupId] = { ...(group.PropertyMap ?? {}) };
  }
  const parallelism = {
    custom: par?.ConfigurationType === 'CUSTOM',
    parallelism: par?.Parallelism ?? SERVICE_DEFAULTS.parallelism.parallelism,
    perKpu: par?.ParallelismPerKPU ?? SERVICE_DEFAULTS.parallelism.perKpu,
    autoscaling: par?.AutoScalingEnabled ?? SERVICE_DEFAULTS.parallelism.autoscaling,
  };
  const config: AppConfig = {
    runtime: detail.RuntimeEnvironment ?? '',
    role: detail.ServiceExecutionRole ?? '',
    code: {
      bucket: s3?.BucketARN ? bucketFromArn(s3.BucketARN) : '',
      key: s3?.FileKey ?? '',
      ...(s3?.ObjectVersion ? { objectVersion: s3.ObjectVersion } : {}),
    },
    properties,
    parallelism,
    monitoring: {
      custom: mon?.ConfigurationType === 'CUSTOM',
      logLevel: (mon?.LogLevel as LogLevel | undefined) ?? SERVICE_DEFAULTS.monitoring.logLevel,
      metricsLevel:
        (mon?.MetricsLevel as MetricsLevel | undefined) ?? SERVICE_DEFAULTS.monitoring.metricsLevel,
    },
    checkpoints: {
      custom: cp?.ConfigurationType === 'CUSTOM',
      enabled: cp?.CheckpointingEnabled ?? SERVICE_DEFAULTS.checkpoints.enabled,
      intervalMs: cp?.CheckpointInterval ?? SERVICE_DEFAULTS.checkpoints.intervalMs,
      minPauseMs: cp?.MinPauseBetweenCheckpoints ?? SERVICE_DEFAULTS.checkpoints.minPauseMs,
    },
    snapshotsEnabled: conf.ApplicationSnapshotConfigurationDescription?.SnapshotsEnabled ?? true,
    // Absent from services that predate enhanced snapshots: legacy, the default.
    snapshotMode:
      conf.ApplicationSnapshotConfigurationDescription?.SnapshotMode === 'ENHANCED_SNAPSHOTS'
        ? 'enhanced'
        : 'legacy',
    systemRollback: conf.ApplicationSystemRollbackConfigurationDescription?.RollbackEnabled ?? false,
  };
  const loggingOptions = (detail.CloudWatchLoggingOptionDescriptions ?? [])
    .filter((l) => l.LogStreamARN)
    .map((l) => ({ id: l.CloudWatchLoggingOptionId ?? '', logStreamArn: l.LogStreamARN! }));
  if (loggingOptions[0]) config.logStream = loggingOptions[0].logStreamArn;
  const run = conf.RunConfigurationDescription;
  const restoreType = run?.ApplicationRestoreConfigurationDescription?.ApplicationRestoreType;
  const from =
    restoreType === 'SKIP_RESTORE_FROM_SNAPSHOT'
      ? 'none'
      : restoreType === 'RESTORE_FROM_CUSTOM_SNAPSHOT'
        ? 'snapshot'
        : 'latest';
  const snapshotArn = run?.ApplicationRestoreConfigurationDescription?.SnapshotArn;
  const snapshotName =
    run?.ApplicationRestoreConfigurationDescription?.SnapshotName ??
    (snapshotArn ? snapshotNameFromArn(snapshotArn) : undefined);
  return {
    name: detail.ApplicationName ?? '',
    arn: detail.ApplicationARN ?? '',
    status: (detail.ApplicationStatus ?? 'READY') as AppStatus,
    versionId: detail.ApplicationVersionId ?? 0,
    ...(detail.ConditionalToken ? { conditionalToken: detail.ConditionalToken } : {}),
    createdAt: ms(detail.CreateTimestamp) ?? 0,
    ...(detail.LastUpdateTimestamp ? { updatedAt: detail.LastUpdateTimestamp.getTime() } : {}),
    ...(detail.ApplicationDescription ? { description: detail.ApplicationDescription } : {}),
    config,
    currentParallelism: par?.CurrentParallelism ?? parallelism.parallelism,
    ...(run
      ? {
          lastRun: {
            from,
            ...(from === 'snapshot' && snapshotName ? { snapshot: snapshotName } : {}),
            ...(from === 'snapshot' && snapshotArn ? { snapshotArn } : {}),
            allowNonRestoredState: run.FlinkRunConfigurationDescription?.AllowNonRestoredState ?? false,
          },
        }
      : {}),
    ...(detail.ApplicationVersionUpdatedFrom !== undefined
      ? { versionUpdatedFrom: detail.ApplicationVersionUpdatedFrom }
      : {}),
    ...(detail.ApplicationVersionRolledBackFrom !== undefined
      ? { rolledBackFrom: detail.ApplicationVersionRolledBackFrom }
      : {}),
    ...(detail.ApplicationVersionRolledBackTo !== undefined
      ? { rolledBackTo: detail.ApplicationVersionRolledBackTo }
      : {}),
    ...(code?.CodeMD5 ? { codeMd5: code.CodeMD5 } : {}),
    ...(code?.CodeSize !== undefined ? { codeSize: code.CodeSize } : {}),
    ...(loggingOptions.length ? { loggingOptions } : {}),
  };
}

function propertyGroups(properties: PropertyGroups) {
  return Object.entries(properties).map(([id, map]) => ({ PropertyGroupId: id, PropertyMap: map }));
}

export function toApplicationConfiguration(config: AppConfig): ApplicationConfiguration {
  const { parallelism: p, monitoring: m, checkpoints: c } = config;
  return {
    ApplicationCodeConfiguration: {
      CodeContentType: 'ZIPFILE',
      CodeContent: {
        S3ContentLocation: {
          BucketARN: bucketArn(config.code.bucket),
          FileKey: config.code.key,
          ...(config.code.objectVersion ? { ObjectVersion: config.code.objectVersion } : {}),
        },
      },
    },
    FlinkApplicationConfiguration: {
      ParallelismConfiguration: p.custom
        ? {
            ConfigurationType: 'CUSTOM',
            Parallelism: p.parallelism,
            ParallelismPerKPU: p.perKpu,
            AutoScalingEnabled: p.autoscaling,
          }
        : { ConfigurationType: 'DEFAULT' },
      MonitoringConfiguration: m.custom
        ? { ConfigurationType: 'CUSTOM', LogLevel: m.logLevel, MetricsLevel: m.metricsLevel }
        : { ConfigurationType: 'DEFAULT' },
      CheckpointConfiguration: c.custom
        ? {
            ConfigurationType: 'CUSTOM',
            CheckpointingEnabled: c.enabled,
            CheckpointInterval: c.intervalMs,
            MinPauseBetweenCheckpoints: c.minPauseMs,
          }
        : { ConfigurationType: 'DEFAULT' },
    },
    ...(Object.keys(config.properties).length
      ? { EnvironmentProperties: { PropertyGroups: propertyGroups(config.properties) } }
      : {}),
    ApplicationSnapshotConfiguration: {
      SnapshotsEnabled: config.snapshotsEnabled,
      // Sent only for enhanced: a service without the member would refuse it, and legacy is the default.
      ...(config.snapshotMode === 'enhanced' ? { SnapshotMode: SNAPSHOT_MODE.enhanced } : {}),
    },
    ApplicationSystemRollbackConfiguration: { RollbackEnabled: config.systemRollback },
  };
}

export function toConfigurationUpdate(update: ConfigUpdate): ApplicationConfigurationUpdate | undefined {
  const out: ApplicationConfigurationUpdate = {};
  if (update.code) {
    out.ApplicationCodeConfigurationUpdate = {
      CodeContentTypeUpdate: 'ZIPFILE',
      CodeContentUpdate: {
        S3ContentLocationUpdate: {
          BucketARNUpdate: bucketArn(update.code.bucket),
          FileKeyUpdate: update.code.key,
          ...(update.code.objectVersion ? { ObjectVersionUpdate: update.code.objectVersion } : {}),
        },
      },
    };
  }
  const flink: NonNullable<ApplicationConfigurationUpdate['FlinkApplicationConfigurationUpdate']> = {};
  if (update.parallelism) {
    const p = update.parallelism;
    flink.ParallelismConfigurationUpdate = p.custom
      ? {
          ConfigurationTypeUpdate: 'CUSTOM',
          ParallelismUpdate: p.parallelism,
          ParallelismPerKPUUpdate: p.perKpu,
          AutoScalingEnabledUpdate: p.autoscaling,
        }
      : { ConfigurationTypeUpdate: 'DEFAULT' };
  }
  if (update.monitoring) {
    const m = update.monitoring;
    flink.MonitoringConfigurationUpdate = m.custom
      ? { ConfigurationTypeUpdate: 'CUSTOM', LogLevelUpdate: m.logLevel, MetricsLevelUpdate: m.metricsLevel }
      : { ConfigurationTypeUpdate: 'DEFAULT' };
  }
  if (update.checkpoints) {
    const c = update.checkpoints;
    flink.CheckpointConfigurationUpdate = c.custom
      ? {
          ConfigurationTypeUpdate: 'CUSTOM',
          CheckpointingEnabledUpdate: c.enabled,
          CheckpointIntervalUpdate: c.intervalMs,
          MinPauseBetweenCheckpointsUpdate: c.minPauseMs,
        }
      : { ConfigurationTypeUpdate: 'DEFAULT' };
  }
  if (Object.keys(flink).length) out.FlinkApplicationConfigurationUpdate = flink;
  if (update.properties)
    out.EnvironmentPropertyUpdates = { PropertyGroups: propertyGroups(update.properties) };
  if (update.snapshotsEnabled !== undefined)
    out.ApplicationSnapshotConfigurationUpdate = {
      SnapshotsEnabledUpdate: update.snapshotsEnabled,
      ...(update.snapshotMode ? { SnapshotModeUpdate: SNAPSHOT_MODE[update.snapshotMode] } : {}),
    };
  if (update.systemRollback !== undefined)
    out.ApplicationSystemRollbackConfigurationUpdate = { RollbackEnabledUpdate: update.systemRollback };
  return Object.keys(out).length ? out : undefined;
}

export function toRunConfiguration(run: RestoreSettings): RunConfiguration {
  return {
    ApplicationRestoreConfiguration: {
      ApplicationRestoreType: RESTORE_TYPE[run.from],
      // Exactly one of them: an enhanced snapshot by ARN, an application snapshot by name.
      ...(run.from === 'snapshot' && run.snapshotArn
        ? { SnapshotArn: run.snapshotArn }
        : run.from === 'snapshot' && run.snapshot
          ? { SnapshotName: run.snapshot }
          : {}),
    },
    FlinkRunConfiguration: { AllowNonRestoredState: run.allowNonRestoredState },
  };
}

export function toRunConfigurationUpdate(run: RestoreSettings): RunConfigurationUpdate {
  return toRunConfiguration(run);
}

export function toSnapshotInfo(s: SnapshotDetails): SnapshotInfo {
  return {
    name: s.SnapshotName ?? '',
    status: (s.SnapshotStatus ?? 'READY') as SnapshotInfo['status'],
    versionId: s.ApplicationVersionId ?? 0,
    createdAt: ms(s.SnapshotCreationTimestamp) ?? 0,
    ...(s.RuntimeEnvironment ? { runtime: s.RuntimeEnvironment } : {}),
  };
}

export function toOperationInfo(
  id: string,
  op: ApplicationOperationInfo | ApplicationOperationInfoDetails,
): OperationInfo {
  const details = op as ApplicationOperationInfoDetails;
  const error = details.OperationFailureDetails?.ErrorInfo?.ErrorString;
  const rollback = details.OperationFailureDetails?.RollbackOperationId;
  return {
    id,
    operation: op.Operation ?? 'unknown',
    status: (op.OperationStatus ?? 'IN_PROGRESS') as OperationInfo['status'],
    ...(op.StartTime ? { startedAt: op.StartTime.getTime() } : {}),
    ...(op.EndTime ? { endedAt: op.EndTime.getTime() } : {}),
    ...(details.ApplicationVersionChangeDetails
      ? {
          versionFrom: details.ApplicationVersionChangeDetails.ApplicationVersionUpdatedFrom,
          versionTo: details.ApplicationVersionChangeDetails.ApplicationVersionUpdatedTo,
        }
      : {}),
    ...(error ? { error } : {}),
    ...(rollback ? { rollbackOperationId: rollback } : {}),
  };
}
