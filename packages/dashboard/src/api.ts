/** The read-only JSON API under /api/v1 (contract.ts lists the endpoints): routing, parameters, envelopes. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  API_PREFIX,
  API_VERSION,
  type ApplicationResponse,
  type LogsResponse,
  type SeriesResponse,
} from './contract.js';
import type { FleetFeed } from './fleet-feed.js';
import { sourceError } from './fleet-feed.js';
import { sendError, sendJson } from './responses.js';
import type { DashboardSource } from './source.js';

/** MSF's ApplicationName pattern and length. */
const APPLICATION_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;
const SERIES_MINUTES = { default: 60, min: 5, max: 1440 };
const LOG_LIMIT = { default: 100, min: 1, max: 500 };

export interface ApiContext {
  source: DashboardSource;
  feed: FleetFeed;
  timeoutMs: number;
  now: () => Date;
}

class BadRequest extends Error {}

/** Answers a request whose path starts with /api/v1/ (or is /api/v1). */
export async function handleApi(
  ctx: ApiContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const parts = url.pathname.slice(API_PREFIX.length).split('/').filter(Boolean);
  // Aborted when the client goes away or the source takes too long.
  const gone = new AbortController();
  res.on('close', () => gone.abort());
  const signal = AbortSignal.any([gone.signal, AbortSignal.timeout(ctx.timeoutMs)]);
  const envelope = () => ({ apiVersion: API_VERSION, generatedAt: ctx.now().toISOString() }) as const;
  try {
    if (parts.length === 1 && parts[0] === 'fleet') return sendJson(req, res, 200, await ctx.feed.fleet());
    if (parts.length === 1 && parts[0] === 'events') {
      if (ctx.feed.listen(res, req.method === 'HEAD')) return;
      return sendError(
        req,
        res,
        503,
        'unavailable',
        'Too many pages are open on this dashboard; close some.',
      );
    }
    if (parts[0] !== 'applications' || parts.length < 2 || parts.length > 3) {
      return sendError(req, res, 404, 'not-found', `No such API endpoint: ${url.pathname}`);
    }
    const name = applicationName(parts[1]!);
    const notFound = () => sendError(req, res, 404, 'not-found', `No application named ${name}.`);
    switch (parts[2]) {
      case undefined: {
        const application = await ctx.source.application(name, signal);
        if (!application) return notFound();
        const body: ApplicationResponse = { ...envelope(), application };
        return sendJson(req, res, 200, body);
      }
      case 'series': {
        const minutes = intParam(url, 'minutes', SERIES_MINUTES);
        const to = ctx.now();
        const from = new Date(to.getTime() - minutes * 60_000);
        const series = await ctx.source.series(name, { from, to }, signal);
        if (!series) return notFound();
        const body: SeriesResponse = { ...envelope(), series };
        return sendJson(req, res, 200, body);
      }
      case 'logs': {
        const logs = await ctx.source.logs(name, intParam(url, 'limit', LOG_LIMIT), signal);
        if (!logs) return notFound();
        const body: LogsResponse = { ...envelope(), logs };
        return sendJson(req, res, 200, body);
      }
      case 'flink-dashboard': {
        const link = await ctx.source.flinkDashboard(name, signal);
        if (!link) return notFound();
        if ('unavailable' in link) return sendError(req, res, 409, 'unavailable', link.unavailable);
        if (!/^https?:\/\//i.test(link.url)) {
          return sendError(
            req,
            res,
            502,
            'source-failed',
            'The source gave no http(s) URL for the Flink dashboard.',
          );
        }
        res.statusCode = 302;
        res.setHeader('Location', link.url);
        res.setHeader('Cache-Control', 'no-store');
        res.end();
        return;
      }
      default:
        return sendError(req, res, 404, 'not-found', `No such API endpoint: ${url.pathname}`);
    }
  } catch (error) {
    if (res.headersSent) return void res.end();
    if (error instanceof BadRequest) return sendError(req, res, 400, 'bad-request', error.message);
    if (gone.signal.aborted) return void res.end();
    const { error: e } = sourceError(error);
    sendError(req, res, e.status, e.code, e.message);
  }
}

function applicationName(segment: string): string {
  let name: string;
  try {
    name = decodeURIComponent(segment);
  } catch {
    throw new BadRequest('The application name is not valid URL encoding.');
  }
  if (!APPLICATION_NAME.test(name)) {
    throw new BadRequest('An application name has 1 to 128 letters, digits, and the characters _ . -');
  }
  return name;
}

function intParam(url: URL, key: string, range: { default: number; min: number; max: number }): number {
  const raw = url.searchParams.get(key);
  if (raw === null) return range.default;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < range.min || value > range.max) {
    throw new BadRequest(`${key} must be a whole number from ${range.min} to ${range.max}.`);
  }
  return value;
}
