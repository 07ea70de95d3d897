import { randomUUID } from 'node:crypto';
import http from 'node:http';
import http2 from 'node:http2';
import net, { type AddressInfo, type Socket } from 'node:net';
import { Readable, type Duplex } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { bodyLimitFor, BodyTooLargeError, type BodyLimits } from './body-limits.js';
import { BrowserGuard } from './browser-guard.js';
import { edgeError } from './edge-errors.js';
import { routeByProtocol } from './protocol-router.js';
import type { Service, ServiceRequest, ServiceResponse } from './service.js';
import { signingService } from './service.js';
import { operationOf, unknownRequest } from './unknown-request.js';

export interface EdgeServerOptions {
  host: string;
  port: number;
  services: Service[];
  /** Origins a browser may call from (`--allow-origin`); any other Origin is refused (browser-guard.ts). */
  allowOrigins?: readonly string[];
  /** Body ceilings per API (body-limits.ts); defaults above what each model allows. */
  bodyLimits?: BodyLimits;
  /** Called once per answered request (for the request log). */
  onRequest?: (entry: RequestLogEntry) => void;
}

export interface RequestLogEntry {
  service: string;
  method: string;
  path: string;
  target?: string;
  /** The operation asked for: the X-Amz-Target, or the query protocol's Action. */
  operation?: string;
  status: number;
  ms: number;
}

type EdgeRequest = http.IncomingMessage | http2.Http2ServerRequest;
type EdgeResponse = http.ServerResponse | http2.Http2ServerResponse;

/**
 * One loopback port for every API, in HTTP/1.1 and cleartext HTTP/2 (see protocol-router.ts). Each request goes
 * to the first service that accepts it; a request nobody accepts gets an unknown-operation error in its own
 * protocol (unknown-request.ts).
 */
export class EdgeServer {
  private server?: net.Server;
  private readonly sockets = new Set<Socket>();
  private readonly guard: BrowserGuard;

  constructor(private readonly options: EdgeServerOptions) {
    this.guard = new BrowserGuard({ boundHost: options.host, allowOrigins: options.allowOrigins });
  }

  async listen(): Promise<{ host: string; port: number; url: string }> {
    // A request that fails after its answer began (the client went away) costs only its own connection.
    const onRequest = (req: EdgeRequest, res: EdgeResponse) =>
      void this.dispatch(req, res).catch(() => res.destroy());
    const http1 = http.createServer(onRequest);
    http1.keepAliveTimeout = 65_000;
    http1.on('clientError', answerClientError);
    const h2c = http2.createServer(onRequest);
    // A broken HTTP/2 session or stream is closed by Node; listening here keeps it from being thrown.
    h2c.on('sessionError', () => undefined);
    h2c.on('streamError', () => undefined);
    const server = net.createServer((socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      routeByProtocol(socket, {
        http1: (s) => http1.emit('connection', s),
        http2: (stream) => h2c.emit('connection', stream),
      });
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.removeListener('error', reject);
        resolve();
      });
    });
    // Once listening, an accept error (too many open files) refuses that one connection, not the server.
    server.on('error', () => undefined);
    const address = server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return { host: address.address, port: address.port, url: `http://${host}:${address.port}` };
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private async dispatch(req: EdgeRequest, res: EdgeResponse): Promise<void> {
    const started = performance.now();
    const requestId = randomUUID();
    let serviceName = 'unknown';
    let response: ServiceResponse;
    let request: ServiceRequest | undefined;
    let corsHeaders: Record<string, string> = {};
    let body: Buffer;
    let tooLarge: BodyTooLargeError | undefined;
    try {
      body = await readBody(req, bodyLimitFor(req.headers, this.options.bodyLimits));
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) return; // the client reset or abandoned its request
      tooLarge = error;
      body = Buffer.alloc(0);
    }
    try {
      // Split by hand: URL parsing would resolve '.' and '..' segments, and those are legal in S3 keys.
      const target = req.url ?? '/';
      const queryStart = target.indexOf('?');
      request = {
        method: req.method ?? 'GET',
        rawPath: queryStart < 0 ? target : target.slice(0, queryStart),
        query: new URLSearchParams(queryStart < 0 ? '' : target.slice(queryStart + 1)),
        headers: messageHeaders(req),
        body,
        requestId,
      };
      const verdict = this.guard.check(request);
      const preflight = verdict.allowed ? BrowserGuard.preflightHeaders(request) : undefined;
      if (verdict.allowed) corsHeaders = verdict.corsHeaders;
      const service = verdict.allowed
        ? this.options.services.find((s) => s.accepts(request as ServiceRequest))
        : undefined;
      if (!verdict.allowed) {
        serviceName = 'refused(browser)';
        response = edgeError(
          request,
          403,
          { json: 'AccessDeniedException', xml: 'AccessDenied' },
          verdict.message,
        );
      } else if (tooLarge) {
        serviceName = service ? `${service.name}(too large)` : 'refused(size)';
        response = edgeError(
          request,
          413,
          { json: 'RequestEntityTooLargeException', xml: 'EntityTooLarge' },
          tooLarge.message,
        );
        // The rest of the body is never read: the connection ends with this answer.
        if (req.httpVersionMajor < 2) response.headers = { ...response.headers, connection: 'close' };
      } else if (preflight && Object.keys(corsHeaders).length > 0) {
        serviceName = 'cors-preflight';
        response = { status: 204, headers: preflight };
      } else if (service) {
        serviceName = service.name;
        response = await service.handle(request);
      } else {
        serviceName = `unknown(${signingService(request) ?? '?'})`;
        response = unknownRequest(request);
      }
    } catch (error) {
      // A service must answer in its own error shape; reaching here is a bug, still answered as AWS would.
      response = {
        status: 500,
        headers: { 'content-type': 'application/x-amz-json-1.1' },
        body: JSON.stringify({
          __type: 'InternalFailure',
          message: String((error as Error)?.message ?? error),
        }),
      };
    }
    // x-amzn-RequestId is what the JSON and query APIs answer with; S3 adds its own x-amz-request-id. A proxied
    // answer (Kinesis) brings its upstream's id, which then replaces this one rather than adding a second.
    const headers: Record<string, string> = {
      'x-amzn-requestid': requestId,
      ...corsHeaders,
      ...response.headers,
    };
    const responseBody = response.body;
    if (responseBody instanceof Readable) {
      res.writeHead(response.status, headers);
      // pipeline, unlike pipe, destroys both sides when either fails (upstream reset, client gone).
      await pipeline(responseBody, res as NodeJS.WritableStream).catch(() => undefined);
    } else {
      const payload =
        responseBody === undefined
          ? undefined
          : Buffer.isBuffer(responseBody)
            ? responseBody
            : Buffer.from(responseBody);
      if (payload && !('content-length' in lowerKeys(headers)))
        headers['content-length'] = String(payload.length);
      res.writeHead(response.status, headers);
      if (req.method === 'HEAD' || payload === undefined) res.end();
      else res.end(payload);
    }
    this.options.onRequest?.({
      service: serviceName,
      method: request?.method ?? req.method ?? '?',
      path: request?.rawPath ?? req.url ?? '/',
      target: typeof req.headers['x-amz-target'] === 'string' ? req.headers['x-amz-target'] : undefined,
      operation: request ? operationOf(request) : undefined,
      status: response.status,
      ms: performance.now() - started,
    });
  }
}

/** HTTP/1.1 headers as they are; HTTP/2 ones without pseudo-headers, `:authority` as `host` (what services read). */
function messageHeaders(req: EdgeRequest): http.IncomingHttpHeaders {
  if (req.httpVersionMajor < 2) return req.headers;
  const headers: http.IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (!name.startsWith(':')) headers[name] = value;
  }
  const authority = req.headers[':authority'];
  if (headers.host === undefined && typeof authority === 'string') headers.host = authority;
  return headers;
}

/**
 * What Node's HTTP parser refuses (a malformed request line, headers over its limit, a bad chunk) is answered as an
 * AWS JSON error, the shape most of the APIs here speak, instead of Node's bare status line; then the connection ends.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const [status, type] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'RequestHeaderFieldsTooLarge']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'RequestTimeout']
        : [400, 'BadRequest'];
  const body = JSON.stringify({
    __type: type,
    message: `msf-local could not read the HTTP request: ${error.code ?? error.message}.`,
  });
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\n` +
      `Content-Type: application/x-amz-json-1.1\r\nX-Amzn-ErrorType: ${type}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

/**
 * The whole body, or BodyTooLargeError as soon as it is known to exceed `limit` (declared or received). Listeners,
 * not `for await`: leaving that loop early would destroy the request, and with it the socket the 413 goes out on.
 */
function readBody(req: EdgeRequest, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > limit) {
      reject(new BodyTooLargeError(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      req.removeListener('data', onData);
      req.pause();
      chunks.length = 0;
      reject(new BodyTooLargeError(limit));
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
    req.on('aborted', () => reject(new Error('aborted')));
    req.on('close', () => {
      if (!req.complete) reject(new Error('aborted'));
    });
  });
}
