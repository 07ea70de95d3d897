/**
 * bench/plan-fleet — what `msfctl plan` costs over a fleet, against the floor: the same number of bare
 * DescribeApplication calls. One run:
 *   1. starts msf-local as its own process (as users run it) and creates N applications (default 100), READY;
 *   2. N bare DescribeApplication calls through the AWS SDK (sequential): the floor;
 *   3. N `makePlan` calls through msfctl's library in this process (spec → artifact digest → refresh → diff):
 *      msfctl's own work on top of the floor;
 *   4. N `msfctl plan` runs of the binary, one process per application (sequential): what a user or CI job sees,
 *      Node start-up included.
 *
 *   npx tsx bench/plan-fleet/run.ts [--apps 100]
 */
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import {
  CreateApplicationCommand,
  DescribeApplicationCommand,
  KinesisAnalyticsV2Client,
} from '@aws-sdk/client-kinesis-analytics-v2';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { stringify } from 'yaml';
import { artifactKey, fileDigest } from '../../packages/msfctl/src/adapters/artifacts/digest.js';
import { createClients } from '../../packages/msfctl/src/adapters/aws/clients.js';
import { s3ArtifactStore } from '../../packages/msfctl/src/adapters/artifacts/s3-artifact-store.js';
import { SdkMsfGateway } from '../../packages/msfctl/src/adapters/aws/msf-gateway.js';
import { makePlan } from '../../packages/msfctl/src/controller/make-plan.js';
import { createSilentHost } from '../../packages/msfctl/src/adapters/io/memory-host.js';
import { loadSpec } from '../../packages/msfctl/src/spec/load.js';
import { readLedger } from '../../packages/msfctl/src/controller/state/ledger-store.js';
import { LocalObjectStore } from '../../packages/msfctl/src/adapters/state/local-object-store.js';

const { values } = parseArgs({ options: { apps: { type: 'string', default: '100' } } });
const N = Number(values.apps);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench' };
const ROLE = 'arn:aws:iam::000000000000:role/bench';
const BUCKET = 'plan-fleet';
const ZIP = Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array<number>(18).fill(0)]);

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const total = samples.reduce((a, b) => a + b, 0);
  return {
    total,
    mean: total / samples.length,
    p50: at(0.5),
    p95: at(0.95),
    max: sorted[sorted.length - 1]!,
  };
}

async function timeEach(n: number, step: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await step(i);
    out.push(performance.now() - t);
  }
  return out;
}

async function startMsfLocalProcess(dataDir: string): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    [
      path.join(root, 'packages/msf-local/bin/msf-local.js'),
      'start',
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--quiet',
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`msf-local exited (${code})`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

const work = await mkdtemp(path.join(os.tmpdir(), 'plan-fleet-'));
const server = await startMsfLocalProcess(path.join(work, 'msf-local'));
try {
  const kda = new KinesisAnalyticsV2Client({ endpoint: server.url, region: 'us-east-1', credentials });
  const s3 = new S3Client({ endpoint: server.url, region: 'us-east-1', forcePathStyle: true, credentials });
  const jar = path.join(work, 'app.jar');
  await writeFile(jar, ZIP);
  const key = artifactKey('msfctl/artifacts/', (await fileDigest(jar)).sha256);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: ZIP }));

  process.stderr.write(`creating ${N} applications in msf-local at ${server.url}…\n`);
  const names = Array.from({ length: N }, (_, i) => `fleet-${String(i).padStart(3, '0')}`);
  const dirs: string[] = [];
  for (const name of names) {
    await kda.send(
      new CreateApplicationCommand({
        ApplicationName: name,
        RuntimeEnvironment: 'FLINK-1_19',
        ServiceExecutionRole: ROLE,
        ApplicationConfiguration: {
          ApplicationCodeConfiguration: {
            CodeContentType: 'ZIPFILE',
            CodeContent: { S3ContentLocation: { BucketARN: `arn:aws:s3:::${BUCKET}`, FileKey: key } },
          },
          EnvironmentProperties: {
            PropertyGroups: [
              {
                PropertyGroupId: 'OutputStream0',
                PropertyMap: { 'stream.name': `${name}-out`, 'aws.region': 'us-east-1' },
              },
            ],
          },
          FlinkApplicationConfiguration: {
            MonitoringConfiguration: {
              ConfigurationType: 'CUSTOM',
              LogLevel: 'ERROR',
              MetricsLevel: 'APPLICATION',
            },
            ParallelismConfiguration: {
              ConfigurationType: 'CUSTOM',
              Parallelism: 1,
              ParallelismPerKPU: 1,
              AutoScalingEnabled: false,
            },
          },
          ApplicationSnapshotConfiguration: { SnapshotsEnabled: true },
        },
      }),
    );
    // Each application's project: a spec that matches it (so every plan is "no changes") and its own ledger.
    const dir = path.join(work, name);
    dirs.push(dir);
    await mkdir(dir);
    await writeFile(
      path.join(dir, 'msfctl.yaml'),
      stringify({
        application: name,
        runtime: 'FLINK-1_19',
        role: ROLE,
        running: false,
        code: { jar },
        artifacts: { bucket: BUCKET },
        parallelism: { parallelism: 1, perKpu: 1, autoscaling: false },
        monitoring: { logLevel: 'ERROR' },
        properties: { OutputStream0: { 'stream.name': `${name}-out`, 'aws.region': 'us-east-1' } },
        target: { endpoint: server.url, region: 'us-east-1' },
      }),
    );
  }

  // Warm both paths once (connection, lazy module loading), outside the measurements.
  await kda.send(new DescribeApplicationCommand({ ApplicationName: names[0]! }));

  const describe = await timeEach(N, (i) =>
    kda.send(new DescribeApplicationCommand({ ApplicationName: names[i]! })),
  );

  process.env.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey;
  const clients = createClients({ kind: 'aws', region: 'us-east-1', endpoint: server.url });
  const gateway = new SdkMsfGateway(clients.msf);
  const host = createSilentHost();
  let changed = 0;
  const library = await timeEach(N, async (i) => {
    const spec = loadSpec({ cwd: dirs[i]!, env: {} });
    const { ledger } = await readLedger(new LocalObjectStore(path.join(dirs[i]!, '.msfctl')), names[i]!);
    const { plan } = await makePlan({
      spec,
      ledger,
      gateway,
      artifacts: s3ArtifactStore(() => clients.s3),
      host,
      target: { region: 'us-east-1', endpoint: server.url },
    });
    if (plan.actions.length) changed++;
  });
  clients.destroy();
  if (changed) throw new Error(`${changed} plans found changes; the fleet should match its specs`);

  const bin = path.join(root, 'packages/msfctl/bin/msfctl.js');
  const run = promisify(execFile);
  const cli = await timeEach(N, async (i) => {
    const { stdout } = await run(process.execPath, [bin, 'plan', '--detailed-exitcode', '--no-color'], {
      cwd: dirs[i]!,
      env: { ...process.env, AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench' },
    });
    if (!stdout.includes('No changes')) throw new Error(`unexpected plan for ${names[i]}:\n${stdout}`);
  });
  kda.destroy();
  s3.destroy();

  const rows: [string, number[]][] = [
    [`${N} × DescribeApplication (SDK, bare)`, describe],
    [`${N} × msfctl plan (library, in process)`, library],
    [`${N} × msfctl plan (binary, a process each)`, cli],
  ];
  const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
  console.log(
    `\nplan-fleet: ${N} applications in msf-local (${os.cpus().length} CPUs, Node ${process.version})\n`,
  );
  console.log(
    `${'what'.padEnd(46)}${'wall'.padStart(10)}${'mean'.padStart(11)}${'p50'.padStart(11)}${'p95'.padStart(11)}${'max'.padStart(11)}`,
  );
  for (const [label, samples] of rows) {
    const s = stats(samples);
    console.log(
      `${label.padEnd(46)}${fmt(s.total).padStart(10)}${fmt(s.mean).padStart(11)}${fmt(s.p50).padStart(11)}${fmt(s.p95).padStart(11)}${fmt(s.max).padStart(11)}`,
    );
  }
  const floor = stats(describe).total;
  console.log(
    `\nmsfctl plan over the fleet: ${(stats(library).total / floor).toFixed(1)}× the bare DescribeApplication time in process, ${(stats(cli).total / floor).toFixed(1)}× as separate processes.`,
  );
} finally {
  await server.stop();
  await rm(work, { recursive: true, force: true });
}
