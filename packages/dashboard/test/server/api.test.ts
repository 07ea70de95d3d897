/**
 * The JSON API and the live feed, against the real server on loopback over the in-memory source: envelopes,
 * parameters, JSON errors for every failure, the redirect to the Flink dashboard, server-sent events, and the
 * handler mounted inside another server.
 */
import { createServer } from 'node:http';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type {
  ApplicationResponse,
  ErrorResponse,
  FleetResponse,
  LogsResponse,
  SeriesResponse,
} from '../../src/contract.js';
import { MAX_LISTENERS } from '../../src/fleet-feed.js';
import { MemoryDashboardSource } from '../../src/memory-source.js';
import { createDashboardHandler, serveDashboard, type RunningDashboard } from '../../src/server.js';
import type { DashboardSource } from '../../src/source.js';
import { crashLoop, demoFleet } from '../support/fixture.js';
import { request } from '../support/http.js';
import { describeDashboardSource } from '../support/source-conformance.js';

let assets: string;
beforeAll(async () => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'dashboard-api-'));
  assets = path.join(root, 'web');
  await mkdir(path.join(assets, 'assets'), { recursive: true });
  await writeFile(path.join(assets, 'index.html'), `<!doctype html><title>t</title>${' '.repeat(2000)}`);
  return () => rm(root, { recursive: true, force: true });
});

const running: RunningDashboard[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((d) => d.close()));
});

async function serve(
  source: DashboardSource,
  options: { sourceTimeoutMs?: number; assetsDir?: string } = {},
) {
  const d = await serveDashboard({ source, port: 0, assetsDir: assets, refreshMs: 100, ...options });
  running.push(d);
  return d;
}

function demoSource(): MemoryDashboardSource {
  const source = new MemoryDashboardSource(demoFleet(), 'msf-local http://127.0.0.1:4577');
  source.update('orders-enricher', (a) => crashLoop(a));
  return source;
}

describeDashboardSource('MemoryDashboardSource', async () => demoSource());

describe('the JSON API', () => {
  it('answers the fleet in its envelope', async () => {
    const source = demoSource();
    const d = await serve(source);
    const a = await request(d.url, { path: '/api/v1/fleet' });
    expect(a.status).toBe(200);
    expect(a.headers['cache-control']).toBe('no-store');
    const body = a.json<FleetResponse>();
    expect(body.apiVersion).toBe('v1');
    expect(Date.parse(body.generatedAt)).not.toBeNaN();
    expect(body.target).toBe('msf-local http://127.0.0.1:4577');
    expect(body.applications).toEqual(await source.fleet(AbortSignal.timeout(1000)));
  });

  it('answers an application, its series and its logs', async () => {
    const source = demoSource();
    const d = await serve(source);
    const app = (
      await request(d.url, { path: '/api/v1/applications/orders-enricher' })
    ).json<ApplicationResponse>();
    expect(app.application).toEqual(source.get('orders-enricher')!.detail);

    const s = (
      await request(d.url, { path: '/api/v1/applications/orders-enricher/series?minutes=15' })
    ).json<SeriesResponse>();
    expect(Date.parse(s.series.to) - Date.parse(s.series.from)).toBe(15 * 60_000);
    expect(s.series.columns.at.length).toBeGreaterThanOrEqual(14);
    expect(s.series.columns.at.length).toBeLessThanOrEqual(16);
    expect(s.series.columns.restarts.at(-1)).toBe(3);

    const logs = (
      await request(d.url, { path: '/api/v1/applications/orders-enricher/logs?limit=5' })
    ).json<LogsResponse>();
    expect(logs.logs.lines).toEqual(source.get('orders-enricher')!.logs!.lines.slice(-5));
  });

  it.each([
    ['/api/v1/applications/bad%20name', 400, 'bad-request'],
    ['/api/v1/applications/%E0%A4%A', 400, 'bad-request'],
    [`/api/v1/applications/${'a'.repeat(129)}`, 400, 'bad-request'],
    ['/api/v1/applications/__proto__', 404, 'not-found'],
    ['/api/v1/applications/constructor/logs', 404, 'not-found'],
    ['/api/v1/applications/orders-enricher/series?minutes=4', 400, 'bad-request'],
    ['/api/v1/applications/orders-enricher/series?minutes=1441', 400, 'bad-request'],
    ['/api/v1/applications/orders-enricher/series?minutes=1e3', 400, 'bad-request'],
    ['/api/v1/applications/orders-enricher/logs?limit=0', 400, 'bad-request'],
    ['/api/v1/applications/orders-enricher/logs?limit=501', 400, 'bad-request'],
    ['/api/v1/applications/no-such-app', 404, 'not-found'],
    ['/api/v1/applications/no-such-app/series', 404, 'not-found'],
    ['/api/v1/applications/no-such-app/flink-dashboard', 404, 'not-found'],
    ['/api/v1/applications/inventory-sync/flink-dashboard', 409, 'unavailable'],
    ['/api/v1/applications', 404, 'not-found'],
    ['/api/v1/applications/orders-enricher/nope', 404, 'not-found'],
    ['/api/v1/applications/orders-enricher/logs/x', 404, 'not-found'],
    ['/api/v1', 404, 'not-found'],
    ['/api/v2/fleet', 404, 'not-found'],
  ])('%s → JSON %i %s', async (p, status, code) => {
    const d = await serve(demoSource());
    const a = await request(d.url, { path: p });
    expect(a.status).toBe(status);
    expect(a.headers['content-type']).toMatch(/^application\/json/);
    expect(a.json<ErrorResponse>()).toEqual({
      apiVersion: 'v1',
      error: { status, code, message: expect.any(String) },
    });
  });

  it('redirects to a fresh Flink dashboard URL', async () => {
    const d = await serve(demoSource());
    const a = await request(d.url, { path: '/api/v1/applications/orders-enricher/flink-dashboard' });
    expect(a.status).toBe(302);
    expect(a.headers.location).toBe('https://flink.example.invalid/orders-enricher/#/overview');
    expect(a.headers['cache-control']).toBe('no-store');
  });

  it('refuses to redirect to anything but http(s)', async () => {
    const source = demoSource();
    source.update('orders-enricher', (a) => (a.flinkDashboardUrl = 'javascript:alert(1)'));
    const d = await serve(source);
    const a = await request(d.url, { path: '/api/v1/applications/orders-enricher/flink-dashboard' });
    expect(a.status).toBe(502);
    expect(a.headers.location).toBeUndefined();
  });

  it('turns a failing source into a JSON 502 with its message, and a slow one into a 504', async () => {
    const failing = demoSource();
    failing.failure = new Error('DescribeApplication: AccessDeniedException: not allowed');
    const d = await serve(failing);
    for (const p of ['/api/v1/fleet', '/api/v1/applications/orders-enricher']) {
      const a = await request(d.url, { path: p });
      expect(a.status).toBe(502);
      expect(a.json<ErrorResponse>().error).toEqual({
        status: 502,
        code: 'source-failed',
        message: expect.stringContaining('AccessDeniedException: not allowed'),
      });
      expect(a.body).not.toContain('    at '); // no stack trace
    }
    const never = (signal: AbortSignal) =>
      new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    const hanging: DashboardSource = Object.assign(Object.create(demoSource()) as DashboardSource, {
      fleet: never,
      application: (_name: string, signal: AbortSignal) => never(signal),
    });
    const slow = await serve(hanging, { sourceTimeoutMs: 150 });
    for (const p of ['/api/v1/fleet', '/api/v1/applications/x']) {
      const a = await request(slow.url, { path: p });
      expect(a.status).toBe(504);
      expect(a.json<ErrorResponse>().error.code).toBe('source-timeout');
    }
  });

  it('answers 503 for the pages when the web app is not built, the API still works', async () => {
    const d = await serve(demoSource(), { assetsDir: path.join(os.tmpdir(), 'no-such-dashboard-build') });
    const page = await request(d.url, { path: '/' });
    expect(page.status).toBe(503);
    expect(page.json<ErrorResponse>().error.message).toContain('npm run build -w msfctl-dashboard');
    expect((await request(d.url, { path: '/api/v1/fleet' })).status).toBe(200);
  });

  it('serves files gzipped when asked, and 304 for a known ETag', async () => {
    const d = await serve(demoSource());
    const gz = await request(d.url, { path: '/', headers: { 'accept-encoding': 'gzip, br' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    const again = await request(d.url, { path: '/', headers: { 'if-none-match': gz.headers.etag! } });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
  });
});

/** Reads server-sent events from /api/v1/events until `count` events (not heartbeats) have arrived. */
function readEvents(
  url: string,
  count: number,
  onFirst?: () => void,
): Promise<{ event: string; data: string }[]> {
  return new Promise((resolve, reject) => {
    const events: { event: string; data: string }[] = [];
    const req = http.get(new URL('/api/v1/events', url), (res) => {
      expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (!event || data === undefined) continue;
          events.push({ event, data });
          if (events.length === 1) onFirst?.();
          if (events.length === count) {
            req.destroy();
            resolve(events);
          }
        }
      });
    });
    req.on('error', reject);
  });
}

describe('the live feed', () => {
  it('sends the fleet at once, then each change, and nothing while nothing changes', async () => {
    const source = demoSource();
    const d = await serve(source);
    const events = await readEvents(d.url, 2, () => {
      // Several refresh periods (100 ms) without a change, then one change.
      setTimeout(() => source.update('payments-fraud', (a) => crashLoop(a)), 600);
    });
    expect(events.map((e) => e.event)).toEqual(['fleet', 'fleet']);
    const [first, second] = events.map((e) => JSON.parse(e.data) as FleetResponse);
    expect(first!.applications.find((r) => r.name === 'payments-fraud')!.health.state).toBe('healthy');
    expect(second!.applications.find((r) => r.name === 'payments-fraud')!.health.state).toBe('crash-looping');
  });

  it('sends a source-error event when the source fails, and the fleet again when it recovers', async () => {
    const source = demoSource();
    const d = await serve(source);
    const events = await readEvents(d.url, 3, () => {
      source.failure = new Error('ThrottlingException: Rate exceeded');
      setTimeout(() => (source.failure = undefined), 400);
    });
    expect(events.map((e) => e.event)).toEqual(['fleet', 'source-error', 'fleet']);
    expect((JSON.parse(events[1]!.data) as ErrorResponse).error.message).toContain('ThrottlingException');
  });

  it('answers HEAD with the stream headers and no stream, and refuses pages past its limit', async () => {
    const d = await serve(demoSource());
    const head = await request(d.url, { method: 'HEAD', path: '/api/v1/events' });
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toMatch(/^text\/event-stream/);
    const open: http.ClientRequest[] = [];
    try {
      for (let i = 0; i < MAX_LISTENERS; i++) {
        await new Promise<void>((resolve, reject) => {
          const req = http.get(new URL('/api/v1/events', d.url), (res) => {
            expect(res.statusCode).toBe(200);
            resolve();
          });
          req.on('error', reject);
          open.push(req);
        });
      }
      const refused = await request(d.url, { path: '/api/v1/events' });
      expect(refused.status).toBe(503);
      expect(refused.json<ErrorResponse>().error.code).toBe('unavailable');
    } finally {
      for (const req of open) req.destroy();
    }
  });

  it('stops reading the source when the last page goes away', async () => {
    const source = demoSource();
    let reads = 0;
    const counting: DashboardSource = Object.assign(Object.create(source) as DashboardSource, {
      fleet: (signal: AbortSignal) => {
        reads++;
        return source.fleet(signal);
      },
    });
    const d = await serve(counting);
    await readEvents(d.url, 1);
    await new Promise((r) => setTimeout(r, 300));
    const after = reads;
    await new Promise((r) => setTimeout(r, 500));
    expect(reads).toBe(after);
  });
});

describe('mounted in another server', () => {
  it('answers its own paths and passes the others on, after the access rules', async () => {
    const handler = await createDashboardHandler({ source: demoSource(), assetsDir: assets });
    const server = createServer((req, res) =>
      handler.handle(req, res, (_req, r) => {
        r.setHeader('Content-Type', 'text/plain');
        r.end('metrics here');
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      expect((await request(url, { path: '/api/v1/fleet' })).status).toBe(200);
      expect((await request(url, { path: '/metrics' })).body).toBe('metrics here');
      expect((await request(url, { path: '/metrics', headers: { host: 'evil.example' } })).status).toBe(403);
      expect((await request(url, { path: '/metrics', method: 'POST' })).status).toBe(405);
    } finally {
      handler.close();
      await new Promise((r) => server.close(r));
    }
  });
});
