/**
 * The deploy rehearsal of the seed's sample: a snapshot of stock-prices running on msf-local (through the MSF
 * API, its Kinesis sink writing to a real kinesis-local stream), copied out as a local savepoint, then rehearsed
 * with the same JAR (passes; its sink writes to the sandbox's own stream) and with the variant whose window
 * state changed type (refused).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  CreateApplicationCommand,
  CreateApplicationSnapshotCommand,
  DescribeApplicationCommand,
  DescribeApplicationSnapshotCommand,
  StartApplicationCommand,
  StopApplicationCommand,
} from '@aws-sdk/client-kinesis-analytics-v2';
import { CreateStreamCommand, waitUntilStreamExists } from '@aws-sdk/client-kinesis';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildStockPrices } from '../../../../examples/stock-prices/build.js';
import { kinesisClientFor } from '../../../../examples/stock-prices/tail.js';
import { rehearse, type RehearsalOptions } from '../../src/index.js';
import { scratchDir } from '../fixtures/flink-launch.js';
import { startHarness, TEST_ROLE, waitFor } from '../support/msf-local-harness.js';

const APP = 'stock-prices';
const STREAM = 'ExampleOutputStream';
const PROPERTIES = [
  { PropertyGroupId: 'OutputStream0', PropertyMap: { 'stream.name': STREAM, 'aws.region': 'us-east-1' } },
];

let root: string;
let jars: { baseline: string; changed: string };
/** The snapshot of the running application, as a local savepoint directory (what msfctl downloads). */
let savepoint: string;

beforeAll(async () => {
  jars = {
    baseline: await buildStockPrices({ flink: '1.19' }),
    changed: await buildStockPrices({ flink: '1.19', variant: 'accumulator-changed' }),
  };
  root = await scratchDir('rehearsal-stock-prices');
  const h = await startHarness({
    kinesis: true,
    flink: { clusterReuseGraceMs: 0 },
    metricsIntervalMs: 60_000,
  });
  try {
    const kinesis = kinesisClientFor(h.server.url, 'us-east-1');
    await kinesis.send(new CreateStreamCommand({ StreamName: STREAM, ShardCount: 1 }));
    await waitUntilStreamExists({ client: kinesis, maxWaitTime: 60 }, { StreamName: STREAM });
    kinesis.destroy();
    await h.s3.send(new CreateBucketCommand({ Bucket: 'artifacts' }));
    await h.s3.send(
      new PutObjectCommand({
        Bucket: 'artifacts',
        Key: 'stock-prices.jar',
        Body: await fs.readFile(jars.baseline),
      }),
    );
    await h.kda.send(
      new CreateApplicationCommand({
        ApplicationName: APP,
        RuntimeEnvironment: 'FLINK-1_19',
        ServiceExecutionRole: TEST_ROLE,
        ApplicationConfiguration: {
          ApplicationCodeConfiguration: {
            CodeContentType: 'ZIPFILE',
            CodeContent: {
              S3ContentLocation: { BucketARN: 'arn:aws:s3:::artifacts', FileKey: 'stock-prices.jar' },
            },
          },
          EnvironmentProperties: { PropertyGroups: PROPERTIES },
          ApplicationSnapshotConfiguration: { SnapshotsEnabled: true },
        },
      }),
    );
    await h.kda.send(new StartApplicationCommand({ ApplicationName: APP }));
    await waitFor(
      async () =>
        (await h.kda.send(new DescribeApplicationCommand({ ApplicationName: APP }))).ApplicationDetail!,
      (detail) => detail.ApplicationStatus === 'RUNNING',
      240_000,
    );
    // Let the windows fill (prices arrive at 100/s), then snapshot: the window state is in the savepoint.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await h.kda.send(
      new CreateApplicationSnapshotCommand({ ApplicationName: APP, SnapshotName: 'pre-deploy' }),
    );
    await waitFor(
      async () =>
        (
          await h.kda.send(
            new DescribeApplicationSnapshotCommand({ ApplicationName: APP, SnapshotName: 'pre-deploy' }),
          )
        ).SnapshotDetails!,
      (details) => details.SnapshotStatus === 'READY',
      120_000,
    );
    const snapshotPath = h.server.controlPlane.describeSnapshot(APP, 'pre-deploy').path!;
    savepoint = path.join(root, 'savepoint');
    await fs.cp(snapshotPath, savepoint, { recursive: true });
    await h.kda.send(new StopApplicationCommand({ ApplicationName: APP, Force: true }));
  } finally {
    await h.close();
  }
});

afterAll(async () => {
  if (root) await fs.rm(root, { recursive: true, force: true });
});

const options = (jar: string, extra: Partial<RehearsalOptions> = {}): RehearsalOptions => ({
  runtime: 'FLINK-1_19',
  jar,
  savepoint,
  propertyGroups: PROPERTIES,
  parallelism: 1,
  allowNonRestoredState: false,
  windowSeconds: 4,
  checkpointIntervalMs: 1000,
  log: () => undefined,
  ...extra,
});

describe('rehearse the stock-prices sample (FLINK-1_19)', () => {
  it('the same JAR passes; its Kinesis sink writes to the sandbox stream, nothing reaches out', async () => {
    // 12 s: at least one 10 s window fires, so the sink writes within the window.
    const result = await rehearse(options(jars.baseline, { windowSeconds: 12 }));
    expect(result.failure).toBeUndefined();
    expect(result).toMatchObject({
      passed: true,
      restoredFrom: savepoint,
      restarts: 0,
      blockedConnections: [],
    });
    expect(result.streams).toEqual([
      {
        name: STREAM,
        region: 'us-east-1',
        namedBy: 'OutputStream0.stream.name',
        records: expect.any(Number),
      },
    ]);
    expect(result.streams[0]!.records).toBeGreaterThan(0);
    expect(result.timings.kinesisMs).toBeGreaterThan(0);
    expect(result.savepoint.operators).toBe(3);
  });

  it('accumulator-changed (same uids, the window state counts in an Integer): serializer incompatibility in the window task', async () => {
    const result = await rehearse(options(jars.changed));
    expect(result.passed).toBe(false);
    expect(result.failure).toMatchObject({ kind: 'serializer-incompatible', phase: 'restore' });
    expect(result.failure!.operator?.vertexName).toMatch(/^windowed-avg-price/);
    expect(result.failure!.operator?.vertexId).toBe(
      result.tasks.find((task) => task.name.startsWith('windowed-avg-price'))!.id,
    );
    expect(result.failure!.rootCause).toMatch(/StateMigrationException: .*must not be incompatible/);
  });
});
