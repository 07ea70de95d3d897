/**
 * The snapshot exporter port's conformance suite on a real msf-local (no job runs): the AWS exporter
 * (ExportSnapshot through the SDK extension) and msf-local's exporter (which adds ExportApplicationSnapshot, the
 * msf-local extension, for application snapshots). msf-local writes the savepoint to its own S3.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KinesisAnalyticsV2Client } from '@aws-sdk/client-kinesis-analytics-v2';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startMsfLocal, type MsfLocal } from 'msf-local';
import { afterAll, beforeAll } from 'vitest';
import { EnhancedSnapshotCalls } from '../../src/adapters/aws/enhanced-snapshot-calls.js';
import { SdkMsfGateway } from '../../src/adapters/aws/msf-gateway.js';
import { AwsSnapshotExporter } from '../../src/adapters/aws/snapshot-exporter.js';
import { localSnapshotExporter } from '../../src/adapters/targets/local/snapshot-exporter.js';
import type { S3Prefix } from '../../src/model/application.js';
import { runExporterConformance, type ExporterHarness } from '../ports/snapshot-exporter-conformance.js';
import { flinkSavepointMetadata } from '../support/savepoint.js';

let server: MsfLocal;
let work: string;
let msf: KinesisAnalyticsV2Client;
let s3: S3Client;
const closers: (() => void)[] = [];

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'msfctl-exporter-'));
  server = await startMsfLocal({
    dataDir: path.join(work, 'msf-local'),
    port: 0,
    runtime: null,
    kinesis: false,
    log: () => undefined,
  });
  const common = {
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  msf = new KinesisAnalyticsV2Client(common);
  s3 = new S3Client({ ...common, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'exports' }));
});

afterAll(async () => {
  for (const close of closers) close();
  msf?.destroy();
  s3?.destroy();
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

function harness(
  exporter: ExporterHarness['exporter'],
  exportsApplicationSnapshots: boolean,
): ExporterHarness {
  return {
    exporter,
    gateway: new SdkMsfGateway(msf),
    bucket: 'exports',
    putSavepoint: async (at: S3Prefix) => {
      const metadata = flinkSavepointMetadata();
      await s3.send(
        new PutObjectCommand({ Bucket: at.bucket, Key: `${at.prefix}_metadata`, Body: metadata }),
      );
      return metadata;
    },
    readObject: async (bucket, key) => {
      try {
        const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return Buffer.from(await out.Body!.transformToByteArray());
      } catch (error) {
        if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
        throw error;
      }
    },
    exportsApplicationSnapshots,
  };
}

const fastPolling = { pollMs: 25, maxPollMs: 200, timeoutMs: 60_000 };

runExporterConformance('AwsSnapshotExporter (ExportSnapshot on msf-local)', async () =>
  harness(new AwsSnapshotExporter(new EnhancedSnapshotCalls(msf), fastPolling), false),
);

runExporterConformance(
  "msf-local's exporter (ExportSnapshot, and its ExportApplicationSnapshot extension)",
  async () => {
    const exporter = localSnapshotExporter({
      endpoint: server.url,
      region: 'us-east-1',
      enhanced: new AwsSnapshotExporter(new EnhancedSnapshotCalls(msf), fastPolling),
    });
    closers.push(() => exporter.close());
    return harness(exporter, true);
  },
);
