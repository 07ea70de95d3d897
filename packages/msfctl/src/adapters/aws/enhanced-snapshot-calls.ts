/**
 * The enhanced-snapshot operations as msfctl calls them, over the SDK extension (enhanced-snapshots/): domain
 * values in and out, errors translated. Used by the MSF gateway (list, create, delete, import) and by the
 * snapshot exporter (ExportSnapshot, DescribeSnapshotOperation).
 */
import type { KinesisAnalyticsV2Client } from '@aws-sdk/client-kinesis-analytics-v2';
import type {
  LiveApplication,
  S3Prefix,
  SnapshotInfo,
  SnapshotOperationInfo,
} from '../../model/application.js';
import { awsErrorName, translateAwsError } from './aws-errors.js';
import {
  CreateSnapshotCommand,
  DeleteSnapshotCommand,
  DescribeSnapshotCommand,
  DescribeSnapshotOperationCommand,
  ExportSnapshotCommand,
  ImportSnapshotCommand,
  ListSnapshotsCommand,
  send,
  type SnapshotInfo as WireSnapshotInfo,
  type SnapshotInfoDetails,
} from './enhanced-snapshots/index.js';
import { toEnhancedSnapshot, toS3PrefixLocation, toSnapshotOperation } from './snapshot-mapping.js';

async function call<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw translateAwsError(error, what);
  }
}

const sameSecond = (a: number, b: number) => Math.floor(a / 1000) === Math.floor(b / 1000);

export class EnhancedSnapshotCalls {
  /** DescribeSnapshot answers by ARN and creation time: what never changes (source, version, runtime). */
  private readonly details = new Map<string, SnapshotInfoDetails>();

  constructor(private readonly client: KinesisAnalyticsV2Client) {}

  /** ListSnapshots, every page, newest first; optionally the snapshots taken of one application name. */
  list(sourceApplication?: string): Promise<WireSnapshotInfo[]> {
    return call(`ListSnapshots${sourceApplication ? ` of ${sourceApplication}` : ''}`, async () => {
      const out: WireSnapshotInfo[] = [];
      let token: string | undefined;
      do {
        const page = await send(
          this.client,
          new ListSnapshotsCommand({
            ...(sourceApplication ? { SourceApplicationName: sourceApplication } : {}),
            Limit: 50,
            ...(token ? { NextToken: token } : {}),
          }),
        );
        out.push(...(page.SnapshotInfoList ?? []));
        token = page.NextToken;
      } while (token);
      return out.sort(
        (a, b) => b.SnapshotCreationTimestamp.getTime() - a.SnapshotCreationTimestamp.getTime(),
      );
    });
  }

  /** The account's enhanced snapshots (as listed: no version or runtime, which only DescribeSnapshot says). */
  async listAll(): Promise<SnapshotInfo[]> {
    return (await this.list()).map((s) => toEnhancedSnapshot(s));
  }

  /** DescribeSnapshot; undefined when there is no snapshot of that name. */
  async describe(name: string): Promise<SnapshotInfo | undefined> {
    const details = await this.describeDetails(name);
    return details ? toEnhancedSnapshot(details, details) : undefined;
  }

  private async describeDetails(name: string): Promise<SnapshotInfoDetails | undefined> {
    try {
      const out = await send(this.client, new DescribeSnapshotCommand({ SnapshotName: name }));
      return out.SnapshotInfoDetails;
    } catch (error) {
      if (awsErrorName(error) === 'ResourceNotFoundException') return undefined;
      throw translateAwsError(error, `DescribeSnapshot ${name}`);
    }
  }

  /**
   * The enhanced snapshots taken of this application — not of an earlier application of the same name, whose
   * snapshots outlived it (told apart by the source application's creation time).
   */
  async ofApplication(live: LiveApplication): Promise<SnapshotInfo[]> {
    const out: SnapshotInfo[] = [];
    for (const summary of await this.list(live.name)) {
      const key = `${summary.SnapshotArn}@${summary.SnapshotCreationTimestamp.getTime()}`;
      let details = this.details.get(key);
      if (!details) {
        details = await this.describeDetails(summary.SnapshotName);
        if (!details) continue; // deleted meanwhile
        this.details.set(key, details);
      }
      const created =
        details.SnapshotSourceDescription?.SourceApplicationDescription?.ApplicationCreationTimestamp;
      if (created && !sameSecond(created.getTime(), live.createdAt)) continue;
      out.push(toEnhancedSnapshot(summary, details));
    }
    return out;
  }

  create(application: string, name: string): Promise<void> {
    return call(`CreateSnapshot ${name}`, async () => {
      await send(
        this.client,
        new CreateSnapshotCommand({ ApplicationName: application, SnapshotName: name }),
      );
    });
  }

  delete(name: string, createdAt: number): Promise<void> {
    return call(`DeleteSnapshot ${name}`, async () => {
      await send(
        this.client,
        new DeleteSnapshotCommand({ SnapshotName: name, SnapshotCreationTimestamp: new Date(createdAt) }),
      );
    });
  }

  import(name: string, from: S3Prefix, role: string): Promise<{ operationId: string; arn: string }> {
    return call(`ImportSnapshot ${name}`, async () => {
      const out = await send(
        this.client,
        new ImportSnapshotCommand({
          SnapshotName: name,
          ImportSourceConfiguration: {
            SourceType: 'S3',
            ImportRoleArn: role,
            SourceS3PrefixLocation: toS3PrefixLocation(from),
          },
        }),
      );
      return { operationId: out.SnapshotOperationId, arn: out.SnapshotArn };
    });
  }

  /** Starts ExportSnapshot; the operation says when the savepoint is there (and where: ExportedPrefix). */
  export(name: string, to: S3Prefix, role: string): Promise<{ operationId: string }> {
    return call(`ExportSnapshot ${name}`, async () => {
      const out = await send(
        this.client,
        new ExportSnapshotCommand({
          SnapshotName: name,
          ExportDestinationConfiguration: {
            DestinationType: 'S3',
            ExportRoleArn: role,
            DestinationS3PrefixLocation: toS3PrefixLocation(to),
          },
        }),
      );
      return { operationId: out.SnapshotOperationId };
    });
  }

  describeOperation(name: string, operationId: string): Promise<SnapshotOperationInfo> {
    return call(`DescribeSnapshotOperation ${operationId} of ${name}`, async () => {
      const out = await send(
        this.client,
        new DescribeSnapshotOperationCommand({ SnapshotName: name, SnapshotOperationId: operationId }),
      );
      return toSnapshotOperation(out.SnapshotOperationInfoDetails);
    });
  }
}
