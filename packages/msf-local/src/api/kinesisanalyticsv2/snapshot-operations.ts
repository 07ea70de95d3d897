/**
 * The eight enhanced-snapshot operations of Kinesis Analytics V2: thin glue between the wire
 * (snapshot-wire.ts) and the control plane's enhanced snapshots; no decisions are made here.
 */
import { paginate } from '../pagination.js';
import type { OperationHandler } from './handler.js';
import {
  encryptionFrom,
  s3PrefixFrom,
  snapshotInfo,
  snapshotInfoDetails,
  snapshotOperationDetails,
  snapshotOperationInfo,
  snapshotOperationStarted,
} from './snapshot-wire.js';
import { tagsFrom, timestampMs } from './wire.js';

/** Pagination keys in ascending order for lists that are newest first (so a deleted item's token resumes). */
const descending = (sequence: number) => String(999_999_999_999 - sequence).padStart(12, '0');

export const SNAPSHOT_OPERATIONS: Record<string, OperationHandler> = {
  async CreateSnapshot(cp, body, ctx) {
    const { snapshot, operation } = await cp.enhancedSnapshots.create(
      {
        applicationName: body.ApplicationName,
        name: body.SnapshotName,
        description: body.SnapshotDescription,
        tags: tagsFrom(body.Tags),
      },
      ctx.region,
    );
    return snapshotOperationStarted(snapshot, operation);
  },

  DescribeSnapshot(cp, body) {
    return { SnapshotInfoDetails: snapshotInfoDetails(cp.enhancedSnapshots.describe(body.SnapshotName)) };
  },

  ListSnapshots(cp, body) {
    const snapshots = cp.enhancedSnapshots.list({
      sourceApplicationName: body.SourceApplicationName,
      initiator: body.SnapshotInitiator,
      initiatorOperation: body.SnapshotInitiatorOperation,
      status: body.SnapshotStatus,
    });
    const { page, nextToken } = paginate(
      snapshots,
      (s) => descending(s.sequence),
      body.Limit,
      body.NextToken,
      true,
    );
    return { SnapshotInfoList: page.map(snapshotInfo), NextToken: nextToken };
  },

  async DeleteSnapshot(cp, body) {
    const { snapshot, operation } = await cp.enhancedSnapshots.delete(
      body.SnapshotName,
      timestampMs(body.SnapshotCreationTimestamp),
    );
    return snapshotOperationStarted(snapshot, operation);
  },

  async ExportSnapshot(cp, body) {
    const destination = body.ExportDestinationConfiguration;
    const operation = await cp.enhancedSnapshots.transfers.export(body.SnapshotName, {
      ...s3PrefixFrom(destination.DestinationS3PrefixLocation),
      roleArn: destination.ExportRoleArn,
      encryption: encryptionFrom(destination.DestinationEncryptionConfiguration),
    });
    return { SnapshotOperationId: operation.id, SnapshotOperationStatus: operation.status };
  },

  async ImportSnapshot(cp, body, ctx) {
    const source = body.ImportSourceConfiguration;
    const { snapshot, operation } = await cp.enhancedSnapshots.transfers.import(
      {
        name: body.SnapshotName,
        source: {
          ...s3PrefixFrom(source.SourceS3PrefixLocation),
          roleArn: source.ImportRoleArn,
          encryption: encryptionFrom(source.SourceEncryptionConfiguration),
        },
        destinationEncryption: encryptionFrom(body.DestinationEncryptionConfiguration),
        description: body.SnapshotDescription,
        tags: tagsFrom(body.Tags),
      },
      ctx.region,
    );
    return snapshotOperationStarted(snapshot, operation);
  },

  ListSnapshotOperations(cp, body) {
    const operations = cp.enhancedSnapshots.listOperations(body.SnapshotName, {
      type: body.SnapshotOperation,
      status: body.SnapshotOperationStatus,
    });
    const { page, nextToken } = paginate(
      operations,
      (o) => descending(o.sequence),
      body.Limit,
      body.NextToken,
      true,
    );
    return { SnapshotOperationInfoList: page.map(snapshotOperationInfo), NextToken: nextToken };
  },

  DescribeSnapshotOperation(cp, body) {
    const { snapshot, operation } = cp.enhancedSnapshots.describeOperation(
      body.SnapshotName,
      body.SnapshotOperationId,
    );
    return { SnapshotOperationInfoDetails: snapshotOperationDetails(snapshot, operation) };
  },
};
