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
  SnapshotInfo,
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
  create(name: string, config: AppConfig, description?: string): Promise<LiveApplication>;
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
  listSnapshots(name: string): Promise<SnapshotInfo[]>;
  createSnapshot(name: string, snapshotName: string): Promise<void>;
  deleteSnapshot(name: string, snapshotName: string, createdAt: number): Promise<void>;
  listVersions(name: string): Promise<VersionSummary[]>;
  describeVersion(name: string, versionId: number): Promise<LiveApplication>;
  listApplications(): Promise<ApplicationSummary[]>;
}
