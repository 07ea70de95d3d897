import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGION, TEST_CREDENTIALS, startKinesisBehindEdge, type KinesisHarness } from './harness.js';

const run = promisify(execFile);
// Debian's AWS CLI v2. Not `aws` on PATH: that may be a pip-installed v1.
const AWS_CLI = '/usr/bin/aws';

let h: KinesisHarness;

beforeAll(async () => {
  h = await startKinesisBehindEdge();
}, 60_000);

afterAll(async () => {
  await h?.dispose();
});

async function aws(...args: string[]): Promise<unknown> {
  const { stdout } = await run(AWS_CLI, ['--endpoint-url', h.edgeUrl, '--output', 'json', ...args], {
    env: {
      PATH: process.env.PATH,
      HOME: h.dataDir,
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      AWS_DEFAULT_REGION: REGION,
      AWS_PAGER: '',
    },
  });
  return stdout.trim() ? JSON.parse(stdout) : undefined;
}

describe('AWS CLI v2 against the edge endpoint', () => {
  it('creates a stream, writes and reads records', async () => {
    if (!existsSync(AWS_CLI)) {
      throw new Error(
        `${AWS_CLI} (Debian's AWS CLI v2) is missing: install it with \`apt-get install -y awscli\``,
      );
    }
    const version = await run(AWS_CLI, ['--version']);
    expect(version.stdout).toMatch(/^aws-cli\/2\./);

    await aws('kinesis', 'create-stream', '--stream-name', 'cli-stream', '--shard-count', '1');
    await aws('kinesis', 'wait', 'stream-exists', '--stream-name', 'cli-stream');
    const summary = (await aws('kinesis', 'describe-stream-summary', '--stream-name', 'cli-stream')) as {
      StreamDescriptionSummary: { StreamStatus: string };
    };
    expect(summary.StreamDescriptionSummary.StreamStatus).toBe('ACTIVE');

    const record = JSON.stringify({ eventTime: 1, ticker: 'AAPL', price: 42.5 });
    // --data is a blob: the CLI v2 reads it as base64 by default.
    await aws(
      'kinesis',
      'put-record',
      '--stream-name',
      'cli-stream',
      '--partition-key',
      'AAPL',
      '--data',
      Buffer.from(record).toString('base64'),
    );
    const iterator = (await aws(
      'kinesis',
      'get-shard-iterator',
      '--stream-name',
      'cli-stream',
      '--shard-id',
      'shardId-000000000000',
      '--shard-iterator-type',
      'TRIM_HORIZON',
    )) as { ShardIterator: string };
    const records = (await aws('kinesis', 'get-records', '--shard-iterator', iterator.ShardIterator)) as {
      Records: { Data: string; PartitionKey: string }[];
    };
    expect(records.Records).toHaveLength(1);
    expect(records.Records[0]?.PartitionKey).toBe('AAPL');
    expect(Buffer.from(records.Records[0]?.Data ?? '', 'base64').toString()).toBe(record);
  }, 60_000);
});
