/**
 * An acknowledged Kinesis write is on disk: records put through msf-local survive kill -9 of msf-local and
 * kinesis-local together (kinesis-local alone writes its data file only every 500 ms, after acknowledging).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  PutRecordCommand,
  PutRecordsCommand,
  waitUntilStreamExists,
} from '@aws-sdk/client-kinesis';
import { afterAll, describe, expect, it } from 'vitest';
import { kinesisClient } from './harness.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const children: ChildProcess[] = [];
let dataDir: string;

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** msf-local (no job runtime, kinesis-local on) as a child process; its URL once it listens. */
async function serve(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(here, '../support/serve-without-runtime.ts'), dataDir],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(child);
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = /listening on (http:\/\/\S+)/.exec(chunk.toString());
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`msf-local exited early (${code})`)));
  });
  return { child, url };
}

function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        return readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1]?.split(' ')[1] === String(pid);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('Kinesis durability', () => {
  it('keeps every acknowledged record when msf-local and kinesis-local are killed together', async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'msf-kinesis-kill-'));
    const first = await serve();
    const client = kinesisClient(first.url);
    await client.send(new CreateStreamCommand({ StreamName: 'durable', ShardCount: 1 }));
    await waitUntilStreamExists({ client, maxWaitTime: 30 }, { StreamName: 'durable' });
    const acknowledged: string[] = [];
    for (let i = 0; i < 3; i++) {
      await client.send(
        new PutRecordCommand({ StreamName: 'durable', PartitionKey: 'k', Data: Buffer.from(`one-${i}`) }),
      );
      acknowledged.push(`one-${i}`);
    }
    const batch = Array.from({ length: 5 }, (_, i) => `batch-${i}`);
    await client.send(
      new PutRecordsCommand({
        StreamName: 'durable',
        Records: batch.map((data) => ({ PartitionKey: 'k', Data: Buffer.from(data) })),
      }),
    );
    acknowledged.push(...batch);
    client.destroy();
    // Both at once, right after the last acknowledgement.
    const kinesisPids = childrenOf(first.child.pid!);
    expect(kinesisPids.length).toBeGreaterThan(0);
    for (const pid of [first.child.pid!, ...kinesisPids]) process.kill(pid, 'SIGKILL');
    await new Promise((r) => first.child.once('exit', r));

    const second = await serve();
    const reader = kinesisClient(second.url);
    try {
      const { Shards } = await reader.send(new ListShardsCommand({ StreamName: 'durable' }));
      const { ShardIterator } = await reader.send(
        new GetShardIteratorCommand({
          StreamName: 'durable',
          ShardId: Shards![0]!.ShardId!,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      const { Records } = await reader.send(new GetRecordsCommand({ ShardIterator }));
      expect(Records!.map((r) => Buffer.from(r.Data!).toString())).toEqual(acknowledged);
    } finally {
      reader.destroy();
      second.child.kill('SIGTERM');
    }
  }, 120_000);
});
