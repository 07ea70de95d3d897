/**
 * Limits as AWS sets them, answered in each service's error shape and checked on decompressed size too: a huge
 * declared or streamed body costs a 413 and no memory, a gzip bomb is not inflated, a 5,000-term metric math
 * expression is a client error (the model's 2,048-character limit), not a stack overflow.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMsfLocal, type MsfLocal } from '../../src/msf-local.js';

let server: MsfLocal;
let dataDir: string;
const MiB = 1024 * 1024;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'msf-limits-'));
  server = await startMsfLocal({ dataDir, port: 0, runtime: null, kinesis: false, log: () => undefined });
});

afterAll(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Sends headers, then `chunks` of `chunkBytes` (chunked unless a Content-Length is given); resolves on the answer. */
function send(options: {
  method?: string;
  path?: string;
  headers: Record<string, string>;
  body?: Buffer | string;
  chunks?: number;
  chunkBytes?: number;
}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        method: options.method ?? 'POST',
        path: options.path ?? '/',
        headers: options.headers,
        agent: false, // a connection of its own: the server closes it after a 413
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(parts).toString(),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', () => undefined); // the server may close while the rest is still being sent: that is the point
    if (options.chunks) {
      const chunk = Buffer.alloc(options.chunkBytes ?? MiB, 0x61);
      let sent = 0;
      const pump = () => {
        while (sent < (options.chunks ?? 0) && !req.destroyed) {
          sent++;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    } else {
      req.end(options.body);
    }
  });
}

const MSF = {
  'content-type': 'application/x-amz-json-1.1',
  'x-amz-target': 'KinesisAnalytics_20180523.ListApplications',
};
const LOGS = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Logs_20140328.PutLogEvents' };

describe('body limits', () => {
  it('refuses a declared 300 MB body at once, in the JSON error shape', async () => {
    const r = await send({ headers: { ...MSF, 'content-length': String(300 * MiB) }, body: '{}' });
    expect(r.status).toBe(413);
    expect(r.headers['x-amzn-errortype']).toBe('RequestEntityTooLargeException');
    expect(JSON.parse(r.body)).toMatchObject({ __type: 'RequestEntityTooLargeException' });
  });

  it('stops reading a streamed (chunked) body past the limit, without holding it in memory', async () => {
    const before = process.memoryUsage().rss;
    const r = await send({ headers: LOGS, chunks: 64, chunkBytes: MiB });
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body).__type).toBe('RequestEntityTooLargeException');
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * MiB);
    // The next request is served.
    expect((await send({ headers: MSF, body: '{}' })).status).toBe(200);
  });

  it('refuses an S3 PUT over msf-local\u2019s ceiling in the S3 error shape, and a query form in the query shape', async () => {
    const s3 = await send({
      method: 'PUT',
      path: '/b/k',
      headers: { 'content-length': String(2048 * MiB) },
      body: 'x',
    });
    expect(s3.status).toBe(413);
    expect(s3.body).toMatch(/<Error><Code>EntityTooLarge<\/Code>/);
    const query = await send({
      path: '/?Action=ListMetrics&Version=2010-08-01',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(64 * MiB) },
      body: 'x',
    });
    expect(query.status).toBe(413);
    expect(query.body).toMatch(/<Code>EntityTooLarge<\/Code>/);
  });
});

describe('decompressed size', () => {
  it('refuses a gzip bomb to CloudWatch without inflating it', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * MiB, 0x20)); // about 64 KB on the wire
    expect(bomb.length).toBeLessThan(MiB);
    const before = process.memoryUsage().rss;
    const r = await send({
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'GraniteServiceVersion20100801.PutMetricData',
        'content-encoding': 'gzip',
      },
      body: bomb,
    });
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body).__type).toMatch(/RequestEntityTooLarge$/);
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * MiB);
  });
});

describe('metric math', () => {
  const queries = (expression: string) => ({
    StartTime: 0,
    EndTime: 60,
    MetricDataQueries: [
      {
        Id: 'm1',
        MetricStat: { Metric: { Namespace: 'n', MetricName: 'x' }, Period: 60, Stat: 'Sum' },
        ReturnData: false,
      },
      { Id: 'e1', Expression: expression },
    ],
  });

  it('answers a 5,000-term expression with ValidationError (over the 2,048-character model limit), in JSON and in the query protocol', async () => {
    const huge = `${'m1+'.repeat(5000)}m1`;
    const json = await send({
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'GraniteServiceVersion20100801.GetMetricData',
      },
      body: JSON.stringify(queries(huge)),
    });
    expect(json.status).toBe(400);
    expect(json.headers['x-amzn-query-error']).toBe('ValidationError;Sender');
    expect(JSON.parse(json.body).message).toMatch(/2048/);
    const form = new URLSearchParams({
      Action: 'GetMetricData',
      Version: '2010-08-01',
      StartTime: '1970-01-01T00:00:00Z',
      EndTime: '1970-01-01T00:01:00Z',
      'MetricDataQueries.member.1.Id': 'e1',
      'MetricDataQueries.member.1.Expression': huge,
    });
    const query = await send({
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    expect(query.status).toBe(400);
    expect(query.body).toMatch(/<Code>ValidationError<\/Code>/);
  });

  it('refuses nesting deeper than it evaluates, within the length limit', async () => {
    const deep = `${'('.repeat(500)}m1${')'.repeat(500)}`;
    const r = await send({
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'GraniteServiceVersion20100801.GetMetricData',
      },
      body: JSON.stringify(queries(deep)),
    });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).message).toMatch(/nesting deeper than/);
  });
});
