import { describe, expect, it } from 'vitest';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchLogsReader } from '../../src/adapters/aws/logs-reader.js';
import { parseLogStreamArn } from '../../src/model/log-streams.js';

const STREAM = parseLogStreamArn('arn:aws:logs:us-east-1:123456789012:log-group:/g:log-stream:s')!;

/** A client that answers each call with the next scripted output and records the inputs. */
function scripted(outputs: unknown[]) {
  const inputs: Record<string, unknown>[] = [];
  const client = {
    send: async (command: { input: Record<string, unknown> }) => {
      inputs.push(command.input);
      const next = outputs.shift();
      if (next instanceof Error) throw next;
      return next;
    },
  } as unknown as CloudWatchLogsClient;
  return { client, inputs };
}

describe('CloudWatch Logs reader (the SDK boundary faked)', () => {
  it('reads forward from a time, then from the forward token; an unchanged token means caught up', async () => {
    const { client, inputs } = scripted([
      { events: [{ timestamp: 5, message: 'a' }], nextForwardToken: 'f/1' },
      { events: [], nextForwardToken: 'f/1' },
    ]);
    const reader = new CloudWatchLogsReader(() => client);
    const first = await reader.read(STREAM, { since: 3 });
    expect(first).toEqual({
      events: [{ timestamp: 5, message: 'a' }],
      next: { cursor: 'f/1' },
      caughtUp: false,
    });
    expect(await reader.read(STREAM, first.next)).toEqual({
      events: [],
      next: { cursor: 'f/1' },
      caughtUp: true,
    });
    expect(inputs).toEqual([
      { logGroupName: '/g', logStreamName: 's', startFromHead: true, startTime: 3 },
      { logGroupName: '/g', logStreamName: 's', startFromHead: true, nextToken: 'f/1' },
    ]);
  });

  it('reads on past empty pages that move the token (AWS may answer those before the end of a stream)', async () => {
    const { client } = scripted([
      { events: [], nextForwardToken: 'f/2' },
      { events: [], nextForwardToken: 'f/3' },
      { events: [{ timestamp: 9, message: 'late' }], nextForwardToken: 'f/4' },
    ]);
    const page = await new CloudWatchLogsReader(() => client).read(STREAM, { cursor: 'f/1' });
    expect(page).toEqual({
      events: [{ timestamp: 9, message: 'late' }],
      next: { cursor: 'f/4' },
      caughtUp: false,
    });
  });

  it('searches with the pattern across pages, keeping the newest `limit` events', async () => {
    const { client, inputs } = scripted([
      { events: [1, 2, 3].map((t) => ({ timestamp: t, message: `m${t}` })), nextToken: 'p2' },
      { events: [4, 5].map((t) => ({ timestamp: t, message: `m${t}` })) },
    ]);
    const found = await new CloudWatchLogsReader(() => client).search(STREAM, {
      since: 0,
      pattern: '"x"',
      limit: 3,
    });
    expect(found.map((e) => e.timestamp)).toEqual([3, 4, 5]);
    expect(inputs[1]).toMatchObject({ logStreamNames: ['s'], filterPattern: '"x"', nextToken: 'p2' });
  });

  it('says which stream does not exist, as a LOGS error with what to do', async () => {
    const missing = Object.assign(new Error('The specified log stream does not exist.'), {
      name: 'ResourceNotFoundException',
    });
    const { client } = scripted([missing]);
    await expect(new CloudWatchLogsReader(() => client).read(STREAM, { since: 0 })).rejects.toMatchObject({
      code: 'LOGS',
      message: expect.stringContaining('Log stream s in log group /g (us-east-1) does not exist'),
      hint: expect.stringContaining('create-log-stream'),
    });
  });
});
