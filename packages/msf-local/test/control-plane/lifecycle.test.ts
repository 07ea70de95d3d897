/**
 * Application lifecycle through the real AWS SDK against a real msf-local server, with a test double as job
 * runtime (the Flink-backed behaviour is tested in test/flink and the end-to-end suites).
 */
import {
  CreateApplicationCommand,
  CreateApplicationPresignedUrlCommand,
  DescribeApplicationCommand,
  DescribeApplicationOperationCommand,
  DescribeApplicationVersionCommand,
  ListApplicationOperationsCommand,
  ListApplicationSnapshotsCommand,
  ListApplicationVersionsCommand,
  RollbackApplicationCommand,
  StartApplicationCommand,
  StopApplicationCommand,
  UpdateApplicationCommand,
  type ApplicationDetail,
} from '@aws-sdk/client-kinesis-analytics-v2';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeJobRuntime } from '../support/fake-job-runtime.js';
import { startHarness, waitFor, type Harness, failureOf, TEST_ROLE } from '../support/msf-local-harness.js';

const runtime = new FakeJobRuntime();
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ runtime, controlPlane: { settleMs: 20 } });
  await h.s3.send(new CreateBucketCommand({ Bucket: 'code' }));
  for (const key of ['v1.jar', 'v2.jar']) {
    await h.s3.send(new PutObjectCommand({ Bucket: 'code', Key: key, Body: Buffer.from(key) }));
  }
});
afterAll(() => h.close());

const describeApp = async (name: string) =>
  (await h.kda.send(new DescribeApplicationCommand({ ApplicationName: name }))).ApplicationDetail!;

const waitStatus = (name: string, status: string) =>
  waitFor(
    () => describeApp(name),
    (d) => d.ApplicationStatus === status,
  );

const operation = async (name: string, id: string) =>
  (await h.kda.send(new DescribeApplicationOperationCommand({ ApplicationName: name, OperationId: id })))
    .ApplicationOperationInfoDetails!;

const waitOperation = (name: string, id: string) =>
  waitFor(
    () => operation(name, id),
    (o) => o.OperationStatus !== 'IN_PROGRESS',
  );

async function create(
  name: string,
  options: { rollback?: boolean; snapshots?: boolean } = {},
): Promise<ApplicationDetail> {
  return (
    await h.kda.send(
      new CreateApplicationCommand({
        ApplicationName: name,
        RuntimeEnvironment: 'FLINK-1_19',
        ServiceExecutionRole: TEST_ROLE,
        ApplicationConfiguration: {
          ApplicationCodeConfiguration: {
            CodeContentType: 'ZIPFILE',
            CodeContent: { S3ContentLocation: { BucketARN: 'arn:aws:s3:::code', FileKey: 'v1.jar' } },
          },
          EnvironmentProperties: { PropertyGroups: [{ PropertyGroupId: 'G', PropertyMap: { k: 'v' } }] },
          ApplicationSnapshotConfiguration: { SnapshotsEnabled: options.snapshots ?? true },
          ApplicationSystemRollbackConfiguration: { RollbackEnabled: options.rollback ?? false },
        },
      }),
    )
  ).ApplicationDetail!;
}

async function createRunning(name: string, options: { rollback?: boolean; snapshots?: boolean } = {}) {
  await create(name, options);
  const { OperationId } = await h.kda.send(new StartApplicationCommand({ ApplicationName: name }));
  await waitOperation(name, OperationId!);
  return waitStatus(name, 'RUNNING');
}

const updateCode = (name: string, version: number, key: string, extra: object = {}) =>
  h.kda.send(
    new UpdateApplicationCommand({
      ApplicationName: name,
      CurrentApplicationVersionId: version,
      ApplicationConfigurationUpdate: {
        ApplicationCodeConfigurationUpdate: {
          CodeContentUpdate: { S3ContentLocationUpdate: { FileKeyUpdate: key } },
        },
      },
      ...extra,
    }),
  );

describe('StartApplication', () => {
  it('goes READY → STARTING → RUNNING once the runtime runs the job, with the app configuration', async () => {
    await create('start-ok');
    const { OperationId } = await h.kda.send(new StartApplicationCommand({ ApplicationName: 'start-ok' }));
    expect(OperationId).toMatch(/^[A-Za-z0-9]{12}$/);
    expect((await describeApp('start-ok')).ApplicationStatus).toBe('STARTING');
    const op = await waitOperation('start-ok', OperationId!);
    expect(op).toMatchObject({ Operation: 'StartApplication', OperationStatus: 'SUCCESSFUL' });
    const detail = await waitStatus('start-ok', 'RUNNING');
    expect(detail.ApplicationConfigurationDescription?.RunConfigurationDescription).toEqual({
      ApplicationRestoreConfigurationDescription: { ApplicationRestoreType: 'RESTORE_FROM_LATEST_SNAPSHOT' },
      FlinkRunConfigurationDescription: { AllowNonRestoredState: false },
    });
    const launch = runtime.lastLaunch('start-ok')!;
    expect(launch).toMatchObject({
      runtimeEnvironment: 'FLINK-1_19',
      parallelism: 1,
      checkpointing: { enabled: true, intervalMs: 60000, minPauseMs: 5000 },
      propertyGroups: [{ PropertyGroupId: 'G', PropertyMap: { k: 'v' } }],
    });
    expect(launch.restore).toBeUndefined();
    expect(launch.environment.AWS_ENDPOINT_URL).toBe(h.server.url);
  });

  it('ends the operation FAILED with the runtime error and leaves the application READY', async () => {
    await create('start-fails');
    const flinkError =
      "org.apache.flink.client.program.ProgramInvocationException: The program's entry point class 'x.Y' was not found in the jar file. StackTrace: " +
      'at x'.repeat(300);
    runtime.failNextStart('start-fails', flinkError);
    const { OperationId } = await h.kda.send(new StartApplicationCommand({ ApplicationName: 'start-fails' }));
    const op = await waitOperation('start-fails', OperationId!);
    expect(op.OperationStatus).toBe('FAILED');
    expect(op.OperationFailureDetails?.ErrorInfo?.ErrorString).toBe(flinkError.slice(0, 512));
    expect(op.EndTime).toBeInstanceOf(Date);
    expect((await describeApp('start-fails')).ApplicationStatus).toBe('READY');
  });

  it('runs code uploaded inline as ZipFileContent', async () => {
    const jar = Buffer.from('PK\u0003\u0004 inline application code');
    const { ApplicationDetail: d } = await h.kda.send(
      new CreateApplicationCommand({
        ApplicationName: 'inline',
        RuntimeEnvironment: 'FLINK-1_20',
        ServiceExecutionRole: TEST_ROLE,
        ApplicationConfiguration: {
          ApplicationCodeConfiguration: { CodeContentType: 'ZIPFILE', CodeContent: { ZipFileContent: jar } },
        },
      }),
    );
    const code = d?.ApplicationConfigurationDescription?.ApplicationCodeConfigurationDescription;
    expect(code?.CodeContentDescription?.CodeSize).toBe(jar.length);
    expect(code?.CodeContentDescription?.CodeMD5).toMatch(/^[0-9a-f]{128}$/);
    const { OperationId } = await h.kda.send(new StartApplicationCommand({ ApplicationName: 'inline' }));
    expect((await waitOperation('inline', OperationId!)).OperationStatus).toBe('SUCCESSFUL');
    const { jarPath } = runtime.lastLaunch('inline')!;
    expect(Buffer.compare(await readFile(jarPath), jar)).toBe(0);
    // Flink's REST jar upload refuses any other name ("Only Jar files are allowed").
    expect(jarPath).toMatch(/\.jar$/);
  });

  it('is refused unless READY', async () => {
    await createRunning('start-twice');
    const e = await failureOf(h.kda.send(new StartApplicationCommand({ ApplicationName: 'start-twice' })));
    expect(e.name).toBe('ResourceInUseException');
  });

  it('refuses a custom snapshot that does not exist', async () => {
    await create('start-custom');
    const e = await failureOf(
      h.kda.send(
        new StartApplicationCommand({
          ApplicationName: 'start-custom',
          RunConfiguration: {
            ApplicationRestoreConfiguration: {
              ApplicationRestoreType: 'RESTORE_FROM_CUSTOM_SNAPSHOT',
              SnapshotName: 'nope',
            },
          },
        }),
      ),
    );
    expect(e.name).toBe('InvalidArgumentException');
  });
});

describe('StopApplication', () => {
  it('takes a snapshot while stopping when snapshots are enabled, and the next start restores it', async () => {
    await createRunning('stop-snap');
    const { OperationId } = await h.kda.send(new StopApplicationCommand({ ApplicationName: 'stop-snap' }));
    expect((await describeApp('stop-snap')).ApplicationStatus).toBe('STOPPING');
    expect((await waitOperation('stop-snap', OperationId!)).OperationStatus).toBe('SUCCESSFUL');
    await waitStatus('stop-snap', 'READY');
    const { SnapshotSummaries } = await h.kda.send(
      new ListApplicationSnapshotsCommand({ ApplicationName: 'stop-snap' }),
    );
    expect(SnapshotSummaries).toHaveLength(1);
    expect(SnapshotSummaries![0]).toMatchObject({
      SnapshotStatus: 'READY',
      ApplicationVersionId: 1,
      RuntimeEnvironment: 'FLINK-1_19',
    });

    const start = await h.kda.send(new StartApplicationCommand({ ApplicationName: 'stop-snap' }));
    await waitOperation('stop-snap', start.OperationId!);
    expect(runtime.lastLaunch('stop-snap')!.restore?.snapshotPath).toMatch(/savepoint-\d+$/);
  });

  it('force stop takes no snapshot and works from STARTING', async () => {
    await create('force');
    await h.kda.send(new StartApplicationCommand({ ApplicationName: 'force' }));
    const { OperationId } = await h.kda.send(
      new StopApplicationCommand({ ApplicationName: 'force', Force: true }),
    );
    expect((await waitOperation('force', OperationId!)).OperationStatus).toBe('SUCCESSFUL');
    const detail = await waitStatus('force', 'READY');
    expect(detail.ApplicationStatus).toBe('READY');
    const { SnapshotSummaries } = await h.kda.send(
      new ListApplicationSnapshotsCommand({ ApplicationName: 'force' }),
    );
    expect(SnapshotSummaries).toHaveLength(0);
    const ops = await h.kda.send(new ListApplicationOperationsCommand({ ApplicationName: 'force' }));
    expect(
      ops.ApplicationOperationInfoList?.map((o) => `${o.Operation}:${o.OperationStatus}`).sort(),
    ).toEqual(['StartApplication:CANCELLED', 'StopApplication:SUCCESSFUL']);
  });

  it('without Force is refused unless RUNNING', async () => {
    await create('stop-ready');
    expect(
      (await failureOf(h.kda.send(new StopApplicationCommand({ ApplicationName: 'stop-ready' })))).name,
    ).toBe('ResourceInUseException');
  });

  it('refuses (as MSF does) to snapshot a crash-looping job; force stop still works', async () => {
    await createRunning('looping');
    runtime.setCrashLooping('looping', true);
    const e = await failureOf(h.kda.send(new StopApplicationCommand({ ApplicationName: 'looping' })));
    expect(e.name).toBe('InvalidApplicationConfigurationException');
    expect(e.message).toBe(
      "Failed to take snapshot for the application looping at this moment. The application is currently experiencing downtime. Please check the application's CloudWatch metrics or CloudWatch logs for any possible errors and retry the request. You can also retry the request after disabling the snapshots in the Kinesis Data Analytics console or by updating the ApplicationSnapshotConfiguration through the AWS SDK.",
    );
    expect((await describeApp('looping')).ApplicationStatus).toBe('RUNNING');
    const upd = await failureOf(updateCode('looping', 1, 'v2.jar'));
    expect(upd.name).toBe('InvalidApplicationConfigurationException');
    const { OperationId } = await h.kda.send(
      new StopApplicationCommand({ ApplicationName: 'looping', Force: true }),
    );
    await waitOperation('looping', OperationId!);
    await waitStatus('looping', 'READY');
  });
});

describe('UpdateApplication', () => {
  it('on a READY application stores version 2 and stays READY', async () => {
    const created = await create('upd-ready');
    const { ApplicationDetail: d, OperationId } = await updateCode('upd-ready', 1, 'v2.jar');
    expect(d).toMatchObject({
      ApplicationVersionId: 2,
      ApplicationVersionUpdatedFrom: 1,
      ApplicationStatus: 'UPDATING',
    });
    expect(d?.ConditionalToken).not.toBe(created.ConditionalToken);
    expect(await waitOperation('upd-ready', OperationId!)).toMatchObject({
      Operation: 'UpdateApplication',
      OperationStatus: 'SUCCESSFUL',
      ApplicationVersionChangeDetails: { ApplicationVersionUpdatedFrom: 1, ApplicationVersionUpdatedTo: 2 },
    });
    await waitStatus('upd-ready', 'READY');
    expect(runtime.lastLaunch('upd-ready')).toBeUndefined();
  });

  it('checks CurrentApplicationVersionId and ConditionalToken', async () => {
    const created = await create('upd-guard');
    expect((await failureOf(updateCode('upd-guard', 7, 'v2.jar'))).name).toBe(
      'ConcurrentModificationException',
    );
    const stale = await failureOf(
      h.kda.send(
        new UpdateApplicationCommand({
          ApplicationName: 'upd-guard',
          ConditionalToken: 'c3RhbGU=',
          ApplicationConfigurationUpdate: {
            ApplicationSnapshotConfigurationUpdate: { SnapshotsEnabledUpdate: false },
          },
        }),
      ),
    );
    expect(stale.name).toBe('ConcurrentModificationException');
    const ok = await h.kda.send(
      new UpdateApplicationCommand({
        ApplicationName: 'upd-guard',
        ConditionalToken: created.ConditionalToken,
        ApplicationConfigurationUpdate: {
          ApplicationSnapshotConfigurationUpdate: { SnapshotsEnabledUpdate: false },
        },
      }),
    );
    expect(ok.ApplicationDetail?.ApplicationVersionId).toBe(2);
    const neither = await failureOf(
      h.kda.send(new UpdateApplicationCommand({ ApplicationName: 'upd-guard' })),
    );
    expect(neither.name).toBe('InvalidArgumentException');
  });

  it('on a RUNNING application snapshots, restarts the new version from that snapshot and stays RUNNING', async () => {
    await createRunning('upd-run');
    const { OperationId } = await updateCode('upd-run', 1, 'v2.jar', {
      RunConfigurationUpdate: { FlinkRunConfiguration: { AllowNonRestoredState: true } },
    });
    expect((await waitOperation('upd-run', OperationId!)).OperationStatus).toBe('SUCCESSFUL');
    const d = await waitStatus('upd-run', 'RUNNING');
    expect(d.ApplicationVersionId).toBe(2);
    const launch = runtime.lastLaunch('upd-run')!;
    expect(launch.jarPath).toMatch(/version-2\.jar$/);
    expect(launch.restore).toMatchObject({ allowNonRestoredState: true });
    const { SnapshotSummaries } = await h.kda.send(
      new ListApplicationSnapshotsCommand({ ApplicationName: 'upd-run' }),
    );
    expect(SnapshotSummaries).toHaveLength(1);
    expect(launch.restore?.snapshotPath).toBeDefined();

    // An update that does not say resets AllowNonRestoredState to false.
    const second = await h.kda.send(
      new UpdateApplicationCommand({
        ApplicationName: 'upd-run',
        CurrentApplicationVersionId: 2,
        ApplicationConfigurationUpdate: {
          EnvironmentPropertyUpdates: { PropertyGroups: [{ PropertyGroupId: 'H', PropertyMap: { a: 'b' } }] },
        },
      }),
    );
    await waitOperation('upd-run', second.OperationId!);
    expect(runtime.lastLaunch('upd-run')!.restore?.allowNonRestoredState).toBe(false);
    expect(runtime.lastLaunch('upd-run')!.propertyGroups).toEqual([
      { PropertyGroupId: 'H', PropertyMap: { a: 'b' } },
    ]);
  });

  it('a failed restart leaves the application READY when system rollback is off', async () => {
    await createRunning('upd-fail');
    runtime.failNextStart(
      'upd-fail',
      'java.lang.IllegalStateException: Failed to rollback to checkpoint/savepoint',
    );
    const { OperationId } = await updateCode('upd-fail', 1, 'v2.jar');
    const op = await waitOperation('upd-fail', OperationId!);
    expect(op.OperationStatus).toBe('FAILED');
    expect(op.OperationFailureDetails?.RollbackOperationId).toBeUndefined();
    const d = await waitStatus('upd-fail', 'READY');
    expect(d.ApplicationVersionId).toBe(2);
  });

  it('a failed restart triggers the system rollback when enabled', async () => {
    await createRunning('upd-sysrb', { rollback: true });
    runtime.failNextStart(
      'upd-sysrb',
      'java.lang.IllegalStateException: Cannot map checkpoint/savepoint state',
    );
    const { OperationId } = await updateCode('upd-sysrb', 1, 'v2.jar');
    const op = await waitOperation('upd-sysrb', OperationId!);
    expect(op.OperationStatus).toBe('FAILED');
    expect(op.OperationFailureDetails?.ErrorInfo?.ErrorString).toContain('Cannot map');
    const rollbackId = op.OperationFailureDetails?.RollbackOperationId;
    expect(rollbackId).toBeDefined();
    const rollback = await waitOperation('upd-sysrb', rollbackId!);
    expect(rollback).toMatchObject({
      Operation: 'RollbackApplication',
      OperationStatus: 'SUCCESSFUL',
      ApplicationVersionChangeDetails: { ApplicationVersionUpdatedFrom: 2, ApplicationVersionUpdatedTo: 3 },
    });
    const d = await waitStatus('upd-sysrb', 'RUNNING');
    expect(d).toMatchObject({
      ApplicationVersionId: 3,
      ApplicationVersionRolledBackFrom: 2,
      ApplicationVersionRolledBackTo: 1,
    });
    expect(runtime.lastLaunch('upd-sysrb')!.jarPath).toMatch(/version-3\.jar$/);
    const versions = await h.kda.send(new ListApplicationVersionsCommand({ ApplicationName: 'upd-sysrb' }));
    expect(versions.ApplicationVersionSummaries).toEqual([
      { ApplicationVersionId: 3, ApplicationStatus: 'RUNNING' },
      { ApplicationVersionId: 2, ApplicationStatus: 'ROLLED_BACK' },
      { ApplicationVersionId: 1, ApplicationStatus: 'RUNNING' },
    ]);
    const v1 = await h.kda.send(
      new DescribeApplicationVersionCommand({ ApplicationName: 'upd-sysrb', ApplicationVersionId: 1 }),
    );
    expect(
      v1.ApplicationVersionDetail?.ApplicationConfigurationDescription
        ?.ApplicationCodeConfigurationDescription?.CodeContentDescription
        ?.S3ApplicationCodeLocationDescription?.FileKey,
    ).toBe('v1.jar');
  });
});

describe('RollbackApplication', () => {
  it('is refused without a previous version or without a snapshot', async () => {
    await createRunning('rb-none', { snapshots: false });
    const noPrevious = await failureOf(
      h.kda.send(
        new RollbackApplicationCommand({ ApplicationName: 'rb-none', CurrentApplicationVersionId: 1 }),
      ),
    );
    expect(noPrevious.name).toBe('UnsupportedOperationException');
    const upd = await updateCode('rb-none', 1, 'v2.jar');
    await waitOperation('rb-none', upd.OperationId!);
    const noSnapshot = await failureOf(
      h.kda.send(
        new RollbackApplicationCommand({ ApplicationName: 'rb-none', CurrentApplicationVersionId: 2 }),
      ),
    );
    expect(noSnapshot.name).toBe('UnsupportedOperationException');
    expect(noSnapshot.message).toContain('no snapshots');
  });

  it('returns to the previous version from the latest snapshot, even while the job crash-loops', async () => {
    await createRunning('rb');
    const upd = await updateCode('rb', 1, 'v2.jar');
    await waitOperation('rb', upd.OperationId!);
    runtime.setCrashLooping('rb', true);
    const stale = await failureOf(
      h.kda.send(new RollbackApplicationCommand({ ApplicationName: 'rb', CurrentApplicationVersionId: 1 })),
    );
    expect(stale.name).toBe('ConcurrentModificationException');
    const { ApplicationDetail: d, OperationId } = await h.kda.send(
      new RollbackApplicationCommand({ ApplicationName: 'rb', CurrentApplicationVersionId: 2 }),
    );
    expect(d).toMatchObject({ ApplicationStatus: 'ROLLING_BACK', ApplicationVersionId: 3 });
    expect((await waitOperation('rb', OperationId!)).OperationStatus).toBe('SUCCESSFUL');
    const after = await waitStatus('rb', 'RUNNING');
    expect(after).toMatchObject({ ApplicationVersionRolledBackFrom: 2, ApplicationVersionRolledBackTo: 1 });
    const launch = runtime.lastLaunch('rb')!;
    expect(launch.jarPath).toMatch(/version-3\.jar$/);
    expect(launch.restore?.snapshotPath).toBeDefined();
  });
});

describe('CreateApplicationPresignedUrl', () => {
  it('returns the dashboard URL of a running application and refuses otherwise', async () => {
    await create('dash');
    const notRunning = await failureOf(
      h.kda.send(
        new CreateApplicationPresignedUrlCommand({ ApplicationName: 'dash', UrlType: 'FLINK_DASHBOARD_URL' }),
      ),
    );
    expect(notRunning.name).toBe('ResourceInUseException');
    const start = await h.kda.send(new StartApplicationCommand({ ApplicationName: 'dash' }));
    await waitOperation('dash', start.OperationId!);
    const { AuthorizedUrl } = await h.kda.send(
      new CreateApplicationPresignedUrlCommand({ ApplicationName: 'dash', UrlType: 'FLINK_DASHBOARD_URL' }),
    );
    expect(AuthorizedUrl).toBe(runtime.dashboardUrl('dash'));
  });
});
