/**
 * bench/plan-fleet — what `msfctl plan` costs over a fleet of N applications (default 100), in one run:
 *   1. starts msf-local as its own process (as users run it) and creates N applications, READY, each with a
 *      spec that matches it in one fleet directory;
 *   2. N bare DescribeApplication calls through the AWS SDK, all in parallel: the floor;
 *   3. the fleet plan in one process — `runFleetCommand('plan')`, the code `msfctl plan -f DIR` runs (spec set,
 *      shared target, makePlan with its preflight per application), at the default --parallelism 8 and at N;
 *      then the same as one `msfctl plan -f DIR` process, Node start-up included;
 *   4. N separate `msfctl plan -f FILE` processes: a sample of --sample processes (default 10) run one after the
 *      other and scaled to N (said so in the output; all N with --sample N).
 *
 *   npx tsx bench/plan-fleet/run.ts [--apps 100] [--sample 10]
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
import { createSilentHost } from '../../packages/msfctl/src/adapters/io/memory-host.js';
import { runFleetCommand } from '../../packages/msfctl/src/cli/commands/fleet.js';

const { values } = parseArgs({
  options: { apps: { type: 'string', default: '100' }, sample: { type: 'string', default: '10' } },
});
const N = Number(values.apps);
const SAMPLE = Math.min(N, Number(values.sample));
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

async function wall(step: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await step();
  return performance.now() - t;
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
  const fleet = path.join(work, 'fleet');
  await mkdir(fleet);
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
    // The fleet: one spec per application, each matching it (so every plan is "no changes"), one state dir.
    await writeFile(
      path.join(fleet, `${name}.yaml`),
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

  const describeAll = () =>
    Promise.all(names.map((name) => kda.send(new DescribeApplicationCommand({ ApplicationName: name }))));
  await describeAll(); // warm-up
  const describe = await wall(describeAll);

  process.env.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey;
  const fleetPlan = async (parallelism: number) => {
    let result: unknown;
    const host = { ...createSilentHost(), result: (_h: string, json: unknown) => void (result = json) };
    const code = await runFleetCommand('plan', { file: [fleet], parallelism, detailedExitcode: true }, host);
    const counts = (result as { counts: Record<string, number> }).counts;
    if (code !== 0 || counts['no changes'] !== N)
      throw new Error(
        `fleet plan: exit ${code}, ${JSON.stringify(counts)}; the fleet should match its specs`,
      );
  };
  await fleetPlan(8); // warm-up: module loading, the JAR digest cache, connections
  const inProcess8 = await wall(() => fleetPlan(8));
  const inProcessN = await wall(() => fleetPlan(N));

  const bin = path.join(root, 'packages/msfctl/bin/msfctl.js');
  const run = promisify(execFile);
  const env = { ...process.env, AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench' };
  const oneProcess = await wall(async () => {
    const { stdout } = await run(process.execPath, [bin, 'plan', '-f', fleet, '--no-color'], {
      cwd: work,
      env,
    });
    if (!stdout.includes(`${N} no changes`)) throw new Error(`unexpected fleet plan:\n${stdout}`);
  });
  const separate = await timeEach(SAMPLE, async (i) => {
    const file = path.join(fleet, `${names[i]!}.yaml`);
    const { stdout } = await run(process.execPath, [bin, 'plan', '-f', file, '--no-color'], {
      cwd: work,
      env,
    });
    if (!stdout.includes('No changes')) throw new Error(`unexpected plan for ${names[i]}:\n${stdout}`);
  });
  kda.destroy();
  s3.destroy();

  const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
  const separateTotal = (stats(separate).total / SAMPLE) * N;
  const rows: [string, number, string][] = [
    [`${N} × DescribeApplication, all in parallel (SDK)`, describe, 'the floor'],
    [`fleet plan, in process, --parallelism 8`, inProcess8, ''],
    [`fleet plan, in process, --parallelism ${N}`, inProcessN, ''],
    [`msfctl plan -f DIR (one process, start-up incl.)`, oneProcess, ''],
    [
      `${N} × msfctl plan -f FILE (a process each)`,
      separateTotal,
      SAMPLE < N
        ? `${SAMPLE} run one after the other, scaled ×${(N / SAMPLE).toFixed(1)}`
        : 'one after the other',
    ],
  ];
  console.log(
    `\nplan-fleet: ${N} applications in msf-local (${os.cpus().length} CPUs, Node ${process.version})\n`,
  );
  console.log(`${'what'.padEnd(52)}${'wall'.padStart(10)}${'× floor'.padStart(10)}  note`);
  for (const [label, ms, note] of rows)
    console.log(
      `${label.padEnd(52)}${fmt(ms).padStart(10)}${(ms / describe).toFixed(2).padStart(10)}  ${note}`,
    );
  const goal = inProcess8 / describe <= 1.5 ? 'met' : 'not met';
  console.log(
    `\nfleet plan in one process (default parallelism): ${(inProcess8 / describe).toFixed(2)}× the parallel DescribeApplication floor (goal ≤ 1.5×: ${goal}); ${(separateTotal / inProcess8).toFixed(0)}× faster than separate processes.`,
  );
} finally {
  await server.stop();
  await rm(work, { recursive: true, force: true });
}
