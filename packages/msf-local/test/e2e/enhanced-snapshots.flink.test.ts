/**
 * Enhanced snapshots on real Flink 1.20, driven by real boto3 (pinned, with the newest service model) against
 * msf-local: the eight operations and their errors, a second application starting from the first one's
 * snapshot ARN with its keyed state, an export that Flink itself restores, imports (good and bad), SYSTEM
 * snapshots on stop, snapshots outliving their application, and the legacy-mode and pre-1.20 refusals.
 * The tests run in order and share one msf-local and its applications (each application is one Flink JVM).
 * (Long: the tests share one msf-local and its Flink clusters, so they live in one file.)
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlinkJobRuntime } from '../../src/flink/index.js';
import {
  countFilePath,
  readCountFile,
  scratchDir,
  testJobLaunch,
  waitForCount,
} from '../fixtures/flink-launch.js';
import { buildTestJobs, type TestJobJars } from '../fixtures/test-jobs.js';
import { Boto3 } from '../support/boto3.js';
import { startHarness, TEST_ROLE, waitFor, type Harness } from '../support/msf-local-harness.js';

const TRANSFER_ROLE = 'arn:aws:iam::000000000000:role/snapshot-transfer';
const CUSTOM = 'RESTORE_FROM_CUSTOM_SNAPSHOT';

let h: Harness;
let boto: Boto3;
let jobs: TestJobJars;
let root: string;

beforeAll(async () => {
  jobs = await buildTestJobs();
  root = await scratchDir('enhanced-snapshots');
  h = await startHarness({ flink: { restartDelayMs: 1000 }, metricsIntervalMs: 60_000 });
  boto = Boto3.start(h.server.url);
  for (const bucket of ['jobs', 'exports']) await h.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await h.s3.send(
    new PutObjectCommand({ Bucket: 'jobs', Key: 'counter.jar', Body: await readFile(jobs.counter) }),
  );
});
afterAll(async () => {
  await boto?.close();
  await h?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

const countFile = (app: string) => path.join(root, `${app}.json`);

async function create(app: string, runtime = 'FLINK-1_20', mode = 'ENHANCED_SNAPSHOTS') {
  return boto.call('create_application', {
    ApplicationName: app,
    RuntimeEnvironment: runtime,
    ServiceExecutionRole: TEST_ROLE,
    ApplicationConfiguration: {
      ApplicationCodeConfiguration: {
        CodeContentType: 'ZIPFILE',
        CodeContent: { S3ContentLocation: { BucketARN: 'arn:aws:s3:::jobs', FileKey: 'counter.jar' } },
      },
      EnvironmentProperties: {
        PropertyGroups: [{ PropertyGroupId: 'TestJob', PropertyMap: { outputFile: countFile(app) } }],
      },
      ApplicationSnapshotConfiguration: { SnapshotsEnabled: true, SnapshotMode: mode },
    },
  });
}

const waitApplicationOperation = (app: string, OperationId: string) =>
  waitFor(
    async () =>
      (await boto.call('describe_application_operation', { ApplicationName: app, OperationId }))
        .ApplicationOperationInfoDetails,
    (o) => o.OperationStatus !== 'IN_PROGRESS',
    240_000,
  );

/** Starts `app` (a fresh count file) and waits for the operation; `arn` restores that enhanced snapshot. */
async function start(app: string, arn?: string) {
  await rm(countFile(app), { force: true });
  const { OperationId } = await boto.call('start_application', {
    ApplicationName: app,
    ...(arn
      ? {
          RunConfiguration: {
            ApplicationRestoreConfiguration: { ApplicationRestoreType: CUSTOM, SnapshotArn: arn },
          },
        }
      : {}),
  });
  return waitApplicationOperation(app, OperationId);
}

async function stop(app: string, force = false) {
  const { OperationId } = await boto.call('stop_application', { ApplicationName: app, Force: force });
  return { OperationId, operation: await waitApplicationOperation(app, OperationId) };
}

const describeSnapshot = async (name: string) =>
  (await boto.call('describe_snapshot', { SnapshotName: name })).SnapshotInfoDetails;

const waitSnapshot = (name: string) =>
  waitFor(
    () => describeSnapshot(name),
    (s) => s.SnapshotStatus !== 'CREATING',
    240_000,
  );

const waitSnapshotOperation = (name: string, id: string) =>
  waitFor(
    async () =>
      (await boto.call('describe_snapshot_operation', { SnapshotName: name, SnapshotOperationId: id }))
        .SnapshotOperationInfoDetails,
    (o) => o.SnapshotOperationStatus !== 'IN_PROGRESS',
    120_000,
  );

function exportTo(name: string, keyPrefix: string, bucket = 'exports', extra: object = {}) {
  return {
    SnapshotName: name,
    ExportDestinationConfiguration: {
      DestinationType: 'S3',
      ExportRoleArn: TRANSFER_ROLE,
      DestinationS3PrefixLocation: { BucketARN: `arn:aws:s3:::${bucket}`, KeyPrefix: keyPrefix },
      ...extra,
    },
  };
}

function importFrom(name: string, keyPrefix: string, extra: object = {}) {
  return {
    SnapshotName: name,
    ImportSourceConfiguration: {
      SourceType: 'S3',
      ImportRoleArn: TRANSFER_ROLE,
      SourceS3PrefixLocation: { BucketARN: 'arn:aws:s3:::exports', KeyPrefix: keyPrefix },
    },
    ...extra,
  };
}

async function listObjects(prefix: string): Promise<{ Key: string; Size: number }[]> {
  return (await boto.call('list_objects_v2', { Bucket: 'exports', Prefix: prefix }, 's3')).Contents ?? [];
}

describe('enhanced snapshots on Flink 1.20 through boto3', () => {
  // The counter's state is its count: a snapshot holds a count between these two readings.
  let snapA: { arn: string; countBefore: number; countAfter: number; size: number };
  let exportedPrefix: string;
  let imported: { arn: string };
  let system: { arn: string; lastCount: number };

  it('CreateSnapshot takes a real savepoint of a running enhanced-mode application', async () => {
    const created = await create('source');
    expect(
      created.ApplicationDetail.ApplicationConfigurationDescription
        .ApplicationSnapshotConfigurationDescription,
    ).toEqual({ SnapshotsEnabled: true, SnapshotMode: 'ENHANCED_SNAPSHOTS' });
    expect((await start('source')).OperationStatus).toBe('SUCCESSFUL');
    await waitForCount(countFile('source'), 20);

    const countBefore = (await readCountFile(countFile('source')))!.count;
    const answer = await boto.call('create_snapshot', {
      ApplicationName: 'source',
      SnapshotName: 'snap-a',
      SnapshotDescription: 'before the promotion',
      Tags: [{ Key: 'team', Value: 'flink' }],
    });
    expect(answer).toEqual({
      SnapshotArn: 'arn:aws:kinesisanalytics:us-east-1:000000000000:snapshot/snap-a',
      SnapshotStatus: 'CREATING',
      SnapshotOperationId: expect.stringMatching(/^[A-Za-z0-9]{12}$/),
      SnapshotOperationStatus: 'IN_PROGRESS',
    });
    const details = await waitSnapshot('snap-a');
    const countAfter = (await readCountFile(countFile('source')))!.count;
    expect(details).toMatchObject({
      SnapshotName: 'snap-a',
      SnapshotArn: answer.SnapshotArn,
      SnapshotDescription: 'before the promotion',
      SnapshotStatus: 'READY',
      RuntimeEnvironment: 'FLINK-1_20',
      SnapshotEncryptionConfigurationDescription: { KeyType: 'AWS_OWNED_KEY' },
      SnapshotInitiator: 'USER',
      SnapshotInitiatorOperation: 'CreateSnapshot',
      SnapshotSourceDescription: {
        SourceApplicationDescription: {
          ApplicationName: 'source',
          ApplicationCreationTimestamp: created.ApplicationDetail.CreateTimestamp,
          ApplicationVersionId: 1,
        },
      },
      SnapshotFormat: 'CANONICAL',
    });
    expect(details.SnapshotSizeInBytes).toBeGreaterThan(0);
    snapA = { arn: answer.SnapshotArn, countBefore, countAfter, size: details.SnapshotSizeInBytes };

    const { SnapshotOperationInfoList } = await boto.call('list_snapshot_operations', {
      SnapshotName: 'snap-a',
    });
    expect(SnapshotOperationInfoList).toEqual([
      expect.objectContaining({
        SnapshotOperationId: answer.SnapshotOperationId,
        SnapshotOperation: 'CreateSnapshot',
        SnapshotOperationStatus: 'SUCCESSFUL',
      }),
    ]);
    const operation = await waitSnapshotOperation('snap-a', answer.SnapshotOperationId);
    expect(operation.SnapshotArn).toBe(answer.SnapshotArn);
    expect(operation.EndTime).toBeGreaterThanOrEqual(operation.StartTime);
  });

  it('CreateSnapshot refuses reserved and taken names, too many tags, legacy mode and runtimes before 1.20', async () => {
    const error = (params: object, options?: { validate?: boolean }) =>
      boto.error('create_snapshot', { ApplicationName: 'source', ...params }, options);
    expect(await error({ SnapshotName: 'snap-a' })).toMatchObject({
      code: 'ResourceInUseException',
      status: 400,
      exception: 'ResourceInUseException',
    });
    for (const reserved of ['SYSTEMSNAPSHOT-mine', 'systemSnapshot-mine']) {
      expect(await error({ SnapshotName: reserved })).toMatchObject({ code: 'InvalidArgumentException' });
    }
    const tags = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    expect(await error({ SnapshotName: 'many-tags', Tags: tags })).toMatchObject({
      code: 'TooManyTagsException',
    });
    const tooLong = await error({ SnapshotName: 'x'.repeat(101) }, { validate: false });
    expect(tooLong.code).toBe('ValidationException');
    expect(tooLong.message).toContain('Member must have length less than or equal to 100');
    expect(
      await boto.error('create_snapshot', { ApplicationName: 'nobody', SnapshotName: 's' }),
    ).toMatchObject({
      code: 'ResourceNotFoundException',
    });

    await create('legacy-120', 'FLINK-1_20', 'APPLICATION_SNAPSHOTS_LEGACY');
    await create('legacy-119', 'FLINK-1_19', 'APPLICATION_SNAPSHOTS_LEGACY');
    const legacy = await boto.error('create_snapshot', { ApplicationName: 'legacy-120', SnapshotName: 's' });
    expect(legacy).toMatchObject({ code: 'UnsupportedOperationException' });
    expect(legacy.message).toContain('ENHANCED_SNAPSHOTS');
    expect(
      await boto.error('create_snapshot', { ApplicationName: 'legacy-119', SnapshotName: 's' }),
    ).toMatchObject({
      code: 'InvalidApplicationConfigurationException',
    });
    const enhanced119 = await boto.error('create_application', {
      ApplicationName: 'enhanced-119',
      RuntimeEnvironment: 'FLINK-1_19',
      ServiceExecutionRole: TEST_ROLE,
      ApplicationConfiguration: {
        ApplicationSnapshotConfiguration: { SnapshotsEnabled: true, SnapshotMode: 'ENHANCED_SNAPSHOTS' },
      },
    });
    expect(enhanced119).toMatchObject({ code: 'InvalidArgumentException' });
    const legacyArn = await boto.error('start_application', {
      ApplicationName: 'legacy-120',
      RunConfiguration: {
        ApplicationRestoreConfiguration: { ApplicationRestoreType: CUSTOM, SnapshotArn: snapA.arn },
      },
    });
    expect(legacyArn).toMatchObject({ code: 'InvalidArgumentException' });
    const { ConditionalToken } = (await boto.call('describe_application', { ApplicationName: 'source' }))
      .ApplicationDetail;
    const oneWay = await boto.error('update_application', {
      ApplicationName: 'source',
      ConditionalToken,
      ApplicationConfigurationUpdate: {
        ApplicationSnapshotConfigurationUpdate: {
          SnapshotsEnabledUpdate: true,
          SnapshotModeUpdate: 'APPLICATION_SNAPSHOTS_LEGACY',
        },
      },
    });
    expect(oneWay).toMatchObject({ code: 'InvalidArgumentException' });
  });

  it('Describe, List and the operation log answer with one filter at a time, newest first, and typed errors', async () => {
    expect(await boto.error('describe_snapshot', { SnapshotName: 'nothing' })).toMatchObject({
      code: 'ResourceNotFoundException',
    });
    const all = (await boto.call('list_snapshots')).SnapshotInfoList;
    expect(all).toEqual([
      {
        SnapshotName: 'snap-a',
        SnapshotArn: snapA.arn,
        SnapshotStatus: 'READY',
        SnapshotCreationTimestamp: expect.any(Number),
        SnapshotInitiator: 'USER',
        SnapshotInitiatorOperation: 'CreateSnapshot',
        SourceApplicationName: 'source',
        SnapshotFormat: 'CANONICAL',
      },
    ]);
    expect((await boto.call('list_snapshots', { SnapshotInitiator: 'SYSTEM' })).SnapshotInfoList).toEqual([]);
    expect(
      await boto.error('list_snapshots', { SnapshotInitiator: 'USER', SnapshotStatus: 'READY' }),
    ).toMatchObject({ code: 'InvalidArgumentException' });
    expect(await boto.error('list_snapshots', { Limit: 0 }, { validate: false })).toMatchObject({
      code: 'ValidationException',
    });
    expect(
      await boto.error('list_snapshot_operations', {
        SnapshotName: 'snap-a',
        SnapshotOperation: 'CreateSnapshot',
        SnapshotOperationStatus: 'SUCCESSFUL',
      }),
    ).toMatchObject({ code: 'InvalidArgumentException' });
    expect(await boto.error('list_snapshot_operations', { SnapshotName: 'nothing' })).toMatchObject({
      code: 'ResourceNotFoundException',
    });
    expect(
      await boto.error('describe_snapshot_operation', {
        SnapshotName: 'snap-a',
        SnapshotOperationId: 'AAAAAAAAAAAA',
      }),
    ).toMatchObject({ code: 'ResourceNotFoundException' });

    // Snapshot ARNs take tags.
    expect((await boto.call('list_tags_for_resource', { ResourceARN: snapA.arn })).Tags).toEqual([
      { Key: 'team', Value: 'flink' },
    ]);
    await boto.call('tag_resource', { ResourceARN: snapA.arn, Tags: [{ Key: 'stage', Value: 'prod' }] });
    await boto.call('untag_resource', { ResourceARN: snapA.arn, TagKeys: ['team'] });
    expect((await boto.call('list_tags_for_resource', { ResourceARN: snapA.arn })).Tags).toEqual([
      { Key: 'stage', Value: 'prod' },
    ]);
    expect(
      await boto.error('list_tags_for_resource', {
        ResourceARN: `${snapA.arn.replace(/snap-a$/, 'nothing')}`,
      }),
    ).toMatchObject({ code: 'ResourceNotFoundException' });
  });

  it("a second application starts from the first one's snapshot ARN with its keyed state", async () => {
    await create('target');
    expect((await start('target', snapA.arn)).OperationStatus).toBe('SUCCESSFUL');
    const resumed = await waitForCount(countFile('target'), 1);
    expect(resumed.startedFrom).toBeGreaterThanOrEqual(snapA.countBefore + 1);
    expect(resumed.startedFrom).toBeLessThanOrEqual(snapA.countAfter + 1);
    const described = (await boto.call('describe_application', { ApplicationName: 'target' }))
      .ApplicationDetail;
    expect(
      described.ApplicationConfigurationDescription.RunConfigurationDescription
        .ApplicationRestoreConfigurationDescription,
    ).toEqual({ ApplicationRestoreType: CUSTOM, SnapshotArn: snapA.arn });
    expect((await stop('target', true)).operation.OperationStatus).toBe('SUCCESSFUL');
  });

  it('ExportSnapshot writes the savepoint under a unique prefix, and Flink itself restores the export', async () => {
    const { SnapshotOperationId } = await boto.call('export_snapshot', exportTo('snap-a', 'promotion/'));
    const operation = await waitSnapshotOperation('snap-a', SnapshotOperationId);
    exportedPrefix = `promotion/${SnapshotOperationId}/`;
    expect(operation).toMatchObject({
      SnapshotOperation: 'ExportSnapshot',
      SnapshotOperationStatus: 'SUCCESSFUL',
      DestinationEncryptionConfigurationDescription: { KeyType: 'AWS_OWNED_KEY' },
      SnapshotDestinationLocationDescription: {
        LocationType: 'S3',
        S3PrefixLocation: {
          BucketARN: 'arn:aws:s3:::exports',
          KeyPrefix: 'promotion/',
          ExportedPrefix: exportedPrefix,
        },
      },
    });
    const objects = await listObjects(exportedPrefix);
    expect(objects.map((o) => o.Key)).toContain(`${exportedPrefix}_metadata`);
    expect(objects.reduce((sum, o) => sum + o.Size, 0)).toBe(snapA.size);

    // Flink, with no msf-local in between, restores the exported savepoint.
    const local = path.join(root, 'downloaded-savepoint');
    for (const { Key } of objects) {
      const file = path.join(local, ...Key.slice(exportedPrefix.length).split('/'));
      await mkdir(path.dirname(file), { recursive: true });
      const { Body } = await h.s3.send(new GetObjectCommand({ Bucket: 'exports', Key }));
      await writeFile(file, await Body!.transformToByteArray());
    }
    const flink = new FlinkJobRuntime({ clusterReuseGraceMs: 0, restartDelayMs: 1000 });
    try {
      await flink.start(
        testJobLaunch(root, 'raw-flink', jobs.counter, {
          runtimeEnvironment: 'FLINK-1_20',
          restore: { snapshotPath: local, allowNonRestoredState: false },
        }),
      );
      const restored = await waitForCount(countFilePath(root, 'raw-flink'), 1);
      expect(restored.startedFrom).toBeGreaterThanOrEqual(snapA.countBefore + 1);
      expect(restored.startedFrom).toBeLessThanOrEqual(snapA.countAfter + 1);
    } finally {
      await flink.close();
    }
  });

  it('ExportSnapshot refuses what it cannot do, and fails an export to a missing bucket with the reason', async () => {
    expect(await boto.error('export_snapshot', exportTo('nothing', 'x/'))).toMatchObject({
      code: 'ResourceNotFoundException',
    });
    const badRole = exportTo('snap-a', 'x/');
    badRole.ExportDestinationConfiguration.ExportRoleArn = 'arn:aws:iam::000000000000:user/someone';
    expect(await boto.error('export_snapshot', badRole)).toMatchObject({ code: 'InvalidArgumentException' });
    const badType = exportTo('snap-a', 'x/');
    badType.ExportDestinationConfiguration.DestinationType = 'GCS';
    expect(await boto.error('export_snapshot', badType, { validate: false })).toMatchObject({
      code: 'ValidationException',
    });
    expect(await boto.error('export_snapshot', exportTo('snap-a', 'p'.repeat(190)))).toMatchObject({
      code: 'InvalidArgumentException',
    });
    const { SnapshotOperationId } = await boto.call(
      'export_snapshot',
      exportTo('snap-a', 'x/', 'no-such-bucket'),
    );
    const failed = await waitSnapshotOperation('snap-a', SnapshotOperationId);
    expect(failed.SnapshotOperationStatus).toBe('FAILED');
    expect(failed.SnapshotOperationFailureDetails.ErrorInfo).toEqual({
      ErrorCode: 'BucketNotFound',
      ErrorString: 'The bucket no-such-bucket does not exist.',
    });
    expect(failed.SnapshotDestinationLocationDescription.S3PrefixLocation.ExportedPrefix).toBeUndefined();
  });

  it('ImportSnapshot makes a snapshot of an exported savepoint, and fails a prefix that holds none with the reason', async () => {
    const started = await boto.call('import_snapshot', importFrom('imported-a', exportedPrefix));
    expect(started).toMatchObject({ SnapshotStatus: 'CREATING', SnapshotOperationStatus: 'IN_PROGRESS' });
    const details = await waitSnapshot('imported-a');
    expect(details).toMatchObject({
      SnapshotStatus: 'READY',
      SnapshotInitiator: 'USER',
      SnapshotInitiatorOperation: 'ImportSnapshot',
      SnapshotSourceDescription: {
        S3PrefixLocation: { BucketARN: 'arn:aws:s3:::exports', KeyPrefix: exportedPrefix },
      },
      SnapshotSizeInBytes: snapA.size,
    });
    expect(details.RuntimeEnvironment).toBeUndefined();
    const operation = await waitSnapshotOperation('imported-a', started.SnapshotOperationId);
    expect(operation.SnapshotSourceLocationDescription.S3PrefixLocation).toEqual({
      BucketARN: 'arn:aws:s3:::exports',
      KeyPrefix: exportedPrefix,
    });
    imported = { arn: started.SnapshotArn };

    await h.s3.send(
      new PutObjectCommand({ Bucket: 'exports', Key: 'junk/notes.txt', Body: 'not a savepoint' }),
    );
    await h.s3.send(
      new PutObjectCommand({ Bucket: 'exports', Key: 'fake/_metadata', Body: 'hello, not Flink' }),
    );
    for (const [name, prefix, reason] of [
      ['bad-import', 'junk/', /holds no Flink savepoint: there is no _metadata object/],
      ['fake-import', 'fake', /is not Flink savepoint metadata/],
    ] as const) {
      const bad = await boto.call('import_snapshot', importFrom(name, prefix));
      const failed = await waitSnapshotOperation(name, bad.SnapshotOperationId);
      expect(failed.SnapshotOperationStatus).toBe('FAILED');
      expect(failed.SnapshotOperationFailureDetails.ErrorInfo.ErrorCode).toBe('InvalidSavepoint');
      expect(failed.SnapshotOperationFailureDetails.ErrorInfo.ErrorString).toMatch(reason);
      expect((await describeSnapshot(name)).SnapshotStatus).toBe('FAILED');
    }
    // A FAILED snapshot keeps its name until it is deleted.
    expect(await boto.error('import_snapshot', importFrom('bad-import', exportedPrefix))).toMatchObject({
      code: 'ResourceInUseException',
    });
    expect(await boto.error('import_snapshot', importFrom('SYSTEMSNAPSHOT-x', exportedPrefix))).toMatchObject(
      {
        code: 'InvalidArgumentException',
      },
    );
    expect(
      await boto.error(
        'import_snapshot',
        importFrom('kms', exportedPrefix, {
          DestinationEncryptionConfiguration: { KeyType: 'CUSTOMER_MANAGED_KEY' },
        }),
      ),
    ).toMatchObject({ code: 'InvalidArgumentException' });

    // The imported snapshot restores like any other.
    expect((await start('target', imported.arn)).OperationStatus).toBe('SUCCESSFUL');
    const resumed = await waitForCount(countFile('target'), 1);
    expect(resumed.startedFrom).toBeGreaterThanOrEqual(snapA.countBefore + 1);
    expect(resumed.startedFrom).toBeLessThanOrEqual(snapA.countAfter + 1);
    await stop('target', true);
  });

  it('Stop takes a SYSTEM snapshot, the next start continues from it, and snapshots outlive their application', async () => {
    const { OperationId, operation } = await stop('source');
    expect(operation.OperationStatus).toBe('SUCCESSFUL');
    const lastCount = (await readCountFile(countFile('source')))!.count;
    const [info] = (await boto.call('list_snapshots', { SnapshotInitiator: 'SYSTEM' })).SnapshotInfoList;
    expect(info).toMatchObject({
      SnapshotName: expect.stringMatching(/^SYSTEMSNAPSHOT-source-\d{8}T\d{6}Z$/),
      SnapshotStatus: 'READY',
      SnapshotInitiatorOperation: 'SystemCreateSnapshot',
      SourceApplicationName: 'source',
    });
    const [op] = (await boto.call('list_snapshot_operations', { SnapshotName: info.SnapshotName }))
      .SnapshotOperationInfoList;
    const details = await waitSnapshotOperation(info.SnapshotName, op.SnapshotOperationId);
    expect(details).toMatchObject({
      SnapshotOperation: 'SystemCreateSnapshot',
      SnapshotOperationStatus: 'SUCCESSFUL',
      ApplicationOperationDescription: { ApplicationName: 'source', ApplicationOperationId: OperationId },
    });
    system = { arn: info.SnapshotArn, lastCount };

    // RESTORE_FROM_LATEST_SNAPSHOT (the default) restores the newest snapshot of the application.
    expect((await start('source')).OperationStatus).toBe('SUCCESSFUL');
    expect((await waitForCount(countFile('source'), lastCount + 1)).startedFrom).toBe(lastCount + 1);
    await stop('source', true);
    const { CreateTimestamp } = (await boto.call('describe_application', { ApplicationName: 'source' }))
      .ApplicationDetail;
    await boto.call('delete_application', { ApplicationName: 'source', CreateTimestamp });
    await waitFor(
      async () =>
        (await boto.error('describe_application', { ApplicationName: 'source' }).catch(() => undefined))
          ?.code,
      (code) => code === 'ResourceNotFoundException',
      60_000,
    );
    expect((await describeSnapshot('snap-a')).SnapshotStatus).toBe('READY');
    expect(
      (await boto.call('list_snapshots', { SourceApplicationName: 'source' })).SnapshotInfoList,
    ).toHaveLength(2);

    // The deleted application's last state starts another one.
    expect((await start('target', system.arn)).OperationStatus).toBe('SUCCESSFUL');
    expect((await waitForCount(countFile('target'), 1)).startedFrom).toBe(system.lastCount + 1);
    await stop('target', true);
  });

  it("msf-local's ExportApplicationSnapshot exports a legacy snapshot the same way, and it imports as an enhanced one", async () => {
    expect((await start('legacy-120')).OperationStatus).toBe('SUCCESSFUL');
    await waitForCount(countFile('legacy-120'), 5);
    await boto.call('create_application_snapshot', {
      ApplicationName: 'legacy-120',
      SnapshotName: 'legacy-snap',
    });
    await waitFor(
      async () =>
        (
          await boto.call('describe_application_snapshot', {
            ApplicationName: 'legacy-120',
            SnapshotName: 'legacy-snap',
          })
        ).SnapshotDetails.SnapshotStatus,
      (status) => status !== 'CREATING',
      120_000,
    );
    await stop('legacy-120', true);
    const response = await fetch(h.server.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'MsfLocal_20261201.ExportApplicationSnapshot',
      },
      body: JSON.stringify({
        ApplicationName: 'legacy-120',
        SnapshotName: 'legacy-snap',
        DestinationS3PrefixLocation: { BucketARN: 'arn:aws:s3:::exports', KeyPrefix: 'legacy/' },
      }),
    });
    expect(response.status).toBe(200);
    const { ExportedPrefix } = (await response.json()) as { ExportedPrefix: string };
    expect(ExportedPrefix).toMatch(/^legacy\/[A-Za-z0-9]{12}\/$/);
    expect((await listObjects(ExportedPrefix)).map((o) => o.Key)).toContain(`${ExportedPrefix}_metadata`);
    await boto.call('import_snapshot', importFrom('from-legacy', ExportedPrefix));
    expect((await waitSnapshot('from-legacy')).SnapshotStatus).toBe('READY');
  });

  it('DeleteSnapshot needs the creation time, waits for a running export, and frees the name', async () => {
    const failed = await describeSnapshot('bad-import');
    expect(
      await boto.error('delete_snapshot', {
        SnapshotName: 'bad-import',
        SnapshotCreationTimestamp: failed.SnapshotCreationTimestamp - 5,
      }),
    ).toMatchObject({ code: 'InvalidArgumentException' });
    expect(
      await boto.error('delete_snapshot', { SnapshotName: 'nothing', SnapshotCreationTimestamp: 0 }),
    ).toMatchObject({ code: 'ResourceNotFoundException' });
    const deleting = await boto.call('delete_snapshot', {
      SnapshotName: 'bad-import',
      SnapshotCreationTimestamp: failed.SnapshotCreationTimestamp,
    });
    expect(deleting).toMatchObject({ SnapshotStatus: 'DELETING', SnapshotOperationStatus: 'IN_PROGRESS' });
    await waitFor(
      async () =>
        (await boto.call('list_snapshots')).SnapshotInfoList.map(
          (s: { SnapshotName: string }) => s.SnapshotName,
        ),
      (names) => !names.includes('bad-import'),
    );
    expect(await boto.error('describe_snapshot', { SnapshotName: 'bad-import' })).toMatchObject({
      code: 'ResourceNotFoundException',
    });

    // Delete right after starting an export: the export completes, then the snapshot goes.
    const ready = await describeSnapshot('imported-a');
    const { SnapshotOperationId } = await boto.call('export_snapshot', exportTo('imported-a', 'last/'));
    await boto.call('delete_snapshot', {
      SnapshotName: 'imported-a',
      SnapshotCreationTimestamp: ready.SnapshotCreationTimestamp,
    });
    await waitFor(
      async () =>
        (await boto.error('describe_snapshot', { SnapshotName: 'imported-a' }).catch(() => undefined))?.code,
      (code) => code === 'ResourceNotFoundException',
    );
    const exported = await listObjects(`last/${SnapshotOperationId}/`);
    expect(exported.map((o) => o.Key)).toContain(`last/${SnapshotOperationId}/_metadata`);
    // The name is free again.
    await boto.call('import_snapshot', importFrom('imported-a', exportedPrefix));
    expect((await waitSnapshot('imported-a')).SnapshotStatus).toBe('READY');
  });
});
