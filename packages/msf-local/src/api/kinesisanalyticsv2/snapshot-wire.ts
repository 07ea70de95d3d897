/**
 * Enhanced snapshots on the wire (SnapshotInfo, SnapshotInfoDetails, SnapshotOperationInfo, …) and the
 * request members that carry S3 locations and encryption. Timestamps are epoch seconds.
 */
import type {
  EncryptionConfig,
  EnhancedSnapshot,
  S3Prefix,
  SnapshotOperation,
} from '../../control-plane/snapshots/model.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- request bodies are validated JSON */
type Json = any;

const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

export function s3PrefixFrom(location: Json): S3Prefix {
  return { bucketArn: location.BucketARN, keyPrefix: location.KeyPrefix };
}

export function encryptionFrom(encryption: Json): EncryptionConfig | undefined {
  return encryption && { keyType: encryption.KeyType, keyId: encryption.KeyId };
}

function encryption(config: EncryptionConfig | undefined): Json {
  return config && { KeyType: config.keyType, KeyId: config.keyId };
}

export function snapshotInfo(snapshot: EnhancedSnapshot): Json {
  return {
    SnapshotName: snapshot.name,
    SnapshotArn: snapshot.arn,
    SnapshotStatus: snapshot.status,
    SnapshotCreationTimestamp: seconds(snapshot.createdAt),
    SnapshotInitiator: snapshot.initiator,
    SnapshotInitiatorOperation: snapshot.initiatorOperation,
    SourceApplicationName: 'application' in snapshot.source ? snapshot.source.application.name : undefined,
    SnapshotFormat: 'CANONICAL',
  };
}

export function snapshotInfoDetails(snapshot: EnhancedSnapshot): Json {
  const source = snapshot.source;
  return {
    SnapshotName: snapshot.name,
    SnapshotArn: snapshot.arn,
    SnapshotDescription: snapshot.description,
    SnapshotStatus: snapshot.status,
    SnapshotCreationTimestamp: seconds(snapshot.createdAt),
    RuntimeEnvironment: snapshot.runtimeEnvironment,
    SnapshotSizeInBytes: snapshot.status === 'READY' ? snapshot.sizeBytes : 0,
    SnapshotEncryptionConfigurationDescription: encryption(snapshot.encryption),
    SnapshotInitiator: snapshot.initiator,
    SnapshotInitiatorOperation: snapshot.initiatorOperation,
    SnapshotSourceDescription:
      'application' in source
        ? {
            SourceApplicationDescription: {
              ApplicationName: source.application.name,
              ApplicationCreationTimestamp: seconds(source.application.createdAt),
              ApplicationVersionId: source.application.versionId,
            },
          }
        : { S3PrefixLocation: { BucketARN: source.s3.bucketArn, KeyPrefix: source.s3.keyPrefix } },
    SnapshotFormat: 'CANONICAL',
  };
}

/** What CreateSnapshot, ImportSnapshot and DeleteSnapshot answer. */
export function snapshotOperationStarted(snapshot: EnhancedSnapshot, operation: SnapshotOperation): Json {
  return {
    SnapshotArn: snapshot.arn,
    SnapshotStatus: snapshot.status,
    SnapshotOperationId: operation.id,
    SnapshotOperationStatus: operation.status,
  };
}

export function snapshotOperationInfo(operation: SnapshotOperation): Json {
  return {
    SnapshotOperationId: operation.id,
    SnapshotOperation: operation.type,
    SnapshotOperationStatus: operation.status,
    StartTime: seconds(operation.startedAt),
    EndTime: seconds(operation.endedAt),
  };
}

export function snapshotOperationDetails(snapshot: EnhancedSnapshot, operation: SnapshotOperation): Json {
  const location = (prefix: S3Prefix & { exportedPrefix?: string }) => ({
    LocationType: 'S3',
    S3PrefixLocation: {
      BucketARN: prefix.bucketArn,
      KeyPrefix: prefix.keyPrefix,
      ExportedPrefix: prefix.exportedPrefix,
    },
  });
  return {
    ...snapshotOperationInfo(operation),
    SnapshotArn: snapshot.arn,
    SourceEncryptionConfigurationDescription: encryption(operation.sourceEncryption),
    DestinationEncryptionConfigurationDescription: encryption(operation.destinationEncryption),
    SnapshotSourceLocationDescription: operation.source && location(operation.source),
    // "present only for ExportSnapshot operations, after the operation completes"
    SnapshotDestinationLocationDescription:
      operation.destination && operation.status !== 'IN_PROGRESS'
        ? location(operation.destination)
        : undefined,
    ApplicationOperationDescription: operation.applicationOperation && {
      ApplicationName: operation.applicationOperation.applicationName,
      ApplicationOperationId: operation.applicationOperation.operationId,
    },
    SnapshotOperationFailureDetails: operation.failure && {
      ErrorInfo: { ErrorCode: operation.failure.errorCode, ErrorString: operation.failure.errorString },
    },
  };
}
