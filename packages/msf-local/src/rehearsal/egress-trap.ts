import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The sandbox JVM's HTTP(S) proxy: a loopback server that refuses every request with 403 and records where it
 * was going. The JVM's proxy settings (system properties and `HTTP(S)_PROXY`) send there every connection that
 * honours them and does not go to loopback, so a client the private endpoint does not cover (an SDK v1 client,
 * STS, a plain HttpURLConnection) fails fast instead of reaching a real service, and the rehearsal can say what
 * the job tried to reach. A client that ignores proxy settings is not caught: this is no network namespace.
 */

const MAX_RECORDED = 50;

export interface EgressTrap {
  host: '127.0.0.1';
  port: number;
  /** `host:port` of every refused connection, first seen first (at most 50). */
  readonly attempts: readonly string[];
  close(): Promise<void>;
}

export async function startEgressTrap(): Promise<EgressTrap> {
  const attempts: string[] = [];
  const record = (target: string | undefined): void => {
    const entry = target || '(unknown)';
    if (attempts.length < MAX_RECORDED && !attempts.includes(entry)) attempts.push(entry);
  };
  const server = http.createServer((req, res) => {
    // A proxied plain-HTTP request names its absolute URL.
    let target: string | undefined;
    try {
      const url = new URL(req.url ?? '');
      target = `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
    } catch {
      target = req.headers.host;
    }
    record(target);
    res.writeHead(403, { 'content-type': 'text/plain', connection: 'close' });
    res.end('blocked by the msf-local rehearsal sandbox: no connections outside the sandbox\n');
  });
  server.on('connect', (req: http.IncomingMessage, socket) => {
    record(req.url);
    socket.on('error', () => undefined);
    socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    host: '127.0.0.1',
    port: (server.address() as AddressInfo).port,
    attempts,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** JVM system properties and environment that route proxy-aware clients to the trap, loopback excepted. */
export function egressTrapSettings(trap: Pick<EgressTrap, 'host' | 'port'>): {
  systemProperties: Record<string, string>;
  environment: Record<string, string>;
} {
  const proxy = `http://${trap.host}:${trap.port}`;
  const loopback = 'localhost|127.*|[::1]';
  return {
    systemProperties: {
      'http.proxyHost': trap.host,
      'http.proxyPort': String(trap.port),
      'https.proxyHost': trap.host,
      'https.proxyPort': String(trap.port),
      'http.nonProxyHosts': loopback,
    },
    environment: {
      HTTP_PROXY: proxy,
      HTTPS_PROXY: proxy,
      http_proxy: proxy,
      https_proxy: proxy,
      NO_PROXY: 'localhost,127.0.0.1,::1',
      no_proxy: 'localhost,127.0.0.1,::1',
    },
  };
}
