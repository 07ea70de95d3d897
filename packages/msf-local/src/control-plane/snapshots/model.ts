/**
 * Enhanced snapshots (SnapshotMode ENHANCED_SNAPSHOTS, msf-api.md §7): account-level resources with their own
 * ARN, tags and operation log, kept apart from the applications that made them so they outlive them.
 * Plain data, persisted as JSON; timestamps are epoch milliseconds.
 */
import type { ApplicationConfig, SnapshotStatus } from '../model.js';

export type { SnapshotMode } from '../model.js';
export type SnapshotInitiator = 'USER' | 'SYSTEM';
export type SnapshotInitiatorOperation = 'CreateSnapshot' | 'ImportSnapshot' | 'SystemCreateSnapshot';
export type SnapshotOperationType =
  'CreateSnapshot' | 'DeleteSnapshot' | 'ImportSnapshot' | 'ExportSnapshot' | 'SystemCreateSnapshot';
export type SnapshotOperationStatus = 'IN_PROGRESS' | 'SUCCESSFUL' | 'FAILED' | 'CANCELLED';

export interface EncryptionConfig {
  keyType: 'AWS_OWNED_KEY' | 'CUSTOMER_MANAGED_KEY';
  keyId?: string;
}

export interface S3Prefix {
  bucketArn: string;
  keyPrefix: string;
}

export interface SnapshotOperation {
  id: string;
  type: SnapshotOperationType;
  status: SnapshotOperationStatus;
  /** Order among the snapshot's operations. */
  sequence: number;
  startedAt: number;
  endedAt?: number;
  /** Where an import read from. */
  source?: S3Prefix;
  /** Where an export wrote to; `exportedPrefix` once it succeeded. */
  destination?: S3Prefix & { exportedPrefix?: string };
  sourceEncryption?: EncryptionConfig;
  destinationEncryption?: EncryptionConfig;
  /** The application operation (StopApplication, UpdateApplication) a SystemCreateSnapshot belongs to. */
  applicationOperation?: { applicationName: string; operationId: string };
  failure?: { errorCode: string; errorString: string };
}

export interface SnapshotSourceApplication {
  name: string;
  /** The application's creation time: tells a re-created application of the same name apart. */
  createdAt: number;
  versionId: number;
}

export interface EnhancedSnapshot {
  /** Unique per snapshot (names are reused after a delete): names its savepoint directory. */
  id: string;
  name: string;
  arn: string;
  description?: string;
  status: SnapshotStatus;
  /** Whole seconds (in ms): DeleteSnapshot must send it back. */
  createdAt: number;
  /** Creation order across the account. */
  sequence: number;
  initiator: SnapshotInitiator;
  initiatorOperation: SnapshotInitiatorOperation;
  /** Absent for imported snapshots. */
  runtimeEnvironment?: string;
  source: { application: SnapshotSourceApplication } | { s3: S3Prefix };
  encryption: EncryptionConfig;
  /** Bytes of the savepoint on disk; 0 until READY. */
  sizeBytes: number;
  tags: { key: string; value: string }[];
  operations: SnapshotOperation[];
}

/** Names the service keeps for its own snapshots, in any letter case. */
export const SYSTEM_SNAPSHOT_PREFIX = 'SYSTEMSNAPSHOT';
export const AWS_OWNED_KEY: EncryptionConfig = { keyType: 'AWS_OWNED_KEY' };

export function isEnhanced(config: Pick<ApplicationConfig, 'snapshotMode'>): boolean {
  return config.snapshotMode === 'ENHANCED_SNAPSHOTS';
}

export function snapshotArn(region: string, account: string, name: string): string {
  return `arn:aws:kinesisanalytics:${region}:${account}:snapshot/${name}`;
}

/** The snapshot name of an enhanced snapshot ARN, or undefined when `arn` is not one. */
export function snapshotNameOf(arn: string): string | undefined {
  return /^arn:[^:]+:kinesisanalytics:[^:]*:[^:]*:snapshot\/([a-zA-Z0-9_.-]+)$/.exec(arn)?.[1];
}

export function sourceApplicationOf(snapshot: EnhancedSnapshot): SnapshotSourceApplication | undefined {
  return 'application' in snapshot.source ? snapshot.source.application : undefined;
}
