/** The MSF port's conformance suite on the SDK adapter, against msf-local (a real server; no job runs). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KinesisAnalyticsV2Client } from '@aws-sdk/client-kinesis-analytics-v2';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startMsfLocal, type MsfLocal } from 'msf-local';
import { afterAll, beforeAll } from 'vitest';
import { SdkMsfGateway } from '../../src/adapters/aws/msf-gateway.js';
import { runMsfConformance } from '../ports/msf-conformance.js';
import { flinkSavepointMetadata } from '../support/savepoint.js';

let server: MsfLocal;
let client: KinesisAnalyticsV2Client;
let s3: S3Client;

beforeAll(async () => {
  server = await startMsfLocal({
    dataDir: mkdtempSync(path.join(tmpdir(), 'msfctl-gateway-')),
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
  client = new KinesisAnalyticsV2Client(common);
  // The service checks that the application's code exists (the suite's configuration names this object).
  s3 = new S3Client({ ...common, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'artifacts' }));
  await s3.send(new PutObjectCommand({ Bucket: 'artifacts', Key: 'app.jar', Body: 'PK' }));
});

afterAll(async () => {
  client?.destroy();
  s3?.destroy();
  await server?.close();
});

runMsfConformance('SdkMsfGateway (msf-local)', async () => new SdkMsfGateway(client), {
  bucket: 'artifacts',
  putSavepoint: async (at) => {
    await s3.send(
      new PutObjectCommand({
        Bucket: at.bucket,
        Key: `${at.prefix}_metadata`,
        Body: flinkSavepointMetadata(),
      }),
    );
  },
});
