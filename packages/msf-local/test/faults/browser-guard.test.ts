/**
 * A web page cannot drive msf-local: cross-origin requests (a form POST needs no preflight) and DNS-rebound ones
 * are refused in each protocol's error shape, while SDK clients (no Origin, a loopback Host) are served as before
 * and an origin allowed with `allowOrigins` gets CORS answers.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { KinesisAnalyticsV2Client, ListApplicationsCommand } from '@aws-sdk/client-kinesis-analytics-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMsfLocal, type MsfLocal } from '../../src/msf-local.js';

const ALLOWED = 'http://localhost:3000';
let server: MsfLocal;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'msf-browser-'));
  server = await startMsfLocal({
    dataDir,
    port: 0,
    runtime: null,
    kinesis: false,
    allowOrigins: [ALLOWED],
    log: () => undefined,
  });
});

afterAll(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** node:http, so that Host and Origin are sent exactly as given (fetch sets them itself). */
function request(
  options: { method?: string; path?: string; headers?: Record<string, string> },
  body = '',
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        method: options.method ?? 'POST',
        path: options.path ?? '/',
        headers: options.headers,
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
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const MSF = {
  'content-type': 'application/x-amz-json-1.1',
  'x-amz-target': 'KinesisAnalytics_20180523.ListApplications',
};

describe('browser guard', () => {
  it('refuses a cross-origin form POST (a "simple" request) in the query error shape', async () => {
    const r = await request(
      { headers: { ...FORM, origin: 'https://evil.example' } },
      'Action=ListMetrics&Version=2010-08-01',
    );
    expect(r.status).toBe(403);
    expect(r.body).toMatch(/<Code>AccessDenied<\/Code>/);
    expect(r.body).toContain('--allow-origin https://evil.example');
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a cross-origin JSON call and an S3 read in their own shapes, and Origin: null', async () => {
    const json = await request({ headers: { ...MSF, origin: 'https://evil.example' } }, '{}');
    expect(json.status).toBe(403);
    expect(JSON.parse(json.body)).toMatchObject({ __type: 'AccessDeniedException' });
    expect(json.headers['x-amzn-errortype']).toBe('AccessDeniedException');
    const s3 = await request({ method: 'GET', path: '/', headers: { origin: 'null' } });
    expect(s3.status).toBe(403);
    expect(s3.body).toMatch(/^<\?xml[^>]*>\s*<Error><Code>AccessDenied<\/Code>/);
  });

  it('refuses a foreign Host (DNS rebinding) and serves loopback names and addresses', async () => {
    const rebound = await request({ headers: { ...MSF, host: `attacker.example:${server.port}` } }, '{}');
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body).message).toMatch(/DNS rebinding/);
    for (const host of [
      `localhost:${server.port}`,
      `127.0.0.1:${server.port}`,
      `[::1]:${server.port}`,
      'localhost',
    ]) {
      expect((await request({ headers: { ...MSF, host } }, '{}')).status, host).toBe(200);
    }
  });

  it('serves the AWS SDK unchanged (no Origin, a loopback Host)', async () => {
    const client = new KinesisAnalyticsV2Client({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
    });
    try {
      expect((await client.send(new ListApplicationsCommand({}))).ApplicationSummaries).toEqual([]);
    } finally {
      client.destroy();
    }
  });

  it('answers an allowed origin with CORS headers, its preflight included', async () => {
    const ok = await request({ headers: { ...MSF, origin: ALLOWED } }, '{}');
    expect(ok.status).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe(ALLOWED);
    const preflight = await request({
      method: 'OPTIONS',
      headers: {
        origin: ALLOWED,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'x-amz-target',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-methods']).toContain('POST');
    expect(preflight.headers['access-control-allow-headers']).toBe('x-amz-target');
    const other = await request({
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:3001', 'access-control-request-method': 'POST' },
    });
    expect(other.status).toBe(403);
  });
});
