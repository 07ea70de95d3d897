/**
 * Starts a real msf-local server on 127.0.0.1 (port 0, temp data dir) for a test file, with real AWS SDK v3
 * clients pointed at it. The job runtime is the caller's choice (a test double for control-plane tests).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { KinesisAnalyticsV2Client } from '@aws-sdk/client-kinesis-analytics-v2';
import { S3Client } from '@aws-sdk/client-s3';
import { startMsfLocal } from '../../src/msf-local.js';
import type { MsfLocal, MsfLocalOptions } from '../../src/msf-local.js';

export const TEST_CREDENTIALS = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' };

export interface Harness {
  server: MsfLocal;
  dataDir: string;
  kda: KinesisAnalyticsV2Client;
  s3: S3Client;
  /** Stops the server (keeping the data dir) and starts a new one on the same data dir. */
  restart(options?: Partial<MsfLocalOptions>): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(options: Partial<MsfLocalOptions> = {}): Promise<Harness> {
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'msf-local-test-')));
  const start = (extra: Partial<MsfLocalOptions> = {}) =>
    startMsfLocal({ port: 0, log: () => undefined, kinesis: false, ...options, ...extra, dataDir });
  const harness: Harness = {
    server: await start(),
    dataDir,
    kda: undefined as unknown as KinesisAnalyticsV2Client,
    s3: undefined as unknown as S3Client,
    async restart(extra) {
      await harness.server.close();
      harness.server = await start(extra);
      connect();
    },
    async close() {
      await harness.server.close();
      harness.kda.destroy();
      harness.s3.destroy();
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
  const connect = () => {
    harness.kda = new KinesisAnalyticsV2Client({
      endpoint: harness.server.url,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
    });
    harness.s3 = new S3Client({
      endpoint: harness.server.url,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: TEST_CREDENTIALS,
    });
  };
  connect();
  return harness;
}

/** Polls `read` until `done` holds (default timeout 10 s); returns the last value read. */
export async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A role ARN for applications: msf-local checks no IAM. */
export const TEST_ROLE = 'arn:aws:iam::000000000000:role/msf-local';

/** The error a call fails with; fails the test if the call succeeds. */
export async function failureOf(
  promise: Promise<unknown>,
): Promise<Error & { $metadata: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { $metadata: { httpStatusCode?: number } };
  }
  throw new Error('expected the call to fail');
}
