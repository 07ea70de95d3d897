/**
 * Types of the enhanced-snapshot members and operations of Kinesis Analytics V2 (botocore 1.44.18's model),
 * which @aws-sdk/client-kinesis-analytics-v2 3.1112.0 lacks. Names and members are the model's.
 */
import type {
  ApplicationConfiguration,
  ApplicationConfigurationDescription,
  ApplicationConfigurationUpdate,
  ApplicationDetail,
  ApplicationRestoreConfiguration as SdkApplicationRestoreConfiguration,
  ApplicationSnapshotConfiguration as SdkApplicationSnapshotConfiguration,
  ApplicationSnapshotConfigurationDescription as SdkApplicationSnapshotConfigurationDescription,
  ApplicationSnapshotConfigurationUpdate as SdkApplicationSnapshotConfigurationUpdate,
  CreateApplicationRequest as SdkCreateApplicationRequest,
  KeyType,
  RunConfiguration,
  RunConfigurationDescription,
  RunConfigurationUpdate,
  RuntimeEnvironment,
  SnapshotStatus,
  StartApplicationRequest as SdkStartApplicationRequest,
  Tag,
  UpdateApplicationRequest as SdkUpdateApplicationRequest,
} from '@aws-sdk/client-kinesis-analytics-v2';

export type SnapshotMode = 'APPLICATION_SNAPSHOTS_LEGACY' | 'ENHANCED_SNAPSHOTS';
export type SnapshotInitiator = 'USER' | 'SYSTEM';
export type SnapshotInitiatorOperation = 'CreateSnapshot' | 'ImportSnapshot' | 'SystemCreateSnapshot';
export type SnapshotOperation =
  'CreateSnapshot' | 'DeleteSnapshot' | 'ImportSnapshot' | 'ExportSnapshot' | 'SystemCreateSnapshot';
export type SnapshotOperationStatus = 'IN_PROGRESS' | 'SUCCESSFUL' | 'FAILED' | 'CANCELLED';

// ------------------------------------------------------------------ new members of existing shapes

export interface ApplicationRestoreConfigurationV2 extends SdkApplicationRestoreConfiguration {
  /** An enhanced snapshot to restore (ENHANCED_SNAPSHOTS mode); exactly one of SnapshotName and SnapshotArn. */
  SnapshotArn?: string;
}
export interface ApplicationSnapshotConfigurationV2 extends SdkApplicationSnapshotConfiguration {
  SnapshotMode?: SnapshotMode;
}
export interface ApplicationSnapshotConfigurationUpdateV2 extends SdkApplicationSnapshotConfigurationUpdate {
  SnapshotModeUpdate?: SnapshotMode;
}
export interface ApplicationSnapshotConfigurationDescriptionV2 extends SdkApplicationSnapshotConfigurationDescription {
  SnapshotMode?: SnapshotMode;
}

export interface CreateApplicationRequest extends Omit<
  SdkCreateApplicationRequest,
  'ApplicationConfiguration'
> {
  ApplicationConfiguration?: Omit<ApplicationConfiguration, 'ApplicationSnapshotConfiguration'> & {
    ApplicationSnapshotConfiguration?: ApplicationSnapshotConfigurationV2;
  };
}
export interface StartApplicationRequest extends Omit<SdkStartApplicationRequest, 'RunConfiguration'> {
  RunConfiguration?: Omit<RunConfiguration, 'ApplicationRestoreConfiguration'> & {
    ApplicationRestoreConfiguration?: ApplicationRestoreConfigurationV2;
  };
}
export interface UpdateApplicationRequest extends Omit<
  SdkUpdateApplicationRequest,
  'ApplicationConfigurationUpdate' | 'RunConfigurationUpdate'
> {
  ApplicationConfigurationUpdate?: Omit<
    ApplicationConfigurationUpdate,
    'ApplicationSnapshotConfigurationUpdate'
  > & {
    ApplicationSnapshotConfigurationUpdate?: ApplicationSnapshotConfigurationUpdateV2;
  };
  RunConfigurationUpdate?: Omit<RunConfigurationUpdate, 'ApplicationRestoreConfiguration'> & {
    ApplicationRestoreConfiguration?: ApplicationRestoreConfigurationV2;
  };
}
/** ApplicationDetail with the snapshot mode and a restore's SnapshotArn. */
export interface ApplicationDetailV2 extends Omit<ApplicationDetail, 'ApplicationConfigurationDescription'> {
  ApplicationConfigurationDescription?: Omit<
    ApplicationConfigurationDescription,
    'ApplicationSnapshotConfigurationDescription' | 'RunConfigurationDescription'
  > & {
    ApplicationSnapshotConfigurationDescription?: ApplicationSnapshotConfigurationDescriptionV2;
    RunConfigurationDescription?: Omit<
      RunConfigurationDescription,
      'ApplicationRestoreConfigurationDescription'
    > & {
      ApplicationRestoreConfigurationDescription?: ApplicationRestoreConfigurationV2;
    };
  };
}

// ------------------------------------------------------------------ enhanced snapshots

export interface S3PrefixLocation {
  BucketARN: string;
  KeyPrefix: string;
}
export interface SnapshotEncryptionConfiguration {
  KeyType: KeyType;
  KeyId?: string;
}
export interface SnapshotInfo {
  SnapshotName: string;
  SnapshotArn: string;
  SnapshotStatus: SnapshotStatus;
  SnapshotCreationTimestamp: Date;
  SnapshotInitiator: SnapshotInitiator;
  SnapshotInitiatorOperation: SnapshotInitiatorOperation;
  SnapshotFormat: 'CANONICAL';
  SourceApplicationName?: string;
}
export interface SnapshotInfoDetails extends Omit<SnapshotInfo, 'SourceApplicationName'> {
  SnapshotDescription?: string;
  /** Absent for imported snapshots. */
  RuntimeEnvironment?: RuntimeEnvironment;
  SnapshotSizeInBytes?: number;
  SnapshotEncryptionConfigurationDescription?: SnapshotEncryptionConfiguration;
  SnapshotSourceDescription: {
    S3PrefixLocation?: S3PrefixLocation;
    SourceApplicationDescription?: {
      ApplicationName: string;
      ApplicationCreationTimestamp: Date;
      ApplicationVersionId: number;
    };
  };
}
export interface SnapshotOperationInfo {
  SnapshotOperationId: string;
  SnapshotOperation: SnapshotOperation;
  SnapshotOperationStatus: SnapshotOperationStatus;
  StartTime?: Date;
  EndTime?: Date;
}
export interface SnapshotOperationLocationDescription {
  LocationType: 'S3';
  S3PrefixLocation: S3PrefixLocation & { ExportedPrefix?: string };
}
export interface SnapshotOperationInfoDetails extends SnapshotOperationInfo {
  SnapshotArn: string;
  SourceEncryptionConfigurationDescription?: SnapshotEncryptionConfiguration;
  DestinationEncryptionConfigurationDescription?: SnapshotEncryptionConfiguration;
  SnapshotSourceLocationDescription?: SnapshotOperationLocationDescription;
  /** ExportSnapshot, once finished; ExportedPrefix is where the savepoint was written. */
  SnapshotDestinationLocationDescription?: SnapshotOperationLocationDescription;
  ApplicationOperationDescription?: { ApplicationOperationId?: string; ApplicationName?: string };
  SnapshotOperationFailureDetails?: { ErrorInfo?: { ErrorCode?: string; ErrorString?: string } };
}

/** What CreateSnapshot, ImportSnapshot and DeleteSnapshot answer. */
export interface SnapshotOperationStarted {
  SnapshotArn: string;
  SnapshotStatus: SnapshotStatus;
  SnapshotOperationId: string;
  SnapshotOperationStatus: SnapshotOperationStatus;
}

export interface CreateSnapshotRequest {
  ApplicationName: string;
  SnapshotName: string;
  SnapshotDescription?: string;
  Tags?: Tag[];
}
export interface DescribeSnapshotRequest {
  SnapshotName: string;
}
export interface ListSnapshotsRequest {
  /** At most one of the four filters. */
  SourceApplicationName?: string;
  SnapshotInitiator?: SnapshotInitiator;
  SnapshotInitiatorOperation?: SnapshotInitiatorOperation;
  SnapshotStatus?: SnapshotStatus;
  Limit?: number;
  NextToken?: string;
}
export interface DeleteSnapshotRequest {
  SnapshotName: string;
  SnapshotCreationTimestamp: Date;
}
export interface ExportSnapshotRequest {
  SnapshotName: string;
  ExportDestinationConfiguration: {
    DestinationType: 'S3';
    ExportRoleArn: string;
    DestinationS3PrefixLocation: S3PrefixLocation;
    DestinationEncryptionConfiguration?: SnapshotEncryptionConfiguration;
  };
}
export interface ImportSnapshotRequest {
  SnapshotName: string;
  ImportSourceConfiguration: {
    SourceType: 'S3';
    ImportRoleArn: string;
    SourceS3PrefixLocation: S3PrefixLocation;
    SourceEncryptionConfiguration?: SnapshotEncryptionConfiguration;
  };
  DestinationEncryptionConfiguration?: SnapshotEncryptionConfiguration;
  SnapshotDescription?: string;
  SnapshotFormat?: 'CANONICAL';
  Tags?: Tag[];
}
export interface ListSnapshotOperationsRequest {
  SnapshotName: string;
  /** At most one of SnapshotOperation and SnapshotOperationStatus. */
  SnapshotOperation?: SnapshotOperation;
  SnapshotOperationStatus?: SnapshotOperationStatus;
  Limit?: number;
  NextToken?: string;
}
export interface DescribeSnapshotOperationRequest {
  SnapshotName: string;
  SnapshotOperationId: string;
}
