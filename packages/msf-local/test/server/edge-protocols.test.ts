import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EdgeServer } from '../../src/server/edge-server.js';
import { routeByProtocol } from '../../src/server/protocol-router.js';
import type { Service, ServiceRequest, ServiceResponse } from '../../src/server/service.js';

/** Answers with what it was given: method, path, the headers it saw and a digest of the body. */
const echo: Service = {
  name: 'echo',
  accepts: () => true,
  async handle(req: ServiceRequest): Promise<ServiceResponse> {
    const seen = {
      method: req.method,
      path: req.rawPath,
      query: req.query.toString(),
      host: req.headers.host,
      pseudoHeaders: Object.keys(req.headers).filter((name) => name.startsWith(':')),
      bodyLength: req.body.length,
      bodySha256: sha256(req.body),
    };
    if (req.rawPath === '/stream') {
      // A streamed answer (the Kinesis proxy's kind): three chunks.
      return { status: 200, headers: { 'content-type': 'text/plain' }, body: Readable.from(['a', 'b', 'c']) };
    }
    return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(seen) };
  },
};

let edge: EdgeServer;
let port: number;

beforeAll(async () => {
  edge = new EdgeServer({ host: '127.0.0.1', port: 0, services: [echo] });
  ({ port } = await edge.listen());
});

afterAll(async () => {
  await edge.close();
});

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function http1Post(path: string, body: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function http2Request(
  session: http2.ClientHttp2Session,
  path: string,
  body?: Buffer,
): Promise<{ status: number; headers: http2.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':method': body ? 'POST' : 'GET', ':path': path });
    let headers: http2.IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    stream.on('response', (h) => (headers = h));
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () =>
      resolve({ status: Number(headers[':status']), headers, body: Buffer.concat(chunks).toString() }),
    );
    stream.on('error', reject);
    stream.end(body);
  });
}

/** Sends raw bytes in separate TCP writes and returns everything the server answers until it closes. */
function rawExchange(pieces: Buffer[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => resolve(Buffer.concat(chunks)));
    socket.on('error', reject);
    socket.setNoDelay(true);
    void (async () => {
      for (const piece of pieces) {
        socket.write(piece);
        await new Promise((r) => setTimeout(r, 30));
      }
    })();
  });
}

describe('the edge port speaks HTTP/1.1 and cleartext HTTP/2 (prior knowledge) on one socket', () => {
  it('HTTP/1.1: a request and its body reach the service intact', async () => {
    const body = randomBytes(300_000);
    const res = await http1Post('/bucket/key?x=1', body);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({
      method: 'POST',
      path: '/bucket/key',
      query: 'x=1',
      host: `127.0.0.1:${port}`,
      bodyLength: body.length,
      bodySha256: sha256(body),
    });
  });

  it('HTTP/1.1 whose first bytes arrive one at a time, looking like the HTTP/2 preface at first ("P")', async () => {
    const request = Buffer.from(
      `PUT /b/k HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi`,
    );
    const answer = (
      await rawExchange([request.subarray(0, 1), request.subarray(1, 2), request.subarray(2)])
    ).toString();
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer).toContain('"method":"PUT"');
    expect(answer).toContain('"bodyLength":2');
  });

  it('HTTP/2: requests on one session, large bodies, :authority as host, no pseudo-headers for services', async () => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    try {
      const body = randomBytes(3 * 1024 * 1024);
      const [a, b] = await Promise.all([
        http2Request(session, '/stream-name?y=2', body),
        http2Request(session, '/other'),
      ]);
      expect(a.status).toBe(200);
      expect(a.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
      expect(a.headers['x-amz-request-id']).toBeUndefined(); // S3's header: only S3 sends it
      expect(JSON.parse(a.body)).toEqual({
        method: 'POST',
        path: '/stream-name',
        query: 'y=2',
        host: `127.0.0.1:${port}`,
        pseudoHeaders: [],
        bodyLength: body.length,
        bodySha256: sha256(body),
      });
      expect(JSON.parse(b.body)).toMatchObject({ method: 'GET', path: '/other', bodyLength: 0 });
      const streamed = await http2Request(session, '/stream');
      expect(streamed).toMatchObject({ status: 200, body: 'abc' });
    } finally {
      session.close();
    }
  });

  it('HTTP/2 whose connection preface arrives in pieces', async () => {
    // The preface split in two writes, then the client's SETTINGS frame: the server must answer with its own
    // SETTINGS (frame type 4), i.e. it recognised HTTP/2 and read the preface whole.
    const preface = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
    const emptySettings = Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0]);
    const socket = net.connect(port, '127.0.0.1');
    const firstFrame = new Promise<Buffer>((resolve, reject) => {
      socket.once('data', resolve);
      socket.on('error', reject);
    });
    socket.setNoDelay(true);
    socket.write(preface.subarray(0, 5));
    await new Promise((r) => setTimeout(r, 30));
    socket.write(Buffer.concat([preface.subarray(5), emptySettings]));
    const frame = await firstFrame;
    socket.destroy();
    expect(frame[3]).toBe(4);
  });

  it('closes a connection that stays silent, or stops inside the preface, before it says its protocol', async () => {
    const handed: string[] = [];
    const server = net.createServer((socket) =>
      routeByProtocol(socket, { http1: () => handed.push('http1'), http2: () => handed.push('http2') }, 150),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port: routerPort } = server.address() as net.AddressInfo;
    const closedAfter = async (bytes: Buffer) => {
      const started = Date.now();
      const socket = net.connect(routerPort, '127.0.0.1');
      socket.on('error', () => {});
      socket.write(bytes);
      await new Promise((resolve) => socket.on('close', resolve));
      return Date.now() - started;
    };
    try {
      expect(await closedAfter(Buffer.alloc(0))).toBeLessThan(5_000);
      expect(await closedAfter(Buffer.from('PRI * HTTP/2.0\r\n'))).toBeLessThan(5_000);
      expect(handed).toEqual([]);
    } finally {
      server.close();
    }
  });
});
