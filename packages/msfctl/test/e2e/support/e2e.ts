/**
 * End-to-end support: one real msf-local per test file (real Flink, kinesis-local, its S3 and CloudWatch), the
 * stock-prices JARs from the shared build cache, a project directory with an msfctl.yaml whose target is that
 * msf-local, and the evidence readers (output records, Flink's own restore record, the ledger).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CreateApplicationPresignedUrlCommand,
  KinesisAnalyticsV2Client,
} from '@aws-sdk/client-kinesis-analytics-v2';
import { CreateStreamCommand, waitUntilStreamExists, type KinesisClient } from '@aws-sdk/client-kinesis';
import { startMsfLocal, type MsfLocal } from 'msf-local';
import { stringify } from 'yaml';
import {
  buildStockPrices,
  type StockPricesFlink,
  type StockPricesVariant,
} from '../../../../../examples/stock-prices/build.js';
import { kinesisClientFor, tailStream, type StockPrice } from '../../../../../examples/stock-prices/tail.js';
import type { Ledger } from '../../../src/model/ledger.js';
import { msfctl, type CliResult } from '../../harness/msfctl-cli.js';

export const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

export interface E2E {
  server: MsfLocal;
  dir: string;
  kinesis: KinesisClient;
  kda: KinesisAnalyticsV2Client;
  /** Runs msfctl in the project directory. */
  run(...args: string[]): Promise<CliResult>;
  /** Runs msfctl and stops it with SIGTERM after `ms` (for --watch). */
  runFor(ms: number, ...args: string[]): Promise<CliResult>;
  /** Writes msfctl.yaml: the stock-prices spec with these fields changed. */
  writeSpec(fields?: Record<string, unknown>): void;
  ledger(app?: string): Ledger;
  close(): Promise<void>;
}

export async function startE2E(): Promise<E2E> {
  const dir = mkdtempSync(path.join(tmpdir(), 'msfctl-e2e-'));
  const server = await startMsfLocal({
    dataDir: path.join(dir, 'msf-local'),
    port: 0,
    flink: { restartDelayMs: 2000 },
    metricsIntervalMs: 1000,
    log: () => undefined,
  });
  const kinesis = kinesisClientFor(server.url, 'us-east-1');
  const kda = new KinesisAnalyticsV2Client({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: CREDENTIALS,
  });
  const e2e: E2E = {
    server,
    dir,
    kinesis,
    kda,
    run: (...args) => msfctl(args, { cwd: dir }),
    runFor: (ms, ...args) => msfctl(args, { cwd: dir, timeoutMs: ms }),
    writeSpec(fields = {}) {
      writeFileSync(path.join(dir, 'msfctl.yaml'), stringify({ ...baseSpec(server), ...fields }));
    },
    ledger(app = 'stock-prices') {
      return JSON.parse(readFileSync(path.join(dir, '.msfctl', app, 'ledger.json'), 'utf8')) as Ledger;
    },
    async close() {
      kinesis.destroy();
      kda.destroy();
      await server.close();
    },
  };
  return e2e;
}

function baseSpec(server: MsfLocal): Record<string, unknown> {
  return {
    application: 'stock-prices',
    runtime: 'FLINK-1_19',
    running: true,
    code: { jar: 'set by the test' },
    artifacts: { bucket: 'stock-prices-artifacts' },
    parallelism: { parallelism: 1, perKpu: 1, autoscaling: false },
    monitoring: { logLevel: 'ERROR', metricsLevel: 'APPLICATION' },
    properties: { OutputStream0: { 'stream.name': 'ExampleOutputStream', 'aws.region': 'us-east-1' } },
    target: { kind: 'local', port: server.port, dataDir: server.dataDir },
    // No health watch and no rehearsal by default: these scenarios are about deploys; safe-deploy.flink.test.ts
    // bakes, rehearsal.flink.test.ts rehearses.
    deploy: { bakeSeconds: 0, rehearse: 'off' },
  };
}

export function jar(
  variant: StockPricesVariant = 'baseline',
  flink: StockPricesFlink = '1.19',
): Promise<string> {
  return buildStockPrices({ flink, variant, log: () => undefined });
}

export async function createStream(kinesis: KinesisClient, name: string): Promise<void> {
  await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
  await waitUntilStreamExists({ client: kinesis, maxWaitTime: 60 }, { StreamName: name });
}

/**
 * Waits until `windows` distinct windows that started at or after `since` have arrived in the stream: "data
 * flowing". Returns the records seen.
 */
export async function recordsAfter(
  kinesis: KinesisClient,
  stream: string,
  since: number,
  windows: number,
  timeoutMs = 120_000,
): Promise<StockPrice[]> {
  const seen: StockPrice[] = [];
  const starts = new Set<number>();
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), timeoutMs);
  try {
    for await (const record of tailStream(kinesis, stream, {
      from: 'trim-horizon',
      pollMs: 500,
      signal: stop.signal,
    })) {
      const price = record.value as StockPrice;
      if (price.eventTime < since) continue;
      seen.push(price);
      starts.add(price.eventTime);
      if (starts.size >= windows) break;
    }
  } finally {
    clearTimeout(timer);
  }
  if (starts.size < windows)
    throw new Error(
      `only ${starts.size} of ${windows} windows after ${new Date(since).toISOString()} arrived in ${stream} within ${timeoutMs} ms`,
    );
  return seen;
}

export interface RestoreRecord {
  is_savepoint: boolean;
  external_path: string;
}

/**
 * What Flink itself says the running job was restored from (its checkpoint statistics), read through the
 * dashboard URL the service hands out (CreateApplicationPresignedUrl). Undefined: started with empty state.
 */
export async function restoredFrom(
  kda: KinesisAnalyticsV2Client,
  app = 'stock-prices',
): Promise<RestoreRecord | undefined> {
  const { AuthorizedUrl } = await kda.send(
    new CreateApplicationPresignedUrlCommand({ ApplicationName: app, UrlType: 'FLINK_DASHBOARD_URL' }),
  );
  const base = AuthorizedUrl!.replace(/\/$/, '');
  const jobs = (await (await fetch(`${base}/jobs`)).json()) as { jobs: { id: string; status: string }[] };
  const running = jobs.jobs.find((j) => j.status === 'RUNNING');
  if (!running) throw new Error(`no RUNNING job on ${base}: ${JSON.stringify(jobs)}`);
  const stats = (await (await fetch(`${base}/jobs/${running.id}/checkpoints`)).json()) as {
    latest?: { restored?: RestoreRecord | null };
  };
  return stats.latest?.restored ?? undefined;
}

export function json<T>(result: CliResult): T {
  if (result.json === undefined)
    throw new Error(`not JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  return result.json as T;
}
