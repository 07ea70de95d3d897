/**
 * A real EdgeServer on 127.0.0.1:0 serving CloudWatch Logs, KMS, IAM and STS from a data directory, exactly as
 * msf-local wires them, with a clock the test controls (retention, key deletion and session expiry come due with
 * time), and real AWS SDK v3 clients pointed at it.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { STSClient } from '@aws-sdk/client-sts';
import { iamService } from '../../src/api/iam/service.js';
import { kmsService } from '../../src/api/kms/service.js';
import { logsService } from '../../src/api/logs/service.js';
import { stsService } from '../../src/api/sts/service.js';
import { Iam } from '../../src/iam/iam.js';
import { Kms } from '../../src/kms/kms.js';
import { CloudWatchLogs, LogStore } from '../../src/logs/index.js';
import { EdgeServer, type RequestLogEntry } from '../../src/server/edge-server.js';
import { Sts } from '../../src/sts/sts.js';

export const TEST_CREDENTIALS = { accessKeyId: 'AKIDMSFLOCAL', secretAccessKey: 'msf-local-secret' };

export interface ServicesHarness {
  url: string;
  dataDir: string;
  clock: { now: number };
  logs: CloudWatchLogs;
  kms: Kms;
  iam: Iam;
  sts: Sts;
  logsClient: CloudWatchLogsClient;
  kmsClient: KMSClient;
  iamClient: IAMClient;
  stsClient: STSClient;
  requests: RequestLogEntry[];
  /** Stops the server and starts a new one on the same data directory (and clock). */
  restart(): Promise<ServicesHarness>;
  dispose(): Promise<void>;
}

export async function startServices(
  options: { dataDir?: string; clock?: { now: number }; ownsDir?: boolean } = {},
): Promise<ServicesHarness> {
  const dataDir = options.dataDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'msf-services-')));
  const ownsDir = options.ownsDir ?? options.dataDir === undefined;
  const clock = options.clock ?? { now: Date.now() };
  const now = () => clock.now;
  const account = '000000000000';
  const iam = await Iam.open(path.join(dataDir, 'iam'), { account, now });
  const sts = await Sts.open(path.join(dataDir, 'sts'), { iam, now });
  const kms = await Kms.open(path.join(dataDir, 'kms'), { account, now });
  const logs = new CloudWatchLogs(await LogStore.open(path.join(dataDir, 'logs')), {
    account,
    now,
    kmsKeyUsable: (arn) => kms.usable(arn),
  });
  const requests: RequestLogEntry[] = [];
  const server = new EdgeServer({
    host: '127.0.0.1',
    port: 0,
    services: [
      logsService(logs, 'us-east-1'),
      kmsService(kms, 'us-east-1'),
      iamService(iam),
      stsService(sts),
    ],
    onRequest: (entry) => requests.push(entry),
  });
  const { url } = await server.listen();
  const config = { endpoint: url, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 };
  const clients = {
    logsClient: new CloudWatchLogsClient(config),
    kmsClient: new KMSClient(config),
    iamClient: new IAMClient(config),
    stsClient: new STSClient(config),
  };
  const stop = async () => {
    for (const client of Object.values(clients)) client.destroy();
    await server.close();
  };
  const harness: ServicesHarness = {
    url,
    dataDir,
    clock,
    logs,
    kms,
    iam,
    sts,
    ...clients,
    requests,
    restart: async () => {
      await stop();
      return startServices({ dataDir, clock, ownsDir });
    },
    dispose: async () => {
      await stop();
      if (ownsDir) await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** The error a call fails with (its AWS error name and HTTP status); fails the test if the call succeeds. */
export async function errorOf(
  promise: Promise<unknown>,
): Promise<{ name: string; message: string; status?: number }> {
  try {
    await promise;
  } catch (error) {
    const e = error as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}
