import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type {
  CreateApplicationPresignedUrlCommand,
  CreateApplicationPresignedUrlCommandOutput,
} from '@aws-sdk/client-kinesis-analytics-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FlinkDashboardExceptionSource,
  parseFlinkExceptions,
  type PresignedUrlClient,
} from '../../src/adapters/aws/exception-source.js';
import { FIXTURES_DIR } from './support/series-fixture.js';

/** Flink's /jobs/<id>/exceptions answers, recorded from the failing test job on msf-local. */
const recorded = (file: string) =>
  JSON.parse(readFileSync(path.join(FIXTURES_DIR, 'exceptions', file), 'utf8')) as {
    jobState: string;
    exceptions: unknown;
  };

describe('parseFlinkExceptions', () => {
  it.each(['failing-FLINK-1_19.json', 'failing-FLINK-2_2.json'])(
    'reads the newest exception of %s',
    (file) => {
      const found = parseFlinkExceptions(recorded(file).exceptions);
      expect(found).toMatchObject({
        exceptionClass: 'java.lang.IllegalStateException',
        summary: 'java.lang.IllegalStateException: msf-local test job fails on record 0 on purpose',
        task: 'Source: ticks -> explode (1/1)',
        source: 'flink-dashboard',
      });
      expect(found?.at).toBeGreaterThan(Date.UTC(2025, 0, 1));
    },
  );

  it("names the sink's root cause in the stock-prices crash loop (scenario 7)", () => {
    const found = parseFlinkExceptions(recorded('stock-prices-missing-stream-FLINK-1_19.json').exceptions);
    expect(found?.summary).toMatch(
      /^org\.apache\.flink\.connector\.kinesis\.sink\.KinesisStreamsException: Encountered non-recoverable exception/,
    );
    expect(found?.rootCause).toMatch(
      /ResourceNotFoundException: Stream arn arn:aws:kinesis:us-east-1:000000000000:stream\/no-such-stream not found/,
    );
  });

  it('names the innermost cause of a wrapped exception', () => {
    const trace = [
      'org.apache.flink.connector.kinesis.sink.KinesisStreamsException: Encountered non-recoverable exception',
      '\tat org.apache.flink.connector.kinesis.sink.KinesisStreamsSinkWriter.handleFullyFailedRequest(KinesisStreamsSinkWriter.java:250)',
      'Caused by: java.util.concurrent.CompletionException: x',
      'Caused by: software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException: Stream no-such-stream under account 000000000000 not found.',
    ].join('\n');
    expect(
      parseFlinkExceptions({ exceptionHistory: { entries: [{ stacktrace: trace, timestamp: 5 }] } }),
    ).toEqual({
      at: 5,
      exceptionClass: 'org.apache.flink.connector.kinesis.sink.KinesisStreamsException',
      summary:
        'org.apache.flink.connector.kinesis.sink.KinesisStreamsException: Encountered non-recoverable exception',
      rootCause:
        'software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException: Stream no-such-stream under account 000000000000 not found.',
      source: 'flink-dashboard',
    });
  });

  it('returns nothing for a job without exceptions or an unexpected answer', () => {
    expect(parseFlinkExceptions({ exceptionHistory: { entries: [] } })).toBeUndefined();
    expect(parseFlinkExceptions('<html>')).toBeUndefined();
    expect(parseFlinkExceptions(null)).toBeUndefined();
  });
});

describe('FlinkDashboardExceptionSource', () => {
  let server: Server;
  let url: string;
  let requests: string[];
  let mode: 'ok' | 'error' | 'html' | 'no-jobs';

  beforeAll(async () => {
    requests = [];
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      if (mode === 'error') return res.writeHead(500).end('boom');
      if (mode === 'html')
        return res.writeHead(200, { 'content-type': 'text/html' }).end('<html>sign in</html>');
      res.setHeader('content-type', 'application/json; charset=UTF-8');
      if (req.url === '/jobs/overview') {
        const jobs =
          mode === 'no-jobs'
            ? []
            : [
                { jid: 'old', state: 'CANCELED', 'start-time': 1 },
                { jid: 'abc', state: 'RESTARTING', 'start-time': 2 },
              ];
        return res.end(JSON.stringify({ jobs }));
      }
      if (req.url?.startsWith('/jobs/abc/exceptions'))
        return res.end(JSON.stringify(recorded('failing-FLINK-2_2.json').exceptions));
      res.writeHead(404).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const msf = (
    answer: () => Promise<Partial<CreateApplicationPresignedUrlCommandOutput>>,
  ): PresignedUrlClient & { calls: CreateApplicationPresignedUrlCommand[] } => {
    const calls: CreateApplicationPresignedUrlCommand[] = [];
    return { calls, send: async (command) => (calls.push(command), { $metadata: {}, ...(await answer()) }) };
  };

  it("reads the newest job's latest exception from the dashboard msf-local hands out", async () => {
    mode = 'ok';
    requests = [];
    const client = msf(async () => ({ AuthorizedUrl: `${url}/` }));
    const lookup = await new FlinkDashboardExceptionSource(client).latest('failing');
    expect(client.calls[0]!.input).toEqual({ ApplicationName: 'failing', UrlType: 'FLINK_DASHBOARD_URL' });
    expect(requests).toEqual(['/jobs/overview', '/jobs/abc/exceptions?maxExceptions=1']);
    expect(lookup).toMatchObject({
      found: { summary: 'java.lang.IllegalStateException: msf-local test job fails on record 0 on purpose' },
    });
  });

  it('does not call an AWS console URL (it needs a browser session)', async () => {
    requests = [];
    const lookup = await new FlinkDashboardExceptionSource(
      msf(async () => ({ AuthorizedUrl: `${url}/flinkdashboard/?authToken=secret` })),
    ).latest('app');
    expect(lookup).toEqual({ unavailable: 'the Flink dashboard URL needs a browser session on this target' });
    expect(requests).toEqual([]);
  });

  it.each([
    ['error', /the dashboard did not answer \(Error: HTTP 500\)/],
    ['html', /the dashboard did not answer \(Error: not JSON \(text\/html\)\)/],
    ['no-jobs', /the dashboard lists no job/],
  ] as const)('degrades to "unavailable" when the dashboard answers %s', async (m, reason) => {
    mode = m;
    const lookup = await new FlinkDashboardExceptionSource(msf(async () => ({ AuthorizedUrl: url }))).latest(
      'app',
    );
    expect('unavailable' in lookup && lookup.unavailable).toMatch(reason);
  });

  it('degrades when the presigned URL cannot be had', async () => {
    const refused = Object.assign(new Error('Application app is in READY status.'), {
      name: 'ResourceInUseException',
    });
    const lookup = await new FlinkDashboardExceptionSource(msf(() => Promise.reject(refused))).latest('app');
    expect(lookup).toEqual({
      unavailable: 'no dashboard URL (ResourceInUseException: Application app is in READY status.)',
    });
  });

  it('degrades when the dashboard does not answer in time', async () => {
    const hang = createServer(() => undefined);
    await new Promise<void>((resolve) => hang.listen(0, '127.0.0.1', resolve));
    try {
      const slow = `http://127.0.0.1:${(hang.address() as AddressInfo).port}`;
      const lookup = await new FlinkDashboardExceptionSource(
        msf(async () => ({ AuthorizedUrl: slow })),
        { timeoutMs: 100 },
      ).latest('app');
      expect(lookup).toEqual({ unavailable: 'the dashboard did not answer (timed out)' });
    } finally {
      hang.closeAllConnections();
      await new Promise<void>((resolve) => hang.close(() => resolve()));
    }
  });
});
