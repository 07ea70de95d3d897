/** The state conformance suite on S3 conditional writes, against msf-local's S3 (a real HTTP server). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { startMsfLocal, type MsfLocal } from 'msf-local';
import { afterAll, beforeAll } from 'vitest';
import { S3ObjectStore } from '../../src/adapters/state/s3-object-store.js';
import { runStateConformance } from './conformance.js';

let server: MsfLocal;
let s3: S3Client;
let n = 0;

beforeAll(async () => {
  server = await startMsfLocal({
    dataDir: mkdtempSync(path.join(tmpdir(), 'msfctl-s3state-')),
    port: 0,
    runtime: null,
    kinesis: false,
    log: () => undefined,
  });
  s3 = new S3Client({
    endpoint: server.url,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  await s3.send(new CreateBucketCommand({ Bucket: 'msfctl-state' }));
});

afterAll(async () => {
  s3?.destroy();
  await server?.close();
});

runStateConformance('S3 (msf-local)', async () => new S3ObjectStore(s3, 'msfctl-state', `run-${++n}/`));
