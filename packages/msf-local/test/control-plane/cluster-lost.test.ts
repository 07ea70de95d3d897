/**
 * A job whose cluster JVM dies (kill -9, crash) is restarted by the supervisor as MSF restarts a failed job:
 * after the restart delay, from its latest checkpoint (else the latest snapshot, else empty), again and again
 * while that fails, never during another operation. Through the SDK against msf-local with a test double as
 * job runtime; test/flink/cluster-lost.flink.test.ts does the same on real Flink.
 */
import {
  CreateApplicationCommand,
  CreateApplicationSnapshotCommand,
  DescribeApplicationCommand,
  DescribeApplicationSnapshotCommand,
  ListApplicationOperationsCommand,
  StartApplicationCommand,
  StopApplicationCommand,
} from '@aws-sdk/client-kinesis-analytics-v2';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeJobRuntime } from '../support/fake-job-runtime.js';
import { startHarness, waitFor, type Harness, TEST_ROLE } from '../support/msf-local-harness.js';

const runtime = new FakeJobRuntime(5);
const logs: string[] = [];
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ runtime, log: (m) => logs.push(m), controlPlane: { restartDelayMs: 50 } });
  await h.s3.send(new CreateBucketCommand({ Bucket: 'code' }));
  await h.s3.send(new PutObjectCommand({ Bucket: 'code', Key: 'v1.jar', Body: Buffer.from('v1') }));
});
afterAll(() => h.close());

const statusOf = async (name: string) =>
  (await h.kda.send(new DescribeApplicationCommand({ ApplicationName: name }))).ApplicationDetail!
    .ApplicationStatus;
const launchesOf = (name: string) => runtime.launches.filter((l) => l.applicationName === name);

async function startRunning(name: string): Promise<void> {
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
        ApplicationSnapshotConfiguration: { SnapshotsEnabled: true },
      },
    }),
  );
  await h.kda.send(new StartApplicationCommand({ ApplicationName: name }));
  await waitFor(
    () => statusOf(name),
    (s) => s === 'RUNNING',
  );
}

/** Waits until `name` has had `count` launches and its job runs again. */
const waitLaunches = (name: string, count: number) =>
  waitFor(
    async () => launchesOf(name).length >= count && runtime.hasJob(name),
    (ok) => ok,
  );

describe('a lost cluster JVM', () => {
  it('restarts the job from its latest checkpoint; the application stays RUNNING with no new operation', async () => {
    await startRunning('ckpt');
    const operations = async () =>
      (await h.kda.send(new ListApplicationOperationsCommand({ ApplicationName: 'ckpt' })))
        .ApplicationOperationInfoList!.length;
    const before = await operations();
    runtime.setRetainedCheckpoint({ path: '/ckpt/chk-7', completedAt: Date.now() });
    try {
      runtime.loseCluster('ckpt');
      await waitLaunches('ckpt', 2);
    } finally {
      runtime.setRetainedCheckpoint(undefined);
    }
    expect(launchesOf('ckpt')[1]!.restore?.snapshotPath).toBe('/ckpt/chk-7');
    expect(await statusOf('ckpt')).toBe('RUNNING');
    expect(await operations()).toBe(before);
    expect(logs).toContain('restarting the job of ckpt from its latest checkpoint /ckpt/chk-7');
  });

  it('without a checkpoint of this run restores the latest snapshot, else starts empty', async () => {
    await startRunning('snap');
    // A checkpoint older than the run (left by an earlier one) is not this job's state.
    runtime.setRetainedCheckpoint({ path: '/old/chk-1', completedAt: Date.now() - 3_600_000 });
    try {
      runtime.loseCluster('snap');
      await waitLaunches('snap', 2);
      expect(launchesOf('snap')[1]!.restore).toBeUndefined();
      expect(logs).toContain(
        'restarting the job of snap from empty state (no checkpoint of this run, no snapshot)',
      );

      await h.kda.send(
        new CreateApplicationSnapshotCommand({ ApplicationName: 'snap', SnapshotName: 'manual' }),
      );
      await waitFor(
        async () =>
          (
            await h.kda.send(
              new DescribeApplicationSnapshotCommand({ ApplicationName: 'snap', SnapshotName: 'manual' }),
            )
          ).SnapshotDetails!.SnapshotStatus,
        (status) => status === 'READY',
      );
      const snapshotPath = runtime.snapshotPaths.at(-1);
      expect(snapshotPath).toBeDefined();
      runtime.loseCluster('snap');
      await waitLaunches('snap', 3);
      expect(launchesOf('snap')[2]!.restore?.snapshotPath).toBe(snapshotPath);
    } finally {
      runtime.setRetainedCheckpoint(undefined);
    }
    expect(await statusOf('snap')).toBe('RUNNING');
  });

  it('keeps trying, with the delay, while restarts fail', async () => {
    await startRunning('flaky');
    runtime.failNextStart('flaky', 'java.lang.RuntimeException: no slots');
    runtime.failNextStart('flaky', 'java.lang.RuntimeException: no slots');
    runtime.loseCluster('flaky');
    await waitLaunches('flaky', 4);
    expect(await statusOf('flaky')).toBe('RUNNING');
    expect(logs.some((m) => /^restart 2 of flaky failed: java.lang.RuntimeException: no slots/.test(m))).toBe(
      true,
    );
  });

  it('does not restart once a stop is under way', async () => {
    await startRunning('stopped');
    runtime.failNextStart('stopped', 'java.lang.RuntimeException: no slots');
    runtime.loseCluster('stopped');
    await waitFor(
      async () => launchesOf('stopped').length,
      (n) => n >= 2,
    );
    await h.kda.send(new StopApplicationCommand({ ApplicationName: 'stopped', Force: true }));
    await waitFor(
      () => statusOf('stopped'),
      (s) => s === 'READY',
    );
    const launches = launchesOf('stopped').length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(launchesOf('stopped').length).toBe(launches);
    expect(runtime.hasJob('stopped')).toBe(false);
  });
});
