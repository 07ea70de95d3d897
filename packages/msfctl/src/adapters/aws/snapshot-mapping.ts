/** Enhanced-snapshot wire shapes (the extension's, enhanced-snapshots/types.ts) → msfctl's domain values. Pure. */
import { bucketArn, bucketFromArn } from '../../model/application.js';
import type { S3Prefix, SnapshotInfo, SnapshotOperationInfo } from '../../model/application.js';
import type {
  S3PrefixLocation,
  SnapshotInfo as WireSnapshotInfo,
  SnapshotInfoDetails,
  SnapshotOperationInfoDetails,
} from './enhanced-snapshots/index.js';

/** A summary (ListSnapshots) with, when described, its details (DescribeSnapshot). */
export function toEnhancedSnapshot(
  summary: WireSnapshotInfo | SnapshotInfoDetails,
  details?: SnapshotInfoDetails,
): SnapshotInfo {
  const source = details?.SnapshotSourceDescription;
  const application = source?.SourceApplicationDescription;
  const s3 = source?.S3PrefixLocation;
  const sourceName =
    application?.ApplicationName ??
    ('SourceApplicationName' in summary ? summary.SourceApplicationName : undefined);
  return {
    name: summary.SnapshotName,
    status: summary.SnapshotStatus as SnapshotInfo['status'],
    versionId: application?.ApplicationVersionId ?? 0,
    createdAt: summary.SnapshotCreationTimestamp.getTime(),
    ...(details?.RuntimeEnvironment ? { runtime: details.RuntimeEnvironment } : {}),
    enhanced: {
      arn: summary.SnapshotArn,
      initiator: summary.SnapshotInitiator,
      initiatorOperation: summary.SnapshotInitiatorOperation,
      ...(sourceName ? { sourceApplication: sourceName } : {}),
      ...(application?.ApplicationCreationTimestamp
        ? { sourceApplicationCreatedAt: application.ApplicationCreationTimestamp.getTime() }
        : {}),
      ...(s3 ? { importedFrom: `s3://${bucketFromArn(s3.BucketARN)}/${s3.KeyPrefix}` } : {}),
    },
  };
}

export function toSnapshotOperation(details: SnapshotOperationInfoDetails): SnapshotOperationInfo {
  const destination = details.SnapshotDestinationLocationDescription?.S3PrefixLocation;
  const error = details.SnapshotOperationFailureDetails?.ErrorInfo;
  return {
    id: details.SnapshotOperationId,
    operation: details.SnapshotOperation,
    status: details.SnapshotOperationStatus,
    ...(details.SnapshotArn ? { snapshotArn: details.SnapshotArn } : {}),
    ...(destination?.ExportedPrefix
      ? { exportedTo: { bucket: bucketFromArn(destination.BucketARN), prefix: destination.ExportedPrefix } }
      : {}),
    ...(error && (error.ErrorCode || error.ErrorString)
      ? {
          error: {
            ...(error.ErrorCode ? { code: error.ErrorCode } : {}),
            ...(error.ErrorString ? { message: error.ErrorString } : {}),
          },
        }
      : {}),
  };
}

export function toS3PrefixLocation(location: S3Prefix): S3PrefixLocation {
  return { BucketARN: bucketArn(location.bucket), KeyPrefix: location.prefix };
}
