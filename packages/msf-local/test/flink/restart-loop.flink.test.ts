import { promises as fs } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { FlinkJobRuntime } from '../../src/flink/index.js';
import { scratchDir, testJobLaunch, waitFor } from '../fixtures/flink-launch.js';
import { buildTestJobs, type TestJobJars } from '../fixtures/test-jobs.js';

// A job that throws on every record restarts for ever with MSF's fixed-delay strategy (delay shortened here),
// and the loop is visible in the observation and the metrics.
describe('FlinkJobRuntime restart loop (FLINK-1_19)', () => {
  const app = 'failing';
  let root: string;
  let jobs: TestJobJars;
  let runtime: FlinkJobRuntime;

  beforeAll(async () => {
    jobs = await buildTestJobs();
    root = await scratchDir('restart-loop');
    runtime = new FlinkJobRuntime({ restartDelayMs: 1_000 });
  });

  afterAll(async () => {
    await runtime?.close();
    if (root) await fs.rm(root, { recursive: true, force: true });
  });

  it('keeps restarting; observe and metrics show restarts, downtime and the exception', async () => {
    const startedAt = Date.now();
    await runtime.start(testJobLaunch(root, app, jobs.failing));

    const observed = await waitFor('three restarts', async () => {
      const o = await runtime.observe(app);
      return o.restarts >= 3 ? o : undefined;
    });
    expect(['RUNNING', 'RESTARTING', 'FAILING', 'CREATED', 'INITIALIZING']).toContain(observed.state);
    expect(observed.lastRestartAt).toBeGreaterThanOrEqual(startedAt);
    expect(observed.lastRestartAt).toBeLessThanOrEqual(Date.now());
    expect(observed.lastException).toMatch(
      /^java\.lang\.IllegalStateException: msf-local test job fails on record \d+ on purpose/,
    );
    expect(observed.lastException).toContain('at msflocal.testjobs.TestJob.explode');

    const metrics = await waitFor('restart metrics', async () => {
      const m = await runtime.metrics(app);
      return m && (m.numRestarts ?? 0) >= 3 ? m : undefined;
    });
    expect(metrics.fullRestarts).toBe(metrics.numRestarts); // the same gauge on Flink 1.x
    expect(metrics).toHaveProperty('downtime');
    expect(metrics).toHaveProperty('restartingTime');

    // Fixed delay, not a growing backoff: at 1 s per restart, a few more come quickly.
    const before = observed.restarts;
    await waitFor(
      'two more restarts',
      async () => ((await runtime.observe(app)).restarts >= before + 2 ? true : undefined),
      15_000,
    );

    // A failing job is never given up: it is not FAILED.
    expect((await runtime.observe(app)).state).not.toBe('FAILED');
    await runtime.cancel(app);
    expect((await runtime.observe(app)).state).toBe('NONE');
  });
});
