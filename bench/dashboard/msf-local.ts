/**
 * bench/dashboard/msf-local — the fleet page's load time in a real browser for N applications on msf-local
 * (goal: under 1 s for 50), read through msfctl's DashboardSource: every load reads the fleet from the
 * service (DescribeApplication, ListApplicationOperations, ListApplicationSnapshots per application), the
 * ledgers and locks, and compares the specs.
 *
 *   1. starts msf-local (control plane, S3, CloudWatch; no job runtime) in a process of its own, as a user
 *      runs it beside msfctl (msf-local-server.ts), in a temporary directory, and creates
 *      N applications with the AWS SDK; half of them have a spec file (their drift is compared, their JAR
 *      digested), the other half are unmanaged. They are READY: real msf-local applications, but no Flink job,
 *      so no health metrics are read (a RUNNING one adds one GetMetricData call);
 *   2. times the source's fleet read alone (R reads);
 *   3. in Debian's headless Chromium opens the fleet page R times (after 3 warm-ups), each in a fresh browser
 *      context, waiting 1.1 s before each so that the server's 1 s fleet cache is cold: every load pays for a
 *      full read. Timed inside the page: navigation start → N-th row in the DOM → painted;
 *   4. the same rows served from memory, measured the same way: the page's and the browser's share on this
 *      machine at this load, apart from msfctl's reads.
 *
 *   npx tsx bench/dashboard/msf-local.ts [--apps 50] [--runs 15]
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateApplicationCommand, KinesisAnalyticsV2Client } from '@aws-sdk/client-kinesis-analytics-v2';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { ApplicationDetail } from '../../packages/dashboard/src/contract.js';
import { MemoryDashboardSource } from '../../packages/dashboard/src/memory-source.js';
import { serveDashboard } from '../../packages/dashboard/src/server.js';
import { launchChromium } from '../../packages/dashboard/test/support/browser.js';
import { buildWeb } from '../../packages/dashboard/test/support/build-web.js';
import { createSilentHost } from '../../packages/msfctl/src/adapters/io/memory-host.js';
import { openTarget } from '../../packages/msfctl/src/adapters/targets/open-target.js';
import { resolveTarget } from '../../packages/msfctl/src/adapters/targets/target.js';
import { msfctlDashboardSource, reloadOnChange } from '../../packages/msfctl/src/cli/dashboard-source.js';
import { loadSpec } from '../../packages/msfctl/src/spec/load.js';
import { EMPTY_ZIP } from '../../packages/msfctl/test/harness/msfctl-cli.js';
import { ms, series, stats, WARMUP } from './page-load.js';

const { values } = parseArgs({
  options: { apps: { type: 'string', default: '50' }, runs: { type: 'string', default: '15' } },
});
const APPS = Number(values.apps);
const RUNS = Number(values.runs);
const CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' };

async function main(): Promise<void> {
  const build = await buildWeb();
  console.log(`web app: ${build.built ? `built in ${build.ms} ms` : 'up to date'}`);
  const work = mkdtempSync(path.join(os.tmpdir(), 'bench-dashboard-'));
  const server = await startServer(path.join(work, 'msf-local'));
  const common = { endpoint: server.url, region: 'us-east-1', credentials: CREDENTIALS };
  const kda = new KinesisAnalyticsV2Client(common);
  const s3 = new S3Client({ ...common, forcePathStyle: true });
  const specs: string[] = [];
  let stop = async () => {};
  try {
    await s3.send(new CreateBucketCommand({ Bucket: 'artifacts' }));
    await s3.send(new PutObjectCommand({ Bucket: 'artifacts', Key: 'app.jar', Body: EMPTY_ZIP }));
    const created = Date.now();
    for (let i = 0; i < APPS; i++) {
      const name = `bench-${String(i).padStart(3, '0')}`;
      await kda.send(
        new CreateApplicationCommand({
          ApplicationName: name,
          RuntimeEnvironment: 'FLINK-1_20',
          ServiceExecutionRole: 'arn:aws:iam::000000000000:role/msf-local',
          ApplicationConfiguration: {
            ApplicationCodeConfiguration: {
              CodeContentType: 'ZIPFILE',
              CodeContent: { S3ContentLocation: { BucketARN: 'arn:aws:s3:::artifacts', FileKey: 'app.jar' } },
            },
          },
        }),
      );
      if (i % 2 === 0) specs.push(writeSpec(work, name, server.port, server.dataDir));
    }
    console.log(
      `msf-local: ${APPS} applications created in ${Date.now() - created} ms (${specs.length} with a spec)`,
    );

    const ports = await openTarget(
      resolveTarget({ kind: 'local', port: server.port, dataDir: server.dataDir }, {}),
      createSilentHost(),
    );
    const source = msfctlDashboardSource({
      ports,
      baseDir: work,
      unmanaged: true,
      // As msfctl dashboard reads them: parsed again only when a file changes.
      specFiles: reloadOnChange(
        () => specs,
        () => specs.map((file) => ({ file, loaded: loadSpec({ file }) })),
      ),
    });
    const dashboard = await serveDashboard({ source, port: 0 });
    const browser = await launchChromium();
    stop = async () => {
      await browser.close();
      await dashboard.close();
      ports.close();
    };

    const reads: number[] = [];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const started = performance.now();
      const rows = await source.fleet(AbortSignal.timeout(60_000));
      if (rows.length !== APPS) throw new Error(`the fleet has ${rows.length} rows, not ${APPS}`);
      if (i >= WARMUP) reads.push(performance.now() - started);
    }
    const page = await series(browser, dashboard.url, { rows: APPS, runs: RUNS, before: () => sleep(1100) });
    // The same rows from memory, measured the same way in the same run: what the page and the browser cost on
    // this machine now, without msfctl's reads.
    const rows = await source.fleet(AbortSignal.timeout(60_000));
    const memory = await serveDashboard({
      source: new MemoryDashboardSource(rows.map((row) => ({ detail: { row } as ApplicationDetail }))),
      port: 0,
    });
    const floor = await series(browser, memory.url, { rows: APPS, runs: RUNS, before: () => sleep(1100) });
    await memory.close();

    console.log(
      `\nfleet page, ${APPS} READY applications on msf-local (${server.url}), ${RUNS} loads after ${WARMUP} warm-ups`,
    );
    console.log(`Chromium headless (${browser.version()}), loopback; each load reads the fleet afresh`);
    const load = os.loadavg().map((l) => l.toFixed(1));
    console.log(`load average at the end of the run: ${load.join(' ')} on ${os.cpus().length} cores\n`);
    console.log(`${'measure'.padEnd(44)}   median      p95      min      max`);
    for (const [label, s] of [
      ["msfctl's source: fleet read (no browser)", stats(reads)],
      ['page: N-th row in the DOM', stats(page.map((s) => s.rows))],
      ['page: painted', stats(page.map((s) => s.painted))],
      ['same rows from memory: N-th row in the DOM', stats(floor.map((s) => s.rows))],
      ['same rows from memory: painted', stats(floor.map((s) => s.painted))],
    ] as const) {
      console.log(`${label.padEnd(44)} ${ms(s.median)} ${ms(s.p95)} ${ms(s.min)} ${ms(s.max)}`);
    }
    const median = stats(page.map((s) => s.painted)).median;
    console.log(
      `\ngoal: fleet page of ${APPS} applications on msf-local painted in under 1000 ms: ${median < 1000 ? 'met' : 'NOT met'} (median ${median.toFixed(0)} ms)`,
    );
  } finally {
    await stop();
    kda.destroy();
    s3.destroy();
    await server.close();
    rmSync(work, { recursive: true, force: true });
  }
}

/** msf-local in its own process (msf-local-server.ts), as a user runs it beside msfctl. */
async function startServer(dataDir: string) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(import.meta.dirname, 'msf-local-server.ts'), dataDir],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  const url = line.toString().trim();
  return {
    url,
    port: Number(new URL(url).port),
    dataDir,
    close: async () => {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}

function writeSpec(work: string, name: string, port: number, dataDir: string): string {
  const dir = path.join(work, 'specs', name);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'msfctl.yaml');
  writeFileSync(
    file,
    [
      `application: ${name}`,
      'runtime: FLINK-1_20',
      'running: false',
      'code:',
      '  s3: { bucket: artifacts, key: app.jar }',
      'target:',
      '  kind: local',
      `  port: ${port}`,
      `  dataDir: ${dataDir}`,
      '',
    ].join('\n'),
  );
  return file;
}

await main();
