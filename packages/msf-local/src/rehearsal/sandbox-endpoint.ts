import path from 'node:path';

import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';

import { CloudWatchService, MetricStore } from '../cloudwatch/index.js';
import {
  DEFAULT_JOB_ACCESS_KEY_ID,
  DEFAULT_JOB_SECRET_ACCESS_KEY,
  KinesisLocal,
  KinesisProxyService,
} from '../kinesis/index.js';
import { S3Store } from '../s3/backend/object-store.js';
import { S3Service } from '../s3/service.js';
import { EdgeServer } from '../server/edge-server.js';
import type { SandboxStream } from './sandbox-properties.js';

/**
 * The rehearsal's private AWS endpoint: Kinesis (a scratch kinesis-local), S3 and CloudWatch on one loopback
 * port, like msf-local's own edge but with no control plane and everything under the sandbox's directory.
 *
 * The port is listening as soon as start resolves, so the cluster JVM can boot with it meanwhile. kinesis-local
 * (seconds to start) boots in the background with the named streams already created; when no stream is named it
 * starts only if the job calls Kinesis after all (then it answers as an account without those streams). `ready`
 * settles once Kinesis is up, or at once when it is not started eagerly.
 */

export interface SandboxEndpoint {
  url: string;
  /** Resolves when Kinesis serves (its streams ACTIVE); rejects if kinesis-local failed to start. */
  ready: Promise<void>;
  /** Whether kinesis-local was started (eagerly for named streams, or by a Kinesis call of the job). */
  readonly kinesisStarted: boolean;
  /** How many records each stream holds now (what the job wrote to it). */
  countRecords(stream: Pick<SandboxStream, 'name' | 'region'>): Promise<number>;
  close(): Promise<void>;
}

export interface SandboxEndpointOptions {
  dir: string;
  region: string;
  streams: readonly SandboxStream[];
  /** Account that owns the streams (the one their ARNs name); default 000000000000. */
  accountId?: string;
  log: (message: string) => void;
}

export async function startSandboxEndpoint(options: SandboxEndpointOptions): Promise<SandboxEndpoint> {
  const closers: (() => Promise<void>)[] = [];
  const close = async (): Promise<void> => {
    for (const closer of closers.reverse()) await closer().catch(() => undefined);
  };
  try {
    const s3 = await S3Store.open(path.join(options.dir, 's3'), {
      defaultRegion: options.region,
      onWarning: options.log,
    });
    const metrics = await MetricStore.open(path.join(options.dir, 'cloudwatch'), { onWarning: options.log });
    closers.push(() => metrics.close());

    // Eager when the properties name streams (they are created as it starts); else on the first Kinesis call.
    const kinesis = new KinesisLocal({
      dataDir: path.join(options.dir, 'kinesis'),
      region: options.region,
      persist: false,
      transitionMs: 0,
      initialStreams: options.streams.map(({ name, region }) => ({ name, region, shardCount: 1 })),
      ...(options.accountId ? { accountId: options.accountId } : {}),
      log: options.log,
    });
    let starting: Promise<string> | undefined;
    const startKinesis = (): Promise<string> => {
      starting ??= kinesis.start().then((endpoint) => endpoint.url);
      return starting;
    };
    const ready = options.streams.length > 0 ? startKinesis().then(() => undefined) : Promise.resolve();
    ready.catch(() => undefined); // observed by whoever awaits `ready`; close() must not see it as unhandled
    // Stopping waits for a start in progress: a kinesis-local that comes up after close() must not linger.
    closers.push(async () => {
      if (starting)
        await starting.then(
          () => kinesis.stop(),
          () => kinesis.stop(),
        );
    });

    const proxy = new KinesisProxyService({
      upstream: () => (kinesis.running ? kinesis.endpoint.url : undefined),
    });
    closers.push(async () => proxy.close());
    const server = new EdgeServer({
      host: '127.0.0.1',
      port: 0,
      services: [
        {
          name: proxy.name,
          accepts: (req) => proxy.accepts(req),
          handle: async (req) => {
            await startKinesis().catch(() => undefined); // not started: the proxy answers 503 with the reason
            return proxy.handle(req);
          },
        },
        new CloudWatchService(metrics),
        new S3Service(s3),
      ],
    });
    const address = await server.listen();
    closers.push(() => server.close());
    return {
      url: address.url,
      ready,
      get kinesisStarted() {
        return starting !== undefined;
      },
      countRecords: (stream) => countRecords(address.url, stream),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Records in every shard of the stream, read from its start (a sandbox stream holds little). */
async function countRecords(url: string, stream: Pick<SandboxStream, 'name' | 'region'>): Promise<number> {
  const client = new KinesisClient({
    endpoint: url,
    region: stream.region,
    credentials: { accessKeyId: DEFAULT_JOB_ACCESS_KEY_ID, secretAccessKey: DEFAULT_JOB_SECRET_ACCESS_KEY },
    maxAttempts: 1,
  });
  try {
    const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: stream.name }));
    let records = 0;
    for (const shard of Shards) {
      let { ShardIterator: iterator } = await client.send(
        new GetShardIteratorCommand({
          StreamName: stream.name,
          ShardId: shard.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      for (let page = 0; iterator && page < 100; page++) {
        const answer = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
        records += answer.Records?.length ?? 0;
        if (!answer.Records?.length && answer.MillisBehindLatest === 0) break;
        iterator = answer.NextShardIterator;
      }
    }
    return records;
  } finally {
    client.destroy();
  }
}
