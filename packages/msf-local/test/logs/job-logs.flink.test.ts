/**
 * Job logs delivered as MSF delivers them, end to end on real Flink: an application with a CloudWatch logging
 * option has its Flink and user-code log events in that log stream as MSF's JSON records, at the application's log
 * level, read back with the Debian AWS CLI's `aws logs filter-log-events`; a configuration update that changes the
 * level shows in the records; an application without logging options ships nothing.
 */
import { readFile, rm } from 'node:fs/promises';
import {
  CreateApplicationCommand,
  DescribeApplicationCommand,
  DescribeApplicationOperationCommand,
  StartApplicationCommand,
  StopApplicationCommand,
  UpdateApplicationCommand,
} from '@aws-sdk/client-kinesis-analytics-v2';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDir, waitForCount } from '../fixtures/flink-launch.js';
import { buildTestJobs, type TestJobJars } from '../fixtures/test-jobs.js';
import { awsCliJson } from '../support/aws-cli.js';
import { startHarness, TEST_ROLE, waitFor, type Harness } from '../support/msf-local-harness.js';

let h: Harness;
let jobs: TestJobJars;
let root: string;

beforeAll(async () => {
  jobs = await buildTestJobs();
  root = await scratchDir('job-logs');
  h = await startHarness({ flink: { restartDelayMs: 1000 } });
  await h.s3.send(new CreateBucketCommand({ Bucket: 'jobs' }));
  for (const name of ['counter', 'failing'] as const) {
    await h.s3.send(
      new PutObjectCommand({ Bucket: 'jobs', Key: `${name}.jar`, Body: await readFile(jobs[name]) }),
    );
  }
});
afterAll(async () => {
  await h?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

interface MsfRecord {
  locationInformation: string;
  logger: string;
  message: string;
  throwableInformation?: string[];
  threadName: string;
  applicationARN: string;
  applicationVersionId: string;
  messageSchemaVersion: string;
  messageType: string;
}

const cli = <T>(args: string[]) => awsCliJson<T>(h.server.url, args);

/** The records `aws logs filter-log-events` finds in `group` for `pattern` (every page). */
async function records(group: string, pattern: string): Promise<MsfRecord[]> {
  const out = await cli<{ events: { message: string }[] }>([
    'logs',
    'filter-log-events',
    '--log-group-name',
    group,
    '--filter-pattern',
    pattern,
  ]);
  return out.events.map((e) => JSON.parse(e.message) as MsfRecord);
}

async function logStream(group: string, stream: string): Promise<string> {
  await cli(['logs', 'create-log-group', '--log-group-name', group]);
  await cli(['logs', 'create-log-stream', '--log-group-name', group, '--log-stream-name', stream]);
  return `arn:aws:logs:us-east-1:000000000000:log-group:${group}:log-stream:${stream}`;
}

async function createApp(
  name: string,
  jar: 'counter' | 'failing',
  logStreamArn: string | undefined,
  logLevel: 'INFO' | 'WARN',
  runtime: 'FLINK-1_19' | 'FLINK-2_2' = 'FLINK-1_19',
) {
  const { ApplicationDetail } = await h.kda.send(
    new CreateApplicationCommand({
      ApplicationName: name,
      RuntimeEnvironment: runtime,
      ServiceExecutionRole: TEST_ROLE,
      CloudWatchLoggingOptions: logStreamArn ? [{ LogStreamARN: logStreamArn }] : undefined,
      ApplicationConfiguration: {
        ApplicationCodeConfiguration: {
          CodeContentType: 'ZIPFILE',
          CodeContent: { S3ContentLocation: { BucketARN: 'arn:aws:s3:::jobs', FileKey: `${jar}.jar` } },
        },
        EnvironmentProperties: {
          PropertyGroups: [
            {
              PropertyGroupId: 'TestJob',
              PropertyMap: { outputFile: `${root}/${name}.json`, ticksPerSecond: '5', logEachCount: 'true' },
            },
          ],
        },
        FlinkApplicationConfiguration: {
          MonitoringConfiguration: {
            ConfigurationType: 'CUSTOM',
            LogLevel: logLevel,
            MetricsLevel: 'APPLICATION',
          },
        },
      },
    }),
  );
  return ApplicationDetail!;
}

async function settle(app: string, operationId: string) {
  const op = await waitFor(
    async () =>
      (
        await h.kda.send(
          new DescribeApplicationOperationCommand({ ApplicationName: app, OperationId: operationId }),
        )
      ).ApplicationOperationInfoDetails!,
    (o) => o.OperationStatus !== 'IN_PROGRESS',
    300_000,
  );
  expect(op.OperationStatus).toBe('SUCCESSFUL');
}

async function startApp(app: string) {
  const { OperationId } = await h.kda.send(
    new StartApplicationCommand({
      ApplicationName: app,
      RunConfiguration: {
        ApplicationRestoreConfiguration: { ApplicationRestoreType: 'SKIP_RESTORE_FROM_SNAPSHOT' },
      },
    }),
  );
  await settle(app, OperationId!);
}

/** Polls `aws logs filter-log-events` until at least `min` records match. */
function recordsAtLeast(group: string, pattern: string, min = 1): Promise<MsfRecord[]> {
  return waitFor(
    () => records(group, pattern),
    (found) => found.length >= min,
    120_000,
  );
}

describe('job logs in CloudWatch Logs', () => {
  it('ships Flink and job log records in MSF format at the application log level; a level update takes effect', async () => {
    const group = '/aws/kinesis-analytics/logs-app';
    const arn = await logStream(group, 'kinesis-analytics-log-stream');
    const app = await createApp('logs-app', 'counter', arn, 'INFO');
    await startApp('logs-app');

    const userInfo = await recordsAtLeast(
      group,
      '{ $.logger = "msflocal.testjobs.CountFileWriter" && $.messageType = "INFO" }',
    );
    const record = userInfo[0]!;
    expect(Object.keys(record)).toEqual([
      'locationInformation',
      'logger',
      'message',
      'threadName',
      'applicationARN',
      'applicationVersionId',
      'messageSchemaVersion',
      'messageType',
    ]);
    expect(record).toMatchObject({
      logger: 'msflocal.testjobs.CountFileWriter',
      applicationARN: app.ApplicationARN,
      applicationVersionId: '1',
      messageSchemaVersion: '1',
      messageType: 'INFO',
    });
    expect(record.message).toMatch(/^msf-local test job counted \d+ at INFO$/);
    expect(record.locationInformation).toMatch(
      /^msflocal\.testjobs\.CountFileWriter\.processElement\(CountFileWriter\.java:\d+\)$/,
    );
    expect(record.threadName).toMatch(/count-file/);
    // Flink's own job manager and task manager logging goes to the same stream.
    expect((await recordsAtLeast(group, '{ $.logger = "org.apache.flink.*" }')).length).toBeGreaterThan(0);
    expect(await recordsAtLeast(group, '"switched from INITIALIZING to RUNNING"')).not.toHaveLength(0);

    // Raise the level to WARN: version 2's job logs its WARN records and no INFO ones.
    const current = (await h.kda.send(new DescribeApplicationCommand({ ApplicationName: 'logs-app' })))
      .ApplicationDetail!;
    const { OperationId } = await h.kda.send(
      new UpdateApplicationCommand({
        ApplicationName: 'logs-app',
        CurrentApplicationVersionId: current.ApplicationVersionId,
        ApplicationConfigurationUpdate: {
          FlinkApplicationConfigurationUpdate: {
            MonitoringConfigurationUpdate: { ConfigurationTypeUpdate: 'CUSTOM', LogLevelUpdate: 'WARN' },
          },
        },
      }),
    );
    await settle('logs-app', OperationId!);
    const warnings = await recordsAtLeast(
      group,
      '{ $.applicationVersionId = "2" && $.logger = "msflocal.testjobs.CountFileWriter" }',
      3,
    );
    expect(warnings.every((r) => r.messageType === 'WARN' && / at WARN$/.test(r.message))).toBe(true);
    expect(await records(group, '{ $.applicationVersionId = "2" && $.messageType = "INFO" }')).toEqual([]);
    expect(await records(group, '{ $.applicationVersionId = "1" && $.message = "*at WARN" }')).not.toEqual(
      [],
    );

    const stop = await h.kda.send(new StopApplicationCommand({ ApplicationName: 'logs-app', Force: true }));
    await settle('logs-app', stop.OperationId!);
  });

  it("carries a failing job's exception as throwableInformation", async () => {
    const group = '/aws/kinesis-analytics/failing-app';
    const arn = await logStream(group, 'kinesis-analytics-log-stream');
    await createApp('failing-app', 'failing', arn, 'INFO');
    await startApp('failing-app');
    const failures = await recordsAtLeast(group, '"fails on record"');
    const withTrace = failures.find((r) =>
      /^java\.lang\.IllegalStateException: msf-local test job fails on record \d+ on purpose$/.test(
        r.throwableInformation?.[0] ?? '',
      ),
    );
    expect(withTrace, JSON.stringify(failures.slice(0, 3))).toBeDefined();
    expect(
      withTrace!.throwableInformation!.some((line) => line.includes('at msflocal.testjobs.TestJob.explode')),
    ).toBe(true);
    const stop = await h.kda.send(
      new StopApplicationCommand({ ApplicationName: 'failing-app', Force: true }),
    );
    await settle('failing-app', stop.OperationId!);
  });

  it('ships the records of a FLINK-2_2 application too (its log4j is another version)', async () => {
    const group = '/aws/kinesis-analytics/flink-2';
    const arn = await logStream(group, 'kinesis-analytics-log-stream');
    const app = await createApp('flink-2-app', 'counter', arn, 'INFO', 'FLINK-2_2');
    await startApp('flink-2-app');
    const [record] = await recordsAtLeast(group, '{ $.logger = "msflocal.testjobs.CountFileWriter" }');
    expect(record).toMatchObject({ applicationARN: app.ApplicationARN, applicationVersionId: '1' });
    expect(record!.locationInformation).toMatch(/^msflocal\.testjobs\.CountFileWriter\.processElement\(/);
    const stop = await h.kda.send(
      new StopApplicationCommand({ ApplicationName: 'flink-2-app', Force: true }),
    );
    await settle('flink-2-app', stop.OperationId!);
  });

  it('ships nothing for an application without logging options', async () => {
    const group = '/aws/kinesis-analytics/silent';
    await logStream(group, 'kinesis-analytics-log-stream');
    await createApp('silent-app', 'counter', undefined, 'INFO');
    await startApp('silent-app');
    // The job runs and logs every count at INFO and WARN; none of it reaches a stream.
    await waitForCount(`${root}/silent-app.json`, 10);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const everything = await cli<{ logGroups: { storedBytes: number; logGroupName: string }[] }>([
      'logs',
      'describe-log-groups',
    ]);
    expect(everything.logGroups.find((g) => g.logGroupName === group)?.storedBytes).toBe(0);
    const stop = await h.kda.send(new StopApplicationCommand({ ApplicationName: 'silent-app', Force: true }));
    await settle('silent-app', stop.OperationId!);
  });
});
