/**
 * The application as msfctl reasons about it: what the spec asks for (DesiredApplication) and what the service
 * reports (LiveApplication). Plain data, no SDK types: aws/ translates at the edge.
 */

export type AppStatus =
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

export const STEADY_STATUSES: readonly AppStatus[] = ['READY', 'RUNNING'];

export function isSteady(status: AppStatus): boolean {
  return STEADY_STATUSES.includes(status);
}

/**
 * The statuses a force stop leaves (msf-api.md §4.1, §4.5; msf-local's state machine): every running or
 * stuck transient status. Not FORCE_STOPPING (already on its way to READY: the service refuses a second one),
 * DELETING or READY. The one list msfctl's stop command, its plans and its recovery use.
 */
export const FORCE_STOPPABLE: readonly AppStatus[] = [
  'STARTING',
  'UPDATING',
  'STOPPING',
  'AUTOSCALING',
  'RUNNING',
  'ROLLING_BACK',
  'MAINTENANCE',
];

export function isForceStoppable(status: AppStatus): boolean {
  return FORCE_STOPPABLE.includes(status);
}

/** The statuses RollbackApplication accepts (msf-api.md §4.4). */
export const ROLLBACK_STATUSES: readonly AppStatus[] = ['RUNNING', 'UPDATING', 'AUTOSCALING'];

export type LogLevel = 'INFO' | 'WARN' | 'ERROR' | 'DEBUG';
export type MetricsLevel = 'APPLICATION' | 'TASK' | 'OPERATOR' | 'PARALLELISM';
export type PropertyGroups = Record<string, Record<string, string>>;

export interface CodeLocation {
  bucket: string;
  key: string;
  objectVersion?: string;
}

/** `custom: false` is the service's DEFAULT configuration type; the values are then the service defaults. */
export interface ParallelismSettings {
  custom: boolean;
  parallelism: number;
  perKpu: number;
  autoscaling: boolean;
}

export interface MonitoringSettings {
  custom: boolean;
  logLevel: LogLevel;
  metricsLevel: MetricsLevel;
}

export interface CheckpointSettings {
  custom: boolean;
  enabled: boolean;
  intervalMs: number;
  minPauseMs: number;
}

/**
 * ApplicationSnapshotConfiguration.SnapshotMode. legacy (APPLICATION_SNAPSHOTS_LEGACY): snapshots belong to
 * their application and die with it. enhanced (ENHANCED_SNAPSHOTS, FLINK-1_20 or later, one-way): snapshots
 * are account-level resources with an ARN, outlive their application, restore into any enhanced application.
 */
export type SnapshotMode = 'legacy' | 'enhanced';

/** The versioned configuration of an application: everything UpdateApplication can change. */
export interface AppConfig {
  runtime: string;
  role: string;
  code: CodeLocation;
  properties: PropertyGroups;
  parallelism: ParallelismSettings;
  monitoring: MonitoringSettings;
  checkpoints: CheckpointSettings;
  snapshotsEnabled: boolean;
  snapshotMode: SnapshotMode;
  systemRollback: boolean;
  /**
   * The log stream ARN of the application's CloudWatch logging option: where MSF ships the job's logs (absent:
   * none, the logs go nowhere). Versioned like the rest, but changed by Add/DeleteApplicationCloudWatchLoggingOption
   * (or, for an existing option, UpdateApplication's CloudWatchLoggingOptionUpdates), never by a ConfigUpdate.
   */
  logStream?: string;
}

/** A CloudWatch logging option as the service holds it: its id names it to the calls that change it. */
export interface LoggingOption {
  id: string;
  logStreamArn: string;
}

/** Resource tags (TagResource): not part of the versioned configuration. */
export type Tags = Record<string, string>;

/** What UpdateApplication changes: the sections of the configuration it sends (each one whole). */
export type ConfigUpdate = Partial<
  Pick<
    AppConfig,
    | 'runtime'
    | 'role'
    | 'code'
    | 'properties'
    | 'parallelism'
    | 'monitoring'
    | 'checkpoints'
    | 'snapshotsEnabled'
    | 'snapshotMode'
    | 'systemRollback'
  >
>;

/** How a (re)started job restores its state: RunConfiguration on start, RunConfigurationUpdate on update. */
export interface RestoreSettings {
  from: 'latest' | 'none' | 'snapshot';
  /** The snapshot's name (from: snapshot). */
  snapshot?: string;
  /** An enhanced snapshot, restored by SnapshotArn (enhanced mode); the name is then for people. */
  snapshotArn?: string;
  allowNonRestoredState: boolean;
}

export interface DesiredApplication {
  name: string;
  description?: string;
  config: AppConfig;
  running: boolean;
  restore: RestoreSettings;
  /** The application's tags; undefined: msfctl leaves them as they are. */
  tags?: Tags;
}

export interface LiveApplication {
  name: string;
  arn: string;
  status: AppStatus;
  versionId: number;
  conditionalToken?: string;
  /** Epoch milliseconds; DeleteApplication needs it back. */
  createdAt: number;
  updatedAt?: number;
  description?: string;
  config: AppConfig;
  /** Parallelism the job runs with now (autoscaling may have moved it away from `config.parallelism`). */
  currentParallelism: number;
  /** The run configuration the service last used, when it has one (absent before the first start). */
  lastRun?: RestoreSettings;
  versionUpdatedFrom?: number;
  rolledBackFrom?: number;
  rolledBackTo?: number;
  codeMd5?: string;
  codeSize?: number;
  /** Every CloudWatch logging option (config.logStream is the first one's stream). */
  loggingOptions?: LoggingOption[];
}

export interface SnapshotInfo {
  name: string;
  status: 'CREATING' | 'READY' | 'DELETING' | 'FAILED';
  /** The application version it was taken of (0 for an imported enhanced snapshot, which has none). */
  versionId: number;
  /** Epoch milliseconds. */
  createdAt: number;
  runtime?: string;
  /** Present for an enhanced snapshot (an account-level resource); absent for an application snapshot. */
  enhanced?: EnhancedSnapshotFacts;
}

/** What only an enhanced snapshot has. */
export interface EnhancedSnapshotFacts {
  arn: string;
  /** USER: CreateSnapshot or ImportSnapshot; SYSTEM: taken by the service on stop or update. */
  initiator: 'USER' | 'SYSTEM';
  initiatorOperation: 'CreateSnapshot' | 'ImportSnapshot' | 'SystemCreateSnapshot';
  /** The application it was taken of (absent for an imported one). */
  sourceApplication?: string;
  /** When that application was created (epoch ms), when known: tells one incarnation of a name from another. */
  sourceApplicationCreatedAt?: number;
  /** s3://bucket/prefix it was imported from, when known. */
  importedFrom?: string;
}

export interface OperationInfo {
  id: string;
  operation: string;
  status: 'IN_PROGRESS' | 'CANCELLED' | 'SUCCESSFUL' | 'FAILED';
  startedAt?: number;
  endedAt?: number;
  versionFrom?: number;
  versionTo?: number;
  error?: string;
  rollbackOperationId?: string;
}

/** An operation on an enhanced snapshot (CreateSnapshot, ImportSnapshot, ExportSnapshot, …). */
export interface SnapshotOperationInfo {
  id: string;
  operation: string;
  status: 'IN_PROGRESS' | 'CANCELLED' | 'SUCCESSFUL' | 'FAILED';
  snapshotArn?: string;
  /** ExportSnapshot, once it succeeded: where the savepoint was written (ExportedPrefix). */
  exportedTo?: S3Prefix;
  /** Why it failed: SnapshotOperationFailureDetails.ErrorInfo. */
  error?: { code?: string; message?: string };
}

/** A place in S3 that holds (or will hold) a savepoint: a bucket and a key prefix ending in "/". */
export interface S3Prefix {
  bucket: string;
  prefix: string;
}

export interface VersionSummary {
  versionId: number;
  status: AppStatus;
}

/** The service defaults that apply when a configuration block has type DEFAULT (msf-api.md §6). */
export const SERVICE_DEFAULTS = {
  parallelism: { custom: false, parallelism: 1, perKpu: 1, autoscaling: true },
  monitoring: { custom: false, logLevel: 'INFO', metricsLevel: 'APPLICATION' },
  checkpoints: { custom: false, enabled: true, intervalMs: 60_000, minPauseMs: 5_000 },
} as const satisfies {
  parallelism: ParallelismSettings;
  monitoring: MonitoringSettings;
  checkpoints: CheckpointSettings;
};

/** KPUs the job is allocated: parallelism ÷ parallelism per KPU, rounded up (msf-api.md §4.8). */
export function kpusFor(parallelism: number, perKpu: number): number {
  return Math.ceil(parallelism / Math.max(1, perKpu));
}

/** KPUs in use right now: none unless the job runs. */
export function kpusInUse(live: LiveApplication | undefined): number {
  if (!live || live.status === 'READY' || live.status === 'DELETING') return 0;
  return kpusFor(live.currentParallelism, live.config.parallelism.perKpu);
}

/** The newest READY snapshot (the one a "latest" restore and RollbackApplication use). */
export function newestReadySnapshot(snapshots: readonly SnapshotInfo[]): SnapshotInfo | undefined {
  return snapshots.filter((s) => s.status === 'READY').sort((a, b) => b.createdAt - a.createdAt)[0];
}

export function bucketArn(bucket: string): string {
  return `arn:aws:s3:::${bucket}`;
}

export function bucketFromArn(arn: string): string {
  return arn.startsWith('arn:aws:s3:::')
    ? arn.slice('arn:aws:s3:::'.length)
    : arn.replace(/^arn:[^:]+:s3:::/, '');
}

export function describeCode(code: CodeLocation): string {
  return `s3://${code.bucket}/${code.key}${code.objectVersion ? `?versionId=${code.objectVersion}` : ''}`;
}
