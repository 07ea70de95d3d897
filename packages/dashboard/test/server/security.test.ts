/**
 * The dashboard server's access rules, against the real server on loopback: Host checks (DNS rebinding), the
 * token on every request, read-only methods, no CORS, and static files that no request path can escape.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ErrorResponse } from '../../src/contract.js';
import { MemoryDashboardSource } from '../../src/memory-source.js';
import { DashboardConfigError } from '../../src/security.js';
import type { RunningDashboard } from '../../src/server.js';
import { serveDashboard } from '../../src/server.js';
import { demoFleet } from '../support/fixture.js';
import { rawStatus, request } from '../support/http.js';

const TOKEN = 'a-test-token-0123456789';
let assets: string;
let outside: string;

beforeAll(async () => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'dashboard-security-'));
  assets = path.join(root, 'web');
  outside = path.join(root, 'secret.txt');
  await mkdir(path.join(assets, 'assets'), { recursive: true });
  await writeFile(path.join(assets, 'index.html'), '<!doctype html><title>t</title>');
  await writeFile(path.join(assets, 'assets', 'app-1234.js'), 'console.log(1)');
  await writeFile(outside, 'not for the web');
  return () => rm(root, { recursive: true, force: true });
});

function serve(options: { host?: string; token?: string } = {}): Promise<RunningDashboard> {
  return serveDashboard({
    source: new MemoryDashboardSource(demoFleet()),
    port: 0,
    assetsDir: assets,
    ...options,
  });
}

describe('binding', () => {
  it('binds 127.0.0.1 by default', async () => {
    const d = await serve();
    try {
      expect(d.host).toBe('127.0.0.1');
      expect(d.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect((await request(d.url, { path: '/api/v1/fleet' })).status).toBe(200);
    } finally {
      await d.close();
    }
  });

  it('refuses a non-loopback address without a token, before binding', async () => {
    await expect(serve({ host: '0.0.0.0' })).rejects.toThrow(DashboardConfigError);
    await expect(serve({ host: '0.0.0.0' })).rejects.toThrow(/without a token/);
  });

  it('refuses a short token', async () => {
    await expect(serve({ token: 'short' })).rejects.toThrow(/at least 16 characters/);
  });

  it('fails clearly when its port is taken', async () => {
    const first = await serve();
    try {
      await expect(
        serveDashboard({ source: new MemoryDashboardSource(), port: first.port, assetsDir: assets }),
      ).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await first.close();
    }
  });

  it('stops when its signal aborts', async () => {
    const controller = new AbortController();
    const d = await serveDashboard({
      source: new MemoryDashboardSource(),
      port: 0,
      assetsDir: assets,
      signal: controller.signal,
    });
    controller.abort();
    await d.close();
    await expect(request(d.url, { path: '/api/v1/fleet' })).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('without a token, on loopback', () => {
  let d: RunningDashboard;
  beforeAll(async () => {
    d = await serve();
    return () => d.close();
  });

  it.each(['127.0.0.1', 'localhost', '[::1]', 'localhost:1234', '127.0.0.2'])(
    'accepts Host %s',
    async (host) => {
      const a = await request(d.url, { path: '/api/v1/fleet', headers: { host } });
      expect(a.status).toBe(200);
    },
  );

  it.each(['evil.example', 'evil.example:80', '127.0.0.1.evil.example', 'a b'])(
    'refuses Host %j (DNS rebinding) with a JSON 403',
    async (host) => {
      const a = await request(d.url, { path: '/api/v1/fleet', headers: { host } });
      expect(a.status).toBe(403);
      expect(a.headers['content-type']).toMatch(/^application\/json/);
      expect(a.json<ErrorResponse>().error).toMatchObject({ status: 403, code: 'forbidden-host' });
    },
  );

  it('refuses a request without a Host header (HTTP/1.0)', async () => {
    expect(await rawStatus(d.url, 'GET /api/v1/fleet HTTP/1.0')).toBe(403);
    expect(await rawStatus(d.url, 'GET /api/v1/fleet HTTP/1.0\r\nHost: 127.0.0.1')).toBe(200);
  });

  it('refuses an absolute-form request target', async () => {
    expect(await rawStatus(d.url, 'GET http://evil.example/api/v1/fleet HTTP/1.1\r\nHost: 127.0.0.1')).toBe(
      400,
    );
  });

  it.each(['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE'])('refuses %s: read-only', async (method) => {
    const a = await request(d.url, {
      method,
      path: '/api/v1/fleet',
      headers: { origin: 'http://evil.example' },
    });
    expect(a.status).toBe(405);
    expect(a.headers.allow).toBe('GET, HEAD');
    if (method !== 'TRACE') expect(a.json<ErrorResponse>().error.code).toBe('method-not-allowed');
  });

  it('sends no CORS headers, even to a cross-origin request', async () => {
    for (const p of ['/api/v1/fleet', '/', '/assets/app-1234.js', '/nothing']) {
      const a = await request(d.url, { path: p, headers: { origin: 'http://evil.example' } });
      expect(Object.keys(a.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
      expect(a.headers['x-content-type-options']).toBe('nosniff');
      expect(a.headers['content-security-policy']).toContain("default-src 'self'");
    }
  });

  it('HEAD answers the headers without a body', async () => {
    const a = await request(d.url, { method: 'HEAD', path: '/api/v1/fleet' });
    expect(a.status).toBe(200);
    expect(Number(a.headers['content-length'])).toBeGreaterThan(0);
    expect(a.body).toBe('');
  });

  it('serves the built files and the page routes, nothing else from disk', async () => {
    expect((await request(d.url, { path: '/' })).body).toContain('<title>t</title>');
    expect((await request(d.url, { path: '/apps/orders-enricher' })).body).toContain('<title>t</title>');
    const js = await request(d.url, { path: '/assets/app-1234.js' });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
    expect(js.headers['cache-control']).toContain('immutable');
  });

  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/assets/%2e%2e%5c%2e%2e%5csecret.txt',
    '/..%00/secret.txt',
    '//etc/passwd',
    '/%2Fetc%2Fpasswd',
    '/assets/app-1234.js/../../secret.txt',
  ])('no path traversal: %s is a JSON 404', async (p) => {
    const a = await request(d.url, { path: p });
    expect(a.status).toBe(404);
    expect(a.body).not.toContain('not for the web');
    expect(a.json<ErrorResponse>().error).toMatchObject({ status: 404, code: 'not-found' });
  });
});

describe('with a token', () => {
  let d: RunningDashboard;
  beforeAll(async () => {
    d = await serve({ token: TOKEN });
    return () => d.close();
  });

  it('refuses every request without it, pages and files included', async () => {
    for (const p of ['/', '/apps/x', '/assets/app-1234.js', '/api/v1/fleet', '/api/v1/events', '/nothing']) {
      const a = await request(d.url, { path: p });
      expect(a.status, p).toBe(401);
      expect(a.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(a.json<ErrorResponse>().error.code).toBe('unauthorized');
    }
  });

  it('refuses a wrong token', async () => {
    const a = await request(d.url, { path: '/api/v1/fleet', headers: { authorization: `Bearer ${TOKEN}x` } });
    expect(a.status).toBe(401);
    const b = await request(d.url, {
      path: '/api/v1/fleet',
      headers: { cookie: 'msfctl_dashboard_token=nope' },
    });
    expect(b.status).toBe(401);
  });

  it('accepts it as a bearer token, a cookie, or ?token=', async () => {
    const bearer = await request(d.url, {
      path: '/api/v1/fleet',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(bearer.status).toBe(200);
    const cookie = await request(d.url, {
      path: '/api/v1/fleet',
      headers: { cookie: `other=1; msfctl_dashboard_token=${TOKEN}` },
    });
    expect(cookie.status).toBe(200);
    expect((await request(d.url, { path: `/api/v1/fleet?token=${TOKEN}` })).status).toBe(200);
  });

  it('trades ?token= on a page for an HttpOnly, SameSite cookie and drops it from the URL', async () => {
    const a = await request(d.openUrl);
    expect(d.openUrl).toContain(`?token=${TOKEN}`);
    expect(a.status).toBe(303);
    expect(a.headers.location).toBe('/');
    expect(a.headers['set-cookie']?.[0]).toMatch(
      /^msfctl_dashboard_token=.+; Path=\/; HttpOnly; SameSite=Strict$/,
    );
    expect(a.headers['referrer-policy']).toBe('no-referrer');
  });

  it('still checks the Host with the right token', async () => {
    const a = await request(d.url, {
      path: '/api/v1/fleet',
      headers: { host: 'evil.example', authorization: `Bearer ${TOKEN}` },
    });
    expect(a.status).toBe(403);
  });
});

describe('on every interface, with a token', () => {
  it('accepts the machine’s own addresses as Host and still requires the token', async () => {
    const d = await serve({ host: '0.0.0.0', token: TOKEN });
    try {
      const local = `http://127.0.0.1:${d.port}/`;
      expect((await request(local, { path: '/api/v1/fleet' })).status).toBe(401);
      const ok = await request(local, {
        path: '/api/v1/fleet',
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(ok.status).toBe(200);
      const rebound = await request(local, {
        path: '/api/v1/fleet',
        headers: { host: `evil.example:${d.port}`, authorization: `Bearer ${TOKEN}` },
      });
      expect(rebound.status).toBe(403);
    } finally {
      await d.close();
    }
  });
});
