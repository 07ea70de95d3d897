import http from 'node:http';
import type { Socket } from 'node:net';
import { requestRefusal } from './request-limits.js';
import { header, type Service, type ServiceRequest, type ServiceResponse } from '../server/service.js';

/**
 * Kinesis on msf-local's one endpoint: every request whose X-Amz-Target is `Kinesis_20131202.*` (JSON 1.1 from
 * the JS SDK and the AWS CLI, CBOR from the Java SDK) is forwarded unchanged over HTTP/1.1 to kinesis-local, and
 * its answer is passed back unchanged (streamed, so long responses such as SubscribeToShard's event stream flow).
 */

export const KINESIS_TARGET_PREFIX = 'Kinesis_20131202.';

// Hop-by-hop headers (RFC 9110 §7.6.1) describe one connection, not the message: never forwarded.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'http2-settings',
]);

export interface KinesisProxyOptions {
  /** kinesis-local's plain-HTTP URL right now, or undefined while it is not running. */
  upstream: () => string | undefined;
  /**
   * Resolves once what kinesis-local acknowledged so far is on disk (KinesisLocal.durable). A successful write is
   * answered only then, so an acknowledged record survives kill -9 of msf-local and kinesis-local together.
   */
  durable?: () => Promise<void>;
}

/** Operations that only read: answered at once. Every other one changes data and is answered once durable. */
const READ_ONLY = /^(Describe|List|Get)|^SubscribeToShard$/;

export class KinesisProxyService implements Service {
  readonly name = 'kinesis';
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

  constructor(private readonly options: KinesisProxyOptions) {}

  accepts(req: ServiceRequest): boolean {
    return header(req, 'x-amz-target')?.startsWith(KINESIS_TARGET_PREFIX) ?? false;
  }

  async handle(req: ServiceRequest): Promise<ServiceResponse> {
    const upstream = this.options.upstream();
    if (!upstream) return unavailable('kinesis-local is not running');
    const operation = (header(req, 'x-amz-target') ?? '').slice(KINESIS_TARGET_PREFIX.length);
    const refusal = requestRefusal(req, operation);
    if (refusal) return kinesisError(refusal.status, refusal.type, refusal.message);
    const url = new URL(upstream);
    const query = req.query.toString();
    const headers: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
    }
    // The body was read whole (a chunked request arrives here de-chunked): its length is now known.
    headers['content-length'] = String(req.body.length);

    const forward = (retry: boolean) =>
      new Promise<ServiceResponse>(
        (resolve: (answer: ServiceResponse | Promise<ServiceResponse>) => void) => {
          let answered = false;
          const forwarded = http.request(
            {
              host: url.hostname,
              port: url.port,
              method: req.method,
              path: `${req.rawPath}${query ? `?${query}` : ''}`,
              headers,
              agent: this.agent,
            },
            (res) => {
              answered = true;
              const responseHeaders: Record<string, string> = {};
              for (const [name, value] of Object.entries(res.headers)) {
                if (value === undefined || HOP_BY_HOP.has(name)) continue;
                // Lower-case keys (as Node gives them) so kinesis-local's request id replaces the edge's, not doubles it.
                responseHeaders[name] = Array.isArray(value) ? value.join(', ') : value;
              }
              const status = res.statusCode ?? 502;
              if (status >= 400 && !/json|cbor/.test(res.headers['content-type'] ?? '')) {
                resolve(reshapedError(status, res));
                return;
              }
              const answer: ServiceResponse = { status, headers: responseHeaders, body: res };
              if (status >= 300 || READ_ONLY.test(operation) || !this.options.durable) resolve(answer);
              else resolve(this.options.durable().then(() => answer));
            },
          );
          forwarded.on('socket', guardSocket);
          forwarded.on('error', (error) => {
            // kinesis-local closes idle keep-alive connections: a request sent on one just as it closed never
            // reached it (Node's documented race), so it is sent once more on a fresh connection.
            if (retry && !answered && forwarded.reusedSocket) resolve(forward(false));
            else resolve(unavailable(`kinesis-local at ${upstream} did not answer: ${error.message}`));
          });
          forwarded.end(req.body);
        },
      );
    return forward(true);
  }

  /** Closes idle upstream connections. */
  close(): void {
    this.agent.destroy();
  }
}

const guarded = new WeakSet<Socket>();

/**
 * kinesis-local may answer (and close) before a large body is written; Node then detaches the request from the
 * pooled socket, and the write's ECONNRESET would reach no listener and end msf-local. One listener per socket.
 */
function guardSocket(socket: Socket): void {
  if (guarded.has(socket)) return;
  guarded.add(socket);
  socket.on('error', () => socket.destroy());
}

/**
 * kinesis-local answers some requests in plain text (`404 Not Found` for a path it does not route): SDKs could not
 * read that, so it becomes a Kinesis error carrying the text.
 */
async function reshapedError(status: number, res: http.IncomingMessage): Promise<ServiceResponse> {
  let text = '';
  try {
    for await (const chunk of res) {
      if (text.length < 2000) text += (chunk as Buffer).toString('utf8');
    }
  } catch {
    // the message is a courtesy; the status says enough
  }
  const detail = `kinesis-local answered ${status}${text.trim() ? `: ${text.trim().slice(0, 500)}` : ''}`;
  if (status >= 500) return kinesisError(500, 'InternalFailure', detail);
  if (status === 404 || status === 405) return kinesisError(400, 'UnknownOperationException', detail);
  return kinesisError(status, 'InvalidArgumentException', detail);
}

/** 503, which every AWS SDK retries. */
function unavailable(message: string): ServiceResponse {
  return kinesisError(503, 'ServiceUnavailable', message);
}

/** A Kinesis error; the type also travels in x-amzn-ErrorType for clients that expect CBOR bodies. */
function kinesisError(status: number, type: string, message: string): ServiceResponse {
  return {
    status,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type },
    body: JSON.stringify({ __type: type, message }),
  };
}
