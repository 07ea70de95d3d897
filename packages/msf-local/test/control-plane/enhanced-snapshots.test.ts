/**
 * Enhanced snapshots through real boto3 (the pinned one) against a real msf-local server whose jobs are a test
 * double (FakeJobRuntime: its savepoints are directories with Flink's metadata header): snapshot-mode rules,
 * restore references, the upgrade and rollback rules, the ExportApplicationSnapshot extension, and kill -9
 * durability of snapshot records. The same operations on real Flink: test/e2e/enhanced-snapshots.flink.test.ts.
 * (Long: one server and one boto3 process serve every test of the file.)
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Boto3 } from '../support/boto3.js';
import { FakeJobRuntime, fakeSavepointMetadata } from '../support/fake-job-runtime.js';
import {
  startHarness,
  TEST_CREDENTIALS,
  TEST_ROLE,
  waitFor,
  type Harness,
} from '../support/msf-local-harness.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const EXPORT_ROLE = 'arn:aws:iam::000000000000:role/snapshot-transfer';
const runtime = new FakeJobRuntime(5);
let h: Harness;
let boto: Boto3;

beforeAll(async () => {
  h = await startHarness({ runtime, controlPlane: { settleMs: 10 } });
  boto = Boto3.start(h.server.url);
  for (const bucket of ['code', 'exports']) await h.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await h.s3.send(new PutObjectCommand({ Bucket: 'code', Key: 'app.jar', Body: Buffer.from('jar') }));
});
afterAll(async () => {
  await boto?.close();
  await h?.close();
});

const code = {
  ApplicationCodeConfiguration: {
    CodeContentType: 'ZIPFILE',
    CodeContent: { S3ContentLocation: { BucketARN: 'arn:aws:s3:::code', FileKey: 'app.jar' } },
  },
};

async function create(name: string, runtimeEnvironment: string, mode?: string) {
  return (
    await boto.call('create_application', {
      ApplicationName: name,
      RuntimeEnvironment: runtimeEnvironment,
      ServiceExecutionRole: TEST_ROLE,
      ApplicationConfiguration: {
        ...code,
        ...(mode ? { ApplicationSnapshotConfiguration: { SnapshotsEnabled: true, SnapshotMode: mode } } : {}),
      },
    })
  ).ApplicationDetail;
}

const describeApp = async (name: string) =>
  (await boto.call('describe_application', { ApplicationName: name })).ApplicationDetail;

async function settled(name: string) {
  return waitFor(
    () => describeApp(name),
    (d) => d.ApplicationStatus === 'RUNNING' || d.ApplicationStatus === 'READY',
  );
}

async function start(name: string, restore?: object) {
  await boto.call('start_application', {
    ApplicationName: name,
    ...(restore ? { RunConfiguration: { ApplicationRestoreConfiguration: restore } } : {}),
  });
  return settled(name);
}

async function update(name: string, changes: object) {
  const { ConditionalToken } = await describeApp(name);
  await boto.call('update_application', { ApplicationName: name, ConditionalToken, ...changes });
  return settled(name);
}

const waitSnapshot = (name: string) =>
  waitFor(
    async () => (await boto.call('describe_snapshot', { SnapshotName: name })).SnapshotInfoDetails,
    (s) => s.SnapshotStatus !== 'CREATING',
  );

describe('snapshot modes', () => {
  it('enhanced mode needs FLINK-1_20 or later, is described, and is one-way', async () => {
    const tooOld = await boto.error('create_application', {
      ApplicationName: 'too-old',
      RuntimeEnvironment: 'FLINK-1_19',
      ServiceExecutionRole: TEST_ROLE,
      ApplicationConfiguration: {
        ApplicationSnapshotConfiguration: { SnapshotsEnabled: true, SnapshotMode: 'ENHANCED_SNAPSHOTS' },
      },
    });
    expect(tooOld).toMatchObject({ code: 'InvalidArgumentException', status: 400 });
    expect(tooOld.message).toContain('FLINK-1_20');

    const legacy = await create('modes-legacy', 'FLINK-1_19');
    expect(legacy.ApplicationConfigurationDescription.ApplicationSnapshotConfigurationDescription).toEqual({
      SnapshotsEnabled: true,
      SnapshotMode: 'APPLICATION_SNAPSHOTS_LEGACY',
    });
    // Judged on the current runtime, not on a RuntimeEnvironmentUpdate in the same request.
    const { ConditionalToken } = legacy;
    const sameRequest = await boto.error('update_application', {
      ApplicationName: 'modes-legacy',
      ConditionalToken,
      RuntimeEnvironmentUpdate: 'FLINK-1_20',
      ApplicationConfigurationUpdate: {
        ApplicationSnapshotConfigurationUpdate: {
          SnapshotsEnabledUpdate: true,
          SnapshotModeUpdate: 'ENHANCED_SNAPSHOTS',
        },
      },
    });
    expect(sameRequest.code).toBe('InvalidArgumentException');
    await update('modes-legacy', { RuntimeEnvironmentUpdate: 'FLINK-1_20' });
    const upgraded = await update('modes-legacy', {
      ApplicationConfigurationUpdate: {
        ApplicationSnapshotConfigurationUpdate: {
          SnapshotsEnabledUpdate: true,
          SnapshotModeUpdate: 'ENHANCED_SNAPSHOTS',
        },
      },
    });
    expect(
      upgraded.ApplicationConfigurationDescription.ApplicationSnapshotConfigurationDescription.SnapshotMode,
    ).toBe('ENHANCED_SNAPSHOTS');

    const back = await boto.error('update_application', {
      ApplicationName: 'modes-legacy',
      ConditionalToken: upgraded.ConditionalToken,
      ApplicationConfigurationUpdate: {
        ApplicationSnapshotConfigurationUpdate: {
          SnapshotsEnabledUpdate: true,
          SnapshotModeUpdate: 'APPLICATION_SNAPSHOTS_LEGACY',
        },
      },
    });
    expect(back.code).toBe('InvalidArgumentException');
    expect(back.message).toContain('one-way');
    const downgrade = await boto.error('update_application', {
      ApplicationName: 'modes-legacy',
      ConditionalToken: upgraded.ConditionalToken,
      RuntimeEnvironmentUpdate: 'FLINK-1_19',
    });
    expect(downgrade.code).toBe('InvalidArgumentException');
  });

  it('refuses the enhanced operations on legacy applications and the legacy one on enhanced applications', async () => {
    await create('legacy-119', 'FLINK-1_19');
    await create('legacy-120', 'FLINK-1_20');
    await create('enhanced-120', 'FLINK-1_20', 'ENHANCED_SNAPSHOTS');
    expect(
      await boto.error('create_snapshot', { ApplicationName: 'legacy-119', SnapshotName: 's' }),
    ).toMatchObject({
      code: 'InvalidApplicationConfigurationException',
    });
    expect(
      await boto.error('create_snapshot', { ApplicationName: 'legacy-120', SnapshotName: 's' }),
    ).toMatchObject({
      code: 'UnsupportedOperationException',
    });
    expect(
      await boto.error('create_snapshot', { ApplicationName: 'enhanced-120', SnapshotName: 's' }),
    ).toMatchObject({
      code: 'ResourceInUseException', // not RUNNING
    });
    expect(await boto.error('create_snapshot', { ApplicationName: 'nope', SnapshotName: 's' })).toMatchObject(
      {
        code: 'ResourceNotFoundException',
      },
    );
    await start('enhanced-120');
    expect(
      await boto.error('create_application_snapshot', { ApplicationName: 'enhanced-120', SnapshotName: 's' }),
    ).toMatchObject({ code: 'UnsupportedOperationException' });
  });

  it('restores by name in legacy mode and by ARN in enhanced mode, exactly one of them', async () => {
    const arn = 'arn:aws:kinesisanalytics:us-east-1:000000000000:snapshot/none';
    const custom = 'RESTORE_FROM_CUSTOM_SNAPSHOT';
    const startWith = (app: string, restore: object) =>
      boto.error('start_application', {
        ApplicationName: app,
        RunConfiguration: { ApplicationRestoreConfiguration: { ApplicationRestoreType: custom, ...restore } },
      });
    expect((await startWith('legacy-120', { SnapshotArn: arn })).message).toContain('SnapshotName');
    await create('enhanced-restore', 'FLINK-1_20', 'ENHANCED_SNAPSHOTS');
    expect((await startWith('enhanced-restore', { SnapshotName: 'x' })).code).toBe(
      'InvalidArgumentException',
    );
    expect((await startWith('enhanced-restore', { SnapshotName: 'x', SnapshotArn: arn })).message).toContain(
      'exactly one',
    );
    expect((await startWith('enhanced-restore', {})).code).toBe('InvalidArgumentException');
    expect((await startWith('enhanced-restore', { SnapshotArn: arn })).message).toContain('does not exist');
  });
});

describe('the switch to enhanced snapshots', () => {
  it('takes a SYSTEM snapshot when a running application switches, restarts from it, and rolls back only from the switch', async () => {
    const app = 'upgrading';
    await create(app, 'FLINK-1_20');
    await start(app);
    await boto.call('create_application_snapshot', { ApplicationName: app, SnapshotName: 'legacy-1' });
    await waitFor(
      async () =>
        (await boto.call('describe_application_snapshot', { ApplicationName: app, SnapshotName: 'legacy-1' }))
          .SnapshotDetails.SnapshotStatus,
      (s) => s === 'READY',
    );
    const legacy1 = await boto.call('describe_application_snapshot', {
      ApplicationName: app,
      SnapshotName: 'legacy-1',
    });
    expect(legacy1.SnapshotDetails.ApplicationEncryptionConfigurationDescription).toBeUndefined();
    const switched = await update(app, {
      ApplicationConfigurationUpdate: {
        ApplicationSnapshotConfigurationUpdate: {
          SnapshotsEnabledUpdate: true,
          SnapshotModeUpdate: 'ENHANCED_SNAPSHOTS',
        },
      },
    });
    expect(switched.ApplicationStatus).toBe('RUNNING');
    const { SnapshotInfoList } = await boto.call('list_snapshots', { SourceApplicationName: app });
    expect(SnapshotInfoList).toHaveLength(1);
    const system = SnapshotInfoList[0];
    expect(system).toMatchObject({
      SnapshotStatus: 'READY',
      SnapshotInitiator: 'SYSTEM',
      SnapshotInitiatorOperation: 'SystemCreateSnapshot',
      SourceApplicationName: app,
      SnapshotFormat: 'CANONICAL',
    });
    expect(system.SnapshotName).toMatch(/^SYSTEMSNAPSHOT-upgrading-\d{8}T\d{6}Z$/);
    const { ApplicationOperationInfoList } = await boto.call('list_application_operations', {
      ApplicationName: app,
    });
    const updateOp = ApplicationOperationInfoList.find(
      (o: { Operation: string }) => o.Operation === 'UpdateApplication',
    );
    const [systemOp] = (await boto.call('list_snapshot_operations', { SnapshotName: system.SnapshotName }))
      .SnapshotOperationInfoList;
    const details = (
      await boto.call('describe_snapshot_operation', {
        SnapshotName: system.SnapshotName,
        SnapshotOperationId: systemOp.SnapshotOperationId,
      })
    ).SnapshotOperationInfoDetails;
    expect(details).toMatchObject({
      SnapshotOperation: 'SystemCreateSnapshot',
      SnapshotOperationStatus: 'SUCCESSFUL',
      SnapshotArn: system.SnapshotArn,
      ApplicationOperationDescription: { ApplicationName: app, ApplicationOperationId: updateOp.OperationId },
    });
    // The new job restored the system snapshot's savepoint, which lives outside the application.
    const restoredFrom = runtime.lastLaunch(app)!.restore!.snapshotPath;
    expect(restoredFrom).toContain(path.join(h.dataDir, 'snapshots'));

    // Rolling back the switch itself is allowed: version 3 is a copy of legacy version 1.
    const rolledBack = (
      await boto.call('rollback_application', { ApplicationName: app, CurrentApplicationVersionId: 2 })
    ).ApplicationDetail;
    expect(rolledBack.ApplicationVersionId).toBe(3);
    const legacyAgain = await settled(app);
    expect(
      legacyAgain.ApplicationConfigurationDescription.ApplicationSnapshotConfigurationDescription
        .SnapshotMode,
    ).toBe('APPLICATION_SNAPSHOTS_LEGACY');
    // Switch again (4), update once more (5), roll back to 4 (6): the way back to legacy is closed now.
    await update(app, {
      ApplicationConfigurationUpdate: {
        ApplicationSnapshotConfigurationUpdate: {
          SnapshotsEnabledUpdate: true,
          SnapshotModeUpdate: 'ENHANCED_SNAPSHOTS',
        },
      },
    });
    await update(app, {
      ApplicationConfigurationUpdate: {
        ApplicationSnapshotConfigurationUpdate: { SnapshotsEnabledUpdate: true },
      },
    });
    await boto.call('rollback_application', { ApplicationName: app, CurrentApplicationVersionId: 5 });
    const six = await settled(app);
    expect(six.ApplicationVersionId).toBe(6);
    const closed = await boto.error('rollback_application', {
      ApplicationName: app,
      CurrentApplicationVersionId: 6,
    });
    expect(closed.code).toBe('UnsupportedOperationException');
    expect(closed.message).toContain('ENHANCED_SNAPSHOTS');
  });

  it("starts a second application from the first one's snapshot ARN, and the snapshots outlive their application", async () => {
    await create('origin', 'FLINK-1_20', 'ENHANCED_SNAPSHOTS');
    await start('origin');
    const created = await boto.call('create_snapshot', {
      ApplicationName: 'origin',
      SnapshotName: 'origin-1',
    });
    const ready = await waitSnapshot('origin-1');
    expect(ready.SnapshotStatus).toBe('READY');
    await create('copy', 'FLINK-1_20', 'ENHANCED_SNAPSHOTS');
    const started = await start('copy', {
      ApplicationRestoreType: 'RESTORE_FROM_CUSTOM_SNAPSHOT',
      SnapshotArn: created.SnapshotArn,
    });
    expect(started.ApplicationStatus).toBe('RUNNING');
    expect(
      started.ApplicationConfigurationDescription.RunConfigurationDescription
        .ApplicationRestoreConfigurationDescription,
    ).toEqual({ ApplicationRestoreType: 'RESTORE_FROM_CUSTOM_SNAPSHOT', SnapshotArn: created.SnapshotArn });
    // The fake savepoint's state file names the application it was taken of.
    const restoredFrom = runtime.lastLaunch('copy')!.restore!.snapshotPath;
    expect(await readFile(path.join(restoredFrom, 'state-0'), 'utf8')).toBe('state of origin');

    await boto.call('stop_application', { ApplicationName: 'origin', Force: true });
    const origin = await settled('origin');
    await boto.call('delete_application', {
      ApplicationName: 'origin',
      CreateTimestamp: origin.CreateTimestamp,
    });
    await waitFor(
      async () =>
        (await boto.call('list_applications')).ApplicationSummaries.map(
          (a: { ApplicationName: string }) => a.ApplicationName,
        ),
      (names) => !names.includes('origin'),
    );
    expect(
      (await boto.call('describe_snapshot', { SnapshotName: 'origin-1' })).SnapshotInfoDetails,
    ).toMatchObject({
      SnapshotStatus: 'READY',
      SnapshotSourceDescription: {
        SourceApplicationDescription: { ApplicationName: 'origin', ApplicationVersionId: 1 },
      },
    });
    // …and it still restores.
    await boto.call('stop_application', { ApplicationName: 'copy' });
    await settled('copy');
    expect(
      (
        await start('copy', {
          ApplicationRestoreType: 'RESTORE_FROM_CUSTOM_SNAPSHOT',
          SnapshotArn: created.SnapshotArn,
        })
      ).ApplicationStatus,
    ).toBe('RUNNING');
  });
});

describe('ExportApplicationSnapshot (msf-local extension)', () => {
  const call = async (body: unknown, target = 'MsfLocal_20261201.ExportApplicationSnapshot') => {
    const response = await fetch(h.server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
      body: JSON.stringify(body),
    });
    return {
      status: response.status,
      type: response.headers.get('x-amzn-errortype'),
      body: (await response.json()) as Record<string, string>,
    };
  };

  it("exports a legacy snapshot's savepoint as ExportSnapshot would, and answers errors in the AWS shape", async () => {
    const key = 'arn:aws:kms:us-east-1:000000000000:key/legacy';
    await boto.call('create_application', {
      ApplicationName: 'legacy-export',
      RuntimeEnvironment: 'FLINK-1_20',
      ServiceExecutionRole: TEST_ROLE,
      ApplicationConfiguration: {
        ...code,
        ApplicationEncryptionConfiguration: { KeyType: 'CUSTOMER_MANAGED_KEY', KeyId: key },
      },
    });
    await start('legacy-export');
    await boto.call('create_application_snapshot', { ApplicationName: 'legacy-export', SnapshotName: 'one' });
    await waitFor(
      async () =>
        (
          await boto.call('describe_application_snapshot', {
            ApplicationName: 'legacy-export',
            SnapshotName: 'one',
          })
        ).SnapshotDetails.SnapshotStatus,
      (s) => s === 'READY',
    );
    // An application snapshot (legacy) describes the encryption of the version it was taken of.
    const { SnapshotDetails } = await boto.call('describe_application_snapshot', {
      ApplicationName: 'legacy-export',
      SnapshotName: 'one',
    });
    expect(SnapshotDetails.ApplicationEncryptionConfigurationDescription).toEqual({
      KeyType: 'CUSTOMER_MANAGED_KEY',
      KeyId: key,
    });
    const ok = await call({
      ApplicationName: 'legacy-export',
      SnapshotName: 'one',
      DestinationS3PrefixLocation: { BucketARN: 'arn:aws:s3:::exports', KeyPrefix: 'legacy/' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.ExportedPrefix).toMatch(/^legacy\/[A-Za-z0-9]{12}\/$/);
    const listed = await boto.call(
      'list_objects_v2',
      { Bucket: 'exports', Prefix: ok.body.ExportedPrefix },
      's3',
    );
    expect(
      listed.Contents.map((o: { Key: string }) => o.Key.slice(ok.body.ExportedPrefix!.length)).sort(),
    ).toEqual(['_metadata', 'state-0']);

    const missing = await call({
      ApplicationName: 'legacy-export',
      SnapshotName: 'two',
      DestinationS3PrefixLocation: { BucketARN: 'arn:aws:s3:::exports', KeyPrefix: 'legacy/' },
    });
    expect(missing).toMatchObject({
      status: 400,
      type: 'ResourceNotFoundException',
      body: { __type: 'ResourceNotFoundException' },
    });
    const noBucket = await call({
      ApplicationName: 'legacy-export',
      SnapshotName: 'one',
      DestinationS3PrefixLocation: { BucketARN: 'arn:aws:s3:::no-such-bucket', KeyPrefix: 'x/' },
    });
    expect(noBucket).toMatchObject({ status: 400, type: 'InvalidArgumentException' });
    expect(noBucket.body.message).toContain('no-such-bucket');
    const invalid = await call({
      ApplicationName: 'legacy-export',
      DestinationS3PrefixLocation: { KeyPrefix: '' },
    });
    expect(invalid).toMatchObject({ status: 400, type: 'ValidationException' });
    expect(invalid.body.message).toContain("'snapshotName'");
    expect((await call({}, 'MsfLocal_20261201.Nope')).type).toBe('UnknownOperationException');
  });
});

describe('kill -9', () => {
  it('keeps every acknowledged import, tag and delete; nothing is left in progress', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'msf-local-snapshots-kill-'));
    try {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', path.join(here, '../support/serve-without-runtime.ts'), dataDir],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          const match = /listening on (http:\/\/\S+)/.exec(chunk.toString());
          if (match) resolve(match[1]!);
        });
        child.once('exit', (code) => reject(new Error(`server exited early (${code})`)));
      });
      const s3 = new S3Client({
        endpoint: url,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: TEST_CREDENTIALS,
      });
      await s3.send(new CreateBucketCommand({ Bucket: 'savepoints' }));
      await s3.send(
        new PutObjectCommand({
          Bucket: 'savepoints',
          Key: 'sp/_metadata',
          Body: fakeSavepointMetadata('sp'),
        }),
      );
      await s3.send(new PutObjectCommand({ Bucket: 'savepoints', Key: 'sp/state-0', Body: 'state' }));
      s3.destroy();
      const killed = Boto3.start(url);
      const importFrom = (name: string) =>
        killed.call('import_snapshot', {
          SnapshotName: name,
          ImportSourceConfiguration: {
            SourceType: 'S3',
            ImportRoleArn: EXPORT_ROLE,
            SourceS3PrefixLocation: { BucketARN: 'arn:aws:s3:::savepoints', KeyPrefix: 'sp/' },
          },
        });
      // One import that finished well before the kill.
      await importFrom('settled');
      await waitFor(
        async () => (await killed.call('describe_snapshot', { SnapshotName: 'settled' })).SnapshotInfoDetails,
        (s) => s.SnapshotStatus === 'READY',
      );
      const imported: string[] = [];
      const deleted: string[] = [];
      const writer = (async () => {
        for (let i = 0; ; i++) {
          const name = `imported-${i}`;
          try {
            const { SnapshotArn } = await importFrom(name);
            await killed.call('tag_resource', {
              ResourceARN: SnapshotArn,
              Tags: [{ Key: 'i', Value: String(i) }],
            });
            imported.push(name);
            if (i % 3 === 0) {
              const details = await waitFor(
                async () =>
                  (await killed.call('describe_snapshot', { SnapshotName: name })).SnapshotInfoDetails,
                (s) => s.SnapshotStatus !== 'CREATING',
              );
              await killed.call('delete_snapshot', {
                SnapshotName: name,
                SnapshotCreationTimestamp: details.SnapshotCreationTimestamp,
              });
              deleted.push(name);
            }
          } catch {
            return;
          }
        }
      })();
      await waitFor(
        async () => imported.length,
        (n) => n >= 12,
        30_000,
      );
      child.kill('SIGKILL');
      await writer;
      await killed.close();

      const restarted = await startHarness({ runtime: null, dataDir });
      const again = Boto3.start(restarted.server.url);
      try {
        const all = (await again.call('list_snapshots', { Limit: 50 })).SnapshotInfoList;
        const names = all.map((s: { SnapshotName: string }) => s.SnapshotName);
        for (const name of imported.filter((n) => !deleted.includes(n))) {
          expect(names).toContain(name);
          const details = (await again.call('describe_snapshot', { SnapshotName: name })).SnapshotInfoDetails;
          expect(['READY', 'FAILED']).toContain(details.SnapshotStatus);
          const { Tags } = await again.call('list_tags_for_resource', { ResourceARN: details.SnapshotArn });
          expect(Tags).toEqual([{ Key: 'i', Value: name.split('-')[1] }]);
          const ops = (await again.call('list_snapshot_operations', { SnapshotName: name }))
            .SnapshotOperationInfoList;
          expect(
            ops.map((o: { SnapshotOperationStatus: string }) => o.SnapshotOperationStatus),
          ).not.toContain('IN_PROGRESS');
        }
        // Deletions acknowledged before the kill are finished after the restart.
        await waitFor(
          async () =>
            (await again.call('list_snapshots', { SnapshotStatus: 'DELETING' })).SnapshotInfoList.length,
          (n) => n === 0,
        );
        const after = (await again.call('list_snapshots', { Limit: 50 })).SnapshotInfoList.map(
          (s: { SnapshotName: string }) => s.SnapshotName,
        );
        for (const name of deleted) expect(after).not.toContain(name);
        // The import that had finished before the kill: its savepoint is intact and exports.
        const first = 'settled';
        expect(
          (await again.call('describe_snapshot', { SnapshotName: first })).SnapshotInfoDetails.SnapshotStatus,
        ).toBe('READY');
        await restarted.s3.send(new CreateBucketCommand({ Bucket: 'out' }));
        const { SnapshotOperationId } = await again.call('export_snapshot', {
          SnapshotName: first,
          ExportDestinationConfiguration: {
            DestinationType: 'S3',
            ExportRoleArn: EXPORT_ROLE,
            DestinationS3PrefixLocation: { BucketARN: 'arn:aws:s3:::out', KeyPrefix: 'after-kill/' },
          },
        });
        const exported = await waitFor(
          async () =>
            (await again.call('describe_snapshot_operation', { SnapshotName: first, SnapshotOperationId }))
              .SnapshotOperationInfoDetails,
          (o) => o.SnapshotOperationStatus !== 'IN_PROGRESS',
        );
        expect(exported.SnapshotOperationStatus).toBe('SUCCESSFUL');
      } finally {
        await again.close();
        await restarted.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
