import http from 'node:http';
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
}

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
    const url = new URL(upstream);
    const query = req.query.toString();
    const headers: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
    }
    // The body was read whole (a chunked request arrives here de-chunked): its length is now known.
    headers['content-length'] = String(req.body.length);

    return new Promise<ServiceResponse>((resolve) => {
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
          const responseHeaders: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) {
            if (value === undefined || HOP_BY_HOP.has(name)) continue;
            // Lower-case keys (as Node gives them) so kinesis-local's request id replaces the edge's, not doubles it.
            responseHeaders[name] = Array.isArray(value) ? value.join(', ') : value;
          }
          resolve({ status: res.statusCode ?? 502, headers: responseHeaders, body: res });
        },
      );
      forwarded.on('error', (error) =>
        resolve(unavailable(`kinesis-local at ${upstream} did not answer: ${error.message}`)),
      );
      forwarded.end(req.body);
    });
  }

  /** Closes idle upstream connections. */
  close(): void {
    this.agent.destroy();
  }
}

/** 503, which every AWS SDK retries; the type also travels in x-amzn-ErrorType for clients that expect CBOR bodies. */
function unavailable(message: string): ServiceResponse {
  return {
    status: 503,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'ServiceUnavailable' },
    body: JSON.stringify({ __type: 'ServiceUnavailable', message }),
  };
}
