/**
 * Application configuration rules: the service's defaults, what DEFAULT configuration types mean, and how an
 * UpdateApplication request folds into the current configuration. Pure functions over domain values.
 */
import type { PropertyGroup } from './job-runtime.js';
import type { SnapshotMode } from './snapshots/model.js';
import type {
  ApplicationConfig,
  CheckpointConfig,
  CodeLocation,
  ConfigurationType,
  LogLevel,
  MetricsLevel,
  MonitoringConfig,
  ParallelismConfig,
  VpcConfig,
} from './model.js';

/** MSF's fixed checkpointing under ConfigurationType DEFAULT (verified against AWS, msf-api.md §6). */
export const DEFAULT_CHECKPOINT: CheckpointConfig = {
  type: 'DEFAULT',
  enabled: true,
  intervalMs: 60_000,
  minPauseMs: 5_000,
};
export const DEFAULT_MONITORING: MonitoringConfig = {
  type: 'DEFAULT',
  metricsLevel: 'APPLICATION',
  logLevel: 'INFO',
};
export const DEFAULT_PARALLELISM: ParallelismConfig = {
  type: 'DEFAULT',
  parallelism: 1,
  perKpu: 1,
  autoScaling: true,
};

export interface CheckpointInput {
  type?: ConfigurationType;
  enabled?: boolean;
  intervalMs?: number;
  minPauseMs?: number;
}
export interface MonitoringInput {
  type?: ConfigurationType;
  metricsLevel?: MetricsLevel;
  logLevel?: LogLevel;
}
export interface ParallelismInput {
  type?: ConfigurationType;
  parallelism?: number;
  perKpu?: number;
  autoScaling?: boolean;
}

/** Code as a request gives it; inline ZIP bytes are stored by the control plane. */
export interface CodeInput {
  contentType?: 'ZIPFILE' | 'PLAINTEXT';
  s3?: Partial<CodeLocation>;
  zipContent?: Buffer;
  text?: string;
}

export interface ConfigUpdate {
  runtimeEnvironment?: string;
  serviceExecutionRole?: string;
  code?: CodeInput;
  checkpoint?: CheckpointInput;
  monitoring?: MonitoringInput;
  parallelism?: ParallelismInput;
  /** The complete new set of property groups (a group left out is removed). */
  propertyGroups?: PropertyGroup[];
  snapshotsEnabled?: boolean;
  systemRollbackEnabled?: boolean;
  vpcUpdates?: { id: string; subnetIds?: string[]; securityGroupIds?: string[] }[];
  loggingUpdates?: { id: string; logStreamArn?: string }[];
  encryption?: { keyType: 'AWS_OWNED_KEY' | 'CUSTOMER_MANAGED_KEY'; keyId?: string };
  snapshotMode?: SnapshotMode;
}

export function checkpointFrom(
  input: CheckpointInput | undefined,
  base = DEFAULT_CHECKPOINT,
): CheckpointConfig {
  const type = input?.type ?? base.type;
  if (type === 'DEFAULT') return DEFAULT_CHECKPOINT;
  const start = base.type === 'DEFAULT' ? { ...DEFAULT_CHECKPOINT } : base;
  return {
    type,
    enabled: input?.enabled ?? start.enabled,
    intervalMs: input?.intervalMs ?? start.intervalMs,
    minPauseMs: input?.minPauseMs ?? start.minPauseMs,
  };
}

export function monitoringFrom(
  input: MonitoringInput | undefined,
  base = DEFAULT_MONITORING,
): MonitoringConfig {
  const type = input?.type ?? base.type;
  if (type === 'DEFAULT') return DEFAULT_MONITORING;
  const start = base.type === 'DEFAULT' ? DEFAULT_MONITORING : base;
  return {
    type,
    metricsLevel: input?.metricsLevel ?? start.metricsLevel,
    logLevel: input?.logLevel ?? start.logLevel,
  };
}

export function parallelismFrom(
  input: ParallelismInput | undefined,
  base = DEFAULT_PARALLELISM,
): ParallelismConfig {
  const type = input?.type ?? base.type;
  if (type === 'DEFAULT') return DEFAULT_PARALLELISM;
  const start = base.type === 'DEFAULT' ? DEFAULT_PARALLELISM : base;
  return {
    type,
    parallelism: input?.parallelism ?? start.parallelism,
    perKpu: input?.perKpu ?? start.perKpu,
    autoScaling: input?.autoScaling ?? start.autoScaling,
  };
}

/** KPUs the application is billed for, excluding the orchestration KPU: ceil(parallelism / perKpu). */
export function allocatedKpus(parallelism: ParallelismConfig): number {
  return Math.ceil(parallelism.parallelism / parallelism.perKpu);
}

/** Applies an UpdateApplication request. Inline ZIP code must already be stored: pass its digest in `zip`. */
export function applyUpdate(
  config: ApplicationConfig,
  update: ConfigUpdate,
  storedZip?: { sha512: string; size: number },
): ApplicationConfig {
  const next: ApplicationConfig = structuredClone(config);
  if (update.runtimeEnvironment) next.runtimeEnvironment = update.runtimeEnvironment;
  if (update.serviceExecutionRole) next.serviceExecutionRole = update.serviceExecutionRole;
  if (update.code) {
    const code = update.code;
    const contentType = code.contentType ?? next.code?.contentType ?? 'ZIPFILE';
    if (code.s3) {
      const previous = next.code?.s3;
      next.code = {
        contentType,
        s3: {
          bucketArn: code.s3.bucketArn ?? previous?.bucketArn ?? '',
          fileKey: code.s3.fileKey ?? previous?.fileKey ?? '',
          ...(code.s3.objectVersion !== undefined
            ? { objectVersion: code.s3.objectVersion }
            : previous?.objectVersion !== undefined && code.s3.fileKey === undefined
              ? { objectVersion: previous.objectVersion }
              : {}),
        },
      };
    } else if (storedZip) {
      next.code = { contentType, zip: storedZip };
    } else if (code.text !== undefined) {
      next.code = { contentType, text: code.text };
    } else if (next.code) {
      next.code = { ...next.code, contentType };
    }
  }
  if (update.checkpoint) next.checkpoint = checkpointFrom(update.checkpoint, next.checkpoint);
  if (update.monitoring) next.monitoring = monitoringFrom(update.monitoring, next.monitoring);
  if (update.parallelism) next.parallelism = parallelismFrom(update.parallelism, next.parallelism);
  if (update.propertyGroups) next.propertyGroups = structuredClone(update.propertyGroups);
  if (update.snapshotsEnabled !== undefined) next.snapshotsEnabled = update.snapshotsEnabled;
  if (update.systemRollbackEnabled !== undefined) next.systemRollbackEnabled = update.systemRollbackEnabled;
  for (const vpc of update.vpcUpdates ?? []) {
    const target = next.vpcConfigurations.find((v) => v.id === vpc.id) as VpcConfig;
    if (vpc.subnetIds) target.subnetIds = [...vpc.subnetIds];
    if (vpc.securityGroupIds) target.securityGroupIds = [...vpc.securityGroupIds];
  }
  for (const logging of update.loggingUpdates ?? []) {
    const target = next.loggingOptions.find((l) => l.id === logging.id);
    if (target && logging.logStreamArn) target.logStreamArn = logging.logStreamArn;
  }
  if (update.encryption) next.encryption = { ...update.encryption };
  if (update.snapshotMode) next.snapshotMode = update.snapshotMode;
  return next;
}
