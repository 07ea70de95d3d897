/** The throttle test hook: a token bucket before the Managed Flink API, answered as the service throttles. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KinesisAnalyticsV2Client, ListApplicationsCommand } from '@aws-sdk/client-kinesis-analytics-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMsfLocal, type MsfLocal } from '../../src/index.js';

let local: MsfLocal;

beforeAll(async () => {
  local = await startMsfLocal({
    dataDir: mkdtempSync(path.join(tmpdir(), 'msf-local-throttle-')),
    port: 0,
    runtime: null,
    kinesis: false,
    log: () => undefined,
  });
});
afterAll(() => local?.close());

const client = (maxAttempts: number, retryMode: 'standard' | 'adaptive' = 'standard') =>
  new KinesisAnalyticsV2Client({
    endpoint: local.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts,
    retryMode,
  });

describe('throttle hook', () => {
  it('is off by default', async () => {
    const c = client(1);
    await Promise.all(Array.from({ length: 20 }, () => c.send(new ListApplicationsCommand({}))));
    expect(local.throttleCounters()).toEqual({ throttled: 0, served: 20 });
    c.destroy();
  });

  it('beyond the burst, answers ThrottlingException (HTTP 400) as the service throttles', async () => {
    local.throttle({ requestsPerSecond: 1, burst: 3 });
    const c = client(1);
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () => c.send(new ListApplicationsCommand({}))),
    );
    const rejected = results.filter((r) => r.status === 'rejected').map((r) => r.reason as Error);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect(rejected.length).toBe(3);
    expect(rejected[0]!.name).toBe('ThrottlingException');
    expect((rejected[0] as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).toBe(400);
    c.destroy();
  });

  it('adaptive retries get every request through a throttled API; turning it off ends it', async () => {
    local.throttle({ requestsPerSecond: 10, burst: 2 });
    const c = client(10, 'adaptive');
    await Promise.all(Array.from({ length: 12 }, () => c.send(new ListApplicationsCommand({}))));
    const counters = local.throttle(undefined);
    expect(counters.served).toBe(12);
    expect(counters.throttled).toBeGreaterThan(0);
    await c.send(new ListApplicationsCommand({}));
    expect(local.throttleCounters()).toEqual({ throttled: 0, served: 1 });
    c.destroy();
  });

  it('refuses settings that would throttle everything', () => {
    expect(() => local.throttle({ requestsPerSecond: 0 })).toThrow(/requestsPerSecond must be > 0/);
  });
});
