/**
 * The MSF domain as msf-local keeps it: applications, their versions, operations and snapshots.
 * Plain data (persisted as JSON); no HTTP, no wire shapes. Timestamps are epoch milliseconds.
 */
import type { PropertyGroup } from './job-runtime.js';

/** How an application's snapshots are kept (msf-api.md §7); enhanced snapshots live in snapshots/. */
export type SnapshotMode = 'APPLICATION_SNAPSHOTS_LEGACY' | 'ENHANCED_SNAPSHOTS';

export type ApplicationStatus =
  | 'DELETING'
  | 'STARTING'
  | 'STOPPING'
  | 'READY'
  | 'RUNNING'
  | 'UPDATING'
  | 'AUTOSCALING'
  | 'FORCE_STOPPING'
  | 'ROLLING_BACK'
  | 'MAINTENANCE'
  | 'ROLLED_BACK';

export type ConfigurationType = 'DEFAULT' | 'CUSTOM';
export type LogLevel = 'INFO' | 'WARN' | 'ERROR' | 'DEBUG';
export type MetricsLevel = 'APPLICATION' | 'TASK' | 'OPERATOR' | 'PARALLELISM';
export type RestoreType =
  'SKIP_RESTORE_FROM_SNAPSHOT' | 'RESTORE_FROM_LATEST_SNAPSHOT' | 'RESTORE_FROM_CUSTOM_SNAPSHOT';

export interface CodeLocation {
  bucketArn: string;
  fileKey: string;
  objectVersion?: string;
}

export interface CodeConfig {
  contentType: 'ZIPFILE' | 'PLAINTEXT';
  s3?: CodeLocation;
  /** Code uploaded inline (ZipFileContent): kept in msf-local's data dir under this digest. */
  zip?: { sha512: string; size: number };
  text?: string;
}

export interface CheckpointConfig {
  type: ConfigurationType;
  enabled: boolean;
  intervalMs: number;
  minPauseMs: number;
}

export interface MonitoringConfig {
  type: ConfigurationType;
  metricsLevel: MetricsLevel;
  logLevel: LogLevel;
}

export interface ParallelismConfig {
  type: ConfigurationType;
  parallelism: number;
  perKpu: number;
  autoScaling: boolean;
}

export interface VpcConfig {
  id: string;
  vpcId: string;
  subnetIds: string[];
  securityGroupIds: string[];
}

export interface LoggingOption {
  id: string;
  logStreamArn: string;
  roleArn?: string;
}

/** Everything an application version captures. */
export interface ApplicationConfig {
  description: string;
  runtimeEnvironment: string;
  serviceExecutionRole: string;
  mode: 'STREAMING' | 'INTERACTIVE';
  code?: CodeConfig;
  checkpoint: CheckpointConfig;
  monitoring: MonitoringConfig;
  parallelism: ParallelismConfig;
  /** Undefined when the application was never given EnvironmentProperties. */
  propertyGroups?: PropertyGroup[];
  snapshotsEnabled: boolean;
  systemRollbackEnabled: boolean;
  vpcConfigurations: VpcConfig[];
  loggingOptions: LoggingOption[];
  encryption?: { keyType: 'AWS_OWNED_KEY' | 'CUSTOMER_MANAGED_KEY'; keyId?: string };
  /** Absent: APPLICATION_SNAPSHOTS_LEGACY (documents written before enhanced snapshots have none). */
  snapshotMode?: SnapshotMode;
}

export interface RunConfig {
  restoreType: RestoreType;
  snapshotName?: string;
  /** An enhanced snapshot (ENHANCED_SNAPSHOTS mode) to restore from, instead of `snapshotName`. */
  snapshotArn?: string;
  allowNonRestoredState: boolean;
}

export interface ApplicationVersion {
  id: number;
  createdAt: number;
  config: ApplicationConfig;
  /** Status reported for this version in ListApplicationVersions once it is no longer current. */
  status: ApplicationStatus;
  conditionalToken: string;
  updatedFrom?: number;
  rolledBackFrom?: number;
  rolledBackTo?: number;
}

export type OperationStatus = 'IN_PROGRESS' | 'CANCELLED' | 'SUCCESSFUL' | 'FAILED';

export interface Operation {
  id: string;
  /** API action name (StartApplication, UpdateApplication, RollbackApplication, ...). */
  name: string;
  status: OperationStatus;
  startedAt: number;
  endedAt?: number;
  versionChange?: { from: number; to: number };
  errorString?: string;
  rollbackOperationId?: string;
}

export type SnapshotStatus = 'CREATING' | 'READY' | 'DELETING' | 'FAILED';

export interface Snapshot {
  name: string;
  status: SnapshotStatus;
  versionId: number;
  /** Whole seconds (in ms): clients send it back verbatim to delete the snapshot. */
  createdAt: number;
  /** Creation order among snapshots created in the same second. */
  sequence: number;
  runtimeEnvironment: string;
  /** Location of the Flink savepoint, once READY. */
  path?: string;
  failure?: string;
}

export interface Application {
  name: string;
  arn: string;
  region: string;
  /** Whole seconds (in ms): DeleteApplication must send it back. */
  createdAt: number;
  lastUpdatedAt: number;
  status: ApplicationStatus;
  currentVersionId: number;
  versions: ApplicationVersion[];
  operations: Operation[];
  snapshots: Snapshot[];
  tags: { key: string; value: string }[];
  maintenanceWindowStart: string;
  /** Run configuration of the latest start (absent until first started). */
  runConfig?: RunConfig;
  snapshotSequence: number;
}

export function currentVersion(app: Application): ApplicationVersion {
  const version = app.versions.find((v) => v.id === app.currentVersionId);
  if (!version) throw new Error(`application ${app.name} has no version ${app.currentVersionId}`);
  return version;
}

/** Statuses from which an application has (or is about to have) a running job. */
export const JOB_STATUSES: readonly ApplicationStatus[] = [
  'STARTING',
  'RUNNING',
  'UPDATING',
  'AUTOSCALING',
  'ROLLING_BACK',
  'MAINTENANCE',
  'STOPPING',
];

export const TRANSIENT_STATUSES: readonly ApplicationStatus[] = [
  'DELETING',
  'STARTING',
  'STOPPING',
  'UPDATING',
  'AUTOSCALING',
  'FORCE_STOPPING',
  'ROLLING_BACK',
  'MAINTENANCE',
];
