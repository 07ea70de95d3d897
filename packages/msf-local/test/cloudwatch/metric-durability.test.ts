/** The metric store's persistence: restarts, compaction, torn log lines, and `kill -9` of a server. */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CloudWatchClient,
  GetMetricStatisticsCommand,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterEach, describe, expect, it } from 'vitest';
import { MetricStore } from '../../src/cloudwatch/backend/metric-store.js';
import { startChildServer } from '../s3/child-server.js';
import { startCloudWatch, TEST_CREDENTIALS } from './harness.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'msf-cw-dur-'));
  cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

const NOW = Date.parse('2026-03-01T12:00:00Z');
const values = (store: MetricStore, app: string) =>
  store
    .query('AWS/KinesisAnalytics', 'uptime', { Application: app }, 0, Number.MAX_SAFE_INTEGER)
    .map((s) => s.sum);

describe('metric store persistence', () => {
  it('keeps series across restarts, compacting as the log grows', async () => {
    const dir = await tempDir();
    const options = { now: () => NOW, compactAfterBytes: 2_000 };
    let store = await MetricStore.open(dir, options);
    for (let i = 0; i < 200; i++) {
      await store.put(
        'AWS/KinesisAnalytics',
        'uptime',
        { Application: `app${i % 2}` },
        NOW - 200_000 + i * 1000,
        i,
        'Milliseconds',
      );
    }
    await store.close();
    // Compaction kept one generation: one snapshot and one log.
    expect((await fs.readdir(dir)).sort()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^metrics-\d+\.snapshot$/)]),
    );
    expect((await fs.readdir(dir)).filter((f) => f.endsWith('.snapshot'))).toHaveLength(1);

    store = await MetricStore.open(dir, options);
    expect(values(store, 'app0')).toEqual(Array.from({ length: 100 }, (_, i) => i * 2));
    expect(values(store, 'app1')).toEqual(Array.from({ length: 100 }, (_, i) => i * 2 + 1));
    expect(store.listMetrics({ namespace: 'AWS/KinesisAnalytics' })).toHaveLength(2);
    await store.close();
  });

  it('ignores a torn last log line and anything past the retention window', async () => {
    const dir = await tempDir();
    let now = NOW;
    let store = await MetricStore.open(dir, { now: () => now, retentionMs: 60_000 });
    await store.put('AWS/KinesisAnalytics', 'uptime', { Application: 'a' }, NOW - 120_000, 1, 'Milliseconds');
    await store.put('AWS/KinesisAnalytics', 'uptime', { Application: 'a' }, NOW - 10_000, 2, 'Milliseconds');
    await store.close();
    const log = (await fs.readdir(dir)).find((f) => f.endsWith('.log'))!;
    // What a crash in the middle of an append leaves behind.
    await fs.appendFile(path.join(dir, log), '[["AWS/KinesisAnalytics","uptime",[["Application","a"]],17');
    store = await MetricStore.open(dir, { now: () => now, retentionMs: 60_000 });
    expect(values(store, 'a')).toEqual([2]);
    now += 60_000;
    expect(values(store, 'a')).toEqual([]);
    await store.close();
  });

  it('restarts a server with its metrics (through the SDK)', async () => {
    const options = { now: () => NOW };
    let h = await startCloudWatch(undefined, options);
    cleanups.push(() => h.dispose());
    await h.client.send(
      new PutMetricDataCommand({
        Namespace: 'Custom/Restart',
        MetricData: [{ MetricName: 'm', Value: 42, Unit: 'Count', Timestamp: new Date(NOW - 30_000) }],
      }),
    );
    h = await h.restart();
    const out = await h.client.send(
      new GetMetricStatisticsCommand({
        Namespace: 'Custom/Restart',
        MetricName: 'm',
        StartTime: new Date(NOW - 60_000),
        EndTime: new Date(NOW),
        Period: 60,
        Statistics: ['Sum'],
      }),
    );
    expect(out.Datapoints?.map((d) => d.Sum)).toEqual([42]);
  });
});

describe('kill -9', () => {
  it('loses no acknowledged PutMetricData and leaves a readable store', async () => {
    const dir = await tempDir();
    const script = path.join(import.meta.dirname, 'fixtures', 'cloudwatch-server-process.ts');
    const server = await startChildServer(script, [dir]);
    cleanups.push(() => server.kill9());
    const client = new CloudWatchClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
      requestHandler: new NodeHttpHandler(),
    });
    cleanups.push(async () => client.destroy());
    const start = Date.now() - 60_000;
    const acked: number[] = [];
    let stop = false;
    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const seq = w * 1_000_000 + i;
        try {
          await client.send(
            new PutMetricDataCommand({
              Namespace: 'Custom/Crash',
              MetricData: Array.from({ length: 20 }, (_, j) => ({
                MetricName: 'seq',
                Dimensions: [{ Name: 'Writer', Value: String(w) }],
                Value: seq * 100 + j,
                Timestamp: new Date(start + (i % 50_000)),
              })),
            }),
          );
          acked.push(seq);
        } catch {
          return;
        }
      }
    };
    const writers = [writer(1), writer(2), writer(3)];
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await server.kill9();
    stop = true;
    await Promise.all(writers);
    expect(acked.length).toBeGreaterThan(10);

    const store = await MetricStore.open(dir);
    cleanups.push(() => store.close());
    const stored = new Set<number>();
    for (const w of [1, 2, 3]) {
      for (const s of store.query('Custom/Crash', 'seq', { Writer: String(w) }, 0, Number.MAX_SAFE_INTEGER)) {
        stored.add(s.sum);
      }
    }
    for (const seq of acked) {
      for (let j = 0; j < 20; j++) expect(stored.has(seq * 100 + j)).toBe(true);
    }
    // Batches are atomic: every stored batch is complete.
    const batches = new Map<number, number>();
    for (const v of stored) batches.set(Math.floor(v / 100), (batches.get(Math.floor(v / 100)) ?? 0) + 1);
    expect([...batches.values()].every((n) => n === 20)).toBe(true);
  });
});
