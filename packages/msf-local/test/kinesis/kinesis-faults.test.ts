/**
 * Hostile input through the Kinesis proxy: huge PutRecord(s) bodies, what kinesis-local answers outside the
 * Kinesis error shapes, clients that reset mid-request. Every answer is a Kinesis error; the edge keeps serving.
 */
import http from 'node:http';
import { CreateStreamCommand, ListStreamsCommand, waitUntilStreamExists } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kinesisClient, startKinesisBehindEdge, type KinesisHarness } from './harness.js';

let h: KinesisHarness;
const STREAM = 'faults';

beforeAll(async () => {
  h = await startKinesisBehindEdge();
  const client = kinesisClient(h.edgeUrl);
  await client.send(new CreateStreamCommand({ StreamName: STREAM, ShardCount: 1 }));
  await waitUntilStreamExists({ client, maxWaitTime: 30 }, { StreamName: STREAM });
  client.destroy();
}, 60_000);

afterAll(async () => {
  await h?.dispose();
});

function post(
  operation: string,
  body: Buffer | string,
  extraHeaders: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      h.edgeUrl,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': `Kinesis_20131202.${operation}`,
          'x-amz-date': '20260101T000000Z',
          authorization:
            'AWS4-HMAC-SHA256 Credential=AKIDMSFLOCAL/20260101/us-east-1/kinesis/aws4_request, SignedHeaders=host, Signature=0',
          ...extraHeaders,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function stillServes(): Promise<void> {
  const client = kinesisClient(h.edgeUrl);
  try {
    const listed = await client.send(new ListStreamsCommand({}));
    expect(listed.StreamNames).toContain(STREAM);
  } finally {
    client.destroy();
  }
}

function expectKinesisError(answer: { status: number; headers: http.IncomingHttpHeaders; body: string }) {
  expect(answer.status).toBeGreaterThanOrEqual(400);
  expect(answer.status).toBeLessThan(500);
  expect(answer.headers['content-type']).toMatch(/^application\/x-amz-json-1\.1/);
  const parsed = JSON.parse(answer.body) as { __type?: string; message?: string };
  expect(parsed.__type).toMatch(/^[A-Za-z]+$/);
  expect(parsed.message).toEqual(expect.any(String));
  return parsed;
}

describe('Kinesis proxy under hostile input', () => {
  it('survives twelve concurrent 10 MB PutRecord bodies, answered in the Kinesis error shape', async () => {
    const data = Buffer.alloc(7.5 * 1024 * 1024, 1).toString('base64'); // 10 MB of JSON
    const body = JSON.stringify({ StreamName: STREAM, PartitionKey: 'k', Data: data });
    const answers = await Promise.all(Array.from({ length: 12 }, () => post('PutRecord', body)));
    for (const answer of answers) expectKinesisError(answer);
    await stillServes();
  });

  it('refuses a PutRecord of more than 1 MiB and a PutRecords of more than 5 MiB, as Kinesis does', async () => {
    const big = JSON.stringify({
      StreamName: STREAM,
      PartitionKey: 'k',
      Data: Buffer.alloc(1024 * 1024, 3).toString('base64'),
    });
    expect(expectKinesisError(await post('PutRecord', big)).__type).toBe('ValidationException');
    const record = { PartitionKey: 'k', Data: Buffer.alloc(900 * 1024, 2).toString('base64') };
    const body = JSON.stringify({ StreamName: STREAM, Records: Array.from({ length: 6 }, () => record) });
    const parsed = expectKinesisError(await post('PutRecords', body));
    expect(parsed.__type).toBe('InvalidArgumentException');
    expect(parsed.message).toMatch(/exceeds 5 MB/);
    await stillServes();
  });

  it('answers an unknown operation and a non-operation in the Kinesis error shape, not kinesis-local text', async () => {
    expect(expectKinesisError(await post('NoSuchOperation', '{}')).__type).toBe('UnknownOperationException');
    expect(expectKinesisError(await post('constructor', '{}')).__type).toBe('UnknownOperationException');
  });

  it('refuses prototype keys (kinesis-local would reset the connection) in the Kinesis error shape', async () => {
    const parsed = expectKinesisError(await post('ListStreams', '{"__proto__":{"polluted":1}}'));
    expect(parsed.__type).toBe('SerializationException');
    await stillServes();
  });
});
