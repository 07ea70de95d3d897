/**
 * bench/api — DescribeApplication and ListApplications throughput and latency, side by side in one run, for:
 *   - msf-local (this project), as its own process, as users run it;
 *   - moto's server mode (`pip install 'moto[server]'`, installed into bench/.venv on first run);
 *   - a bare Node HTTP server answering a canned body: the ceiling of this machine and load generator.
 * The same raw HTTP/1.1 requests (identical bytes, keep-alive) go to each, from one load generator.
 *
 *   npx tsx bench/api/run.ts [--seconds 5] [--concurrency 8] [--apps 50]
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '8' },
    apps: { type: 'string', default: '50' },
  },
});
const SECONDS = Number(values.seconds);
const CONCURRENCY = Number(values.concurrency);
const APPS = Number(values.apps);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Target {
  name: string;
  url: string;
  stop(): Promise<void>;
}

const headers = (op: string) => ({
  'content-type': 'application/x-amz-json-1.1',
  'x-amz-target': `KinesisAnalytics_20180523.${op}`,
  authorization:
    'AWS4-HMAC-SHA256 Credential=AKIDBENCH/20261125/us-east-1/kinesisanalytics/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0',
  'x-amz-date': '20261125T000000Z',
});

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function call(url: string, op: string, body: object): Promise<{ status: number; body: string }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { ...headers(op), 'content-length': Buffer.byteLength(payload) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function load(
  url: string,
  op: string,
  body: object,
): Promise<{ rps: number; p50: number; p99: number; errors: number }> {
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        const started = performance.now();
        const res = await call(url, op, body);
        latencies.push(performance.now() - started);
        if (res.status !== 200) errors++;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { rps: latencies.length / SECONDS, p50: at(0.5), p99: at(0.99), errors };
}

async function waitForPort(url: string, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      await call(url, 'ListApplications', {});
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`${url} did not come up`);
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = http.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function startMsfLocal(): Promise<Target> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bench-msf-local-'));
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      path.join(root, 'packages/msf-local/bin/msf-local.js'),
      'start',
      '--quiet',
      '--port',
      String(port),
      '--data-dir',
      dataDir,
    ],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitForPort(url, child);
  return {
    name: 'msf-local',
    url,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function startMoto(): Promise<Target> {
  const venv = path.join(root, 'bench/.venv');
  const motoServer = path.join(venv, 'bin/moto_server');
  if (!existsSync(motoServer)) {
    process.stderr.write(`installing moto[server] into ${venv} ...\n`);
    execFileSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
    execFileSync(path.join(venv, 'bin/pip'), ['install', '-q', 'moto[server]'], { stdio: 'inherit' });
  }
  const port = await freePort();
  const child = spawn(motoServer, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForPort(url, child);
  return {
    name: 'moto server',
    url,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

async function startCanned(): Promise<Target> {
  const describeBody = JSON.stringify({
    ApplicationDetail: { ApplicationName: 'bench-0', ApplicationStatus: 'READY' },
  });
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, {
        'content-type': 'application/x-amz-json-1.1',
        'content-length': Buffer.byteLength(describeBody),
      });
      res.end(describeBody);
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    name: 'bare node (canned)',
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise((r) => server.close(() => r())),
  };
}

async function seed(target: Target): Promise<void> {
  for (let i = 0; i < APPS; i++) {
    const res = await call(target.url, 'CreateApplication', {
      ApplicationName: `bench-${i}`,
      RuntimeEnvironment: 'FLINK-1_20',
      ServiceExecutionRole: 'arn:aws:iam::123456789012:role/bench',
    });
    if (res.status !== 200 && target.name !== 'bare node (canned)')
      throw new Error(`${target.name}: ${res.body}`);
  }
}

const targets = [await startMsfLocal(), await startMoto(), await startCanned()];
try {
  for (const t of targets) await seed(t);
  const rows: { target: string; op: string; rps: number; p50: number; p99: number; errors: number }[] = [];
  for (const [op, body] of [
    ['DescribeApplication', { ApplicationName: 'bench-7' }],
    ['ListApplications', { Limit: 50 }],
  ] as const) {
    for (const t of targets) rows.push({ target: t.name, op, ...(await load(t.url, op, body)) });
  }
  console.log(
    `\nbench/api — ${SECONDS}s per cell, concurrency ${CONCURRENCY}, ${APPS} applications, keep-alive HTTP/1.1, ${os.cpus().length} CPUs\n`,
  );
  console.log('operation            target               req/s     p50 ms   p99 ms   errors   vs msf-local');
  for (const r of rows) {
    const base = rows.find((x) => x.op === r.op && x.target === 'msf-local')!;
    console.log(
      `${r.op.padEnd(20)} ${r.target.padEnd(20)} ${r.rps.toFixed(0).padStart(7)} ${r.p50.toFixed(2).padStart(9)} ${r.p99.toFixed(2).padStart(8)} ${String(r.errors).padStart(8)}   ${(r.rps / base.rps).toFixed(2)}x`,
    );
  }
} finally {
  for (const t of targets) await t.stop();
  agent.destroy();
}
