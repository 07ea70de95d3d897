import { promises as fs } from 'node:fs';

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

// A runtime upgrade: the snapshot taken on the old runtime's cluster is restored on a new cluster of the new
// runtime (its own Maven-resolved classpath).
describe('runtime upgrade', () => {
  let root: string;
  let jobs: TestJobJars;
  let runtime: FlinkJobRuntime;

  const flinkVersion = async (app: string) =>
    ((await (await fetch(`${runtime.dashboardUrl(app)}/overview`)).json()) as { 'flink-version': string })[
      'flink-version'
    ];

  beforeAll(async () => {
    jobs = await buildTestJobs();
    root = await scratchDir('upgrade');
    runtime = new FlinkJobRuntime();
  });

  afterAll(async () => {
    await runtime?.close();
    if (root) await fs.rm(root, { recursive: true, force: true });
  });

  it('FLINK-1_19 snapshot restored on FLINK-1_20: the counter continues', async () => {
    const app = 'upgrade';
    const countFile = countFilePath(root, app);
    await runtime.start(testJobLaunch(root, app, jobs.counter, { runtimeEnvironment: 'FLINK-1_19' }));
    expect(await flinkVersion(app)).toBe('1.19.3');
    await waitForCount(countFile, 10);
    const snapshot = await runtime.stopWithSnapshot(app);
    const lastCount = (await readCountFile(countFile))!.count;

    await fs.rm(countFile);
    await runtime.start(
      testJobLaunch(root, app, jobs.counter, {
        runtimeEnvironment: 'FLINK-1_20',
        restore: { snapshotPath: snapshot, allowNonRestoredState: false },
      }),
    );
    expect(await flinkVersion(app)).toBe('1.20.5');
    const resumed = await waitForCount(countFile, lastCount + 3);
    expect(resumed.startedFrom).toBe(lastCount + 1);
    await runtime.cancel(app);
  });

  it('FLINK-2_2 runs a job and takes its savepoint', async () => {
    const app = 'flink2';
    const countFile = countFilePath(root, app);
    await runtime.start(testJobLaunch(root, app, jobs.counter, { runtimeEnvironment: 'FLINK-2_2' }));
    expect(await flinkVersion(app)).toBe('2.2.1');
    await waitForCount(countFile, 5);
    const snapshot = await runtime.stopWithSnapshot(app);
    const lastCount = (await readCountFile(countFile))!.count;

    await fs.rm(countFile);
    await runtime.start(
      testJobLaunch(root, app, jobs.counter, {
        runtimeEnvironment: 'FLINK-2_2',
        restore: { snapshotPath: snapshot, allowNonRestoredState: false },
      }),
    );
    expect((await waitForCount(countFile, lastCount + 1)).startedFrom).toBe(lastCount + 1);
    const metrics = await runtime.metrics(app);
    expect(metrics).toBeDefined();
    expect(metrics).not.toHaveProperty('fullRestarts'); // gone in Flink 2
    await runtime.cancel(app);
  });
});
