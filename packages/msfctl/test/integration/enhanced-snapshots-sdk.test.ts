/**
 * msfctl's extension of the AWS SDK (src/adapters/aws/enhanced-snapshots/) against a real msf-local: every command
 * serialises its request and parses its answer with the SDK's own protocol (timestamps as Dates, the new
 * members of existing shapes kept), and errors arrive as the SDK's modeled exception classes. msf-local runs
 * no jobs here, so snapshots come from imports; snapshots of running jobs are in msf-local's Flink tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  InvalidArgumentException,
  KinesisAnalyticsV2Client,
  ResourceInUseException,
  ResourceNotFoundException,
} from '@aws-sdk/client-kinesis-analytics-v2';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startMsfLocal, type MsfLocal } from 'msf-local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateApplicationCommand,
  CreateSnapshotCommand,
  DeleteSnapshotCommand,
  DescribeApplicationCommand,
  DescribeSnapshotCommand,
  DescribeSnapshotOperationCommand,
  ExportSnapshotCommand,
  ImportSnapshotCommand,
  ListSnapshotOperationsCommand,
  ListSnapshotsCommand,
  send,
  StartApplicationCommand,
  UpdateApplicationCommand,
} from '../../src/adapters/aws/enhanced-snapshots/index.js';

const ROLE = 'arn:aws:iam::000000000000:role/transfer';
let server: MsfLocal;
let work: string;
let msf: KinesisAnalyticsV2Client;

/** Flink's checkpoint-metadata header (magic number, version) and a body: what an import checks for. */
function metadata(): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(0x4960672d, 0);
  header.writeInt32BE(4, 4);
  return Buffer.concat([header, Buffer.from('savepoint')]);
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'msfctl-enhanced-'));
  server = await startMsfLocal({
    dataDir: path.join(work, 'msf-local'),
    port: 0,
    runtime: null,
    kinesis: false,
    log: () => undefined,
  });
  const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
  msf = new KinesisAnalyticsV2Client({ endpoint: server.url, region: 'us-east-1', credentials });
  const s3 = new S3Client({ endpoint: server.url, region: 'us-east-1', forcePathStyle: true, credentials });
  for (const Bucket of ['savepoints', 'code']) await s3.send(new CreateBucketCommand({ Bucket }));
  await s3.send(new PutObjectCommand({ Bucket: 'savepoints', Key: 'sp/_metadata', Body: metadata() }));
  await s3.send(new PutObjectCommand({ Bucket: 'savepoints', Key: 'sp/state/0', Body: 'state' }));
  await s3.send(new PutObjectCommand({ Bucket: 'code', Key: 'app.jar', Body: 'jar' }));
  s3.destroy();
});
afterAll(async () => {
  msf?.destroy();
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('timed out');
}

describe('the enhanced-snapshot commands', () => {
  let arn: string;
  let createdAt: Date;

  it('ImportSnapshot, DescribeSnapshot, ListSnapshots and the operation log', async () => {
    const started = await send(
      msf,
      new ImportSnapshotCommand({
        SnapshotName: 'imported',
        ImportSourceConfiguration: {
          SourceType: 'S3',
          ImportRoleArn: ROLE,
          SourceS3PrefixLocation: { BucketARN: 'arn:aws:s3:::savepoints', KeyPrefix: 'sp/' },
        },
        SnapshotDescription: 'from S3',
        Tags: [{ Key: 'k', Value: 'v' }],
      }),
    );
    expect(started).toMatchObject({
      SnapshotArn: 'arn:aws:kinesisanalytics:us-east-1:000000000000:snapshot/imported',
      SnapshotStatus: 'CREATING',
      SnapshotOperationStatus: 'IN_PROGRESS',
    });
    arn = started.SnapshotArn;
    const details = await until(
      async () =>
        (await send(msf, new DescribeSnapshotCommand({ SnapshotName: 'imported' }))).SnapshotInfoDetails,
      (d) => d.SnapshotStatus !== 'CREATING',
    );
    expect(details).toMatchObject({
      SnapshotStatus: 'READY',
      SnapshotDescription: 'from S3',
      SnapshotInitiator: 'USER',
      SnapshotInitiatorOperation: 'ImportSnapshot',
      SnapshotSizeInBytes: metadata().length + 5,
      SnapshotEncryptionConfigurationDescription: { KeyType: 'AWS_OWNED_KEY' },
      SnapshotSourceDescription: {
        S3PrefixLocation: { BucketARN: 'arn:aws:s3:::savepoints', KeyPrefix: 'sp/' },
      },
      SnapshotFormat: 'CANONICAL',
    });
    expect(details.SnapshotCreationTimestamp).toBeInstanceOf(Date);
    createdAt = details.SnapshotCreationTimestamp;

    const listed = await send(
      msf,
      new ListSnapshotsCommand({ SnapshotInitiatorOperation: 'ImportSnapshot' }),
    );
    expect(listed.SnapshotInfoList.map((s) => s.SnapshotName)).toEqual(['imported']);
    const { SnapshotOperationInfoList } = await send(
      msf,
      new ListSnapshotOperationsCommand({ SnapshotName: 'imported' }),
    );
    expect(SnapshotOperationInfoList).toEqual([
      expect.objectContaining({
        SnapshotOperationId: started.SnapshotOperationId,
        SnapshotOperation: 'ImportSnapshot',
        SnapshotOperationStatus: 'SUCCESSFUL',
        StartTime: expect.any(Date),
        EndTime: expect.any(Date),
      }),
    ]);
    const { SnapshotOperationInfoDetails } = await send(
      msf,
      new DescribeSnapshotOperationCommand({
        SnapshotName: 'imported',
        SnapshotOperationId: started.SnapshotOperationId,
      }),
    );
    expect(SnapshotOperationInfoDetails).toMatchObject({
      SnapshotArn: arn,
      SnapshotSourceLocationDescription: {
        LocationType: 'S3',
        S3PrefixLocation: { BucketARN: 'arn:aws:s3:::savepoints', KeyPrefix: 'sp/' },
      },
      SourceEncryptionConfigurationDescription: { KeyType: 'AWS_OWNED_KEY' },
    });
  });

  it('ExportSnapshot, and its ExportedPrefix in DescribeSnapshotOperation', async () => {
    const { SnapshotOperationId } = await send(
      msf,
      new ExportSnapshotCommand({
        SnapshotName: 'imported',
        ExportDestinationConfiguration: {
          DestinationType: 'S3',
          ExportRoleArn: ROLE,
          DestinationS3PrefixLocation: { BucketARN: 'arn:aws:s3:::savepoints', KeyPrefix: 'exported/' },
        },
      }),
    );
    const done = await until(
      async () =>
        (
          await send(
            msf,
            new DescribeSnapshotOperationCommand({ SnapshotName: 'imported', SnapshotOperationId }),
          )
        ).SnapshotOperationInfoDetails,
      (o) => o.SnapshotOperationStatus !== 'IN_PROGRESS',
    );
    expect(done.SnapshotDestinationLocationDescription?.S3PrefixLocation.ExportedPrefix).toBe(
      `exported/${SnapshotOperationId}/`,
    );
  });

  it('CreateApplication, StartApplication and DescribeApplication carry SnapshotMode and SnapshotArn', async () => {
    const created = await send(
      msf,
      new CreateApplicationCommand({
        ApplicationName: 'enhanced',
        RuntimeEnvironment: 'FLINK-1_20',
        ServiceExecutionRole: 'arn:aws:iam::000000000000:role/app',
        ApplicationConfiguration: {
          ApplicationCodeConfiguration: {
            CodeContentType: 'ZIPFILE',
            CodeContent: { S3ContentLocation: { BucketARN: 'arn:aws:s3:::code', FileKey: 'app.jar' } },
          },
          ApplicationSnapshotConfiguration: { SnapshotsEnabled: true, SnapshotMode: 'ENHANCED_SNAPSHOTS' },
        },
      }),
    );
    expect(
      created.ApplicationDetail.ApplicationConfigurationDescription
        ?.ApplicationSnapshotConfigurationDescription,
    ).toEqual({ SnapshotsEnabled: true, SnapshotMode: 'ENHANCED_SNAPSHOTS' });
    await send(
      msf,
      new StartApplicationCommand({
        ApplicationName: 'enhanced',
        RunConfiguration: {
          ApplicationRestoreConfiguration: {
            ApplicationRestoreType: 'RESTORE_FROM_CUSTOM_SNAPSHOT',
            SnapshotArn: arn,
          },
        },
      }),
    );
    // msf-local runs no jobs here: the start fails, but the restore configuration was received as sent.
    const detail = await until(
      async () =>
        (await send(msf, new DescribeApplicationCommand({ ApplicationName: 'enhanced' }))).ApplicationDetail,
      (d) => d.ApplicationStatus === 'READY',
    );
    expect(
      detail.ApplicationConfigurationDescription?.RunConfigurationDescription
        ?.ApplicationRestoreConfigurationDescription,
    ).toEqual({ ApplicationRestoreType: 'RESTORE_FROM_CUSTOM_SNAPSHOT', SnapshotArn: arn });

    const back = send(
      msf,
      new UpdateApplicationCommand({
        ApplicationName: 'enhanced',
        CurrentApplicationVersionId: detail.ApplicationVersionId,
        ApplicationConfigurationUpdate: {
          ApplicationSnapshotConfigurationUpdate: {
            SnapshotsEnabledUpdate: true,
            SnapshotModeUpdate: 'APPLICATION_SNAPSHOTS_LEGACY',
          },
        },
      }),
    );
    await expect(back).rejects.toBeInstanceOf(InvalidArgumentException);
    await expect(back).rejects.toThrow(/one-way/);
  });

  it("errors are the SDK's modeled exceptions; DeleteSnapshot takes the creation time as a Date", async () => {
    await expect(
      send(msf, new CreateSnapshotCommand({ ApplicationName: 'enhanced', SnapshotName: 'x' })),
    ).rejects.toBeInstanceOf(ResourceInUseException);
    await expect(send(msf, new DescribeSnapshotCommand({ SnapshotName: 'nothing' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    const deleting = await send(
      msf,
      new DeleteSnapshotCommand({ SnapshotName: 'imported', SnapshotCreationTimestamp: createdAt }),
    );
    expect(deleting).toMatchObject({ SnapshotStatus: 'DELETING', SnapshotOperationStatus: 'IN_PROGRESS' });
    await until(
      () =>
        send(msf, new DescribeSnapshotCommand({ SnapshotName: 'imported' })).then(
          () => false,
          (error: Error) => error instanceof ResourceNotFoundException,
        ),
      (gone) => gone,
    );
  });
});
