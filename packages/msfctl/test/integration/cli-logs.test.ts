/**
 * The msfctl binary against a real msf-local (control plane and CloudWatch Logs; no job runtime): the spec's
 * logging option and tags applied, changed and imported; `msfctl logs` reading the stream the logging option
 * names (records written here with PutLogEvents in MSF's format; real Flink records are in
 * test/e2e/logs.flink.test.ts), with --level, --json and its errors.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeApplicationCommand,
  KinesisAnalyticsV2Client,
  ListTagsForResourceCommand,
  TagResourceCommand,
} from '@aws-sdk/client-kinesis-analytics-v2';
import { startMsfLocal, type MsfLocal } from 'msf-local';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_ZIP, msfctl } from '../harness/msfctl-cli.js';
import { LogExceptionSource } from '../../src/adapters/aws/log-exception-source.js';
import { CloudWatchLogsReader } from '../../src/adapters/aws/logs-reader.js';
import { SdkMsfGateway } from '../../src/adapters/aws/msf-gateway.js';

const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
const ACCOUNT_ROLE = 'arn:aws:iam::123456789012:role/flink';

let server: MsfLocal;
let work: string;
let logs: CloudWatchLogsClient;
let kda: KinesisAnalyticsV2Client;

function project(name: string, extra: string): string {
  const dir = mkdtempSync(path.join(work, `${name}-`));
  writeFileSync(path.join(dir, 'app.jar'), EMPTY_ZIP);
  writeSpec(dir, name, extra);
  return dir;
}

function writeSpec(dir: string, name: string, extra: string): void {
  writeFileSync(
    path.join(dir, 'msfctl.yaml'),
    `application: ${name}
runtime: FLINK-1_19
role: ${ACCOUNT_ROLE}
running: false
code:
  jar: ./app.jar
artifacts:
  bucket: artifacts
target:
  kind: local
  port: ${server.port}
  dataDir: ${server.dataDir}
${extra}`,
  );
}

const record = (level: string, message: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    locationInformation: 'com.example.Job.main(Job.java:1)',
    logger: 'com.example.Job',
    message,
    threadName: 'main',
    applicationARN: 'arn:aws:kinesisanalytics:us-east-1:000000000000:application/x',
    applicationVersionId: '1',
    messageSchemaVersion: '1',
    messageType: level,
    ...extra,
  });

async function createStream(group: string, stream: string): Promise<void> {
  await logs.send(new CreateLogGroupCommand({ logGroupName: group })).catch((e: Error) => {
    if (e.name !== 'ResourceAlreadyExistsException') throw e;
  });
  await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'msfctl-logs-it-'));
  server = await startMsfLocal({
    dataDir: path.join(work, 'msf-local'),
    port: 0,
    runtime: null,
    kinesis: false,
    log: () => undefined,
  });
  logs = new CloudWatchLogsClient({ endpoint: server.url, region: 'us-east-1', credentials: CREDENTIALS });
  kda = new KinesisAnalyticsV2Client({ endpoint: server.url, region: 'us-east-1', credentials: CREDENTIALS });
});

afterAll(async () => {
  logs?.destroy();
  kda?.destroy();
  await server?.close();
});

describe('logging options and tags in the spec (msf-local)', () => {
  it('creates with them, moves the option to another stream, changes tags, imports them back', async () => {
    await createStream('/msf/logged', 'first');
    await createStream('/msf/logged', 'second');
    const cwd = project(
      'logged',
      'logging:\n  logStream: { group: /msf/logged, stream: first }\n  level: WARN\ntags:\n  team: data\n  cost: "12"\n',
    );
    const applied = await msfctl(['apply', '--auto-approve'], { cwd });
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);
    const first = (await kda.send(new DescribeApplicationCommand({ ApplicationName: 'logged' })))
      .ApplicationDetail!;
    expect(first.CloudWatchLoggingOptionDescriptions?.map((o) => o.LogStreamARN)).toEqual([
      'arn:aws:logs:us-east-1:123456789012:log-group:/msf/logged:log-stream:first',
    ]);
    expect(
      first.ApplicationConfigurationDescription?.FlinkApplicationConfigurationDescription
        ?.MonitoringConfigurationDescription,
    ).toMatchObject({ ConfigurationType: 'CUSTOM', LogLevel: 'WARN' });
    const tags = async () =>
      (await kda.send(new ListTagsForResourceCommand({ ResourceARN: first.ApplicationARN! }))).Tags;
    expect(await tags()).toEqual(
      expect.arrayContaining([
        { Key: 'team', Value: 'data' },
        { Key: 'cost', Value: '12' },
      ]),
    );
    expect((await msfctl(['plan', '--detailed-exitcode'], { cwd })).code).toBe(0);

    writeSpec(
      cwd,
      'logged',
      'logging:\n  logStream: { group: /msf/logged, stream: second }\n  level: WARN\ntags:\n  team: platform\n',
    );
    const plan = await msfctl(['plan', '--json'], { cwd });
    const value = plan.json as { changes: { field: string }[]; actions: { type: string }[] };
    expect(value.changes.map((c) => c.field)).toEqual(['logging.logStream', 'tags["cost"]', 'tags["team"]']);
    expect(value.actions.map((a) => a.type)).toEqual(['delete-logging', 'add-logging', 'tag']);
    const human = await msfctl(['plan'], { cwd });
    expect(human.stdout).toContain(
      'add logging option: logs to arn:aws:logs:us-east-1:123456789012:log-group:/msf/logged:log-stream:second',
    );
    const again = await msfctl(['apply', '--auto-approve'], { cwd });
    expect(again.code, again.stderr + again.stdout).toBe(0);
    const second = (await kda.send(new DescribeApplicationCommand({ ApplicationName: 'logged' })))
      .ApplicationDetail!;
    expect(second.CloudWatchLoggingOptionDescriptions?.map((o) => o.LogStreamARN)).toEqual([
      'arn:aws:logs:us-east-1:123456789012:log-group:/msf/logged:log-stream:second',
    ]);
    expect(second.ApplicationVersionId).toBe(3);
    expect(await tags()).toEqual([{ Key: 'team', Value: 'platform' }]);
    expect((await msfctl(['plan', '--detailed-exitcode'], { cwd })).code).toBe(0);

    // A tag changed elsewhere is drift (tags have no version), and the plan puts it back.
    await kda.send(
      new TagResourceCommand({
        ResourceARN: first.ApplicationARN!,
        Tags: [{ Key: 'team', Value: 'intruder' }],
      }),
    );
    const drifted = (await msfctl(['plan', '--json'], { cwd })).json as {
      drift: { changes: { field: string; before: string; after: string }[] };
      actions: { type: string }[];
    };
    expect(drifted.drift.changes).toEqual([
      expect.objectContaining({ field: 'tags["team"]', before: 'platform', after: 'intruder' }),
    ]);
    expect(drifted.actions.map((a) => a.type)).toEqual(['tag']);
    expect((await msfctl(['apply', '--auto-approve'], { cwd })).code).toBe(0);
    expect(await tags()).toEqual([{ Key: 'team', Value: 'platform' }]);

    const out = path.join(cwd, 'imported.yaml');
    const imported = await msfctl(['import', 'logged', '--out', out], { cwd });
    expect(imported.code, imported.stderr).toBe(0);
    expect(parse(readFileSync(out, 'utf8'))).toMatchObject({
      logging: { logStream: 'arn:aws:logs:us-east-1:123456789012:log-group:/msf/logged:log-stream:second' },
      monitoring: { logLevel: 'WARN' },
      tags: { team: 'platform' },
    });

    // Out of the spec: the option is deleted (a new version), tags left as they are (no tags block).
    writeSpec(cwd, 'logged', 'logging:\n  level: WARN\n');
    const removed = await msfctl(['apply', '--auto-approve', '--json'], { cwd });
    expect(removed.code, removed.stderr).toBe(0);
    const third = (await kda.send(new DescribeApplicationCommand({ ApplicationName: 'logged' })))
      .ApplicationDetail!;
    expect(third.CloudWatchLoggingOptionDescriptions ?? []).toEqual([]);
    expect(await tags()).toEqual([{ Key: 'team', Value: 'platform' }]);
  });

  it('refuses a log stream that is not one, naming the field', async () => {
    const cwd = project('bad', 'logging:\n  logStream: arn:aws:logs:us-east-1:123456789012:log-group:/g\n');
    const plan = await msfctl(['plan'], { cwd });
    expect(plan.code).toBe(1);
    expect(plan.stderr).toMatch(/logging\.logStream: must be a log stream ARN/);
    expect(plan.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('msfctl logs (msf-local, records written with PutLogEvents)', () => {
  it('prints the records of the logging option stream, filters by level, one JSON document per line', async () => {
    await createStream('/msf/reader', 'job');
    const cwd = project('reader', 'logging:\n  logStream: { group: /msf/reader, stream: job }\n');
    expect((await msfctl(['apply', '--auto-approve'], { cwd })).code).toBe(0);
    const status = await msfctl(['status'], { cwd });
    expect(status.stdout).toMatch(/logs\s+\/msf\/reader \/ job, INFO and above \(msfctl logs\)/);
    expect((await msfctl(['status', '--json'], { cwd })).json).toMatchObject({
      logs: {
        logStream: 'arn:aws:logs:us-east-1:123456789012:log-group:/msf/reader:log-stream:job',
        level: 'INFO',
      },
    });
    const now = Date.now();
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: '/msf/reader',
        logStreamName: 'job',
        logEvents: [
          { timestamp: now - 3_600_000, message: record('ERROR', 'an hour ago') },
          { timestamp: now - 3000, message: record('INFO', 'job started') },
          { timestamp: now - 2000, message: record('WARN', 'checkpoint slow') },
          {
            timestamp: now - 1000,
            message: record('ERROR', 'task failed', {
              throwableInformation: [
                'java.lang.IllegalStateException: boom',
                '\tat com.example.Job.map(Job.java:9)',
              ],
            }),
          },
        ],
      }),
    );
    const text = await msfctl(['logs'], { cwd });
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.trim().split('\n');
    expect(lines[0]).toBe('reader: log stream job in /msf/reader, shipped at INFO and above');
    expect(lines[1]).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} INFO {2}\[main\] c\.example\.Job job started$/,
    );
    expect(text.stdout).toContain('WARN  [main] c.example.Job checkpoint slow');
    expect(text.stdout).toContain('    java.lang.IllegalStateException: boom');
    expect(text.stdout).not.toContain('an hour ago');

    // APP named, no spec: the AWS target kind at the endpoint, as on AWS.
    const warn = await msfctl(
      ['logs', 'reader', '--level', 'WARN', '--since', '2h', '--json', '--endpoint-url', server.url],
      { cwd: work },
    );
    expect(warn.code, warn.stderr).toBe(0);
    const docs = warn.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(docs.map((d) => d.message)).toEqual(['an hour ago', 'checkpoint slow', 'task failed']);
    expect(docs[2]).toMatchObject({
      level: 'ERROR',
      logger: 'com.example.Job',
      thread: 'main',
      versionId: 1,
      throwable: ['java.lang.IllegalStateException: boom', '\tat com.example.Job.map(Job.java:9)'],
    });
    expect(docs[2]!.timestamp).toBe(new Date(now - 1000).toISOString());

    // The logs-backed exception source (what bake and health use where the dashboard cannot answer) finds the
    // newest record with a throwable through msf-local's FilterLogEvents.
    const source = new LogExceptionSource(new SdkMsfGateway(kda), new CloudWatchLogsReader(() => logs));
    expect(await source.latest('reader')).toEqual({
      found: {
        at: now - 1000,
        exceptionClass: 'java.lang.IllegalStateException',
        summary: 'java.lang.IllegalStateException: boom',
        source: 'logs',
      },
    });
  });

  it('says clearly when the application has no logging option, or its stream does not exist', async () => {
    const cwd = project('silent', '');
    expect((await msfctl(['apply', '--auto-approve'], { cwd })).code).toBe(0);
    const none = await msfctl(['logs'], { cwd });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('Application silent has no CloudWatch logging option');
    expect(none.stderr).toContain('logging.logStream');

    const gone = project('gone', 'logging:\n  logStream: { group: /msf/nowhere, stream: job }\n');
    const applied = await msfctl(['apply', '--auto-approve'], { cwd: gone });
    expect(applied.code, applied.stderr).toBe(0);
    const missing = await msfctl(['logs', '--json'], { cwd: gone });
    expect(missing.code).toBe(1);
    expect(missing.json).toMatchObject({
      ok: false,
      error: { code: 'LOGS', message: expect.stringContaining('does not exist') },
    });

    const usage = await msfctl(['logs', '--since', 'soon'], { cwd });
    expect(usage.code).toBe(1);
    expect(usage.stderr).toContain('--since must be a duration');
  });
});
