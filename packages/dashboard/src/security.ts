/**
 * The dashboard's access rules, checked on every request before anything else:
 * - the Host header must name the bound address or a loopback name (a DNS-rebinding page sends its own name);
 * - with a token (required for any non-loopback bind), every request must carry it: `Authorization: Bearer`,
 *   the cookie the page sets, or `?token=` (which a page URL trades for the cookie);
 * - read-only: GET and HEAD only, and no CORS headers ever (other origins cannot read the answers).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import os from 'node:os';

export const TOKEN_COOKIE = 'msfctl_dashboard_token';
export const ALLOWED_METHODS = ['GET', 'HEAD'] as const;

export class DashboardConfigError extends Error {
  override name = 'DashboardConfigError';
}

export interface AccessOptions {
  /** The address the server binds. */
  host: string;
  token?: string;
  /** More Host names to accept (e.g. a machine's DNS name when bound to a non-loopback address). */
  allowedHosts?: readonly string[];
}

export type Denial = { status: 400 | 401 | 403 | 405; code: string; message: string };

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

/** Strips IPv6 brackets and lower-cases. */
function normalise(host: string): string {
  const h = host.trim().toLowerCase();
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

export function isLoopback(host: string): boolean {
  const h = normalise(host);
  return LOOPBACK_NAMES.includes(h) || /^127(\.\d{1,3}){3}$/.test(h) || h.endsWith('.localhost');
}

function isWildcard(host: string): boolean {
  const h = normalise(host);
  return h === '0.0.0.0' || h === '::' || h === '';
}

/** Refuses a configuration that would expose the dashboard without a token. */
export function checkAccessOptions(options: AccessOptions): void {
  if (options.token !== undefined && options.token.length < 16) {
    throw new DashboardConfigError('The dashboard token must be at least 16 characters long.');
  }
  if (!isLoopback(options.host) && !options.token) {
    throw new DashboardConfigError(
      `Refusing to serve the dashboard on ${options.host} without a token: any address other than a ` +
        'loopback one (127.0.0.1, ::1, localhost) requires one.',
    );
  }
}

/** The Host header's name, without the port; undefined when it does not parse. */
export function hostName(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::\d{1,5})?$/i.exec(header.trim());
  return m ? normalise(m[1]!) : undefined;
}

export class AccessRules {
  private readonly hosts: Set<string>;
  private readonly tokenDigest: Buffer | undefined;

  constructor(private readonly options: AccessOptions) {
    checkAccessOptions(options);
    const names = [...LOOPBACK_NAMES, options.host, ...(options.allowedHosts ?? [])];
    // Bound to every interface (only allowed with a token): the machine's own addresses and name are its hosts.
    if (isWildcard(options.host)) {
      names.push(os.hostname());
      for (const list of Object.values(os.networkInterfaces()))
        for (const i of list ?? []) names.push(i.address);
    }
    this.hosts = new Set(names.map(normalise));
    this.tokenDigest = options.token ? digest(options.token) : undefined;
  }

  get tokenRequired(): boolean {
    return this.tokenDigest !== undefined;
  }

  /** The first rule the request breaks, or undefined when it may proceed. */
  check(req: IncomingMessage, url: URL): Denial | undefined {
    const host = hostName(req.headers.host);
    if (!host || !(this.hosts.has(host) || isLoopback(host))) {
      return {
        status: 403,
        code: 'forbidden-host',
        message: `Host ${JSON.stringify(req.headers.host ?? '')} is not this dashboard's address.`,
      };
    }
    if (this.tokenDigest && !this.tokenMatches(this.presentedTokens(req, url))) {
      return {
        status: 401,
        code: 'unauthorized',
        message:
          'This dashboard needs its token: open the URL msfctl printed, or send Authorization: Bearer.',
      };
    }
    if (!(ALLOWED_METHODS as readonly string[]).includes(req.method ?? '')) {
      return {
        status: 405,
        code: 'method-not-allowed',
        message: `The dashboard is read-only: ${req.method} is not allowed (GET and HEAD are).`,
      };
    }
    return undefined;
  }

  private presentedTokens(req: IncomingMessage, url: URL): string[] {
    const tokens: string[] = [];
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) tokens.push(auth.slice('Bearer '.length).trim());
    const cookie = cookieValue(req.headers.cookie, TOKEN_COOKIE);
    if (cookie !== undefined) tokens.push(cookie);
    const query = url.searchParams.get('token');
    if (query !== null) tokens.push(query);
    return tokens;
  }

  private tokenMatches(tokens: string[]): boolean {
    return tokens.some((t) => timingSafeEqual(digest(t), this.tokenDigest!));
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** The Set-Cookie value that lets the page's own requests (fetch, EventSource) carry the token. */
export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict`;
}
