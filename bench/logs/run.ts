/**
 * bench/logs — CloudWatch Logs write and read throughput and latency, side by side in one run, for msf-local (its
 * own process, as users run it: every acknowledged PutLogEvents is fsynced) and moto's server mode (in memory;
 * installed into bench/.venv on first run, as bench/api does). The same raw HTTP/1.1 requests go to both.
 *
 *   npx tsx bench/logs/run.ts [--seconds 5] [--concurrency 4] [--batch 100]
 *
 * PutLogEvents: each worker writes batches of `--batch` events (about 150 bytes each) to its own stream.
 * FilterLogEvents (a term matching 1 event in 10, first 100 matches) and GetLogEvents (the newest 100) then read
 * the group that the write phase filled.
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
    concurrency: { type: 'string', default: '4' },
    batch: { type: 'string', default: '100' },
  },
});
const SECONDS = Number(values.seconds);
const CONCURRENCY = Number(values.concurrency);
const BATCH = Number(values.batch);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const GROUP = 'bench-group';

interface Target {
  name: string;
  url: string;
  stop(): Promise<void>;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function call(url: string, op: string, body: object): Promise<{ status: number; body: string }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': `Logs_20140328.${op}`,
          authorization:
            'AWS4-HMAC-SHA256 Credential=AKIDBENCH/20261125/us-east-1/logs/aws4_request, SignedHeaders=host, Signature=0',
          'content-length': Buffer.byteLength(payload),
        },
      },
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

async function ok(url: string, op: string, body: object): Promise<void> {
  const res = await call(url, op, body);
  if (res.status !== 200) throw new Error(`${op}: ${res.status} ${res.body}`);
}

/** Runs `request(worker)` from CONCURRENCY workers for SECONDS; latencies in ms. */
async function load(
  request: (worker: number) => Promise<number>,
): Promise<{ perSecond: number; requests: number; p50: number; p99: number; errors: number }> {
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, worker) => {
      while (performance.now() < deadline) {
        const started = performance.now();
        const status = await request(worker);
        latencies.push(performance.now() - started);
        if (status !== 200) errors++;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return {
    perSecond: latencies.length / SECONDS,
    requests: latencies.length,
    p50: at(0.5),
    p99: at(0.99),
    errors,
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = http.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      await call(url, 'DescribeLogGroups', {});
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`${url} did not come up`);
}

async function startMsfLocal(): Promise<Target> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bench-logs-'));
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
    { stdio: ['ignore', 'ignore', 'inherit'] },
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

async function bench(target: Target) {
  await ok(target.url, 'CreateLogGroup', { logGroupName: GROUP });
  for (let w = 0; w < CONCURRENCY; w++) {
    await ok(target.url, 'CreateLogStream', { logGroupName: GROUP, logStreamName: `stream-${w}` });
  }
  let n = 0;
  const put = await load(async (worker) => {
    const now = Date.now();
    const logEvents = Array.from({ length: BATCH }, (_, i) => {
      const id = n++;
      return {
        timestamp: now,
        message: `${id % 10 === 0 ? 'ERROR' : 'INFO'} event ${id} ${'x'.repeat(120)} worker=${worker} i=${i}`,
      };
    });
    return (
      await call(target.url, 'PutLogEvents', {
        logGroupName: GROUP,
        logStreamName: `stream-${worker}`,
        logEvents,
      })
    ).status;
  });
  const filter = await load(
    async () =>
      (await call(target.url, 'FilterLogEvents', { logGroupName: GROUP, filterPattern: 'ERROR', limit: 100 }))
        .status,
  );
  const get = await load(
    async (worker) =>
      (
        await call(target.url, 'GetLogEvents', {
          logGroupName: GROUP,
          logStreamName: `stream-${worker}`,
          limit: 100,
        })
      ).status,
  );
  return { put, filter, get, stored: n };
}

const targets = [await startMsfLocal(), await startMoto()];
try {
  const results = [];
  for (const t of targets) results.push({ target: t.name, ...(await bench(t)) });
  console.log(
    `\nbench/logs — ${SECONDS}s per cell, concurrency ${CONCURRENCY}, batches of ${BATCH} events, keep-alive HTTP/1.1, ${os.cpus().length} CPUs\n`,
  );
  console.log(
    'operation                 target          req/s  events/s    p50 ms   p99 ms  errors  vs msf-local',
  );
  const base = results[0]!;
  for (const op of ['put', 'filter', 'get'] as const) {
    for (const r of results) {
      const cell = r[op];
      const label = { put: `PutLogEvents (${BATCH})`, filter: 'FilterLogEvents', get: 'GetLogEvents' }[op];
      const events = op === 'put' ? (cell.perSecond * BATCH).toFixed(0) : '';
      console.log(
        `${label.padEnd(25)} ${r.target.padEnd(13)} ${cell.perSecond.toFixed(0).padStart(7)} ${events.padStart(9)} ${cell.p50.toFixed(2).padStart(9)} ${cell.p99.toFixed(2).padStart(8)} ${String(cell.errors).padStart(7)}  ${(cell.perSecond / base[op].perSecond).toFixed(2)}x`,
      );
    }
  }
  console.log(
    `\nevents stored before the reads: ${results.map((r) => `${r.target} ${r.stored}`).join(', ')}`,
  );
} finally {
  for (const t of targets) await t.stop();
  agent.destroy();
}
