/** The fleet runner (bounded, isolated) and the SDK clients' adaptive retry on throttled answers (a fake server). */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ListApplicationsCommand } from '@aws-sdk/client-kinesis-analytics-v2';
import { describe, expect, it } from 'vitest';
import { createClients } from '../../src/adapters/aws/clients.js';
import { runFleet } from '../../src/controller/fleet.js';
import { MsfctlError } from '../../src/model/errors.js';

describe('runFleet', () => {
  it('runs at most `parallelism` at a time and keeps the members’ order', async () => {
    let running = 0;
    let peak = 0;
    const outcomes = await runFleet(
      Array.from({ length: 20 }, (_, i) => i),
      async (i) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 5 + (i % 3) * 5));
        running--;
        return i * 2;
      },
      { parallelism: 3 },
    );
    expect(peak).toBe(3);
    expect(outcomes.map((o) => (o.ok ? o.value : -1))).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
  });

  it('one failing or throwing member does not stop the others; each ends with an outcome', async () => {
    const outcomes = await runFleet(['a', 'refused', 'b', 'bug', 'c'], async (m) => {
      if (m === 'refused') throw new MsfctlError('PLAN_REFUSED', 'not today');
      if (m === 'bug') throw new TypeError('x is undefined');
      return m.toUpperCase();
    });
    expect(outcomes.map((o) => (o.ok ? o.value : `${o.error.code}: ${o.error.message}`))).toEqual([
      'A',
      'PLAN_REFUSED: not today',
      'B',
      'INTERNAL: Unexpected error: x is undefined',
      'C',
    ]);
  });

  it('defaults to 8 at a time', async () => {
    let running = 0;
    let peak = 0;
    await runFleet(
      Array.from({ length: 30 }, (_, i) => i),
      async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
      },
    );
    expect(peak).toBe(8);
  });
});

/** A fake Managed Flink endpoint: the first `throttled` requests get ThrottlingException, then an answer. */
async function throttlingServer(throttled: number) {
  let seen = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      seen++;
      const headers = { 'content-type': 'application/x-amz-json-1.1' };
      if (seen <= throttled) {
        res.writeHead(400, { ...headers, 'x-amzn-errortype': 'ThrottlingException' });
        res.end(JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }));
      } else {
        res.writeHead(200, headers);
        res.end(JSON.stringify({ ApplicationSummaries: [] }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen: () => seen, close: () => server.close() };
}

describe('SDK clients on a throttled API', () => {
  it('retry in adaptive mode and get through after throttled answers', async () => {
    const fake = await throttlingServer(3);
    const clients = createClients(
      { kind: 'local', region: 'us-east-1', endpoint: fake.url },
      { maxAttempts: 8 },
    );
    try {
      expect((await clients.msf.config.retryStrategy()) as { mode?: string }).toMatchObject({
        mode: 'adaptive',
      });
      const out = await clients.msf.send(new ListApplicationsCommand({}));
      expect(out.ApplicationSummaries).toEqual([]);
      expect(fake.seen()).toBe(4);
      expect(out.$metadata.attempts).toBe(4);
    } finally {
      clients.destroy();
      fake.close();
    }
  });

  it('give up with ThrottlingException when the attempts run out', async () => {
    const fake = await throttlingServer(100);
    const clients = createClients(
      { kind: 'local', region: 'us-east-1', endpoint: fake.url },
      { maxAttempts: 2 },
    );
    try {
      await expect(clients.msf.send(new ListApplicationsCommand({}))).rejects.toMatchObject({
        name: 'ThrottlingException',
      });
      expect(fake.seen()).toBe(2);
    } finally {
      clients.destroy();
      fake.close();
    }
  });
});
