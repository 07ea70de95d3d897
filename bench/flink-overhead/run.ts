/**
 * Overhead of msf-local: for start, stop-with-snapshot and update, the wall time of msf-local's MSF API (the AWS
 * SDK calling StartApplication / StopApplication / UpdateApplication and polling DescribeApplication every 50 ms
 * until the status settles) and of its Flink driver (FlinkJobRuntime) against the raw Flink REST calls they wrap,
 * measured side by side in one run (alternating iterations) on clusters of the same runtime, classpath and
 * configuration.
 *
 *   npx tsx bench/flink-overhead/run.ts [--runtime FLINK-1_19] [--iterations 3]
 *
 * FlinkJobRuntime runs one cluster JVM per application (as MSF gives each application its own resources): a first
 * start boots that JVM, while an update (stop with snapshot, start from it) reuses the JVM the stop just
 * released. The raw side reuses one long-lived cluster. The JVM boot time is printed on its own line.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import {
  CreateApplicationCommand,
  DescribeApplicationCommand,
  KinesisAnalyticsV2Client,
  StartApplicationCommand,
  StopApplicationCommand,
  UpdateApplicationCommand,
} from '@aws-sdk/client-kinesis-analytics-v2';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { FlinkJobRuntime, prepareRuntime } from '../../packages/msf-local/src/flink/index.js';
import { startMsfLocal } from '../../packages/msf-local/src/msf-local.js';
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

/** msf-local through its MSF API, as a client sees it: the call, then DescribeApplication until settled. */
class MsfApi {
  constructor(
    private readonly kda: KinesisAnalyticsV2Client,
    private readonly outputFileOf: (app: string) => string,
  ) {}

  async create(app: string, runtime: string): Promise<void> {
    await fs.mkdir(path.dirname(this.outputFileOf(app)), { recursive: true });
    await this.kda.send(
      new CreateApplicationCommand({
        ApplicationName: app,
        RuntimeEnvironment: runtime as 'FLINK-1_19',
        ServiceExecutionRole: 'arn:aws:iam::000000000000:role/bench',
        ApplicationConfiguration: {
          ApplicationCodeConfiguration: {
            CodeContentType: 'ZIPFILE',
            CodeContent: { S3ContentLocation: { BucketARN: 'arn:aws:s3:::bench', FileKey: 'counter.jar' } },
          },
          EnvironmentProperties: {
            PropertyGroups: [
              { PropertyGroupId: 'TestJob', PropertyMap: { outputFile: this.outputFileOf(app) } },
            ],
          },
        },
      }),
    );
  }

  async start(app: string): Promise<void> {
    await this.kda.send(new StartApplicationCommand({ ApplicationName: app }));
    await this.until(app, 'RUNNING');
  }

  async stop(app: string): Promise<void> {
    await this.kda.send(new StopApplicationCommand({ ApplicationName: app }));
    await this.until(app, 'READY');
  }

  /** An update that restarts the job (a changed property), restoring the snapshot it takes. */
  async update(app: string, round: number): Promise<void> {
    const { ApplicationDetail } = await this.kda.send(
      new DescribeApplicationCommand({ ApplicationName: app }),
    );
    await this.kda.send(
      new UpdateApplicationCommand({
        ApplicationName: app,
        ConditionalToken: ApplicationDetail?.ConditionalToken,
        ApplicationConfigurationUpdate: {
          EnvironmentPropertyUpdates: {
            PropertyGroups: [
              {
                PropertyGroupId: 'TestJob',
                PropertyMap: { outputFile: this.outputFileOf(app), round: String(round) },
              },
            ],
          },
        },
        RunConfigurationUpdate: {
          ApplicationRestoreConfiguration: { ApplicationRestoreType: 'RESTORE_FROM_LATEST_SNAPSHOT' },
        },
      }),
    );
    await this.until(app, 'RUNNING');
  }

  private async until(app: string, status: string): Promise<void> {
    for (;;) {
      const { ApplicationDetail } = await this.kda.send(
        new DescribeApplicationCommand({ ApplicationName: app }),
      );
      if (ApplicationDetail?.ApplicationStatus === status) return;
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

  // msf-local itself, in process, with its own FlinkJobRuntime.
  const server = await startMsfLocal({
    dataDir: path.join(root, 'msf-local'),
    port: 0,
    kinesis: false,
    log: () => undefined,
  });
  const credentials = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' };
  const kda = new KinesisAnalyticsV2Client({ endpoint: server.url, region: 'us-east-1', credentials });
  const s3 = new S3Client({ endpoint: server.url, region: 'us-east-1', forcePathStyle: true, credentials });
  await s3.send(new CreateBucketCommand({ Bucket: 'bench' }));
  await s3.send(
    new PutObjectCommand({ Bucket: 'bench', Key: 'counter.jar', Body: await fs.readFile(jobs.counter) }),
  );
  const api = new MsfApi(kda, (app) => countFilePath(root, app));

  const labels: Record<string, string> = {
    start: 'start (new JVM)',
    stop: 'stop with snapshot',
    update: 'update (JVM reused)',
  };
  const samples = {
    start: { api: [] as number[], ours: [] as number[], raw: [] as number[] },
    stop: { api: [] as number[], ours: [] as number[], raw: [] as number[] },
    update: { api: [] as number[], ours: [] as number[], raw: [] as number[] },
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

      // The same three through msf-local's MSF API.
      const apiApp = `api-${i}`;
      await api.create(apiApp, runtimeEnvironment);
      await timed(samples.start.api, () => api.start(apiApp));
      await waitForCount(countFilePath(root, apiApp), 5);
      await timed(samples.update.api, () => api.update(apiApp, i));
      await waitForCount(countFilePath(root, apiApp), 5);
      await timed(samples.stop.api, () => api.stop(apiApp));
    }
  } finally {
    kda.destroy();
    s3.destroy();
    await server.close();
    await runtime.close();
    await host.stop();
  }

  console.log(
    `\nflink-overhead: ${runtimeEnvironment} (Flink ${prepared.spec.flinkVersion}), ${iterations} iterations, medians`,
  );
  console.log('operation               msf-local API   FlinkJobRuntime    raw REST   API/raw   runtime/raw');
  for (const [name, s] of Object.entries(samples)) {
    const apiMs = median(s.api);
    const ours = median(s.ours);
    const rawMs = median(s.raw);
    console.log(
      `${(labels[name] ?? name).padEnd(23)} ${apiMs.toFixed(0).padStart(10)} ms ${ours.toFixed(0).padStart(12)} ms ${rawMs.toFixed(0).padStart(8)} ms ${(apiMs / rawMs).toFixed(2).padStart(8)}x ${(ours / rawMs).toFixed(2).padStart(12)}x`,
    );
  }
  console.log(
    `(cluster JVM boot to REST ready, included in FlinkJobRuntime's start: ${jvmBootMs.toFixed(0)} ms)`,
  );
  await fs.rm(root, { recursive: true, force: true });
}

await main();
