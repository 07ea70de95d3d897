import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchClient,
  PutMetricDataCommand,
  type GetMetricDataCommandOutput,
} from '@aws-sdk/client-cloudwatch';
import { startMsfLocal, type MsfLocal } from 'msf-local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CloudWatchHealthFetcher,
  periodFor,
  type CloudWatchLike,
} from '../../src/adapters/aws/cloudwatch-fetcher.js';
import { HEALTH_QUERIES, MSF_NAMESPACE } from '../../src/adapters/aws/cloudwatch-series.js';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

function stub(
  answer: (
    command: GetMetricDataCommand,
    call: number,
    signal?: AbortSignal,
  ) => Promise<GetMetricDataCommandOutput>,
): CloudWatchLike & { commands: GetMetricDataCommand[] } {
  const commands: GetMetricDataCommand[] = [];
  return {
    commands,
    send: (command, options) => {
      commands.push(command);
      return answer(command, commands.length, options?.abortSignal);
    },
  };
}

const output = (extra: Partial<GetMetricDataCommandOutput>): GetMetricDataCommandOutput => ({
  $metadata: {},
  MetricDataResults: [],
  ...extra,
});

describe('CloudWatchHealthFetcher with a stubbed client', () => {
  it('asks one GetMetricData for every health metric, on whole periods, with the Application dimension', async () => {
    const client = stub(async () => output({}));
    const fetcher = new CloudWatchHealthFetcher(client, { periodSeconds: 60 });
    const observation = await fetcher.fetch('app', { start: T0 + 30_500, end: T0 + 95_000 });
    expect(observation.ok).toBe(true);
    const input = client.commands[0]!.input;
    expect(input.StartTime).toEqual(new Date(T0));
    expect(input.EndTime).toEqual(new Date(T0 + 120_000));
    expect(input.MetricDataQueries).toHaveLength(HEALTH_QUERIES.length);
    expect(input.MetricDataQueries![0]).toMatchObject({
      Id: 'num_restarts',
      MetricStat: {
        Metric: {
          Namespace: MSF_NAMESPACE,
          MetricName: 'numRestarts',
          Dimensions: [{ Name: 'Application', Value: 'app' }],
        },
        Period: 60,
        Stat: 'Maximum',
      },
    });
  });

  it('follows NextToken and merges the pages into one series, naming the metrics it found', async () => {
    const client = stub(async (_command, call) =>
      call === 1
        ? output({
            MetricDataResults: [
              {
                Id: 'full_restarts',
                Timestamps: [new Date(T0), new Date(T0 + 1000)],
                Values: [0, 1],
                StatusCode: 'PartialData',
              },
            ],
            NextToken: 'more',
          })
        : output({
            MetricDataResults: [
              {
                Id: 'restarting_max',
                Timestamps: [new Date(T0 + 1000)],
                Values: [800],
                StatusCode: 'Complete',
              },
              { Id: 'uptime_min', Timestamps: [new Date(T0)], Values: [5000] },
            ],
          }),
    );
    const observation = await new CloudWatchHealthFetcher(client, { periodSeconds: 1 }).fetch('app', {
      start: T0,
      end: T0 + 2000,
    });
    expect(client.commands[1]!.input.NextToken).toBe('more');
    if (!observation.ok) throw new Error(observation.reason);
    expect(observation.series.points).toEqual([
      { at: T0, restarts: 0, uptimeMin: 5000 },
      { at: T0 + 1000, restarts: 1, down: 800 },
    ]);
    expect(observation.series.sources).toEqual({
      restarts: 'fullRestarts',
      uptime: 'uptime',
      down: ['restartingTime'],
    });
  });

  it('prefers numRestarts over fullRestarts and takes the largest outage metric', async () => {
    const client = stub(async () =>
      output({
        MetricDataResults: [
          { Id: 'num_restarts', Timestamps: [new Date(T0)], Values: [3] },
          { Id: 'full_restarts', Timestamps: [new Date(T0)], Values: [3] },
          { Id: 'downtime_max', Timestamps: [new Date(T0)], Values: [0] },
          { Id: 'restarting_max', Timestamps: [new Date(T0)], Values: [4000] },
        ],
      }),
    );
    const observation = await new CloudWatchHealthFetcher(client, { periodSeconds: 1 }).fetch('app', {
      start: T0,
      end: T0,
    });
    if (!observation.ok) throw new Error(observation.reason);
    expect(observation.series.points[0]).toEqual({ at: T0, restarts: 3, down: 4000 });
    expect(observation.series.sources.restarts).toBe('numRestarts');
  });

  it('reports a failed read instead of throwing', async () => {
    const denied = Object.assign(new Error('User is not authorized to perform cloudwatch:GetMetricData'), {
      name: 'AccessDenied',
    });
    const observation = await new CloudWatchHealthFetcher(stub(async () => Promise.reject(denied))).fetch(
      'app',
      { start: T0, end: T0 },
    );
    expect(observation).toMatchObject({
      ok: false,
      reason:
        'GetMetricData for app AccessDenied: User is not authorized to perform cloudwatch:GetMetricData',
    });
  });

  it('reports a query the service could not answer', async () => {
    const client = stub(async () =>
      output({
        MetricDataResults: [
          {
            Id: 'uptime_min',
            StatusCode: 'Forbidden',
            Messages: [{ Code: 'Forbidden', Value: 'no access' }],
          },
        ],
      }),
    );
    expect(await new CloudWatchHealthFetcher(client).fetch('app', { start: T0, end: T0 })).toMatchObject({
      ok: false,
      reason: 'GetMetricData for app: uptime_min Forbidden (no access)',
    });
  });

  it('gives up on a read that hangs', async () => {
    const client = stub(
      (_c, _n, signal) =>
        new Promise((_resolve, reject) =>
          signal?.addEventListener('abort', () =>
            reject(Object.assign(new Error('aborted'), { name: 'AbortError' })),
          ),
        ),
    );
    const observation = await new CloudWatchHealthFetcher(client, { timeoutMs: 50 }).fetch('app', {
      start: T0,
      end: T0,
    });
    expect(observation).toMatchObject({ ok: false, reason: 'GetMetricData for app timed out after 50 ms' });
  });

  it('stops following pages after maxPages', async () => {
    const client = stub(async () => output({ NextToken: 'again' }));
    expect(
      await new CloudWatchHealthFetcher(client, { maxPages: 3 }).fetch('app', { start: T0, end: T0 }),
    ).toMatchObject({ ok: false, reason: 'GetMetricData for app needed more than 3 pages' });
    expect(client.commands).toHaveLength(3);
  });

  it('refuses a period CloudWatch does not have', () => {
    expect(
      () =>
        new CloudWatchHealthFetcher(
          stub(async () => output({})),
          { periodSeconds: 45 },
        ),
    ).toThrow(/1, 5, 10, 20, 30 or a multiple of 60 seconds, not 45/);
    expect(periodFor('aws')).toBe(60);
    expect(periodFor('local')).toBe(1);
  });
});

describe('CloudWatchHealthFetcher through the real SDK against msf-local CloudWatch', () => {
  let server: MsfLocal;
  let dataDir: string;
  let cloudwatch: CloudWatchClient;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'msfctl-fetcher-'));
    server = await startMsfLocal({ dataDir, port: 0, runtime: null, kinesis: false, log: () => undefined });
    cloudwatch = new CloudWatchClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
  });
  afterAll(async () => {
    cloudwatch?.destroy();
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  // CloudWatch (and msf-local) refuse PutMetricData into AWS/ namespaces: the published series goes to a
  // namespace of its own, which the fetcher is told.
  const NAMESPACE = 'Test/KinesisAnalytics';

  it('reads back what the application published, per period', async () => {
    const now = Date.now();
    const base = Math.floor(now / 5000) * 5000 - 20_000;
    const dims = [{ Name: 'Application', Value: 'stock-prices' }];
    const data = [0, 1, 2, 3].flatMap((i) => [
      {
        MetricName: 'fullRestarts',
        Dimensions: dims,
        Timestamp: new Date(base + i * 5000),
        Value: i,
        Unit: 'Count' as const,
      },
      {
        MetricName: 'uptime',
        Dimensions: dims,
        Timestamp: new Date(base + i * 5000),
        Value: i % 2 ? 0 : 4000,
        Unit: 'Milliseconds' as const,
      },
      {
        MetricName: 'downtime',
        Dimensions: dims,
        Timestamp: new Date(base + i * 5000),
        Value: i % 2 ? 3000 : 0,
        Unit: 'Milliseconds' as const,
      },
      // Whether data flows (issue 16 item 16): backpressure and a Kinesis source's iterator age.
      {
        MetricName: 'backPressuredTimeMsPerSecond',
        Dimensions: dims,
        Timestamp: new Date(base + i * 5000),
        Value: 100 * i,
        Unit: 'Milliseconds' as const,
      },
      {
        MetricName: 'millisBehindLatest',
        Dimensions: dims,
        Timestamp: new Date(base + i * 5000),
        Value: 1000 + i,
        Unit: 'Milliseconds' as const,
      },
    ]);
    await cloudwatch.send(new PutMetricDataCommand({ Namespace: NAMESPACE, MetricData: data }));
    // Another application's datapoints must not leak in.
    await cloudwatch.send(
      new PutMetricDataCommand({
        Namespace: NAMESPACE,
        MetricData: [
          {
            MetricName: 'fullRestarts',
            Dimensions: [{ Name: 'Application', Value: 'other' }],
            Timestamp: new Date(base),
            Value: 99,
          },
        ],
      }),
    );

    const observation = await new CloudWatchHealthFetcher(cloudwatch, {
      periodSeconds: 5,
      namespace: NAMESPACE,
    }).fetch('stock-prices', { start: base, end: now });
    if (!observation.ok) throw new Error(observation.reason);
    expect(observation.series.points.map((p) => [p.at - base, p.restarts, p.uptimeMin, p.down])).toEqual([
      [0, 0, 4000, 0],
      [5000, 1, 0, 3000],
      [10000, 2, 4000, 0],
      [15000, 3, 0, 3000],
    ]);
    expect(observation.series.points.map((p) => [p.backPressuredMsPerSecond, p.millisBehindLatest])).toEqual([
      [0, 1000],
      [100, 1001],
      [200, 1002],
      [300, 1003],
    ]);
    expect(observation.series.sources).toEqual({
      restarts: 'fullRestarts',
      uptime: 'uptime',
      down: ['downtime'],
    });
  });
});
