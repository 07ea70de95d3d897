/**
 * CloudWatch Logs durability: every acknowledged PutLogEvents survives `kill -9` of the server in the middle of a
 * stream of writes; a torn last line is cut off when the stream is opened and later appends read back whole; a
 * deleted group stays deleted.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DescribeLogGroupsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterEach, describe, expect, it } from 'vitest';
import { CloudWatchLogs, LogStore } from '../../src/logs/index.js';
import { startChildServer, type ChildServer } from '../s3/child-server.js';

const SCRIPT = path.join(import.meta.dirname, 'fixtures', 'logs-server-process.ts');
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function dataDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'msf-logs-crash-'));
  cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

async function child(dir: string): Promise<{ server: ChildServer; client: CloudWatchLogsClient }> {
  const server = await startChildServer(SCRIPT, [dir]);
  const client = new CloudWatchLogsClient({
    endpoint: server.url,
    region: 'us-east-1',
    maxAttempts: 1,
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
  });
  cleanups.push(async () => {
    client.destroy();
    await server.kill9();
  });
  return { server, client };
}

async function allMessages(client: CloudWatchLogsClient): Promise<string[]> {
  const messages: string[] = [];
  let nextToken: string | undefined;
  for (;;) {
    const page = await client.send(
      new GetLogEventsCommand({
        logGroupName: 'g',
        logStreamName: 's',
        startFromHead: true,
        nextToken,
        limit: 500,
      }),
    );
    messages.push(...page.events!.map((e) => e.message!));
    if (page.nextForwardToken === nextToken) return messages;
    nextToken = page.nextForwardToken;
  }
}

describe('CloudWatch Logs durability', () => {
  it('keeps every acknowledged batch across kill -9 during concurrent writes', async () => {
    const dir = await dataDir();
    const first = await child(dir);
    await first.client.send(new CreateLogGroupCommand({ logGroupName: 'g' }));
    await first.client.send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: 's' }));

    const acknowledged: string[] = [];
    let stop = false;
    const writer = async (id: number) => {
      for (let n = 0; !stop; n++) {
        const messages = Array.from({ length: 20 }, (_, i) => `w${id}-b${n}-e${i}-${'x'.repeat(200)}`);
        try {
          await first.client.send(
            new PutLogEventsCommand({
              logGroupName: 'g',
              logStreamName: 's',
              logEvents: messages.map((message) => ({ timestamp: Date.now(), message })),
            }),
          );
          acknowledged.push(...messages);
        } catch {
          return; // the server is gone: this batch was never acknowledged
        }
      }
    };
    const writers = [0, 1, 2].map(writer);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await first.server.kill9();
    stop = true;
    await Promise.all(writers);
    expect(acknowledged.length).toBeGreaterThan(100);

    const second = await child(dir);
    const stored = new Set(await allMessages(second.client));
    const lost = acknowledged.filter((m) => !stored.has(m));
    expect(lost).toEqual([]);
    // Whatever was written but not acknowledged is whole batches only: every stored message is well formed.
    for (const message of stored) expect(message).toMatch(/^w\d-b\d+-e\d+-x{200}$/);

    await second.client.send(
      new PutLogEventsCommand({
        logGroupName: 'g',
        logStreamName: 's',
        logEvents: [{ timestamp: Date.now(), message: 'after the crash' }],
      }),
    );
    expect((await allMessages(second.client)).at(-1)).toBe('after the crash');
  });

  it('cuts off a torn last line when the stream is opened, and appends after it read back', async () => {
    const dir = await dataDir();
    const store = await LogStore.open(dir);
    const logs = new CloudWatchLogs(store, { account: '000000000000' });
    await logs.createLogGroup({ name: 'g' }, 'us-east-1');
    await logs.createLogStream('g', 's');
    const now = Date.now();
    await logs.putLogEvents('g', 's', [{ timestamp: now, message: 'one' }]);
    const streamDir = path.join(dir, 'groups', 'g', 'streams', 's');
    const segment = path.join(
      streamDir,
      (await fs.readdir(streamDir)).find((n) => n.startsWith('events-'))!,
    );
    await fs.appendFile(segment, '{"i":1,"s":1,"e":[[1,"torn'); // what a crash mid-append leaves

    const reopened = new CloudWatchLogs(await LogStore.open(dir), { account: '000000000000' });
    await reopened.putLogEvents('g', 's', [{ timestamp: now + 1, message: 'two' }]);
    const again = new CloudWatchLogs(await LogStore.open(dir), { account: '000000000000' });
    expect(again.getLogEvents('g', 's', { startFromHead: true }).events.map((e) => e.message)).toEqual([
      'one',
      'two',
    ]);
  });

  it('keeps a deleted log group deleted across kill -9', async () => {
    const dir = await dataDir();
    const first = await child(dir);
    await first.client.send(new CreateLogGroupCommand({ logGroupName: 'gone' }));
    await first.client.send(new CreateLogGroupCommand({ logGroupName: 'kept' }));
    await first.client.send(new DeleteLogGroupCommand({ logGroupName: 'gone' }));
    await first.server.kill9();
    const second = await child(dir);
    const groups = await second.client.send(new DescribeLogGroupsCommand({}));
    expect(groups.logGroups!.map((g) => g.logGroupName)).toEqual(['kept']);
  });
});
