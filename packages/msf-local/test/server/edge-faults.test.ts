/**
 * A bad client costs only its own connection: resets at every stage of a request, a partial HTTP/2 preface, a
 * request Node's parser refuses, an upstream stream that fails mid-answer — the edge goes on answering.
 */
import http2 from 'node:http2';
import net from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EdgeServer } from '../../src/server/edge-server.js';
import type { Service, ServiceRequest, ServiceResponse } from '../../src/server/service.js';

const service: Service = {
  name: 'test',
  accepts: () => true,
  async handle(req: ServiceRequest): Promise<ServiceResponse> {
    if (req.rawPath === '/failing-stream') {
      // An upstream (kinesis-local, a file) that breaks after the answer began.
      const body = new Readable({ read() {} });
      body.push('partial');
      setTimeout(() => body.destroy(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })), 20);
      return { status: 200, headers: { 'content-type': 'text/plain' }, body };
    }
    if (req.rawPath === '/slow-stream') {
      let n = 0;
      const body = new Readable({
        read() {
          setTimeout(() => this.push(n++ < 1000 ? Buffer.alloc(64 * 1024) : null), 1);
        },
      });
      return { status: 200, headers: { 'content-type': 'application/octet-stream' }, body };
    }
    return { status: 200, headers: { 'content-type': 'text/plain' }, body: `ok ${req.body.length}` };
  },
};

let edge: EdgeServer;
let port: number;

beforeAll(async () => {
  edge = new EdgeServer({ host: '127.0.0.1', port: 0, services: [service] });
  ({ port } = await edge.listen());
});

afterAll(async () => {
  await edge.close();
});

/** Connects, writes `data` (if any), then resets the connection (RST, not FIN). */
function resetAfter(data?: string | Buffer, delayMs = 20): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      if (data !== undefined) socket.write(data);
      setTimeout(() => {
        socket.resetAndDestroy();
        resolve();
      }, delayMs);
    });
    socket.on('error', () => resolve());
  });
}

/** Everything the server answers to raw bytes, until it closes the connection. */
function rawExchange(data: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(port, '127.0.0.1', () => socket.end(data));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('error', reject);
  });
}

async function stillAnswers(): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: 'abc' });
  expect(res.status).toBe(200);
  expect(await res.text()).toBe('ok 3');
}

describe('edge under connection faults', () => {
  it('survives a reset before the first byte', async () => {
    for (let i = 0; i < 20; i++) await resetAfter();
    await stillAnswers();
  });

  it('survives a reset after a partial HTTP/2 preface, and a partial preface that closes', async () => {
    await resetAfter('PRI * HTTP/2.0\r\n');
    await rawExchange('PRI * HTTP/2.0\r\n\r\nSM');
    await stillAnswers();
  });

  it('survives a reset in the headers and in the middle of a body', async () => {
    await resetAfter('POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le');
    await resetAfter(
      'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n' + 'x'.repeat(5000),
    );
    await resetAfter('POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nabc');
    await stillAnswers();
  });

  it('survives an HTTP/2 client that resets its session mid-body', async () => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    session.on('error', () => undefined);
    const stream = session.request({ ':method': 'POST', ':path': '/' });
    stream.on('error', () => undefined);
    stream.write(Buffer.alloc(10_000));
    await new Promise((r) => setTimeout(r, 30));
    session.socket.resetAndDestroy();
    await new Promise((r) => setTimeout(r, 30));
    await stillAnswers();
  });

  it('survives a streamed answer whose source fails, and a client that resets while it streams', async () => {
    const answer = await rawExchange('GET /failing-stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    await resetAfter('GET /slow-stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', 50);
    await stillAnswers();
  });

  it("answers what Node's HTTP parser refuses in an AWS error shape", async () => {
    const garbage = await rawExchange('GARBAGE\r\n\r\n');
    expect(garbage).toMatch(/^HTTP\/1\.1 400 /);
    expect(garbage).toMatch(/X-Amzn-ErrorType: BadRequest/);
    expect(JSON.parse(garbage.slice(garbage.indexOf('\r\n\r\n') + 4))).toMatchObject({
      __type: 'BadRequest',
      message: expect.stringContaining('could not read the HTTP request'),
    });
    const huge = await rawExchange(
      `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(40_000)}\r\n\r\n`,
    );
    expect(huge).toMatch(/^HTTP\/1\.1 431 /);
    expect(huge).toContain('"__type":"RequestHeaderFieldsTooLarge"');
    await stillAnswers();
  });
});
