/**
 * Kinesis Analytics V2 wire shapes ⇄ domain values. Requests arrive validated against input-model.ts, so
 * reading them here needs no further checks; responses are built from the domain with undefined members
 * left out. Timestamps on the wire are epoch seconds.
 */
import type { CreateApplicationInput, RunInput } from '../../control-plane/control-plane.js';
import type { CodeInput, ConfigUpdate } from '../../control-plane/configuration.js';
import type { PropertyGroup } from '../../control-plane/job-runtime.js';
import type {
  Application,
  ApplicationConfig,
  ApplicationVersion,
  Operation,
  RestoreType,
  Snapshot,
} from '../../control-plane/model.js';
import { currentVersion } from '../../control-plane/model.js';
import { maintenanceWindowEnd } from '../../control-plane/maintenance.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- request bodies are validated JSON */
type Json = any;

const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

// ------------------------------------------------------------------ requests → domain

export function createInputFrom(body: Json): CreateApplicationInput {
  const config = body.ApplicationConfiguration ?? {};
  const flink = config.FlinkApplicationConfiguration ?? {};
  return {
    name: body.ApplicationName,
    description: body.ApplicationDescription,
    runtimeEnvironment: body.RuntimeEnvironment,
    serviceExecutionRole: body.ServiceExecutionRole,
    mode: body.ApplicationMode,
    code: codeFrom(config.ApplicationCodeConfiguration),
    checkpoint: flink.CheckpointConfiguration && {
      type: flink.CheckpointConfiguration.ConfigurationType,
      enabled: flink.CheckpointConfiguration.CheckpointingEnabled,
      intervalMs: flink.CheckpointConfiguration.CheckpointInterval,
      minPauseMs: flink.CheckpointConfiguration.MinPauseBetweenCheckpoints,
    },
    monitoring: flink.MonitoringConfiguration && {
      type: flink.MonitoringConfiguration.ConfigurationType,
      metricsLevel: flink.MonitoringConfiguration.MetricsLevel,
      logLevel: flink.MonitoringConfiguration.LogLevel,
    },
    parallelism: flink.ParallelismConfiguration && {
      type: flink.ParallelismConfiguration.ConfigurationType,
      parallelism: flink.ParallelismConfiguration.Parallelism,
      perKpu: flink.ParallelismConfiguration.ParallelismPerKPU,
      autoScaling: flink.ParallelismConfiguration.AutoScalingEnabled,
    },
    propertyGroups: config.EnvironmentProperties
      ? propertyGroupsFrom(config.EnvironmentProperties.PropertyGroups)
      : undefined,
    snapshotsEnabled: config.ApplicationSnapshotConfiguration?.SnapshotsEnabled,
    snapshotMode: config.ApplicationSnapshotConfiguration?.SnapshotMode,
    systemRollbackEnabled: config.ApplicationSystemRollbackConfiguration?.RollbackEnabled,
    vpcConfigurations: (config.VpcConfigurations ?? []).map((v: Json) => ({
      subnetIds: v.SubnetIds,
      securityGroupIds: v.SecurityGroupIds,
    })),
    loggingOptions: (body.CloudWatchLoggingOptions ?? []).map((l: Json) => ({
      logStreamArn: l.LogStreamARN,
    })),
    encryption: config.ApplicationEncryptionConfiguration && {
      keyType: config.ApplicationEncryptionConfiguration.KeyType,
      keyId: config.ApplicationEncryptionConfiguration.KeyId,
    },
    tags: tagsFrom(body.Tags),
  };
}

export function configUpdateFrom(body: Json): ConfigUpdate {
  const update = body.ApplicationConfigurationUpdate ?? {};
  const flink = update.FlinkApplicationConfigurationUpdate ?? {};
  const code = update.ApplicationCodeConfigurationUpdate;
  const checkpoint = flink.CheckpointConfigurationUpdate;
  const monitoring = flink.MonitoringConfigurationUpdate;
  const parallelism = flink.ParallelismConfigurationUpdate;
  return {
    runtimeEnvironment: body.RuntimeEnvironmentUpdate,
    serviceExecutionRole: body.ServiceExecutionRoleUpdate,
    code: code && {
      contentType: code.CodeContentTypeUpdate,
      ...(code.CodeContentUpdate?.S3ContentLocationUpdate
        ? {
            s3: {
              bucketArn: code.CodeContentUpdate.S3ContentLocationUpdate.BucketARNUpdate,
              fileKey: code.CodeContentUpdate.S3ContentLocationUpdate.FileKeyUpdate,
              objectVersion: code.CodeContentUpdate.S3ContentLocationUpdate.ObjectVersionUpdate,
            },
          }
        : {}),
      ...(code.CodeContentUpdate?.ZipFileContentUpdate !== undefined
        ? { zipContent: Buffer.from(code.CodeContentUpdate.ZipFileContentUpdate, 'base64') }
        : {}),
      ...(code.CodeContentUpdate?.TextContentUpdate !== undefined
        ? { text: code.CodeContentUpdate.TextContentUpdate }
        : {}),
    },
    checkpoint: checkpoint && {
      type: checkpoint.ConfigurationTypeUpdate,
      enabled: checkpoint.CheckpointingEnabledUpdate,
      intervalMs: checkpoint.CheckpointIntervalUpdate,
      minPauseMs: checkpoint.MinPauseBetweenCheckpointsUpdate,
    },
    monitoring: monitoring && {
      type: monitoring.ConfigurationTypeUpdate,
      metricsLevel: monitoring.MetricsLevelUpdate,
      logLevel: monitoring.LogLevelUpdate,
    },
    parallelism: parallelism && {
      type: parallelism.ConfigurationTypeUpdate,
      parallelism: parallelism.ParallelismUpdate,
      perKpu: parallelism.ParallelismPerKPUUpdate,
      autoScaling: parallelism.AutoScalingEnabledUpdate,
    },
    propertyGroups: update.EnvironmentPropertyUpdates
      ? propertyGroupsFrom(update.EnvironmentPropertyUpdates.PropertyGroups)
      : undefined,
    snapshotsEnabled: update.ApplicationSnapshotConfigurationUpdate?.SnapshotsEnabledUpdate,
    snapshotMode: update.ApplicationSnapshotConfigurationUpdate?.SnapshotModeUpdate,
    systemRollbackEnabled: update.ApplicationSystemRollbackConfigurationUpdate?.RollbackEnabledUpdate,
    vpcUpdates: update.VpcConfigurationUpdates?.map((v: Json) => ({
      id: v.VpcConfigurationId,
      subnetIds: v.SubnetIdUpdates,
      securityGroupIds: v.SecurityGroupIdUpdates,
    })),
    loggingUpdates: body.CloudWatchLoggingOptionUpdates?.map((l: Json) => ({
      id: l.CloudWatchLoggingOptionId,
      logStreamArn: l.LogStreamARNUpdate,
    })),
    encryption: update.ApplicationEncryptionConfigurationUpdate && {
      keyType: update.ApplicationEncryptionConfigurationUpdate.KeyTypeUpdate,
      keyId: update.ApplicationEncryptionConfigurationUpdate.KeyIdUpdate,
    },
  };
}

export function runInputFrom(run: Json): RunInput | undefined {
  if (!run) return undefined;
  return {
    restoreType: run.ApplicationRestoreConfiguration?.ApplicationRestoreType as RestoreType | undefined,
    snapshotName: run.ApplicationRestoreConfiguration?.SnapshotName,
    snapshotArn: run.ApplicationRestoreConfiguration?.SnapshotArn,
    allowNonRestoredState: run.FlinkRunConfiguration?.AllowNonRestoredState,
  };
}

/** A wire timestamp (epoch seconds, or an ISO string) in epoch milliseconds. */
export function timestampMs(value: number | string): number {
  return typeof value === 'number' ? Math.round(value * 1000) : Date.parse(value);
}

export function tagsFrom(tags: Json): { key: string; value: string }[] | undefined {
  return tags?.map((t: Json) => ({ key: t.Key, value: t.Value ?? '' }));
}

function codeFrom(code: Json): CodeInput | undefined {
  if (!code) return undefined;
  const content = code.CodeContent ?? {};
  return {
    contentType: code.CodeContentType,
    ...(content.S3ContentLocation
      ? {
          s3: {
            bucketArn: content.S3ContentLocation.BucketARN,
            fileKey: content.S3ContentLocation.FileKey,
            objectVersion: content.S3ContentLocation.ObjectVersion,
          },
        }
      : {}),
    ...(content.ZipFileContent !== undefined
      ? { zipContent: Buffer.from(content.ZipFileContent, 'base64') }
      : {}),
    ...(content.TextContent !== undefined ? { text: content.TextContent } : {}),
  };
}

function propertyGroupsFrom(groups: Json[]): PropertyGroup[] {
  return groups.map((g) => ({ PropertyGroupId: g.PropertyGroupId, PropertyMap: { ...g.PropertyMap } }));
}

// ------------------------------------------------------------------ domain → responses

export function applicationDetail(app: Application, version: ApplicationVersion = currentVersion(app)): Json {
  const config = version.config;
  const isCurrent = version.id === app.currentVersionId;
  return {
    ApplicationARN: app.arn,
    ApplicationDescription: config.description,
    ApplicationName: app.name,
    RuntimeEnvironment: config.runtimeEnvironment,
    ServiceExecutionRole: config.serviceExecutionRole,
    ApplicationStatus: isCurrent ? app.status : version.status,
    ApplicationVersionId: version.id,
    CreateTimestamp: seconds(app.createdAt),
    LastUpdateTimestamp: seconds(isCurrent ? app.lastUpdatedAt : version.createdAt),
    ApplicationConfigurationDescription: configurationDescription(config, isCurrent ? app : undefined),
    CloudWatchLoggingOptionDescriptions: config.loggingOptions.length
      ? config.loggingOptions.map((l) => ({
          CloudWatchLoggingOptionId: l.id,
          LogStreamARN: l.logStreamArn,
          RoleARN: l.roleArn,
        }))
      : undefined,
    ApplicationMaintenanceConfigurationDescription: {
      ApplicationMaintenanceWindowStartTime: app.maintenanceWindowStart,
      ApplicationMaintenanceWindowEndTime: maintenanceWindowEnd(app.maintenanceWindowStart),
    },
    ApplicationVersionUpdatedFrom: version.updatedFrom,
    ApplicationVersionRolledBackFrom: version.rolledBackFrom,
    ApplicationVersionRolledBackTo: version.rolledBackTo,
    ApplicationVersionCreateTimestamp: seconds(version.createdAt),
    ConditionalToken: version.conditionalToken,
    ApplicationMode: config.mode,
  };
}

function configurationDescription(config: ApplicationConfig, app: Application | undefined): Json {
  const code = config.code;
  return {
    ApplicationCodeConfigurationDescription: code && {
      CodeContentType: code.contentType,
      CodeContentDescription: {
        ...(code.zip ? { CodeMD5: code.zip.sha512, CodeSize: code.zip.size } : {}),
        ...(code.text !== undefined ? { TextContent: code.text } : {}),
        ...(code.s3
          ? {
              S3ApplicationCodeLocationDescription: {
                BucketARN: code.s3.bucketArn,
                FileKey: code.s3.fileKey,
                ObjectVersion: code.s3.objectVersion,
              },
            }
          : {}),
      },
    },
    RunConfigurationDescription: app?.runConfig && {
      ApplicationRestoreConfigurationDescription: {
        ApplicationRestoreType: app.runConfig.restoreType,
        SnapshotName: app.runConfig.snapshotName,
        SnapshotArn: app.runConfig.snapshotArn,
      },
      FlinkRunConfigurationDescription: { AllowNonRestoredState: app.runConfig.allowNonRestoredState },
    },
    FlinkApplicationConfigurationDescription: {
      CheckpointConfigurationDescription: {
        ConfigurationType: config.checkpoint.type,
        CheckpointingEnabled: config.checkpoint.enabled,
        CheckpointInterval: config.checkpoint.intervalMs,
        MinPauseBetweenCheckpoints: config.checkpoint.minPauseMs,
      },
      MonitoringConfigurationDescription: {
        ConfigurationType: config.monitoring.type,
        MetricsLevel: config.monitoring.metricsLevel,
        LogLevel: config.monitoring.logLevel,
      },
      ParallelismConfigurationDescription: {
        ConfigurationType: config.parallelism.type,
        Parallelism: config.parallelism.parallelism,
        ParallelismPerKPU: config.parallelism.perKpu,
        CurrentParallelism: config.parallelism.parallelism,
        AutoScalingEnabled: config.parallelism.autoScaling,
      },
    },
    EnvironmentPropertyDescriptions: config.propertyGroups && {
      PropertyGroupDescriptions: config.propertyGroups.map((g) => ({
        PropertyGroupId: g.PropertyGroupId,
        PropertyMap: { ...g.PropertyMap },
      })),
    },
    ApplicationSnapshotConfigurationDescription: {
      SnapshotsEnabled: config.snapshotsEnabled,
      SnapshotMode: config.snapshotMode ?? 'APPLICATION_SNAPSHOTS_LEGACY',
    },
    ApplicationSystemRollbackConfigurationDescription: { RollbackEnabled: config.systemRollbackEnabled },
    VpcConfigurationDescriptions: config.vpcConfigurations.length
      ? config.vpcConfigurations.map((v) => ({
          VpcConfigurationId: v.id,
          VpcId: v.vpcId,
          SubnetIds: v.subnetIds,
          SecurityGroupIds: v.securityGroupIds,
        }))
      : undefined,
    ApplicationEncryptionConfigurationDescription: config.encryption && {
      KeyType: config.encryption.keyType,
      KeyId: config.encryption.keyId,
    },
  };
}

export function applicationSummary(app: Application): Json {
  const config = currentVersion(app).config;
  return {
    ApplicationName: app.name,
    ApplicationARN: app.arn,
    ApplicationStatus: app.status,
    ApplicationVersionId: app.currentVersionId,
    RuntimeEnvironment: config.runtimeEnvironment,
    ApplicationMode: config.mode,
  };
}

/** An application snapshot (legacy); its encryption is the one of the version it was taken of. */
export function snapshotDetails(snapshot: Snapshot, app: Application): Json {
  const encryption = app.versions.find((v) => v.id === snapshot.versionId)?.config.encryption;
  return {
    SnapshotName: snapshot.name,
    SnapshotStatus: snapshot.status,
    ApplicationVersionId: snapshot.versionId,
    SnapshotCreationTimestamp: seconds(snapshot.createdAt),
    RuntimeEnvironment: snapshot.runtimeEnvironment,
    ApplicationEncryptionConfigurationDescription: encryption && {
      KeyType: encryption.keyType,
      KeyId: encryption.keyId,
    },
  };
}

export function operationInfo(op: Operation): Json {
  return {
    Operation: op.name,
    OperationId: op.id,
    StartTime: seconds(op.startedAt),
    EndTime: seconds(op.endedAt),
    OperationStatus: op.status,
  };
}

export function operationDetails(op: Operation): Json {
  return {
    Operation: op.name,
    StartTime: seconds(op.startedAt),
    // EndTime is required by the model; an operation in progress has none yet.
    EndTime: seconds(op.endedAt),
    OperationStatus: op.status,
    ApplicationVersionChangeDetails: op.versionChange && {
      ApplicationVersionUpdatedFrom: op.versionChange.from,
      ApplicationVersionUpdatedTo: op.versionChange.to,
    },
    OperationFailureDetails:
      op.errorString || op.rollbackOperationId
        ? {
            RollbackOperationId: op.rollbackOperationId,
            ErrorInfo: op.errorString ? { ErrorString: op.errorString } : undefined,
          }
        : undefined,
  };
}
