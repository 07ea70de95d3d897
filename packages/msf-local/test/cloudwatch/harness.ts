import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { CloudWatchService } from '../../src/cloudwatch/service.js';
import { MetricStore, type MetricStoreOptions } from '../../src/cloudwatch/backend/metric-store.js';
import { EdgeServer } from '../../src/server/edge-server.js';

export const TEST_CREDENTIALS = { accessKeyId: 'AKIDMSFLOCAL', secretAccessKey: 'msf-local-secret' };

/** A real EdgeServer on 127.0.0.1:0 serving CloudWatch from a data directory. */
export interface CloudWatchHarness {
  url: string;
  dataDir: string;
  store: MetricStore;
  client: CloudWatchClient;
  stop(): Promise<void>;
  restart(): Promise<CloudWatchHarness>;
  dispose(): Promise<void>;
}

export async function startCloudWatch(
  dataDir?: string,
  options: MetricStoreOptions = {},
): Promise<CloudWatchHarness> {
  const dir = dataDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'msf-cw-')));
  const store = await MetricStore.open(dir, options);
  const server = new EdgeServer({
    host: '127.0.0.1',
    port: 0,
    services: [new CloudWatchService(store, { now: options.now })],
  });
  const { url } = await server.listen();
  const client = new CloudWatchClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler(),
  });
  const harness: CloudWatchHarness = {
    url,
    dataDir: dir,
    store,
    client,
    stop: async () => {
      client.destroy();
      await server.close();
      await store.close();
    },
    restart: async () => {
      await harness.stop();
      return startCloudWatch(dir, options);
    },
    dispose: async () => {
      await harness.stop();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
  return harness;
}
