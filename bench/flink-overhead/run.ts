/**
 * Overhead of msf-local's Flink driver: for start, stop-with-snapshot and update, the wall time of
 * FlinkJobRuntime against the raw Flink REST calls it wraps, measured side by side in one run (alternating
 * iterations) on clusters of the same runtime, classpath and configuration.
 *
 *   npx tsx bench/flink-overhead/run.ts [--runtime FLINK-1_19] [--iterations 3]
 *
 * FlinkJobRuntime runs one cluster JVM per application (as MSF gives each application its own resources): a first
 * start boots that JVM, while an update (stop with snapshot, start from it) reuses the JVM the stop just
 * released. The raw side reuses one long-lived cluster. The JVM boot time is printed on its own line. For now this measures
 * FlinkJobRuntime directly; through msf-local's MSF API it will add the control plane's own time.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { FlinkJobRuntime, prepareRuntime } from '../../packages/msf-local/src/flink/index.js';
import { clusterConfig } from '../../packages/msf-local/src/flink/cluster-config.js';
import { FlinkHostProcess } from '../../packages/msf-local/src/flink/flink-host-process.js';
import { buildTestJobs } from '../../packages/msf-local/test/fixtures/test-jobs.js';
import {
  countFilePath,
  testJobLaunch,
  waitForCount,
} from '../../packages/msf-local/test/fixtures/flink-launch.js';

const { values } = parseArgs({
  options: {
    runtime: { type: 'string', default: 'FLINK-1_19' },
    iterations: { type: 'string', default: '3' },
  },
});
const runtimeEnvironment = values.runtime;
const iterations = Number(values.iterations);

/** The raw REST sequence, with plain fetch: what FlinkJobRuntime does minus everything of its own. */
class RawFlink {
  constructor(private readonly url: string) {}

  private async call<T>(method: string, urlPath: string, body?: unknown): Promise<T> {
    const init: RequestInit = { method };
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = { 'content-type': 'application/json' };
    }
    const response = await fetch(this.url + urlPath, init);
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${urlPath}: ${response.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }

  async start(jarPath: string, savepointPath?: string): Promise<string> {
    const form = new FormData();
    form.append('jarfile', new Blob([await fs.readFile(jarPath)]), path.basename(jarPath));
    const { filename } = await this.call<{ filename: string }>('POST', '/jars/upload', form);
    const run = savepointPath
      ? { parallelism: 1, savepointPath, allowNonRestoredState: false, restoreMode: 'NO_CLAIM' }
      : { parallelism: 1 };
    const { jobid } = await this.call<{ jobid: string }>('POST', `/jars/${path.basename(filename)}/run`, run);
    await this.until(jobid, (state) => state === 'RUNNING');
    // Like FlinkJobRuntime, wait until the tasks are deployed too (a snapshot needs them running).
    for (;;) {
      const job = await this.call<{ vertices: { status: string }[] }>('GET', `/jobs/${jobid}`);
      if (job.vertices.every((vertex) => vertex.status === 'RUNNING')) return jobid;
      await sleep(50);
    }
  }

  async stop(jobId: string, targetDirectory: string): Promise<string> {
    const { 'request-id': rid } = await this.call<{ 'request-id': string }>('POST', `/jobs/${jobId}/stop`, {
      targetDirectory,
      drain: false,
      formatType: 'CANONICAL',
    });
    for (;;) {
      const status = await this.call<{ status: { id: string }; operation?: { location?: string } }>(
        'GET',
        `/jobs/${jobId}/savepoints/${rid}`,
      );
      if (status.status.id === 'COMPLETED') {
        if (!status.operation?.location) throw new Error('stop-with-savepoint failed');
        await this.until(jobId, (state) => state === 'FINISHED');
        return status.operation.location;
      }
      await sleep(50);
    }
  }

  private async until(jobId: string, done: (state: string) => boolean): Promise<void> {
    for (;;) {
      const { state } = await this.call<{ state: string }>('GET', `/jobs/${jobId}`);
      if (done(state)) return;
      if (state === 'FAILED') throw new Error(`job ${jobId} FAILED`);
      await sleep(50);
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function timed<T>(samples: number[], fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await fn();
  samples.push(performance.now() - started);
  return result;
}

async function main(): Promise<void> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'msf-local-bench-'));
  const jobs = await buildTestJobs();
  const prepared = await prepareRuntime(runtimeEnvironment);
  const runtime = new FlinkJobRuntime();

  // The raw side: one long-lived cluster of the same runtime with the same essentials of configuration.
  const rawDir = path.join(root, 'raw');
  const rawLaunch = testJobLaunch(root, 'raw', jobs.counter, { runtimeEnvironment });
  await fs.mkdir(path.dirname(rawLaunch.propertyGroups[0]!.PropertyMap.outputFile!), { recursive: true });
  const propertiesFile = path.join(rawDir, 'application_properties.json');
  await fs.mkdir(rawDir, { recursive: true });
  await fs.writeFile(propertiesFile, JSON.stringify(rawLaunch.propertyGroups));
  const hostStarted = performance.now();
  const host = await FlinkHostProcess.start({
    runtime: prepared,
    flinkConfig: clusterConfig(
      {
        workDir: rawDir,
        snapshotDir: path.join(rawDir, 'savepoints'),
        parallelism: 1,
        checkpointing: rawLaunch.checkpointing,
      },
      prepared.spec,
      { restartDelayMs: 10_000, metricsRefreshMs: 1_000 },
    ),
    confDir: path.join(rawDir, 'flink'),
    logDir: path.join(rawDir, 'logs'),
    logLevel: 'INFO',
    propertiesFile,
    heapMb: 384,
    environment: {},
    systemProperties: {},
    javaCommand: 'java',
    startTimeoutMs: 120_000,
  });
  const jvmBootMs = performance.now() - hostStarted;
  const raw = new RawFlink(host.restUrl);

  const labels: Record<string, string> = {
    start: 'start (new JVM)',
    stop: 'stop with snapshot',
    update: 'update (JVM reused)',
  };
  const samples = {
    start: { ours: [] as number[], raw: [] as number[] },
    stop: { ours: [] as number[], raw: [] as number[] },
    update: { ours: [] as number[], raw: [] as number[] },
  };
  try {
    for (let i = 0; i < iterations; i++) {
      process.stderr.write(`iteration ${i + 1}/${iterations}\n`);
      // A new application each iteration: its start boots a JVM of its own, as a first StartApplication does.
      const app = `ours-${i}`;
      const launch = testJobLaunch(root, app, jobs.counter, { runtimeEnvironment });
      // start
      await timed(samples.start.ours, () => runtime.start(launch));
      let rawJob = await timed(samples.start.raw, () => raw.start(jobs.counter));
      await waitForCount(countFilePath(root, app), 5);
      // update (stop with snapshot, start the new version from it)
      await timed(samples.update.ours, async () => {
        const snapshot = await runtime.stopWithSnapshot(app);
        await runtime.start({ ...launch, restore: { snapshotPath: snapshot, allowNonRestoredState: false } });
      });
      rawJob = await timed(samples.update.raw, async () =>
        raw.start(jobs.counter, await raw.stop(rawJob, `file://${rawDir}/savepoints`)),
      );
      // stop with snapshot
      await timed(samples.stop.ours, () => runtime.stopWithSnapshot(app));
      await timed(samples.stop.raw, () => raw.stop(rawJob, `file://${rawDir}/savepoints`));
    }
  } finally {
    await runtime.close();
    await host.stop();
  }

  console.log(
    `\nflink-overhead: ${runtimeEnvironment} (Flink ${prepared.spec.flinkVersion}), ${iterations} iterations, medians`,
  );
  console.log('operation               FlinkJobRuntime    raw REST    ratio');
  for (const [name, s] of Object.entries(samples)) {
    const ours = median(s.ours);
    const rawMs = median(s.raw);
    console.log(
      `${(labels[name] ?? name).padEnd(23)} ${ours.toFixed(0).padStart(12)} ms ${rawMs.toFixed(0).padStart(8)} ms ${(ours / rawMs).toFixed(2).padStart(7)}x`,
    );
  }
  console.log(
    `(cluster JVM boot to REST ready, included in FlinkJobRuntime's start: ${jvmBootMs.toFixed(0)} ms)`,
  );
  await fs.rm(root, { recursive: true, force: true });
}

await main();
