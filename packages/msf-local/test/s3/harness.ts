import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { EdgeServer } from '../../src/server/edge-server.js';
import { S3Service } from '../../src/s3/service.js';
import { S3Store } from '../../src/s3/backend/object-store.js';

export const TEST_CREDENTIALS = { accessKeyId: 'AKIDMSFLOCAL', secretAccessKey: 'msf-local-secret' };

/** A real EdgeServer on 127.0.0.1:0 serving S3 from a data directory. */
export interface S3Harness {
  url: string;
  dataDir: string;
  store: S3Store;
  client: S3Client;
  /** Stops the server (keeps the data directory). */
  stop(): Promise<void>;
  /** Stops and starts again on the same data directory (new port, new client). */
  restart(): Promise<S3Harness>;
  /** Stops and deletes the data directory. */
  dispose(): Promise<void>;
}

export async function makeDataDir(prefix = 'msf-s3-'): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

export async function startS3(dataDir?: string): Promise<S3Harness> {
  const dir = dataDir ?? (await makeDataDir());
  const store = await S3Store.open(dir);
  const server = new EdgeServer({ host: '127.0.0.1', port: 0, services: [new S3Service(store)] });
  const { url } = await server.listen();
  const client = s3Client(url);
  const harness: S3Harness = {
    url,
    dataDir: dir,
    store,
    client,
    stop: async () => {
      client.destroy();
      await server.close();
    },
    restart: async () => {
      await harness.stop();
      return startS3(dir);
    },
    dispose: async () => {
      await harness.stop();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
  return harness;
}

export function s3Client(url: string, region = 'us-east-1'): S3Client {
  return new S3Client({
    endpoint: url,
    region,
    forcePathStyle: true,
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler(),
  });
}
