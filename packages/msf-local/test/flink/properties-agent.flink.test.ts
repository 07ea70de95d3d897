import { promises as fs } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { FlinkJobRuntime } from '../../src/flink/index.js';
import { countFilePath, scratchDir, testJobLaunch, waitFor, waitForCount } from '../fixtures/flink-launch.js';
import { buildTestJobs, type TestJobJars } from '../fixtures/test-jobs.js';

// The test job bundles aws-kinesisanalytics-runtime and calls the no-argument getApplicationProperties(), in
// main() and in a task: each of two applications running at once sees its own property groups.
describe('application properties agent (FLINK-1_19)', () => {
  let root: string;
  let jobs: TestJobJars;
  let runtime: FlinkJobRuntime;

  beforeAll(async () => {
    jobs = await buildTestJobs();
    root = await scratchDir('properties');
    runtime = new FlinkJobRuntime();
  });

  afterAll(async () => {
    await runtime?.close();
    if (root) await fs.rm(root, { recursive: true, force: true });
  });

  it('gives two applications running at once their own properties, with no change to user code', async () => {
    const echo = { echoSystemProperty: 'msf.local.test', echoEnvironmentVariable: 'MSF_LOCAL_TEST' };
    await Promise.all([
      runtime.start(
        testJobLaunch(root, 'alpha', jobs.counter, {
          testJobProperties: { marker: 'alpha', only: 'in-alpha', ...echo },
          systemProperties: { 'msf.local.test': 'alpha-sys' },
          environment: { MSF_LOCAL_TEST: 'alpha-env' },
          checkpointing: { enabled: true, intervalMs: 500, minPauseMs: 100 },
        }),
      ),
      runtime.start(
        testJobLaunch(root, 'beta', jobs.counter, {
          parallelism: 2,
          testJobProperties: { marker: 'beta', 'key with spaces': 'välue "quoted"', ...echo },
          checkpointing: { enabled: false, intervalMs: 60_000, minPauseMs: 5_000 },
        }),
      ),
    ]);
    const [alpha, beta] = await Promise.all([
      waitForCount(countFilePath(root, 'alpha'), 3),
      waitForCount(countFilePath(root, 'beta'), 3),
    ]);

    expect(alpha.marker).toBe('alpha');
    expect(alpha.properties).toEqual({
      outputFile: countFilePath(root, 'alpha'),
      marker: 'alpha',
      only: 'in-alpha',
      ...echo,
    });
    expect(beta.marker).toBe('beta');
    expect(beta.properties).toEqual({
      outputFile: countFilePath(root, 'beta'),
      marker: 'beta',
      'key with spaces': 'välue "quoted"',
      ...echo,
    });

    // The launch's system properties and environment reach the job's JVM, and only that application's.
    expect(alpha.systemProperty).toBe('alpha-sys');
    expect(alpha.environmentVariable).toBe('alpha-env');
    expect(beta.systemProperty).toBeNull();
    expect(beta.environmentVariable).toBeNull();

    // Parallelism sets the slots of the application's own cluster.
    const overview = async (app: string) =>
      (await (await fetch(`${runtime.dashboardUrl(app)}/overview`)).json()) as { 'slots-total': number };
    expect((await overview('alpha'))['slots-total']).toBe(1);
    expect((await overview('beta'))['slots-total']).toBe(2);

    // Checkpointing follows the launch: alpha checkpoints every 500 ms, beta not at all.
    await waitFor(
      'alpha checkpoints',
      async () =>
        ((await runtime.metrics('alpha'))?.numberOfCompletedCheckpoints ?? 0) >= 2 ? true : undefined,
      30_000,
    );
    expect((await runtime.metrics('beta'))?.numberOfCompletedCheckpoints ?? 0).toBe(0);

    const pids = runtime.clusterPids();
    expect(pids.alpha).not.toBe(pids.beta);
    await Promise.all([runtime.cancel('alpha'), runtime.cancel('beta')]);
  });
});
