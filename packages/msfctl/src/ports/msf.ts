/**
 * The Managed Service for Apache Flink control plane as msfctl uses it: domain values in and out. Everything
 * above the adapters (observe, plan, execute, watch, recover) is written against this port; adapters/aws
 * implements it with the SDK, unit tests with an in-memory fake.
 */
import type {
  AppConfig,
  AppStatus,
  LiveApplication,
  OperationInfo,
  RestoreSettings,
  S3Prefix,
  SnapshotInfo,
  SnapshotMode,
  SnapshotOperationInfo,
  Tags,
  VersionSummary,
} from '../model/application.js';
import type { ConfigUpdate } from '../model/application.js';

export interface Started {
  /** Absent when the service returned none (older APIs): callers then wait on status alone. */
  operationId?: string;
}

export interface ApplicationSummary {
  name: string;
  status: AppStatus;
  versionId: number;
  runtime: string;
}

export interface MsfGateway {
  describe(name: string): Promise<LiveApplication | undefined>;
  /** config.logStream becomes the application's CloudWatch logging option; `tags` its tags. */
  create(name: string, config: AppConfig, description?: string, tags?: Tags): Promise<LiveApplication>;
  /** `basis` pins the update: ConditionalToken when known, else the version id. */
  update(
    name: string,
    basis: { conditionalToken?: string; versionId: number },
    update: ConfigUpdate,
    run?: RestoreSettings,
  ): Promise<Started & { live: LiveApplication }>;
  start(name: string, run: RestoreSettings): Promise<Started>;
  stop(name: string, force: boolean): Promise<Started>;
  rollback(name: string, versionId: number): Promise<Started & { live: LiveApplication }>;
  delete(name: string, createdAt: number): Promise<void>;
  describeOperation(name: string, operationId: string): Promise<OperationInfo>;
  /** Newest first. */
  listOperations(name: string, limit?: number): Promise<OperationInfo[]>;
  /**
   * The application's snapshots, newest first: its application snapshots and, in enhanced mode, the enhanced
   * snapshots taken of it (of this application, not of an earlier one of the same name). `known`: the
   * application as the caller just described it, so that it is not described again (a fleet's plans).
   */
  listSnapshots(name: string, known?: LiveApplication): Promise<SnapshotInfo[]>;
  /** CreateApplicationSnapshot (legacy mode) or CreateSnapshot (enhanced); resolves once accepted. */
  createSnapshot(name: string, snapshotName: string, mode: SnapshotMode): Promise<void>;
  /** DeleteApplicationSnapshot, or DeleteSnapshot for an enhanced snapshot; resolves once accepted. */
  deleteSnapshot(
    name: string,
    snapshot: Pick<SnapshotInfo, 'name' | 'createdAt' | 'enhanced'>,
  ): Promise<void>;
  /** An enhanced snapshot by name, of any application (undefined: none of that name). */
  describeEnhancedSnapshot(snapshotName: string): Promise<SnapshotInfo | undefined>;
  /** The account's enhanced snapshots in this Region, newest first (versionId 0: the list does not say). */
  listEnhancedSnapshots(): Promise<SnapshotInfo[]>;
  /** ImportSnapshot of the Flink savepoint under `from`; the operation says how it ended. */
  importSnapshot(
    snapshotName: string,
    from: S3Prefix,
    role: string,
  ): Promise<{ operationId: string; arn: string }>;
  describeSnapshotOperation(snapshotName: string, operationId: string): Promise<SnapshotOperationInfo>;
  listVersions(name: string): Promise<VersionSummary[]>;
  describeVersion(name: string, versionId: number): Promise<LiveApplication>;
  listApplications(): Promise<ApplicationSummary[]>;
  /** AddApplicationCloudWatchLoggingOption: a new version that ships the job's logs to `logStreamArn`. */
  addLoggingOption(
    name: string,
    basis: { conditionalToken?: string; versionId: number },
    logStreamArn: string,
  ): Promise<Started & { live: LiveApplication }>;
  /** DeleteApplicationCloudWatchLoggingOption: a new version without the option. */
  deleteLoggingOption(
    name: string,
    basis: { conditionalToken?: string; versionId: number },
    optionId: string,
  ): Promise<Started & { live: LiveApplication }>;
  /** ListTagsForResource on the application's ARN. */
  listTags(arn: string): Promise<Tags>;
  /** TagResource (`set`, when not empty), then UntagResource (`remove`, when not empty). */
  changeTags(arn: string, set: Tags, remove: string[]): Promise<void>;
}
