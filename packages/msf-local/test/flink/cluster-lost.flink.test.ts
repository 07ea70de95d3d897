/**
 * kill -9 of an application's cluster JVM: msf-local notices at once and, as MSF restarts a failed job, starts
 * the job again on a new JVM from its latest checkpoint; the application stays RUNNING, CloudWatch shows the
 * restart and only one JVM of the application runs. Real Flink, the SDK against msf-local.
 */
import { execFileSync } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import {
  CreateApplicationCommand,
  DescribeApplicationCommand,
  StartApplicationCommand,
} from '@aws-sdk/client-kinesis-analytics-v2';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlinkJobRuntime } from '../../src/flink/index.js';
import { processExists, readCountFile, scratchDir, waitFor } from '../fixtures/flink-launch.js';
import { buildTestJobs, type TestJobJars } from '../fixtures/test-jobs.js';
import { startHarness, TEST_CREDENTIALS, TEST_ROLE, type Harness } from '../support/msf-local-harness.js';

const app = 'killed';
let h: Harness;
let jobs: TestJobJars;
let root: string;
let runtime: FlinkJobRuntime;
const logs: string[] = [];

beforeAll(async () => {
  jobs = await buildTestJobs();
  root = await scratchDir('cluster-lost');
  runtime = new FlinkJobRuntime({ restartDelayMs: 1_000 });
  h = await startHarness({
    runtime,
    controlPlane: { restartDelayMs: 1_000 },
    metricsIntervalMs: 1_000,
    log: (m) => logs.push(m),
  });
  await h.s3.send(new CreateBucketCommand({ Bucket: 'jobs' }));
  await h.s3.send(
    new PutObjectCommand({ Bucket: 'jobs', Key: 'counter.jar', Body: await readFile(jobs.counter) }),
  );
});
afterAll(async () => {
  await h?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

const countFile = () => path.join(root, 'count.json');
const status = async () =>
  (await h.kda.send(new DescribeApplicationCommand({ ApplicationName: app }))).ApplicationDetail!
    .ApplicationStatus;

/** PIDs of every JVM whose command line names this application's work directory (its cluster JVMs). */
function jvmsOf(workDir: string): number[] {
  const ps = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return ps
    .split('\n')
    .filter((line) => line.includes(`${workDir}/`) && /\bjava\b/.test(line))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

/** The Maximum of `metricName` of the application over the last ten minutes in msf-local's CloudWatch. */
async function maxInCloudWatch(metricName: string): Promise<number> {
  const cloudwatch = new CloudWatchClient({
    endpoint: h.server.url,
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
  });
  try {
    const now = Date.now();
    const { MetricDataResults } = await cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(now - 10 * 60_000),
        EndTime: new Date(now + 60_000),
        MetricDataQueries: [
          {
            Id: 'm',
            MetricStat: {
              Metric: {
                Namespace: 'AWS/KinesisAnalytics',
                MetricName: metricName,
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
  } finally {
    cloudwatch.destroy();
  }
}

describe('kill -9 of a cluster JVM', () => {
  it('restarts the job on a new JVM from its latest checkpoint; RUNNING throughout; the restart is counted', async () => {
    await h.kda.send(
      new CreateApplicationCommand({
        ApplicationName: app,
        RuntimeEnvironment: 'FLINK-1_19',
        ServiceExecutionRole: TEST_ROLE,
        ApplicationConfiguration: {
          ApplicationCodeConfiguration: {
            CodeContentType: 'ZIPFILE',
            CodeContent: { S3ContentLocation: { BucketARN: 'arn:aws:s3:::jobs', FileKey: 'counter.jar' } },
          },
          EnvironmentProperties: {
            PropertyGroups: [{ PropertyGroupId: 'TestJob', PropertyMap: { outputFile: countFile() } }],
          },
          FlinkApplicationConfiguration: {
            CheckpointConfiguration: {
              ConfigurationType: 'CUSTOM',
              CheckpointInterval: 1_000,
              MinPauseBetweenCheckpoints: 0,
            },
          },
        },
      }),
    );
    await h.kda.send(new StartApplicationCommand({ ApplicationName: app }));
    await waitFor('RUNNING', async () => ((await status()) === 'RUNNING' ? true : undefined), 180_000);
    const workDir = path.join(h.dataDir, 'applications', app);
    await waitFor('a completed checkpoint', () => runtime.retainedCheckpoint(workDir), 60_000);
    const before = await waitFor('counting', async () => {
      const file = await readCountFile(countFile());
      return file && file.count >= 3 ? file : undefined;
    });
    expect(before.startedFrom).toBe(1);

    const killed = runtime.clusterPids()[app]!;
    expect(jvmsOf(workDir)).toEqual([killed]);
    process.kill(killed, 'SIGKILL');
    expect(await status()).toBe('RUNNING'); // as on MSF: the service restarts the job, the status stays
    await waitFor('the killed JVM to be gone', async () => (processExists(killed) ? undefined : true));

    // A new JVM, the job running there again, its state restored from the checkpoint (not from count 1).
    const fresh = await waitFor(
      'the restarted job',
      async () => {
        const pid = runtime.clusterPids()[app];
        const file = await readCountFile(countFile());
        return pid && pid !== killed && file && file.startedFrom > 1 ? { pid, file } : undefined;
      },
      90_000,
    );
    expect(fresh.file.startedFrom).toBeGreaterThan(1);
    expect(logs.some((m) => m.startsWith(`restarting the job of ${app} from its latest checkpoint `))).toBe(
      true,
    );
    expect(await status()).toBe('RUNNING');
    expect((await runtime.observe(app)).state).toBe('RUNNING');
    expect(jvmsOf(workDir)).toEqual([fresh.pid]);
    // The loss counts as a restart, and the outage until the new JVM ran shows as downtime.
    const restarts = await waitFor(
      'the restart in CloudWatch',
      async () => ((await maxInCloudWatch('numRestarts')) >= 1 ? maxInCloudWatch('numRestarts') : undefined),
      30_000,
    );
    expect(restarts).toBeGreaterThanOrEqual(1);
    expect(await maxInCloudWatch('downtime')).toBeGreaterThan(0);
  });
});
