import { promises as fs } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { FlinkJobRuntime } from '../../src/flink/index.js';
import {
  countFilePath,
  processExists,
  readCountFile,
  scratchDir,
  testJobLaunch,
  waitFor,
  waitForCount,
} from '../fixtures/flink-launch.js';
import { buildTestJobs, type TestJobJars } from '../fixtures/test-jobs.js';

// One application through its lifecycle on real Flink 1.19: the tests run in order and share its state.
describe('FlinkJobRuntime lifecycle (FLINK-1_19)', () => {
  const app = 'lifecycle';
  let root: string;
  let jobs: TestJobJars;
  let runtime: FlinkJobRuntime;
  let countFile: string;
  let firstPid: number | undefined;
  let olderSnapshot: { path: string; countBefore: number; countAfter: number };
  let stopSnapshot: { path: string; lastCount: number };

  const launch = (restore?: { snapshotPath: string; allowNonRestoredState: boolean }) =>
    testJobLaunch(root, app, jobs.counter, restore ? { restore } : {});

  /** Starts with a fresh count file, so the next count read is the new run's. */
  const start = async (restore?: { snapshotPath: string; allowNonRestoredState: boolean }) => {
    await fs.rm(countFile, { force: true });
    await runtime.start(launch(restore));
  };

  beforeAll(async () => {
    jobs = await buildTestJobs();
    root = await scratchDir('lifecycle');
    countFile = countFilePath(root, app);
    runtime = new FlinkJobRuntime();
  });

  afterAll(async () => {
    await runtime?.close();
    if (root) await fs.rm(root, { recursive: true, force: true });
  });

  it('starts the job with empty state and reports it RUNNING, with its dashboard', async () => {
    await start();
    const observed = await runtime.observe(app);
    expect(observed.state).toBe('RUNNING');
    expect(observed.restarts).toBe(0);
    firstPid = runtime.clusterPids()[app];
    expect(firstPid).toBeGreaterThan(0);

    const first = await waitForCount(countFile, 10);
    expect(first.startedFrom).toBe(1);

    const dashboard = runtime.dashboardUrl(app);
    expect(dashboard).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const overview = (await (await fetch(`${dashboard}/overview`)).json()) as Record<string, unknown>;
    expect(overview['flink-version']).toBe('1.19.3');
    expect(overview['jobs-running']).toBe(1);

    await waitFor('all tasks running', async () =>
      (await runtime.observe(app)).allTasksRunning ? true : undefined,
    );
  });

  it('reports job metrics from Flink', async () => {
    // Flink's metric fetcher refreshes vertices independently: wait until records show on both sides.
    const metrics = await waitFor('metrics with records in and out', async () => {
      const m = await runtime.metrics(app);
      return m && (m.numRecordsIn ?? 0) > 0 && (m.numRecordsOut ?? 0) > 0 && (m.uptime ?? 0) > 0
        ? m
        : undefined;
    });
    expect(metrics.numRestarts).toBe(0);
    expect(metrics.fullRestarts).toBe(0);
    expect(metrics.downtime).toBe(0);
    expect(metrics.numberOfFailedCheckpoints).toBe(0);
    expect(metrics.numRecordsOut).toBeGreaterThan(0);
    expect(metrics).toHaveProperty('lastCheckpointDuration');
    expect(metrics).toHaveProperty('lastCheckpointSize');
  });

  it('takes a savepoint and keeps the job running', async () => {
    const countBefore = (await readCountFile(countFile))!.count;
    const path = await runtime.snapshot(app);
    const countAfter = (await readCountFile(countFile))!.count;
    olderSnapshot = { path, countBefore, countAfter };
    expect(path.startsWith(testJobLaunch(root, app, jobs.counter).snapshotDir)).toBe(true);
    await expect(fs.stat(`${path}/_metadata`)).resolves.toBeTruthy();
    expect((await runtime.observe(app)).state).toBe('RUNNING');
    await waitForCount(countFile, countAfter + 20);
  });

  it('stops with a savepoint; the application no longer shows a cluster', async () => {
    const path = await runtime.stopWithSnapshot(app);
    const lastCount = (await readCountFile(countFile))!.count;
    stopSnapshot = { path, lastCount };
    await expect(fs.stat(`${path}/_metadata`)).resolves.toBeTruthy();
    expect(await runtime.observe(app)).toEqual({ state: 'NONE', allTasksRunning: false, restarts: 0 });
    expect(await runtime.metrics(app)).toBeUndefined();
    expect(runtime.dashboardUrl(app)).toBeUndefined();
    expect(runtime.clusterPids()[app]).toBeUndefined();
    // Stopped means stopped: the job writes nothing any more.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await readCountFile(countFile))!.count).toBe(lastCount);
  });

  it('restores from the stop savepoint: the counter continues exactly where it stopped', async () => {
    await start({ snapshotPath: stopSnapshot.path, allowNonRestoredState: false });
    const resumed = await waitForCount(countFile, stopSnapshot.lastCount + 5);
    expect(resumed.startedFrom).toBe(stopSnapshot.lastCount + 1);
    // Started right after the stop with the same JVM-level settings: the parked JVM runs the new job.
    expect(runtime.clusterPids()[app]).toBe(firstPid);
  });

  it('restores from an older savepoint: the counter goes back to that point', async () => {
    await runtime.stopWithSnapshot(app);
    await start({ snapshotPath: olderSnapshot.path, allowNonRestoredState: false });
    const resumed = await waitForCount(countFile, 1);
    expect(resumed.startedFrom - 1).toBeGreaterThanOrEqual(olderSnapshot.countBefore);
    expect(resumed.startedFrom - 1).toBeLessThanOrEqual(olderSnapshot.countAfter);
    expect(resumed.startedFrom).toBeLessThan(stopSnapshot.lastCount);
  });

  it('cancels with no savepoint and kills nothing but its own JVM', async () => {
    const pid = runtime.clusterPids()[app]!;
    const snapshotsBefore = await fs.readdir(testJobLaunch(root, app, jobs.counter).snapshotDir);
    await runtime.cancel(app);
    expect(processExists(pid)).toBe(false);
    expect(await fs.readdir(testJobLaunch(root, app, jobs.counter).snapshotDir)).toEqual(snapshotsBefore);
    expect((await runtime.observe(app)).state).toBe('NONE');
    await runtime.cancel(app); // a job already gone is no error
  });

  it('starts again with no restore: the counter resets', async () => {
    await start();
    expect(runtime.clusterPids()[app]).not.toBe(firstPid); // cancel killed the old JVM: this is a new one
    expect((await waitForCount(countFile, 3)).startedFrom).toBe(1);
    const logs = await fs.readFile(
      `${testJobLaunch(root, app, jobs.counter).workDir}/logs/flink.log`,
      'utf8',
    );
    expect(logs).toContain('Starting Flink Mini Cluster');
    await runtime.cancel(app);
  });
});
