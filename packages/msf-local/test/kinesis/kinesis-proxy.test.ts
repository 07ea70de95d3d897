import http from 'node:http';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  DescribeStreamConsumerCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
  PutRecordsCommand,
  RegisterStreamConsumerCommand,
  ResourceNotFoundException,
  SubscribeToShardCommand,
  waitUntilStreamExists,
} from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KinesisProxyService } from '../../src/kinesis/index.js';
import { EdgeServer } from '../../src/server/edge-server.js';
import {
  kinesisClient,
  REGION,
  startKinesisBehindEdge,
  TEST_CREDENTIALS,
  waitFor,
  type KinesisHarness,
} from './harness.js';

let h: KinesisHarness;

beforeAll(async () => {
  h = await startKinesisBehindEdge();
}, 60_000);

afterAll(async () => {
  await h?.dispose();
});

/** A raw POST to the edge, as the Java SDK sends it (CBOR) or any other client. */
function post(
  url: string,
  target: string,
  contentType: string,
  body: Buffer,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': contentType,
          'x-amz-target': target,
          'x-amz-date': '20260101T000000Z',
          authorization:
            'AWS4-HMAC-SHA256 Credential=AKIDMSFLOCAL/20260101/us-east-1/kinesis/aws4_request, SignedHeaders=host, Signature=0',
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** CBOR text string (major type 3), short lengths only. */
function cborText(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length >= 24 && bytes.length < 256)
    return Buffer.concat([Buffer.from([0x78, bytes.length]), bytes]);
  if (bytes.length < 24) return Buffer.concat([Buffer.from([0x60 + bytes.length]), bytes]);
  throw new Error('test helper handles texts shorter than 256 bytes');
}

describe('Kinesis through the edge endpoint', () => {
  it('serves the AWS SDK (JSON 1.1 over HTTP/1.1): create, put, list shards, read back the same bytes', async () => {
    const client = kinesisClient(h.edgeUrl);
    await client.send(new CreateStreamCommand({ StreamName: 'via-edge', ShardCount: 2 }));
    await waitUntilStreamExists({ client, maxWaitTime: 20, minDelay: 1 }, { StreamName: 'via-edge' });
    const payloads = Array.from({ length: 20 }, (_, i) =>
      Buffer.from(JSON.stringify({ i, bytes: [0, 255, i] })),
    );
    const put = await client.send(
      new PutRecordsCommand({
        StreamName: 'via-edge',
        Records: payloads.map((Data, i) => ({ Data, PartitionKey: `k${i}` })),
      }),
    );
    expect(put.FailedRecordCount).toBe(0);

    const shards = await client.send(new ListShardsCommand({ StreamName: 'via-edge' }));
    expect(shards.Shards).toHaveLength(2);
    const read: Buffer[] = [];
    for (const shard of shards.Shards ?? []) {
      const it = await client.send(
        new GetShardIteratorCommand({
          StreamName: 'via-edge',
          ShardId: shard.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      const got = await client.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator }));
      read.push(...(got.Records ?? []).map((r) => Buffer.from(r.Data ?? [])));
    }
    expect(read.map((b) => b.toString('hex')).sort()).toEqual(payloads.map((b) => b.toString('hex')).sort());
  }, 60_000);

  it("serves the SDK's default client (HTTP/2 over cleartext), SubscribeToShard's event stream included", async () => {
    // No requestHandler: the Kinesis client's default is NodeHttp2Handler, which users' own code gets.
    const client = new KinesisClient({ endpoint: h.edgeUrl, region: REGION, credentials: TEST_CREDENTIALS });
    try {
      await client.send(new CreateStreamCommand({ StreamName: 'via-h2', ShardCount: 1 }));
      await waitUntilStreamExists({ client, maxWaitTime: 20, minDelay: 1 }, { StreamName: 'via-h2' });
      const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: 'via-h2' }));
      const arn = summary.StreamDescriptionSummary?.StreamARN;
      const put = await client.send(
        new PutRecordsCommand({
          StreamName: 'via-h2',
          Records: [{ Data: Buffer.from([0, 1, 254, 255]), PartitionKey: 'k' }],
        }),
      );
      expect(put.FailedRecordCount).toBe(0);

      const consumer = await client.send(
        new RegisterStreamConsumerCommand({ StreamARN: arn, ConsumerName: 'h2-consumer' }),
      );
      const consumerArn = consumer.Consumer?.ConsumerARN;
      await waitFor(
        async () =>
          (await client.send(new DescribeStreamConsumerCommand({ ConsumerARN: consumerArn })))
            .ConsumerDescription?.ConsumerStatus === 'ACTIVE',
        10_000,
        'the stream consumer to become ACTIVE',
      );
      const subscription = await client.send(
        new SubscribeToShardCommand({
          ConsumerARN: consumerArn,
          ShardId: 'shardId-000000000000',
          StartingPosition: { Type: 'TRIM_HORIZON' },
        }),
      );
      let received: string[] = [];
      for await (const event of subscription.EventStream ?? []) {
        received = (event.SubscribeToShardEvent?.Records ?? []).map((r) =>
          Buffer.from(r.Data ?? []).toString('hex'),
        );
        if (received.length > 0) break;
      }
      expect(received).toEqual(['0001feff']);
    } finally {
      client.destroy();
    }
  }, 60_000);

  it("passes kinesis-local's errors through as the SDK's typed exceptions", async () => {
    const error = await kinesisClient(h.edgeUrl)
      .send(new DescribeStreamSummaryCommand({ StreamName: 'no-such-stream' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
  });

  it('forwards CBOR requests (what the Java SDK sends) and returns the CBOR answer unchanged', async () => {
    const client = kinesisClient(h.edgeUrl);
    await client.send(new CreateStreamCommand({ StreamName: 'cbor-stream', ShardCount: 1 }));
    await waitUntilStreamExists({ client, maxWaitTime: 20, minDelay: 1 }, { StreamName: 'cbor-stream' });
    // {"StreamName": "cbor-stream"} in CBOR: a map of one pair.
    const body = Buffer.concat([Buffer.from([0xa1]), cborText('StreamName'), cborText('cbor-stream')]);
    const viaEdge = await post(
      h.edgeUrl,
      'Kinesis_20131202.DescribeStreamSummary',
      'application/x-amz-cbor-1.1',
      body,
    );
    const direct = await post(
      h.kinesis.endpoint.url,
      'Kinesis_20131202.DescribeStreamSummary',
      'application/x-amz-cbor-1.1',
      body,
    );
    expect(viaEdge.status).toBe(200);
    expect(viaEdge.headers['content-type']).toBe('application/x-amz-cbor-1.1');
    expect(
      viaEdge.body.includes(Buffer.from('arn:aws:kinesis:us-east-1:000000000000:stream/cbor-stream')),
    ).toBe(true);
    expect(viaEdge.body.equals(direct.body)).toBe(true);
    // One request id, kinesis-local's (as Kinesis answers: x-amzn-RequestId only), not a second one from the edge.
    expect(viaEdge.headers['x-amzn-requestid']).toMatch(/\S/);
    expect(viaEdge.headers['x-amz-request-id']).toBeUndefined();

    const missing = Buffer.concat([Buffer.from([0xa1]), cborText('StreamName'), cborText('missing')]);
    const error = await post(
      h.edgeUrl,
      'Kinesis_20131202.DescribeStreamSummary',
      'application/x-amz-cbor-1.1',
      missing,
    );
    expect(error.status).toBe(400);
    expect(error.body.includes(Buffer.from('ResourceNotFoundException'))).toBe(true);
  }, 60_000);

  it('takes only Kinesis targets', () => {
    const proxy = new KinesisProxyService({ upstream: () => undefined });
    const request = (target?: string) => ({
      method: 'POST',
      rawPath: '/',
      query: new URLSearchParams(),
      headers: target ? { 'x-amz-target': target } : {},
      body: Buffer.alloc(0),
      requestId: 'r',
    });
    expect(proxy.accepts(request('Kinesis_20131202.PutRecords'))).toBe(true);
    expect(proxy.accepts(request('KinesisAnalytics_20180523.ListApplications'))).toBe(false);
    expect(proxy.accepts(request('GraniteServiceVersion20100801.PutMetricData'))).toBe(false);
    expect(proxy.accepts(request())).toBe(false);
  });

  it('answers 503 ServiceUnavailable while kinesis-local is not running', async () => {
    const proxy = new KinesisProxyService({ upstream: () => undefined });
    const edge = new EdgeServer({ host: '127.0.0.1', port: 0, services: [proxy] });
    const { url } = await edge.listen();
    try {
      const res = await post(
        url,
        'Kinesis_20131202.ListStreams',
        'application/x-amz-json-1.1',
        Buffer.from('{}'),
      );
      expect(res.status).toBe(503);
      expect(JSON.parse(res.body.toString())).toEqual({
        __type: 'ServiceUnavailable',
        message: 'kinesis-local is not running',
      });
    } finally {
      await edge.close();
      proxy.close();
    }
  });
});
