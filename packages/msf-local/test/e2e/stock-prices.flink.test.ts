/**
 * The seed's sample end to end, through the AWS SDK only: msf-local (real Flink, kinesis-local, its S3 and
 * CloudWatch), the stock-prices JAR built by Maven, and its output stream read back with the Kinesis client and
 * with the Debian AWS CLI v2. Then the seed's failure: a stream name that does not exist.
 */
import { readFile } from 'node:fs/promises';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateApplicationCommand,
  CreateApplicationSnapshotCommand,
  DescribeApplicationCommand,
  StartApplicationCommand,
  StopApplicationCommand,
} from '@aws-sdk/client-kinesis-analytics-v2';
import { CreateStreamCommand, waitUntilStreamExists, type KinesisClient } from '@aws-sdk/client-kinesis';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStockPrices } from '../../../../examples/stock-prices/build.js';
import {
  isStockPrice,
  kinesisClientFor,
  tailStream,
  type StockPrice,
} from '../../../../examples/stock-prices/tail.js';
import { awsCliJson } from '../support/aws-cli.js';
import {
  startHarness,
  TEST_CREDENTIALS,
  waitFor,
  type Harness,
  TEST_ROLE,
} from '../support/msf-local-harness.js';

const TICKERS = ['AAPL', 'AMZN', 'MSFT', 'INTC', 'TBV', 'TSLA'];
let h: Harness;
let kinesis: KinesisClient;
let cloudwatch: CloudWatchClient;

beforeAll(async () => {
  const jar = await buildStockPrices({ flink: '1.19' });
  h = await startHarness({ kinesis: true, flink: { restartDelayMs: 2000 }, metricsIntervalMs: 1000 });
  kinesis = kinesisClientFor(h.server.url, 'us-east-1');
  cloudwatch = new CloudWatchClient({
    endpoint: h.server.url,
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
  });
  await h.s3.send(new CreateBucketCommand({ Bucket: 'flink-artifacts' }));
  await h.s3.send(
    new PutObjectCommand({
      Bucket: 'flink-artifacts',
      Key: 'flink-app/stock-prices.jar',
      Body: await readFile(jar),
    }),
  );
});
afterAll(async () => {
  kinesis?.destroy();
  cloudwatch?.destroy();
  await h?.close();
});

/** The seed's application, as its Terraform creates it (config.tfvars.json values). */
async function createSeedApplication(name: string, streamName: string): Promise<void> {
  await h.kda.send(
    new CreateApplicationCommand({
      ApplicationName: name,
      RuntimeEnvironment: 'FLINK-1_19',
      ServiceExecutionRole: TEST_ROLE,
      ApplicationConfiguration: {
        ApplicationCodeConfiguration: {
          CodeContentType: 'ZIPFILE',
          CodeContent: {
            S3ContentLocation: {
              BucketARN: 'arn:aws:s3:::flink-artifacts',
              FileKey: 'flink-app/stock-prices.jar',
            },
          },
        },
        EnvironmentProperties: {
          PropertyGroups: [
            {
              PropertyGroupId: 'OutputStream0',
              PropertyMap: { 'stream.name': streamName, 'aws.region': 'us-east-1' },
            },
          ],
        },
        FlinkApplicationConfiguration: {
          CheckpointConfiguration: { ConfigurationType: 'DEFAULT' },
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
  await h.kda.send(
    new StartApplicationCommand({
      ApplicationName: name,
      RunConfiguration: {
        ApplicationRestoreConfiguration: { ApplicationRestoreType: 'RESTORE_FROM_LATEST_SNAPSHOT' },
        FlinkRunConfiguration: { AllowNonRestoredState: false },
      },
    }),
  );
  await waitFor(
    async () =>
      (await h.kda.send(new DescribeApplicationCommand({ ApplicationName: name }))).ApplicationDetail!,
    (d) => d.ApplicationStatus === 'RUNNING',
    240_000,
  );
}

describe('stock-prices on msf-local', () => {
  it('writes per-ticker 10 s averages to the output stream, window after window', async () => {
    await kinesis.send(new CreateStreamCommand({ StreamName: 'ExampleOutputStream', ShardCount: 1 }));
    await waitUntilStreamExists({ client: kinesis, maxWaitTime: 60 }, { StreamName: 'ExampleOutputStream' });
    await createSeedApplication('stock-prices', 'ExampleOutputStream');

    const records: StockPrice[] = [];
    const windows = new Set<number>();
    const stop = new AbortController();
    const deadline = setTimeout(() => stop.abort(), 90_000);
    for await (const record of tailStream(kinesis, 'ExampleOutputStream', {
      from: 'trim-horizon',
      pollMs: 500,
      signal: stop.signal,
    })) {
      expect(isStockPrice(record.value)).toBe(true);
      const price = record.value as StockPrice;
      records.push(price);
      windows.add(price.eventTime);
      if (windows.size >= 3) break;
    }
    clearTimeout(deadline);
    expect(windows.size).toBeGreaterThanOrEqual(3);
    for (const r of records) {
      expect(TICKERS).toContain(r.ticker);
      expect(r.price).toBeGreaterThanOrEqual(10);
      expect(r.price).toBeLessThan(100);
    }
    // Windows are 10 s apart: new windows keep arriving.
    const sorted = [...windows].sort((a, b) => a - b);
    expect(sorted[sorted.length - 1]! - sorted[0]!).toBeGreaterThanOrEqual(20_000);
    expect(sorted.every((t) => t % 10_000 === 0)).toBe(true);
  }, 300_000);

  it('the Debian AWS CLI creates a stream and reads the job output', async () => {
    await awsCliJson(h.server.url, [
      'kinesis',
      'create-stream',
      '--stream-name',
      'cli-made',
      '--shard-count',
      '1',
    ]);
    const described = await waitFor(
      () =>
        awsCliJson<{ StreamDescriptionSummary: { StreamStatus: string } }>(h.server.url, [
          'kinesis',
          'describe-stream-summary',
          '--stream-name',
          'cli-made',
        ]),
      (d) => d.StreamDescriptionSummary.StreamStatus === 'ACTIVE',
      30_000,
    );
    expect(described.StreamDescriptionSummary.StreamStatus).toBe('ACTIVE');

    const shards = await awsCliJson<{ Shards: { ShardId: string }[] }>(h.server.url, [
      'kinesis',
      'list-shards',
      '--stream-name',
      'ExampleOutputStream',
    ]);
    const iterator = await awsCliJson<{ ShardIterator: string }>(h.server.url, [
      'kinesis',
      'get-shard-iterator',
      '--stream-name',
      'ExampleOutputStream',
      '--shard-id',
      shards.Shards[0]!.ShardId,
      '--shard-iterator-type',
      'TRIM_HORIZON',
    ]);
    const page = await awsCliJson<{ Records: { Data: string }[] }>(h.server.url, [
      'kinesis',
      'get-records',
      '--shard-iterator',
      iterator.ShardIterator,
    ]);
    expect(page.Records.length).toBeGreaterThan(0);
    const first = JSON.parse(Buffer.from(page.Records[0]!.Data, 'base64').toString('utf8'));
    expect(isStockPrice(first)).toBe(true);
  }, 120_000);

  it('a stream that does not exist: RUNNING while fullRestarts climbs, and no snapshot can be taken', async () => {
    await createSeedApplication('stock-prices-broken', 'NoSuchStream');
    const restarts = async () => {
      const now = Date.now();
      const { MetricDataResults } = await cloudwatch.send(
        new GetMetricDataCommand({
          StartTime: new Date(now - 10 * 60_000),
          EndTime: new Date(now + 60_000),
          MetricDataQueries: [
            {
              Id: 'r',
              MetricStat: {
                Metric: {
                  Namespace: 'AWS/KinesisAnalytics',
                  MetricName: 'fullRestarts',
                  Dimensions: [{ Name: 'Application', Value: 'stock-prices-broken' }],
                },
                Period: 60,
                Stat: 'Maximum',
              },
            },
          ],
        }),
      );
      return Math.max(0, ...(MetricDataResults?.[0]?.Values ?? []));
    };
    const first = await waitFor(restarts, (n) => n >= 1, 120_000);
    const later = await waitFor(restarts, (n) => n >= first + 2, 120_000);
    expect(later).toBeGreaterThanOrEqual(first + 2);
    const detail = (
      await h.kda.send(new DescribeApplicationCommand({ ApplicationName: 'stock-prices-broken' }))
    ).ApplicationDetail!;
    expect(detail.ApplicationStatus).toBe('RUNNING');

    const refused = await h.kda
      .send(
        new CreateApplicationSnapshotCommand({
          ApplicationName: 'stock-prices-broken',
          SnapshotName: 'attempt',
        }),
      )
      .then(
        () => undefined,
        (e: Error) => e,
      );
    expect(refused?.name).toBe('InvalidApplicationConfigurationException');
    expect(refused?.message).toMatch(
      /^Failed to take snapshot for the application stock-prices-broken at this moment/,
    );
    await h.kda.send(new StopApplicationCommand({ ApplicationName: 'stock-prices-broken', Force: true }));
  }, 360_000);
});
