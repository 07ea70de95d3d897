/**
 * The rehearsal sandbox's private endpoint (real kinesis-local behind a real edge, real S3 store) and its egress
 * trap, driven with the AWS SDK v3 and plain HTTP proxy requests.
 */
import { promises as fs } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

import {
  DescribeStreamSummaryCommand,
  KinesisClient,
  ListStreamsCommand,
  PutRecordCommand,
} from '@aws-sdk/client-kinesis';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { egressTrapSettings, startEgressTrap } from '../../../src/rehearsal/egress-trap.js';
import { startSandboxEndpoint, type SandboxEndpoint } from '../../../src/rehearsal/sandbox-endpoint.js';

const CREDENTIALS = { accessKeyId: 'MSFLOCALJOBKEY', secretAccessKey: 'msf-local' };
const ORDERS_ARN = 'arn:aws:kinesis:eu-west-1:123456789012:stream/orders';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'msf-local-sandbox-endpoint-'));
});
afterAll(async () => {
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

const kinesisAt = (url: string, region: string): KinesisClient =>
  new KinesisClient({ endpoint: url, region, credentials: CREDENTIALS, maxAttempts: 1 });

describe('sandbox endpoint', () => {
  it('serves the named streams (by name and by ARN, in their regions and account), S3, and counts records', async () => {
    const endpoint = await startSandboxEndpoint({
      dir: path.join(dir, 'named'),
      region: 'us-east-1',
      streams: [
        { name: 'ExampleOutputStream', region: 'us-east-1', namedBy: 'OutputStream0.stream.name' },
        { name: 'orders', region: 'eu-west-1', namedBy: 'Input.stream.arn' },
      ],
      accountId: '123456789012',
      log: () => undefined,
    });
    try {
      expect(endpoint.kinesisStarted).toBe(true);
      await endpoint.ready;
      const east = kinesisAt(endpoint.url, 'us-east-1');
      const west = kinesisAt(endpoint.url, 'eu-west-1');
      try {
        const summary = await east.send(
          new DescribeStreamSummaryCommand({ StreamName: 'ExampleOutputStream' }),
        );
        expect(summary.StreamDescriptionSummary).toMatchObject({
          StreamStatus: 'ACTIVE',
          StreamARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/ExampleOutputStream',
        });
        const byArn = await west.send(new DescribeStreamSummaryCommand({ StreamARN: ORDERS_ARN }));
        expect(byArn.StreamDescriptionSummary?.StreamStatus).toBe('ACTIVE');
        expect((await west.send(new ListStreamsCommand({}))).StreamNames).toEqual(['orders']);

        for (const data of ['a', 'b', 'c'])
          await east.send(
            new PutRecordCommand({
              StreamName: 'ExampleOutputStream',
              PartitionKey: 'k',
              Data: Buffer.from(data),
            }),
          );
        expect(await endpoint.countRecords({ name: 'ExampleOutputStream', region: 'us-east-1' })).toBe(3);
        expect(await endpoint.countRecords({ name: 'orders', region: 'eu-west-1' })).toBe(0);
      } finally {
        east.destroy();
        west.destroy();
      }

      const s3 = new S3Client({
        endpoint: endpoint.url,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: CREDENTIALS,
      });
      try {
        await s3.send(new CreateBucketCommand({ Bucket: 'job-bucket' }));
        await s3.send(new PutObjectCommand({ Bucket: 'job-bucket', Key: 'k', Body: 'private' }));
        const object = await s3.send(new GetObjectCommand({ Bucket: 'job-bucket', Key: 'k' }));
        expect(await object.Body!.transformToString()).toBe('private');
      } finally {
        s3.destroy();
      }
    } finally {
      await endpoint.close();
    }
    await expect(fetch(endpoint.url)).rejects.toThrow();
  });

  it('starts Kinesis only when the job calls it, as an account without streams', async () => {
    let endpoint: SandboxEndpoint | undefined;
    try {
      endpoint = await startSandboxEndpoint({
        dir: path.join(dir, 'lazy'),
        region: 'us-east-1',
        streams: [],
        log: () => undefined,
      });
      await endpoint.ready;
      expect(endpoint.kinesisStarted).toBe(false);
      const client = kinesisAt(endpoint.url, 'us-east-1');
      try {
        await expect(
          client.send(new DescribeStreamSummaryCommand({ StreamName: 'hardcoded' })),
        ).rejects.toMatchObject({
          name: 'ResourceNotFoundException',
        });
      } finally {
        client.destroy();
      }
      expect(endpoint.kinesisStarted).toBe(true);
    } finally {
      await endpoint?.close();
    }
  });
});

describe('egress trap', () => {
  it('refuses proxied HTTPS and HTTP with 403 and records where they were going', async () => {
    const trap = await startEgressTrap();
    try {
      const connect = await new Promise<number>((resolve, reject) => {
        http
          .request({ host: trap.host, port: trap.port, method: 'CONNECT', path: 'sts.amazonaws.com:443' })
          .on('connect', (res, socket) => {
            socket.destroy();
            resolve(res.statusCode ?? 0);
          })
          .on('error', reject)
          .end();
      });
      expect(connect).toBe(403);
      const plain = await new Promise<number>((resolve, reject) => {
        http
          .get(
            { host: trap.host, port: trap.port, path: 'http://169.254.169.254/latest/meta-data/' },
            (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
            },
          )
          .on('error', reject);
      });
      expect(plain).toBe(403);
      expect(trap.attempts).toEqual(['sts.amazonaws.com:443', '169.254.169.254:80']);
      expect(egressTrapSettings(trap).systemProperties).toMatchObject({
        'https.proxyHost': '127.0.0.1',
        'https.proxyPort': String(trap.port),
        'http.nonProxyHosts': 'localhost|127.*|[::1]',
      });
    } finally {
      await trap.close();
    }
  });
});
