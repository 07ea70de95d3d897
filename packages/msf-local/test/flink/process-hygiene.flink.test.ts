import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { processExists, scratchDir, waitFor } from '../fixtures/flink-launch.js';
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
});
