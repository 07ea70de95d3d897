/**
 * A web page must not drive msf-local. Browsers add `Origin` to every cross-origin request (a form POST too, which
 * needs no CORS preflight), and a DNS-rebinding page reaches 127.0.0.1 under its own host name; AWS SDKs, the
 * AWS CLI and msfctl send no Origin and address the endpoint by its loopback name or address. So: a request with an
 * `Origin` not explicitly allowed is refused, and so is one whose `Host` is a name other than a loopback one or the
 * address msf-local is bound to. Allowed origins get the CORS headers their browsers need.
 */
import net from 'node:net';
import type { ServiceRequest } from './service.js';
import { header } from './service.js';

export interface BrowserGuardOptions {
  /** Origins allowed to call msf-local from a browser (`--allow-origin`), e.g. `http://localhost:3000`. */
  allowOrigins?: readonly string[];
  /** The host msf-local is bound to (an address or a name). */
  boundHost: string;
}

export type GuardVerdict =
  { allowed: true; corsHeaders: Record<string, string> } | { allowed: false; message: string };

export class BrowserGuard {
  private readonly origins: ReadonlySet<string>;

  constructor(private readonly options: BrowserGuardOptions) {
    this.origins = new Set((options.allowOrigins ?? []).map((o) => o.replace(/\/+$/, '').toLowerCase()));
  }

  check(req: ServiceRequest): GuardVerdict {
    const host = header(req, 'host');
    if (host !== undefined && !this.hostAllowed(host)) {
      return {
        allowed: false,
        message:
          `msf-local refuses requests addressed to host ${host.slice(0, 100)}: only loopback names and addresses ` +
          `(or the bound address ${this.options.boundHost}) are served, so a web page cannot reach it through DNS rebinding.`,
      };
    }
    const origin = header(req, 'origin');
    if (origin === undefined) return { allowed: true, corsHeaders: {} };
    if (!this.origins.has(origin.toLowerCase())) {
      return {
        allowed: false,
        message:
          `msf-local refuses browser requests from origin ${origin.slice(0, 200)}; start it with ` +
          `--allow-origin ${origin.slice(0, 200)} to allow that page to control your applications.`,
      };
    }
    return {
      allowed: true,
      corsHeaders: {
        'access-control-allow-origin': origin,
        'access-control-allow-credentials': 'true',
        'access-control-expose-headers': 'x-amzn-requestid, x-amzn-errortype, x-amz-request-id, etag',
        vary: 'Origin',
      },
    };
  }

  /** The answer to an allowed origin's CORS preflight (OPTIONS with Access-Control-Request-Method), if it is one. */
  static preflightHeaders(req: ServiceRequest): Record<string, string> | undefined {
    const method = header(req, 'access-control-request-method');
    if (req.method !== 'OPTIONS' || method === undefined) return undefined;
    return {
      'access-control-allow-methods': 'GET, PUT, POST, DELETE, HEAD',
      'access-control-allow-headers': header(req, 'access-control-request-headers') ?? '*',
      'access-control-max-age': '600',
    };
  }

  private hostAllowed(hostHeader: string): boolean {
    const name = hostName(hostHeader).toLowerCase();
    if (name === '') return false;
    // An address is never a rebinding target: the page would have to be served from that address itself.
    if (net.isIP(name) !== 0) return true;
    if (name === 'localhost' || name.endsWith('.localhost')) return true;
    return name === this.options.boundHost.toLowerCase();
  }
}

/** `host:port`, `[v6]:port` or a bare name → the name or address alone. */
function hostName(hostHeader: string): string {
  const value = hostHeader.trim();
  if (value.startsWith('[')) return value.slice(1, value.indexOf(']') < 0 ? undefined : value.indexOf(']'));
  const colon = value.lastIndexOf(':');
  return colon < 0 ? value : value.slice(0, colon);
}
