/**
 * The MSF API on real Flink, through the AWS SDK only: msf-local with its real FlinkJobRuntime, the test jobs
 * of java/test-jobs (a keyed counter whose count file shows where its state came from), and its own S3.
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import {
  CreateApplicationCommand,
  CreateApplicationPresignedUrlCommand,
  CreateApplicationSnapshotCommand,
  DescribeApplicationCommand,
  DescribeApplicationOperationCommand,
  DescribeApplicationSnapshotCommand,
  ListApplicationSnapshotsCommand,
  StartApplicationCommand,
  StopApplicationCommand,
  UpdateApplicationCommand,
  type ApplicationRestoreType,
  type RuntimeEnvironment,
} from '@aws-sdk/client-kinesis-analytics-v2';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCountFile, scratchDir, waitFor as poll, waitForCount } from '../fixtures/flink-launch.js';
import { buildTestJobs, type TestJobJars } from '../fixtures/test-jobs.js';
import {
  startHarness,
  TEST_CREDENTIALS,
  waitFor,
  type Harness,
  failureOf,
  TEST_ROLE,
} from '../support/msf-local-harness.js';

let h: Harness;
let jobs: TestJobJars;
let root: string;

beforeAll(async () => {
  jobs = await buildTestJobs();
  root = await scratchDir('msf-api');
  h = await startHarness({
    flink: { restartDelayMs: 1000 },
    controlPlane: { downtimeWindowMs: 30_000 },
    metricsIntervalMs: 1000,
  });
  await h.s3.send(new CreateBucketCommand({ Bucket: 'jobs' }));
  for (const [key, file] of Object.entries(jobs)) {
    await h.s3.send(new PutObjectCommand({ Bucket: 'jobs', Key: `${key}.jar`, Body: await readFile(file) }));
  }
});
afterAll(async () => {
  await h?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

const countFile = (app: string) => path.join(root, `${app}.json`);
const describeApp = async (name: string) =>
  (await h.kda.send(new DescribeApplicationCommand({ ApplicationName: name }))).ApplicationDetail!;
const waitOperation = (app: string, id: string) =>
  waitFor(
    async () =>
      (await h.kda.send(new DescribeApplicationOperationCommand({ ApplicationName: app, OperationId: id })))
        .ApplicationOperationInfoDetails!,
    (o) => o.OperationStatus !== 'IN_PROGRESS',
    240_000,
  );

async function create(
  app: string,
  jar: keyof TestJobJars,
  options: { rollback?: boolean; runtime?: RuntimeEnvironment; checkpointMs?: number } = {},
) {
  await h.kda.send(
    new CreateApplicationCommand({
      ApplicationName: app,
      RuntimeEnvironment: options.runtime ?? 'FLINK-1_19',
      ServiceExecutionRole: TEST_ROLE,
      ApplicationConfiguration: {
        ApplicationCodeConfiguration: {
          CodeContentType: 'ZIPFILE',
          CodeContent: { S3ContentLocation: { BucketARN: 'arn:aws:s3:::jobs', FileKey: `${jar}.jar` } },
        },
        EnvironmentProperties: {
          PropertyGroups: [{ PropertyGroupId: 'TestJob', PropertyMap: { outputFile: countFile(app) } }],
        },
        ApplicationSystemRollbackConfiguration: { RollbackEnabled: options.rollback ?? false },
        ...(options.checkpointMs
          ? {
              FlinkApplicationConfiguration: {
                CheckpointConfiguration: {
                  ConfigurationType: 'CUSTOM',
                  CheckpointInterval: options.checkpointMs,
                  MinPauseBetweenCheckpoints: 0,
                },
              },
            }
          : {}),
      },
    }),
  );
}

async function start(
  app: string,
  restore?: ApplicationRestoreType,
  snapshotName?: string,
  allowNonRestoredState?: boolean,
) {
  await rm(countFile(app), { force: true });
  const { OperationId } = await h.kda.send(
    new StartApplicationCommand({
      ApplicationName: app,
      RunConfiguration: {
        ...(restore
          ? {
              ApplicationRestoreConfiguration: {
                ApplicationRestoreType: restore,
                SnapshotName: snapshotName,
              },
            }
          : {}),
        ...(allowNonRestoredState !== undefined
          ? { FlinkRunConfiguration: { AllowNonRestoredState: allowNonRestoredState } }
          : {}),
      },
    }),
  );
  return waitOperation(app, OperationId!);
}

async function stop(app: string, force = false) {
  const { OperationId } = await h.kda.send(
    new StopApplicationCommand({ ApplicationName: app, Force: force }),
  );
  return waitOperation(app, OperationId!);
}

async function snapshot(app: string, name: string) {
  await h.kda.send(new CreateApplicationSnapshotCommand({ ApplicationName: app, SnapshotName: name }));
  return waitFor(
    async () =>
      (await h.kda.send(new DescribeApplicationSnapshotCommand({ ApplicationName: app, SnapshotName: name })))
        .SnapshotDetails!,
    (s) => s.SnapshotStatus !== 'CREATING',
    120_000,
  );
}

async function update(
  app: string,
  changes: {
    jar?: keyof TestJobJars;
    runtime?: RuntimeEnvironment;
    allowNonRestoredState?: boolean;
    restore?: ApplicationRestoreType;
  },
) {
  const current = await describeApp(app);
  const { OperationId } = await h.kda.send(
    new UpdateApplicationCommand({
      ApplicationName: app,
      ConditionalToken: current.ConditionalToken,
      ...(changes.runtime ? { RuntimeEnvironmentUpdate: changes.runtime } : {}),
      ApplicationConfigurationUpdate: changes.jar
        ? {
            ApplicationCodeConfigurationUpdate: {
              CodeContentUpdate: { S3ContentLocationUpdate: { FileKeyUpdate: `${changes.jar}.jar` } },
            },
          }
        : undefined,
      RunConfigurationUpdate: {
        ...(changes.allowNonRestoredState !== undefined
          ? { FlinkRunConfiguration: { AllowNonRestoredState: changes.allowNonRestoredState } }
          : {}),
        ...(changes.restore
          ? { ApplicationRestoreConfiguration: { ApplicationRestoreType: changes.restore } }
          : {}),
      },
    }),
  );
  const op = await waitOperation(app, OperationId!);
  // From here on only the new job writes the count file.
  await rm(countFile(app), { force: true });
  return op;
}

describe('a stateful application through its lifecycle', () => {
  const app = 'counter';
  // The savepoint holds a count between these two readings.
  let olderBefore = 0;
  let olderAfter = 0;

  it('starts RUNNING only once Flink runs the job, from empty state', async () => {
    await create(app, 'counter');
    const op = await start(app);
    expect(op.OperationStatus).toBe('SUCCESSFUL');
    expect((await describeApp(app)).ApplicationStatus).toBe('RUNNING');
    const first = await waitForCount(countFile(app), 5);
    expect(first.startedFrom).toBe(1);
  });

  it('serves the live Flink dashboard as the presigned URL', async () => {
    const { AuthorizedUrl } = await h.kda.send(
      new CreateApplicationPresignedUrlCommand({ ApplicationName: app, UrlType: 'FLINK_DASHBOARD_URL' }),
    );
    const overview = (await (await fetch(`${AuthorizedUrl}/overview`)).json()) as Record<string, unknown>;
    expect(overview['jobs-running']).toBe(1);
  });

  it('takes a named snapshot that is a real savepoint', async () => {
    await poll(
      'all tasks running',
      async () => ((await readCountFile(countFile(app)))?.count ?? 0) > 20 || undefined,
    );
    olderBefore = (await readCountFile(countFile(app)))!.count;
    const s = await snapshot(app, 'older');
    expect(s.SnapshotStatus).toBe('READY');
    olderAfter = (await readCountFile(countFile(app)))!.count;
  });

  it('stop takes a snapshot and the next start continues the count from it', async () => {
    await waitForCount(countFile(app), olderAfter + 20);
    const stopped = await stop(app);
    expect(stopped.OperationStatus).toBe('SUCCESSFUL');
    const lastCount = (await readCountFile(countFile(app)))!.count;
    expect((await describeApp(app)).ApplicationStatus).toBe('READY');
    const { SnapshotSummaries } = await h.kda.send(
      new ListApplicationSnapshotsCommand({ ApplicationName: app }),
    );
    expect(SnapshotSummaries!.map((s) => s.SnapshotName)).toHaveLength(2);

    expect((await start(app)).OperationStatus).toBe('SUCCESSFUL');
    const resumed = await waitForCount(countFile(app), lastCount + 1);
    expect(resumed.startedFrom).toBe(lastCount + 1);
  });

  it('an update of a RUNNING application restarts it from the snapshot it takes', async () => {
    await waitForCount(countFile(app), 5);
    const before = (await readCountFile(countFile(app)))!.count;
    const op = await update(app, { jar: 'counter' });
    expect(op.OperationStatus).toBe('SUCCESSFUL');
    const after = await waitForCount(countFile(app), 1);
    expect(after.startedFrom).toBeGreaterThan(before);
    expect((await describeApp(app)).ApplicationVersionId).toBe(2);
  });

  it('restarts from a named older snapshot, and from no snapshot', async () => {
    await stop(app);
    expect((await start(app, 'RESTORE_FROM_CUSTOM_SNAPSHOT', 'older')).OperationStatus).toBe('SUCCESSFUL');
    const fromOlder = await waitForCount(countFile(app), 1);
    expect(fromOlder.startedFrom).toBeGreaterThanOrEqual(olderBefore + 1);
    expect(fromOlder.startedFrom).toBeLessThanOrEqual(olderAfter + 1);

    await stop(app, true);
    expect((await start(app, 'SKIP_RESTORE_FROM_SNAPSHOT')).OperationStatus).toBe('SUCCESSFUL');
    expect((await waitForCount(countFile(app), 1)).startedFrom).toBe(1);
  });

  it("an update that drops a stateful operator fails with Flink's error unless AllowNonRestoredState", async () => {
    await waitForCount(countFile(app), 5);
    // The last start skipped restoring; the restore type sticks to the application unless an update says.
    const failed = await update(app, { jar: 'counterRemoved', restore: 'RESTORE_FROM_LATEST_SNAPSHOT' });
    expect(failed.OperationStatus).toBe('FAILED');
    expect(failed.OperationFailureDetails?.ErrorInfo?.ErrorString).toMatch(
      /Cannot map checkpoint\/savepoint state/,
    );
    expect(failed.OperationFailureDetails?.ErrorInfo?.ErrorString!.length).toBeLessThanOrEqual(512);
    expect((await describeApp(app)).ApplicationStatus).toBe('READY');

    const started = await start(app, 'RESTORE_FROM_LATEST_SNAPSHOT', undefined, true);
    expect(started.OperationStatus).toBe('SUCCESSFUL');
    expect((await describeApp(app)).ApplicationStatus).toBe('RUNNING');
    await stop(app, true);
  });
});

describe('system rollback on real Flink', () => {
  it('a uid rename breaks the restore; the service rolls back to the previous version with its state', async () => {
    const app = 'rollback';
    await create(app, 'counter', { rollback: true });
    await start(app);
    await waitForCount(countFile(app), 20);
    const failed = await update(app, { jar: 'counterRenamed' });
    expect(failed.OperationStatus).toBe('FAILED');
    expect(failed.OperationFailureDetails?.ErrorInfo?.ErrorString).toMatch(
      /Cannot map checkpoint\/savepoint state/,
    );
    const rollbackId = failed.OperationFailureDetails?.RollbackOperationId;
    expect(rollbackId).toBeDefined();
    expect((await waitOperation(app, rollbackId!)).OperationStatus).toBe('SUCCESSFUL');
    const detail = await describeApp(app);
    expect(detail).toMatchObject({
      ApplicationStatus: 'RUNNING',
      ApplicationVersionId: 3,
      ApplicationVersionRolledBackTo: 1,
    });
    const resumed = await waitForCount(countFile(app), 1);
    expect(resumed.startedFrom).toBeGreaterThan(20);
    await stop(app, true);
  });
});

describe('code sent inline', () => {
  it('a JAR given as ZipFileContent runs, and DescribeApplication can show its Flink plan', async () => {
    const app = 'inline-code';
    await h.kda.send(
      new CreateApplicationCommand({
        ApplicationName: app,
        RuntimeEnvironment: 'FLINK-1_19',
        ServiceExecutionRole: TEST_ROLE,
        ApplicationConfiguration: {
          ApplicationCodeConfiguration: {
            CodeContentType: 'ZIPFILE',
            CodeContent: { ZipFileContent: await readFile(jobs.counter) },
          },
          EnvironmentProperties: {
            PropertyGroups: [{ PropertyGroupId: 'TestJob', PropertyMap: { outputFile: countFile(app) } }],
          },
        },
      }),
    );
    expect((await start(app)).OperationStatus).toBe('SUCCESSFUL');
    await waitForCount(countFile(app), 2);

    const detail = (
      await h.kda.send(
        new DescribeApplicationCommand({ ApplicationName: app, IncludeAdditionalDetails: true }),
      )
    ).ApplicationDetail!;
    const plan = JSON.parse(
      detail.ApplicationConfigurationDescription!.FlinkApplicationConfigurationDescription!
        .JobPlanDescription!,
    ) as { type: string; nodes: { description: string }[] };
    expect(plan.type).toBe('STREAMING');
    expect(plan.nodes.length).toBeGreaterThan(1);
    expect((await stop(app, true)).OperationStatus).toBe('SUCCESSFUL');
  });
});

describe('jobs that cannot start or keep failing', () => {
  it("a missing entry class fails the start with Flink's message and leaves the application READY", async () => {
    await create('bad-entry', 'badEntry');
    const op = await start('bad-entry');
    expect(op.OperationStatus).toBe('FAILED');
    expect(op.OperationFailureDetails?.ErrorInfo?.ErrorString).toMatch(
      /ProgramInvocationException: .*was not found in the jar file/,
    );
    expect((await describeApp('bad-entry')).ApplicationStatus).toBe('READY');
  });

  it('a job that throws keeps the application RUNNING; snapshots and stops are refused; force stop works', async () => {
    const app = 'failing';
    await create(app, 'failing');
    expect((await start(app)).OperationStatus).toBe('SUCCESSFUL');
    // Wait for the first failure of the job: from then on the service reports downtime. (An attempt that
    // comes before the first failure may still succeed, so every attempt uses a new snapshot name.)
    let attempt = 0;
    const refused = await waitFor(
      () =>
        failureOf(
          h.kda.send(
            new CreateApplicationSnapshotCommand({ ApplicationName: app, SnapshotName: `s${attempt++}` }),
          ),
        ).catch((e: Error) => e),
      (e) => e?.name === 'InvalidApplicationConfigurationException',
      60_000,
    );
    expect(refused.message).toContain('The application is currently experiencing downtime');
    expect((await describeApp(app)).ApplicationStatus).toBe('RUNNING');

    // Only the metrics tell: restarts climb in CloudWatch while the status says RUNNING.
    const cloudwatch = new CloudWatchClient({
      endpoint: h.server.url,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
    });
    const restarts = async () => {
      const now = Date.now();
      const { MetricDataResults } = await cloudwatch.send(
        new GetMetricDataCommand({
          StartTime: new Date(now - 10 * 60_000),
          EndTime: new Date(now + 60_000),
          MetricDataQueries: [
            {
              Id: 'restarts',
              MetricStat: {
                Metric: {
                  Namespace: 'AWS/KinesisAnalytics',
                  MetricName: 'fullRestarts',
                  Dimensions: [{ Name: 'Application', Value: app }],
                },
                Period: 60,
                Stat: 'Maximum',
              },
            },
          ],
        }),
      );
      return Math.max(0, ...(MetricDataResults?.[0]?.Values ?? []));
    };
    const first = await waitFor(restarts, (n) => n >= 1, 60_000);
    expect(await waitFor(restarts, (n) => n > first, 60_000)).toBeGreaterThan(first);
    cloudwatch.destroy();

    const stopRefused = await failureOf(h.kda.send(new StopApplicationCommand({ ApplicationName: app })));
    expect(stopRefused.name).toBe('InvalidApplicationConfigurationException');
    expect((await stop(app, true)).OperationStatus).toBe('SUCCESSFUL');
    expect((await describeApp(app)).ApplicationStatus).toBe('READY');
  });
});

describe('runtime upgrade', () => {
  it('FLINK-1_19 → FLINK-1_20 snapshots on the old cluster and restores on the new one', async () => {
    const app = 'upgrade';
    await create(app, 'counter');
    await start(app);
    await waitForCount(countFile(app), 20);
    const op = await update(app, { runtime: 'FLINK-1_20' });
    expect(op.OperationStatus).toBe('SUCCESSFUL');
    const detail = await describeApp(app);
    expect(detail).toMatchObject({ RuntimeEnvironment: 'FLINK-1_20', ApplicationStatus: 'RUNNING' });
    const resumed = await waitForCount(countFile(app), 1);
    expect(resumed.startedFrom).toBeGreaterThan(20);
    const { AuthorizedUrl } = await h.kda.send(
      new CreateApplicationPresignedUrlCommand({ ApplicationName: app, UrlType: 'FLINK_DASHBOARD_URL' }),
    );
    const overview = (await (await fetch(`${AuthorizedUrl}/overview`)).json()) as Record<string, unknown>;
    expect(String(overview['flink-version'])).toMatch(/^1\.20\./);
    await stop(app, true);
  });
});

describe('msf-local restarts', () => {
  it('brings a RUNNING application back from its latest checkpoint', async () => {
    const app = 'survivor';
    await create(app, 'counter', { checkpointMs: 1000 });
    await start(app);
    await waitForCount(countFile(app), 30);
    // Let a checkpoint complete after the count passed 30.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    await h.restart();
    expect((await describeApp(app)).ApplicationStatus).toBe('RUNNING');
    await rm(countFile(app), { force: true });
    const resumed = await waitForCount(countFile(app), 1);
    expect(resumed.startedFrom).toBeGreaterThan(30);
    await stop(app, true);
  });
});
