import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { FlinkJobRuntime } from '../../src/flink/index.js';
import {
  countFilePath,
  processExists,
  scratchDir,
  testJobLaunch,
  waitFor,
  waitForCount,
} from '../fixtures/flink-launch.js';
import { buildTestJobs, type TestJobJars } from '../fixtures/test-jobs.js';

const ORPHAN_PARENT = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/orphan-parent.ts');

// If msf-local dies without stopping its clusters (even by SIGKILL), their JVMs must not linger.
describe('cluster JVM process hygiene', () => {
  let root: string;
  let jobs: TestJobJars;
  let jvmPid: number | undefined;

  beforeAll(async () => {
    jobs = await buildTestJobs();
    root = await scratchDir('hygiene');
  });

  afterAll(async () => {
    if (jvmPid && processExists(jvmPid)) process.kill(jvmPid, 'SIGKILL');
    if (root) await fs.rm(root, { recursive: true, force: true });
  });

  it('the cluster JVM exits when its msf-local process is killed', async () => {
    const parent = spawn(process.execPath, ['--import', 'tsx', ORPHAN_PARENT, root, jobs.counter], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise((resolve) => parent.on('exit', resolve));
    let output = '';
    parent.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    jvmPid = await waitFor(
      'the JVM pid',
      async () => Number(/PID (\d+)/.exec(output)?.[1]) || undefined,
      120_000,
    );
    expect(processExists(jvmPid)).toBe(true);

    parent.kill('SIGKILL');
    await exited;
    const pid = jvmPid;
    await waitFor('the orphaned JVM to exit', async () => (processExists(pid) ? undefined : true), 30_000);
  });

  it('a restarted msf-local kills the JVM its killed predecessor left before starting the application again', async () => {
    const parent = spawn(process.execPath, ['--import', 'tsx', ORPHAN_PARENT, root, jobs.counter], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise((resolve) => parent.on('exit', resolve));
    let output = '';
    parent.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const stale = await waitFor(
      'the JVM pid',
      async () => Number(/PID (\d+)/.exec(output)?.[1]) || undefined,
      120_000,
    );
    jvmPid = stale;
    parent.kill('SIGKILL');
    await exited;
    // At once, before the orphan notices its stdin closed: the same application on the same work dir.
    const runtime = new FlinkJobRuntime();
    try {
      await runtime.start(testJobLaunch(root, 'orphan', jobs.counter));
      const fresh = runtime.clusterPids().orphan!;
      expect(fresh).not.toBe(stale);
      expect(processExists(stale)).toBe(false);
    } finally {
      await runtime.close();
    }
  });

  it('a stopped application keeps no JVM beyond the reuse grace; a changed parallelism gets a new JVM; a dead JVM shows as FAILED', async () => {
    const runtime = new FlinkJobRuntime({ clusterReuseGraceMs: 1_000 });
    try {
      const launch = testJobLaunch(root, 'grace', jobs.counter);
      await runtime.start(launch);
      const pid = runtime.clusterPids().grace!;
      await waitForCount(countFilePath(root, 'grace'), 3);
      const snapshot = await runtime.stopWithSnapshot('grace');

      // Within the grace, another parallelism (= slots) is a JVM-level change: the parked JVM is not reused.
      await runtime.start({
        ...launch,
        parallelism: 2,
        restore: { snapshotPath: snapshot, allowNonRestoredState: false },
      });
      const second = runtime.clusterPids().grace!;
      expect(second).not.toBe(pid);
      expect(processExists(pid)).toBe(false);

      await runtime.stopWithSnapshot('grace');
      await waitFor(
        'the parked JVM to exit after the grace',
        async () => (processExists(second) ? undefined : true),
        15_000,
      );

      // A cluster JVM that dies under a running job: the job is reported FAILED, and cancel cleans up.
      await runtime.start(launch);
      const third = runtime.clusterPids().grace!;
      process.kill(third, 'SIGKILL');
      const observed = await waitFor('the lost cluster to show', async () => {
        const o = await runtime.observe('grace');
        return o.state === 'FAILED' ? o : undefined;
      });
      expect(observed.lastException).toMatch(
        /^java\.lang\.IllegalStateException: the Flink cluster JVM exited unexpectedly \(code null, signal SIGKILL\)/,
      );
      // Until a start brings the job back, the metrics show the outage: the loss counts as a restart.
      expect(await runtime.metrics('grace')).toMatchObject({ uptime: 0, numRestarts: 1, fullRestarts: 1 });
      await runtime.cancel('grace');
      expect((await runtime.observe('grace')).state).toBe('NONE');
      expect(await runtime.metrics('grace')).toBeUndefined();
    } finally {
      await runtime.close();
    }
  });
});
