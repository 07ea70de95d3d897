/**
 * What a deploy rehearsal costs, against a plain deploy of the same job on msf-local, measured side by side in one
 * run. The job is the stock-prices sample (FLINK-1_19, its Kinesis sink writing to a kinesis-local stream),
 * running on an in-process msf-local. Each iteration measures, in this order:
 *
 *  1. plain deploy: UpdateApplication of the running application (a property change: a new version restored
 *     from the snapshot the update takes), from the call until DescribeApplication says RUNNING again;
 *  2. rehearsal, savepoint in hand: `rehearse()` of the same JAR from a snapshot already copied out;
 *  3. fetch, then rehearse: CreateApplicationSnapshot + copying it out, then `rehearse()` (what a caller that
 *     waits for the savepoint before rehearsing pays);
 *  4. fetch while the sandbox boots: `rehearse()` given the savepoint as a promise of that same fetch.
 *
 * Each rehearsal's steps are printed (sandbox JVM boot, kinesis-local, submit, restore, window, teardown), and
 * the ratios to the plain deploy, with and without the window (the window is a fixed wait the caller chooses).
 *
 *   npx tsx bench/rehearsal/run.ts [--window 30] [--iterations 1]
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import {
  CreateApplicationCommand,
  CreateApplicationSnapshotCommand,
  DescribeApplicationCommand,
  DescribeApplicationSnapshotCommand,
  KinesisAnalyticsV2Client,
  StartApplicationCommand,
  UpdateApplicationCommand,
} from '@aws-sdk/client-kinesis-analytics-v2';
import { CreateStreamCommand, waitUntilStreamExists } from '@aws-sdk/client-kinesis';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

import { buildStockPrices } from '../../examples/stock-prices/build.js';
import { kinesisClientFor } from '../../examples/stock-prices/tail.js';
import {
  rehearse,
  startMsfLocal,
  type PropertyGroup,
  type RehearsalResult,
} from '../../packages/msf-local/src/index.js';

const { values } = parseArgs({
  options: { window: { type: 'string', default: '30' }, iterations: { type: 'string', default: '1' } },
});
const WINDOW_SECONDS = Number(values.window);
const ITERATIONS = Number(values.iterations);
const APP = 'stock-prices';
const STREAM = 'ExampleOutputStream';
const CREDENTIALS = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' };

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const jar = await buildStockPrices({ flink: '1.19' });
const root = await fs.mkdtemp(path.join(os.tmpdir(), 'msf-local-bench-rehearsal-'));
const msf = await startMsfLocal({ dataDir: path.join(root, 'msf-local'), port: 0, log: () => undefined });
const kda = new KinesisAnalyticsV2Client({
  endpoint: msf.url,
  region: 'us-east-1',
  credentials: CREDENTIALS,
});
const s3 = new S3Client({
  endpoint: msf.url,
  region: 'us-east-1',
  forcePathStyle: true,
  credentials: CREDENTIALS,
});
const kinesis = kinesisClientFor(msf.url, 'us-east-1');

const properties = (marker: string): PropertyGroup[] => [
  { PropertyGroupId: 'OutputStream0', PropertyMap: { 'stream.name': STREAM, 'aws.region': 'us-east-1' } },
  { PropertyGroupId: 'Bench', PropertyMap: { marker } },
];

async function status(): Promise<{ status: string; version: number }> {
  const detail = (await kda.send(new DescribeApplicationCommand({ ApplicationName: APP })))
    .ApplicationDetail!;
  return { status: detail.ApplicationStatus!, version: detail.ApplicationVersionId! };
}

async function until(done: () => Promise<boolean>, what: string, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** CreateApplicationSnapshot, then the savepoint copied out of msf-local's data dir (what msfctl downloads). */
async function fetchSavepoint(name: string): Promise<string> {
  await kda.send(new CreateApplicationSnapshotCommand({ ApplicationName: APP, SnapshotName: name }));
  await until(async () => {
    const details = await kda.send(
      new DescribeApplicationSnapshotCommand({ ApplicationName: APP, SnapshotName: name }),
    );
    return details.SnapshotDetails?.SnapshotStatus === 'READY';
  }, `snapshot ${name}`);
  const target = path.join(root, 'savepoints', name);
  await fs.cp(msf.controlPlane.describeSnapshot(APP, name).path!, target, { recursive: true });
  return target;
}

const rehearsal = (savepoint: string | Promise<string>): Promise<RehearsalResult> =>
  rehearse({
    runtime: 'FLINK-1_19',
    jar,
    savepoint,
    propertyGroups: properties('rehearsal'),
    parallelism: 1,
    allowNonRestoredState: false,
    windowSeconds: WINDOW_SECONDS,
    log: () => undefined,
  });

function steps(result: RehearsalResult): string {
  const t = result.timings;
  return [
    `JVM boot ${s(t.clusterBootMs)}`,
    t.kinesisMs !== undefined ? `kinesis-local ${s(t.kinesisMs)} (in parallel)` : undefined,
    `submit ${s(t.submitMs ?? 0)}`,
    `restore ${s(t.restoreMs ?? 0)}`,
    `window ${s(t.windowMs ?? 0)}`,
    `teardown ${s(t.teardownMs)}`,
  ]
    .filter(Boolean)
    .join(', ');
}

try {
  await s3.send(new CreateBucketCommand({ Bucket: 'artifacts' }));
  await s3.send(new PutObjectCommand({ Bucket: 'artifacts', Key: 'app.jar', Body: await fs.readFile(jar) }));
  await kinesis.send(new CreateStreamCommand({ StreamName: STREAM, ShardCount: 1 }));
  await waitUntilStreamExists({ client: kinesis, maxWaitTime: 60 }, { StreamName: STREAM });
  await kda.send(
    new CreateApplicationCommand({
      ApplicationName: APP,
      RuntimeEnvironment: 'FLINK-1_19',
      ServiceExecutionRole: 'arn:aws:iam::000000000000:role/bench',
      ApplicationConfiguration: {
        ApplicationCodeConfiguration: {
          CodeContentType: 'ZIPFILE',
          CodeContent: { S3ContentLocation: { BucketARN: 'arn:aws:s3:::artifacts', FileKey: 'app.jar' } },
        },
        EnvironmentProperties: { PropertyGroups: properties('v1') },
        ApplicationSnapshotConfiguration: { SnapshotsEnabled: true },
      },
    }),
  );
  await kda.send(new StartApplicationCommand({ ApplicationName: APP }));
  await until(async () => (await status()).status === 'RUNNING', 'the application to run');
  log(`stock-prices RUNNING on msf-local; window ${WINDOW_SECONDS} s, ${ITERATIONS} iteration(s)`);

  const rows: string[] = [];
  for (let i = 1; i <= ITERATIONS; i++) {
    // 1. Plain deploy.
    const before = await status();
    let started = performance.now();
    await kda.send(
      new UpdateApplicationCommand({
        ApplicationName: APP,
        CurrentApplicationVersionId: before.version,
        ApplicationConfigurationUpdate: {
          EnvironmentPropertyUpdates: { PropertyGroups: properties(`v${i + 1}`) },
        },
      }),
    );
    await until(async () => {
      const now = await status();
      return now.status === 'RUNNING' && now.version > before.version;
    }, 'the update');
    const deployMs = performance.now() - started;
    log(`plain deploy: ${s(deployMs)}`);

    // 2. Savepoint in hand.
    const inHand = await fetchSavepoint(`bench-${i}-a`);
    const held = await rehearsal(inHand);
    if (!held.passed) throw new Error(`rehearsal failed: ${held.failure?.message}`);
    log(`rehearsal, savepoint in hand: ${s(held.durationMs)} (${steps(held)})`);

    // 3. Fetch, then rehearse.
    started = performance.now();
    const fetched = await fetchSavepoint(`bench-${i}-b`);
    const fetchMs = performance.now() - started;
    const sequential = await rehearsal(fetched);
    const sequentialMs = performance.now() - started;
    log(`fetch ${s(fetchMs)}, then rehearsal ${s(sequential.durationMs)}: ${s(sequentialMs)}`);

    // 4. Fetch while the sandbox boots.
    started = performance.now();
    const overlapped = await rehearsal(fetchSavepoint(`bench-${i}-c`));
    const overlappedMs = performance.now() - started;
    log(`fetch during the sandbox's boot: ${s(overlappedMs)} (${steps(overlapped)})`);

    const windowMs = WINDOW_SECONDS * 1000;
    const ratio = (ms: number) => (ms / deployMs).toFixed(2);
    rows.push(
      [
        `iteration ${i}`,
        `  plain deploy (UpdateApplication → RUNNING)        ${s(deployMs)}`,
        `  rehearsal, savepoint in hand                       ${s(held.durationMs)}  ${ratio(held.durationMs)}×  (beyond the window: ${s(held.durationMs - windowMs)}, ${ratio(held.durationMs - windowMs)}×)`,
        `    steps: ${steps(held)}`,
        `  fetch the snapshot, then rehearse                  ${s(sequentialMs)}  ${ratio(sequentialMs)}×`,
        `  rehearse while the snapshot is fetched             ${s(overlappedMs)}  ${ratio(overlappedMs)}×  (beyond the window: ${s(overlappedMs - windowMs)}, ${ratio(overlappedMs - windowMs)}×)`,
      ].join('\n'),
    );
  }
  console.log(`\nDeploy rehearsal vs plain deploy, stock-prices on FLINK-1_19, window ${WINDOW_SECONDS} s\n`);
  console.log(rows.join('\n'));
} finally {
  kda.destroy();
  s3.destroy();
  kinesis.destroy();
  await msf.close();
  await fs.rm(root, { recursive: true, force: true });
}
