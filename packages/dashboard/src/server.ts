/**
 * The dashboard server: the web app's files, the page routes, and the JSON API, behind the access rules.
 * `createDashboardHandler` gives a request handler another server can mount (msfctl's controller serves
 * /metrics and /status beside it); `serveDashboard` runs it on its own port.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleApi } from './api.js';
import { API_PREFIX } from './contract.js';
import { FleetFeed } from './fleet-feed.js';
import { sendAsset, sendError, setCommonHeaders } from './responses.js';
import { AccessRules, checkAccessOptions, tokenCookie } from './security.js';
import type { DashboardSource } from './source.js';
import { StaticAssets } from './static-assets.js';

export interface DashboardOptions {
  source: DashboardSource;
  /** The address the server binds (default 127.0.0.1). Any non-loopback address requires `token`. */
  host?: string;
  /** Required on every request when set (at least 16 characters). */
  token?: string;
  /** More Host header names to accept besides the bound address and the loopback names. */
  allowedHosts?: readonly string[];
  /** The built web app (default: the package's dist/web). */
  assetsDir?: string;
  /** How often the live feed re-reads the fleet while a page listens (ms, default 5000). */
  refreshMs?: number;
  /** How long one source read may take (ms, default 20000). */
  sourceTimeoutMs?: number;
  now?: () => Date;
}

export type NextHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface DashboardHandler {
  /** Answers the request, or passes paths that are not the dashboard's to `next` (after the access rules). */
  handle(req: IncomingMessage, res: ServerResponse, next?: NextHandler): void;
  /** Ends the live feeds. */
  close(): void;
  readonly feed: FleetFeed;
}

/** Client-side routes that load the page: the fleet, and one application. */
const PAGE = /^\/(?:apps\/[^/]+\/?)?$/;

export async function createDashboardHandler(options: DashboardOptions): Promise<DashboardHandler> {
  const host = options.host ?? '127.0.0.1';
  const rules = new AccessRules({
    host,
    ...(options.token !== undefined ? { token: options.token } : {}),
    ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
  });
  const assets = await StaticAssets.load(options.assetsDir);
  const now = options.now ?? (() => new Date());
  const timeoutMs = options.sourceTimeoutMs ?? 20_000;
  const feed = new FleetFeed(options.source, { refreshMs: options.refreshMs ?? 5000, timeoutMs, now });
  const api = { source: options.source, feed, timeoutMs, now };

  function handle(req: IncomingMessage, res: ServerResponse, next?: NextHandler): void {
    setCommonHeaders(res);
    let url: URL;
    try {
      // Origin-form only ("/path?query"): appended, not resolved, so "//host/x" stays a path.
      if (!req.url?.startsWith('/')) throw new Error('not origin-form');
      url = new URL(`http://dashboard.invalid${req.url}`);
    } catch {
      return sendError(req, res, 400, 'bad-request', 'The request target does not parse.');
    }
    const denial = rules.check(req, url);
    if (denial) {
      if (denial.status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="msfctl dashboard"');
      if (denial.status === 405) res.setHeader('Allow', 'GET, HEAD');
      return sendError(req, res, denial.status, denial.code, denial.message);
    }
    const path = url.pathname;
    if (path === API_PREFIX || path.startsWith(`${API_PREFIX}/`)) {
      void handleApi(api, req, res, url);
      return;
    }
    if (PAGE.test(path)) {
      // A page opened with ?token= trades it for a cookie and drops it from the address bar and history.
      if (rules.tokenRequired && url.searchParams.has('token')) {
        res.setHeader('Set-Cookie', tokenCookie(url.searchParams.get('token')!));
        url.searchParams.delete('token');
        res.statusCode = 303;
        res.setHeader('Location', url.pathname + url.search);
        return void res.end();
      }
      // The page asks for the fleet as soon as its script runs: start reading it now, while the browser
      // fetches and parses the script (the read is shared, and answers that request when it comes).
      if (path === '/') void feed.fleet().catch(() => undefined);
      const index = assets.index;
      if (!index) {
        return sendError(
          req,
          res,
          503,
          'unavailable',
          `The dashboard's web app is not built (no index.html in ${assets.dir}): run npm run build -w msfctl-dashboard.`,
        );
      }
      return sendAsset(req, res, index);
    }
    const asset = path === '/index.html' ? undefined : assets.get(path);
    if (asset) return sendAsset(req, res, asset);
    if (next) return next(req, res);
    sendError(req, res, 404, 'not-found', `Nothing at ${path}.`);
  }

  return { handle, close: () => feed.close(), feed };
}

export interface RunningDashboard {
  /** http://HOST:PORT/ */
  url: string;
  /** The URL to open in a browser: `url` with the token, when there is one. */
  openUrl: string;
  host: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Serves the dashboard on `host:port` (port 0: a free one) until `close()` or `signal` aborts. Refuses to start,
 * before binding, without a token on a non-loopback address.
 */
export async function serveDashboard(
  options: DashboardOptions & { port?: number; signal?: AbortSignal },
): Promise<RunningDashboard> {
  const host = options.host ?? '127.0.0.1';
  checkAccessOptions({ host, ...(options.token !== undefined ? { token: options.token } : {}) });
  const handler = await createDashboardHandler({ ...options, host });
  const server = createServer((req, res) => handler.handle(req, res));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    handler.close(); // the feed's subscription to the source
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}/`;
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= new Promise<void>((resolve) => {
      handler.close();
      server.close(() => resolve());
      server.closeAllConnections();
    }));
  if (options.signal?.aborted) await close();
  else options.signal?.addEventListener('abort', () => void close(), { once: true });
  return {
    url,
    openUrl: options.token ? `${url}?token=${encodeURIComponent(options.token)}` : url,
    host,
    port,
    close,
  };
}
