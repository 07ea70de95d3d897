/**
 * Logs end to end on msf-local with real Flink, through the msfctl binary: an application whose spec names a log
 * stream ships its job's records there in MSF's format; `msfctl logs` shows them (once, --level, --json,
 * --follow until interrupted); a log-level change applied by msfctl shows in the records of the new version; the
 * Debian AWS CLI's `aws logs filter-log-events` reads the same records; a crash-looping job's latest exception is
 * found in its log stream (what bake and health fall back to where the dashboard cannot answer) and agrees with the
 * dashboard's.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { LogExceptionSource } from '../../src/adapters/aws/log-exception-source.js';
import { CloudWatchLogsReader } from '../../src/adapters/aws/logs-reader.js';
import { SdkMsfGateway } from '../../src/adapters/aws/msf-gateway.js';
import { FlinkDashboardExceptionSource } from '../../src/adapters/aws/exception-source.js';
import type { ExceptionLookup } from '../../src/ports/exceptions.js';
import { CREDENTIALS, createStream, jar, startE2E, type E2E } from './support/e2e.js';

const GROUP = '/aws/kinesis-analytics/stock-prices';
const STREAM = 'kinesis-analytics-log-stream';
const ARN = `arn:aws:logs:us-east-1:000000000000:log-group:${GROUP}:log-stream:${STREAM}`;
const run = promisify(execFile);

let e: E2E;
let baseline: string;

interface Shown {
  timestamp: string;
  level?: string;
  logger?: string;
  message: string;
  thread?: string;
  applicationArn?: string;
  versionId?: number;
  raw?: true;
}

/** The Debian AWS CLI v2 (not a pip-installed v1 that may come first on PATH) against msf-local. */
async function awsCli(args: string[]): Promise<unknown> {
  const { stdout } = await run(
    '/usr/bin/aws',
    ['--endpoint-url', e.server.url, '--output', 'json', ...args],
    {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: process.env.HOME ?? '/tmp',
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        AWS_PAGER: '',
      },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return stdout.trim() ? JSON.parse(stdout) : {};
}

async function shown(...args: string[]): Promise<Shown[]> {
  const result = await e.run('logs', '--json', ...args);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Shown);
}

/** Polls `msfctl logs` until `done` holds for what it shows. */
async function until(done: (records: Shown[]) => boolean, timeoutMs = 180_000): Promise<Shown[]> {
  const deadline = Date.now() + timeoutMs;
  let last: Shown[] = [];
  while (Date.now() < deadline) {
    last = await shown('--since', '30m');
    if (done(last)) return last;
    await new Promise((r) => setTimeout(r, 2000));
  }
  throw new Error(`msfctl logs never showed what was expected; last ${last.length} records`);
}

beforeAll(async () => {
  baseline = await jar('baseline');
  e = await startE2E();
  await createStream(e.kinesis, 'ExampleOutputStream');
  // MSF writes to the stream but never creates it: the user (here the Debian AWS CLI) does.
  await awsCli(['logs', 'create-log-group', '--log-group-name', GROUP]);
  await awsCli(['logs', 'create-log-stream', '--log-group-name', GROUP, '--log-stream-name', STREAM]);
});

afterAll(async () => {
  await e?.close();
});

describe('job logs through msfctl on real Flink', () => {
  it('ships records at the spec level, shows them in msfctl logs and aws logs alike, and follows a level change', async () => {
    // Version 1 logs at ERROR (the base spec's monitoring), to the stream given as { group, stream }.
    e.writeSpec({ code: { jar: baseline }, logging: { logStream: { group: GROUP, stream: STREAM } } });
    const created = await e.run('apply', '--auto-approve');
    expect(created.code, created.stdout + created.stderr).toBe(0);
    const described = (await awsCli([
      'kinesisanalyticsv2',
      'describe-application',
      '--application-name',
      'stock-prices',
    ])) as { ApplicationDetail: { CloudWatchLoggingOptionDescriptions: { LogStreamARN: string }[] } };
    expect(
      described.ApplicationDetail.CloudWatchLoggingOptionDescriptions.map((o) => o.LogStreamARN),
    ).toEqual([ARN]);

    // Version 2 logs at INFO: a configuration update that restarts the job with the new level.
    e.writeSpec({
      code: { jar: baseline },
      monitoring: undefined,
      logging: { logStream: { group: GROUP, stream: STREAM }, level: 'INFO' },
    });
    const plan = await e.run('plan', '--json');
    expect((plan.json as { changes: { field: string; after: string }[] }).changes).toEqual([
      expect.objectContaining({ field: 'monitoring.logLevel', before: 'ERROR', after: 'INFO' }),
    ]);
    const updated = await e.run('apply', '--auto-approve');
    expect(updated.code, updated.stdout + updated.stderr).toBe(0);

    const records = await until((rs) => rs.some((r) => r.versionId === 2 && r.level === 'INFO'));
    // Every record is MSF's: the application's ARN, a logger, a thread; version 1 shipped nothing below ERROR.
    const arn = (
      (await awsCli([
        'kinesisanalyticsv2',
        'describe-application',
        '--application-name',
        'stock-prices',
      ])) as {
        ApplicationDetail: { ApplicationARN: string };
      }
    ).ApplicationDetail.ApplicationARN;
    for (const r of records) {
      expect(r.raw).toBeUndefined();
      expect(r).toMatchObject({
        applicationArn: arn,
        logger: expect.any(String),
        thread: expect.any(String),
      });
    }
    expect(records.filter((r) => r.versionId === 1 && r.level !== 'ERROR')).toEqual([]);
    expect(records.filter((r) => r.versionId === 2).map((r) => r.level)).toContain('INFO');

    // --level keeps only WARN and above.
    const warn = await shown('--since', '30m', '--level', 'WARN');
    expect(warn.every((r) => r.level === 'WARN' || r.level === 'ERROR')).toBe(true);

    // The Debian AWS CLI reads the same records from the same stream.
    const first = Date.parse(records[0]!.timestamp);
    const cli = (await awsCli([
      'logs',
      'filter-log-events',
      '--log-group-name',
      GROUP,
      '--log-stream-names',
      STREAM,
      '--start-time',
      String(first),
      '--filter-pattern',
      '"INFO"',
    ])) as { events: { timestamp: number; message: string }[] };
    const cliInfo = new Set(
      cli.events
        .map((ev) => ({ ...ev, record: JSON.parse(ev.message) as { messageType: string; message: string } }))
        .filter((ev) => ev.record.messageType === 'INFO')
        .map((ev) => `${ev.timestamp} ${ev.record.message}`),
    );
    const ours = records
      .filter((r) => r.level === 'INFO')
      .map((r) => `${Date.parse(r.timestamp)} ${r.message}`);
    expect(ours.length).toBeGreaterThan(0);
    for (const line of ours) expect(cliInfo).toContain(line);
  });

  it('--follow prints records as they arrive and stops cleanly when interrupted', async () => {
    // Runs 15 s, then gets SIGTERM (as Ctrl-C would give SIGINT): exit 0, records printed, no stack trace.
    const followed = await e.runFor(15_000, 'logs', '--follow', '--json', '--since', '30m');
    expect(followed.code, followed.stderr).toBe(0);
    expect(followed.stderr).not.toMatch(/\n\s+at /);
    const lines = followed.stdout.split('\n').filter((l) => l.trim());
    expect(lines.length).toBeGreaterThan(0);
    expect(JSON.parse(lines[0]!)).toMatchObject({ applicationArn: expect.stringContaining('stock-prices') });
  });
});

describe("a crash loop's latest exception from the log stream", () => {
  it('finds the exception Flink logged, the same one the dashboard reports', async () => {
    // The output stream does not exist: every attempt of the job fails and restarts (a crash loop).
    e.writeSpec({
      code: { jar: baseline },
      monitoring: undefined,
      logging: { logStream: { group: GROUP, stream: STREAM }, level: 'INFO' },
      properties: { OutputStream0: { 'stream.name': 'NoSuchStream', 'aws.region': 'us-east-1' } },
    });
    const applied = await e.run('apply', '--auto-approve');
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    const logs = new CloudWatchLogsClient({
      endpoint: e.server.url,
      region: 'us-east-1',
      credentials: CREDENTIALS,
    });
    try {
      const fromLogs = new LogExceptionSource(new SdkMsfGateway(e.kda), new CloudWatchLogsReader(() => logs));
      const lookup = await poll(
        () => fromLogs.latest('stock-prices'),
        (l) => 'found' in l && /NoSuchStream/.test(text(l)),
      );
      expect(lookup).toMatchObject({ found: { source: 'logs', exceptionClass: expect.any(String) } });
      const dashboard = await poll(
        () => new FlinkDashboardExceptionSource(e.kda).latest('stock-prices'),
        (l) => 'found' in l && /NoSuchStream/.test(text(l)),
      );
      // Both name the same failure: the missing stream.
      expect(text(dashboard)).toContain('NoSuchStream');
      expect(text(lookup)).toContain('NoSuchStream');
    } finally {
      logs.destroy();
    }
  });
});

function text(lookup: ExceptionLookup): string {
  return 'found' in lookup ? `${lookup.found.summary} ${lookup.found.rootCause ?? ''}` : lookup.unavailable;
}

async function poll(
  read: () => Promise<ExceptionLookup>,
  done: (l: ExceptionLookup) => boolean,
  timeoutMs = 180_000,
): Promise<ExceptionLookup> {
  const deadline = Date.now() + timeoutMs;
  let last: ExceptionLookup = { unavailable: 'not read yet' };
  while (Date.now() < deadline) {
    last = await read();
    if (done(last)) return last;
    await new Promise((r) => setTimeout(r, 2000));
  }
  throw new Error(`no matching exception within ${timeoutMs} ms; last: ${text(last)}`);
}
