/**
 * msf-local with real Flink, in-process, driven through the AWS SDK only: what the health recordings, the
 * bake-watch integration test and bench/recovery share. Raw SDK calls on purpose (msfctl's own gateway is
 * another engineer's and still moving); every wait polls the service, never sleeps a fixed time.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import {
  CreateStreamCommand,
  DeleteStreamCommand,
  DescribeStreamSummaryCommand,
  KinesisClient,
} from '@aws-sdk/client-kinesis';
import {
  CreateApplicationCommand,
  DescribeApplicationCommand,
  DescribeApplicationOperationCommand,
  KinesisAnalyticsV2Client,
  StartApplicationCommand,
  StopApplicationCommand,
  UpdateApplicationCommand,
  type ApplicationDetail,
  type OperationStatus,
  type PropertyGroup,
  type RuntimeEnvironment,
} from '@aws-sdk/client-kinesis-analytics-v2';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { startMsfLocal, type MsfLocal } from 'msf-local';

export const ROLE = 'arn:aws:iam::000000000000:role/msf-local';
export const BUCKET = 'health-jobs';
const CREDENTIALS = { accessKeyId: 'msf-local', secretAccessKey: 'msf-local' };

export interface LocalMsf {
  server: MsfLocal;
  url: string;
  msf: KinesisAnalyticsV2Client;
  cloudwatch: CloudWatchClient;
  s3: S3Client;
  kinesis: KinesisClient;
  close(): Promise<void>;
}

export interface LocalMsfOptions {
  /** Flink's fixed restart delay (MSF uses 10 s). */
  restartDelayMs: number;
  /** How often msf-local publishes each running application's metrics. */
  metricsIntervalMs: number;
  /** Start kinesis-local (needed by stock-prices). */
  kinesis?: boolean;
  log?: (message: string) => void;
}

export async function startLocalMsf(options: LocalMsfOptions): Promise<LocalMsf> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'msfctl-health-'));
  const server = await startMsfLocal({
    dataDir,
    port: 0,
    kinesis: options.kinesis ?? false,
    flink: { restartDelayMs: options.restartDelayMs },
    metricsIntervalMs: options.metricsIntervalMs,
    log: options.log ?? (() => undefined),
  });
  const common = { endpoint: server.url, region: 'us-east-1', credentials: CREDENTIALS };
  const local: LocalMsf = {
    server,
    url: server.url,
    msf: new KinesisAnalyticsV2Client(common),
    cloudwatch: new CloudWatchClient(common),
    s3: new S3Client({ ...common, forcePathStyle: true }),
    kinesis: new KinesisClient({ ...common, requestHandler: new NodeHttpHandler() }),
    async close() {
      for (const client of [local.msf, local.cloudwatch, local.s3, local.kinesis]) client.destroy();
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  try {
    await local.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  } catch (error) {
    await local.close();
    throw error;
  }
  return local;
}

export async function uploadJar(local: LocalMsf, key: string, file: string): Promise<void> {
  await local.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: await readFile(file) }));
}

export function propertyGroups(groups: Record<string, Record<string, string>>): PropertyGroup[] {
  return Object.entries(groups).map(([PropertyGroupId, PropertyMap]) => ({ PropertyGroupId, PropertyMap }));
}

export async function createApplication(
  local: LocalMsf,
  name: string,
  options: {
    jarKey: string;
    runtime?: RuntimeEnvironment;
    properties: Record<string, Record<string, string>>;
    systemRollback?: boolean;
  },
): Promise<void> {
  await local.msf.send(
    new CreateApplicationCommand({
      ApplicationName: name,
      RuntimeEnvironment: options.runtime ?? 'FLINK-1_19',
      ServiceExecutionRole: ROLE,
      ApplicationConfiguration: {
        ApplicationCodeConfiguration: {
          CodeContentType: 'ZIPFILE',
          CodeContent: {
            S3ContentLocation: { BucketARN: `arn:aws:s3:::${BUCKET}`, FileKey: options.jarKey },
          },
        },
        EnvironmentProperties: { PropertyGroups: propertyGroups(options.properties) },
        ApplicationSnapshotConfiguration: { SnapshotsEnabled: true },
        ApplicationSystemRollbackConfiguration: { RollbackEnabled: options.systemRollback ?? false },
      },
    }),
  );
}

export async function describeApplication(local: LocalMsf, name: string): Promise<ApplicationDetail> {
  return (await local.msf.send(new DescribeApplicationCommand({ ApplicationName: name }))).ApplicationDetail!;
}

export interface OperationOutcome {
  id: string;
  status: OperationStatus;
  error?: string;
  /** When the call was sent and when the operation was seen finished (epoch ms). */
  sentAt: number;
  endedAt: number;
}

/** Polls DescribeApplicationOperation until the operation leaves IN_PROGRESS. */
export async function waitForOperation(
  local: LocalMsf,
  name: string,
  id: string,
  sentAt: number,
  timeoutMs = 300_000,
): Promise<OperationOutcome> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const details = (
      await local.msf.send(
        new DescribeApplicationOperationCommand({ ApplicationName: name, OperationId: id }),
      )
    ).ApplicationOperationInfoDetails!;
    if (details.OperationStatus !== 'IN_PROGRESS') {
      const error = details.OperationFailureDetails?.ErrorInfo?.ErrorString;
      return {
        id,
        status: details.OperationStatus!,
        ...(error ? { error } : {}),
        sentAt,
        endedAt: Date.now(),
      };
    }
    if (Date.now() > deadline)
      throw new Error(`operation ${id} of ${name} still IN_PROGRESS after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function startApplication(
  local: LocalMsf,
  name: string,
  snapshot?: string,
): Promise<OperationOutcome> {
  const sentAt = Date.now();
  const { OperationId } = await local.msf.send(
    new StartApplicationCommand({
      ApplicationName: name,
      RunConfiguration: {
        ApplicationRestoreConfiguration: snapshot
          ? { ApplicationRestoreType: 'RESTORE_FROM_CUSTOM_SNAPSHOT', SnapshotName: snapshot }
          : { ApplicationRestoreType: 'RESTORE_FROM_LATEST_SNAPSHOT' },
      },
    }),
  );
  return waitForOperation(local, name, OperationId!, sentAt);
}

/** UpdateApplication of a RUNNING application's property groups (the job restarts with a snapshot). */
export async function updateProperties(
  local: LocalMsf,
  name: string,
  properties: Record<string, Record<string, string>>,
): Promise<OperationOutcome> {
  const app = await describeApplication(local, name);
  const sentAt = Date.now();
  const { OperationId } = await local.msf.send(
    new UpdateApplicationCommand({
      ApplicationName: name,
      CurrentApplicationVersionId: app.ApplicationVersionId,
      ApplicationConfigurationUpdate: {
        EnvironmentPropertyUpdates: { PropertyGroups: propertyGroups(properties) },
      },
    }),
  );
  return waitForOperation(local, name, OperationId!, sentAt);
}

export async function forceStop(local: LocalMsf, name: string): Promise<OperationOutcome> {
  const sentAt = Date.now();
  const { OperationId } = await local.msf.send(
    new StopApplicationCommand({ ApplicationName: name, Force: true }),
  );
  return waitForOperation(local, name, OperationId!, sentAt);
}

/** Creates a Kinesis stream on msf-local's kinesis-local and waits until it is ACTIVE. */
export async function createStream(local: LocalMsf, stream: string): Promise<void> {
  await local.kinesis.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 1 }));
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { StreamDescriptionSummary } = await local.kinesis.send(
      new DescribeStreamSummaryCommand({ StreamName: stream }),
    );
    if (StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
    if (Date.now() > deadline) throw new Error(`stream ${stream} not ACTIVE after 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function deleteStream(local: LocalMsf, stream: string): Promise<void> {
  await local.kinesis.send(new DeleteStreamCommand({ StreamName: stream, EnforceConsumerDeletion: true }));
}

/** Property groups of the stock-prices sample (the seed's, pointed at `stream`). */
export function stockPricesProperties(stream: string): Record<string, Record<string, string>> {
  return { OutputStream0: { 'stream.name': stream, 'aws.region': 'us-east-1' } };
}

/** Property groups of the msf-local test jobs. */
export function testJobProperties(outputFile: string): Record<string, Record<string, string>> {
  return { TestJob: { outputFile } };
}
