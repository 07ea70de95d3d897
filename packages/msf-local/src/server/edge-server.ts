import { randomUUID } from 'node:crypto';
import http from 'node:http';
import http2 from 'node:http2';
import net, { type AddressInfo, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import { routeByProtocol } from './protocol-router.js';
import type { Service, ServiceRequest, ServiceResponse } from './service.js';
import { signingService } from './service.js';
import { operationOf, unknownRequest } from './unknown-request.js';

export interface EdgeServerOptions {
  host: string;
  port: number;
  services: Service[];
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

  constructor(private readonly options: EdgeServerOptions) {}

  async listen(): Promise<{ host: string; port: number; url: string }> {
    const onRequest = (req: EdgeRequest, res: EdgeResponse) => void this.dispatch(req, res);
    const http1 = http.createServer(onRequest);
    http1.keepAliveTimeout = 65_000;
    const h2c = http2.createServer(onRequest);
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
      server.listen(this.options.port, this.options.host, () => resolve());
    });
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
    try {
      const body = await readBody(req);
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
      const service = this.options.services.find((s) => s.accepts(request as ServiceRequest));
      if (service) {
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
    const headers: Record<string, string> = { 'x-amzn-requestid': requestId, ...response.headers };
    const body = response.body;
    if (body instanceof Readable) {
      res.writeHead(response.status, headers);
      body.pipe(res);
      await new Promise<void>((resolve) => res.on('close', () => resolve()));
    } else {
      const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body);
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

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

async function readBody(req: EdgeRequest): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
