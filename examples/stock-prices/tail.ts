import { parseArgs } from 'node:util';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
  type ShardIteratorType,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/**
 * Follows the stock-prices output stream and prints each averaged price as it arrives.
 *
 *   npx tsx examples/stock-prices/tail.ts --endpoint http://127.0.0.1:4566 [--stream ExampleOutputStream]
 *       [--region us-east-1] [--from latest|trim-horizon] [--count N] [--json]
 *
 * Without --endpoint it reads the stream on AWS with the usual credential chain. `tailStream` is the same loop for
 * tests and the demo.
 */

export interface StockPrice {
  eventTime: number;
  ticker: string;
  price: number;
}

export interface TailedRecord {
  shardId: string;
  sequenceNumber: string;
  partitionKey: string;
  arrivedAt?: Date;
  /** The record's bytes parsed as JSON. */
  value: unknown;
}

export interface TailOptions {
  from?: 'latest' | 'trim-horizon';
  /** Pause between polls of a shard that had no new records. Default 1000 ms. */
  pollMs?: number;
  /** How often shards are listed again (to follow resharding). Default 10 s. */
  relistMs?: number;
  signal?: AbortSignal;
}

/** A Kinesis client for the stream; HTTP/1.1, as every Node Kinesis client of this project (kinesis-mock). */
export function kinesisClientFor(endpoint: string | undefined, region: string): KinesisClient {
  const local = endpoint !== undefined && !process.env.AWS_ACCESS_KEY_ID && !process.env.AWS_PROFILE;
  return new KinesisClient({
    region,
    requestHandler: new NodeHttpHandler(),
    ...(endpoint ? { endpoint } : {}),
    // A local endpoint checks no signature; give it some credentials when the environment has none.
    ...(local ? { credentials: { accessKeyId: 'AKIDSTOCKPRICESTAIL', secretAccessKey: 'tail' } } : {}),
  });
}

/** Yields every record of every shard of `stream`, oldest first per shard, until `signal` aborts. */
export async function* tailStream(
  client: KinesisClient,
  stream: string,
  options: TailOptions = {},
): AsyncGenerator<TailedRecord> {
  const pollMs = options.pollMs ?? 1000;
  const relistMs = options.relistMs ?? 10_000;
  const iteratorType: ShardIteratorType = options.from === 'trim-horizon' ? 'TRIM_HORIZON' : 'LATEST';
  const iterators = new Map<string, string | undefined>();
  let listedAt: number | undefined;
  while (!options.signal?.aborted) {
    if (listedAt === undefined || Date.now() - listedAt >= relistMs) {
      // Shards found after the first listing (resharding) are read from their beginning.
      const type = listedAt === undefined ? iteratorType : 'TRIM_HORIZON';
      listedAt = Date.now();
      for (const shardId of await listShardIds(client, stream)) {
        if (iterators.has(shardId)) continue;
        const got = await client.send(
          new GetShardIteratorCommand({ StreamName: stream, ShardId: shardId, ShardIteratorType: type }),
        );
        iterators.set(shardId, got.ShardIterator);
      }
    }
    let received = 0;
    for (const [shardId, iterator] of iterators) {
      if (!iterator || options.signal?.aborted) continue;
      const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      // A closed shard ends without a next iterator; it is kept (as undefined) so it is not read again.
      iterators.set(shardId, page.NextShardIterator);
      for (const record of page.Records ?? []) {
        received++;
        yield {
          shardId,
          sequenceNumber: record.SequenceNumber ?? '',
          partitionKey: record.PartitionKey ?? '',
          arrivedAt: record.ApproximateArrivalTimestamp,
          value: parseJson(record.Data),
        };
      }
    }
    if (received === 0) await sleep(pollMs, options.signal);
  }
}

async function listShardIds(client: KinesisClient, stream: string): Promise<string[]> {
  const ids: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new ListShardsCommand(nextToken ? { NextToken: nextToken } : { StreamName: stream }),
    );
    ids.push(...(page.Shards ?? []).map((shard) => shard.ShardId ?? '').filter(Boolean));
    nextToken = page.NextToken;
  } while (nextToken);
  return ids;
}

function parseJson(data: Uint8Array | undefined): unknown {
  const text = Buffer.from(data ?? []).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}

export function isStockPrice(value: unknown): value is StockPrice {
  const v = value as Partial<StockPrice> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.eventTime === 'number' &&
    typeof v.ticker === 'string' &&
    typeof v.price === 'number'
  );
}

function format(record: TailedRecord): string {
  const value = record.value;
  if (!isStockPrice(value)) return `${record.shardId} ${JSON.stringify(value)}`;
  return `${new Date(value.eventTime).toISOString()}  ${value.ticker.padEnd(5)} ${value.price.toFixed(4).padStart(9)}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      endpoint: { type: 'string' },
      stream: { type: 'string', default: 'ExampleOutputStream' },
      region: { type: 'string', default: process.env.AWS_REGION ?? 'us-east-1' },
      from: { type: 'string', default: 'latest' },
      count: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (values.from !== 'latest' && values.from !== 'trim-horizon')
    throw new Error('--from is latest or trim-horizon');
  const count = values.count === undefined ? Infinity : Number(values.count);
  if (!(count > 0)) throw new Error('--count must be a positive number');
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  const client = kinesisClientFor(values.endpoint, values.region);
  let printed = 0;
  for await (const record of tailStream(client, values.stream, {
    from: values.from,
    signal: controller.signal,
  })) {
    console.log(values.json ? JSON.stringify(record) : format(record));
    if (++printed >= count) break;
  }
  client.destroy();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: Error) => {
    console.error(
      `tail: ${error.name === 'ResourceNotFoundException' ? error.message : (error.stack ?? error.message)}`,
    );
    process.exitCode = 1;
  });
}
