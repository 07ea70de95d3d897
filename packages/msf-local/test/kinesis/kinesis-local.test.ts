import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
  PutRecordsCommand,
  waitUntilStreamExists,
} from '@aws-sdk/client-kinesis';
import { afterEach, describe, expect, it } from 'vitest';
import { KinesisLocal, completeInterruptedTransitions } from '../../src/kinesis/index.js';
import { isAlive, kinesisClient, listeningAddresses, makeDataDir, waitFor } from './harness.js';

const started: KinesisLocal[] = [];
const dirs: string[] = [];

async function newDataDir(): Promise<string> {
  const dir = await makeDataDir();
  dirs.push(dir);
  return dir;
}

function kinesisLocal(
  dataDir: string,
  extra: Partial<ConstructorParameters<typeof KinesisLocal>[0]> = {},
): KinesisLocal {
  const k = new KinesisLocal({ dataDir, transitionMs: 100, ...extra });
  started.push(k);
  return k;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((k) => k.stop()));
  await Promise.all(dirs.splice(0).map((dir) => fs.rm(dir, { recursive: true, force: true })));
});

describe('KinesisLocal', () => {
  it('listens on 127.0.0.1 only, answers the Kinesis API, and is gone (by PID) once stopped', async () => {
    const k = kinesisLocal(await newDataDir());
    const endpoint = await k.start();
    expect(endpoint.url).toBe(`http://127.0.0.1:${endpoint.port}`);

    const addresses = listeningAddresses(endpoint.pid).sort();
    expect(addresses).toEqual([`127.0.0.1:${endpoint.port}`, `127.0.0.1:${endpoint.tlsPort}`].sort());

    const streams = await kinesisClient(endpoint.url).send(new ListStreamsCommand({}));
    expect(streams.StreamNames).toEqual([]);

    await k.stop();
    expect(isAlive(endpoint.pid)).toBe(false);
    expect(k.running).toBe(false);
    expect(() => k.endpoint).toThrow(/not running/);
  });

  it('keeps streams and records across a restart on the same data directory', async () => {
    const dataDir = await newDataDir();
    const first = kinesisLocal(dataDir);
    const client = kinesisClient((await first.start()).url);
    await client.send(new CreateStreamCommand({ StreamName: 'kept', ShardCount: 1 }));
    await waitUntilStreamExists({ client, maxWaitTime: 20, minDelay: 1 }, { StreamName: 'kept' });
    const payloads = ['one', 'two', 'three'];
    const put = await client.send(
      new PutRecordsCommand({
        StreamName: 'kept',
        Records: payloads.map((p) => ({ Data: Buffer.from(p), PartitionKey: p })),
      }),
    );
    expect(put.FailedRecordCount).toBe(0);
    const firstPid = first.endpoint.pid;
    await first.stop();
    expect(isAlive(firstPid)).toBe(false);

    // Stopped while a stream is still CREATING: kinesis-local alone would reload it CREATING forever.
    const slow = kinesisLocal(dataDir, { transitionMs: 60_000 });
    const slowClient = kinesisClient((await slow.start()).url);
    await slowClient.send(new CreateStreamCommand({ StreamName: 'late', ShardCount: 1 }));
    const creating = await slowClient.send(new DescribeStreamSummaryCommand({ StreamName: 'late' }));
    expect(creating.StreamDescriptionSummary?.StreamStatus).toBe('CREATING');
    await slow.stop();

    const second = kinesisLocal(dataDir);
    const again = kinesisClient((await second.start()).url);
    expect(second.endpoint.pid).not.toBe(firstPid);
    const listed = await again.send(new ListStreamsCommand({}));
    expect(listed.StreamNames?.sort()).toEqual(['kept', 'late']);
    const late = await again.send(new DescribeStreamSummaryCommand({ StreamName: 'late' }));
    expect(late.StreamDescriptionSummary?.StreamStatus).toBe('ACTIVE');

    const iterator = await again.send(
      new GetShardIteratorCommand({
        StreamName: 'kept',
        ShardId: 'shardId-000000000000',
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const records = await again.send(new GetRecordsCommand({ ShardIterator: iterator.ShardIterator }));
    expect(records.Records?.map((r) => Buffer.from(r.Data ?? []).toString())).toEqual(payloads);
  }, 60_000);

  it('reports a process that ends without stop()', async () => {
    const exits: unknown[] = [];
    const k = kinesisLocal(await newDataDir(), { onUnexpectedExit: (exit) => exits.push(exit) });
    const { pid } = await k.start();
    process.kill(pid, 'SIGKILL');
    await waitFor(() => exits.length === 1, 10_000, 'onUnexpectedExit');
    expect(exits[0]).toMatchObject({ code: null, signal: 'SIGKILL' });
    expect(k.running).toBe(false);
  });

  it('exits by itself when msf-local dies without stopping it', async () => {
    const dataDir = await newDataDir();
    const module = fileURLToPath(new URL('../../src/kinesis/kinesis-local.ts', import.meta.url));
    const script = path.join(dataDir, 'parent.mts');
    await fs.writeFile(
      script,
      `import { KinesisLocal } from ${JSON.stringify(module)};\n` +
        `const k = new KinesisLocal({ dataDir: ${JSON.stringify(path.join(dataDir, 'data'))} });\n` +
        `const e = await k.start();\nconsole.log(JSON.stringify(e));\nsetInterval(() => {}, 1000);\n`,
    );
    const parent = spawn(process.execPath, ['--import', 'tsx', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      parent.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0] ?? '');
      });
      parent.on('exit', (code) => reject(new Error(`parent exited early with ${code}`)));
    });
    const { pid } = JSON.parse(line) as { pid: number };
    expect(isAlive(pid)).toBe(true);
    parent.kill('SIGKILL');
    await waitFor(
      () => !isAlive(pid),
      15_000,
      `kinesis-local (pid ${pid}) to exit after its parent was killed`,
    );
  });

  it('fails with the log tail when kinesis-local cannot start', async () => {
    const dataDir = await newDataDir();
    const k = kinesisLocal(dataDir, { nodePath: path.join(dataDir, 'no-such-node') });
    await expect(k.start()).rejects.toThrow(/exited while starting/);
  });
});

describe('completeInterruptedTransitions', () => {
  it('finishes transitions a stop interrupted and leaves unknown files alone', async () => {
    const dir = await newDataDir();
    const file = path.join(dir, 'kinesis-data.json');
    expect(await completeInterruptedTransitions(file)).toBe(0);
    const data = {
      streams: {
        a: {
          streamStatus: 'CREATING',
          consumers: { c1: { ConsumerStatus: 'CREATING' }, c2: { ConsumerStatus: 'DELETING' } },
        },
        b: { streamStatus: 'DELETING', consumers: {} },
        c: { streamStatus: 'ACTIVE', consumers: {} },
        d: { streamStatus: 'UPDATING', consumers: {} },
      },
      other: 1,
    };
    await fs.writeFile(file, JSON.stringify(data));
    expect(await completeInterruptedTransitions(file)).toBe(5);
    expect(JSON.parse(await fs.readFile(file, 'utf8'))).toEqual({
      streams: {
        a: { streamStatus: 'ACTIVE', consumers: { c1: { ConsumerStatus: 'ACTIVE' } } },
        c: { streamStatus: 'ACTIVE', consumers: {} },
        d: { streamStatus: 'ACTIVE', consumers: {} },
      },
      other: 1,
    });
    await fs.writeFile(file, '[1,2]');
    expect(await completeInterruptedTransitions(file)).toBe(0);
    await fs.writeFile(file, '{not json');
    await expect(completeInterruptedTransitions(file)).rejects.toThrow(/not readable JSON/);
  });
});
