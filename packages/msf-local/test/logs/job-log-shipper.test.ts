/**
 * The job log shipper against a real CloudWatch Logs store, fed over TCP the way a cluster JVM's log4j socket
 * appender feeds it (lines cut anywhere across packets): MSF records in the logging option's stream, nothing for an
 * application without logging options, and a missing stream reported once without stopping delivery.
 */
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppenderEvent } from '../../src/flink/log-appender.js';
import { CloudWatchLogs, LogStore } from '../../src/logs/index.js';
import { JobLogShipper, type LogDestinations } from '../../src/monitoring/job-log-shipper.js';

const ARN = 'arn:aws:kinesisanalytics:us-east-1:000000000000:application/app';
const STREAM_ARN = 'arn:aws:logs:us-east-1:000000000000:log-group:/aws/app:log-stream:main';

let dir: string;
let logs: CloudWatchLogs;
let destinations: Record<string, LogDestinations>;
let warnings: string[];
let shipper: JobLogShipper;
let intake: { host: string; port: number };

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'msf-shipper-'));
  logs = new CloudWatchLogs(await LogStore.open(dir), { account: '000000000000' });
  await logs.createLogGroup({ name: '/aws/app' }, 'us-east-1');
  await logs.createLogStream('/aws/app', 'main');
  destinations = { app: { applicationArn: ARN, versionId: 3, logStreamArns: [STREAM_ARN] } };
  warnings = [];
  shipper = new JobLogShipper({
    destinations: (event) => destinations[event.a],
    deliver: async (group, stream, events) => void (await logs.putLogEvents(group, stream, events)),
    log: (message) => warnings.push(message),
    flushIntervalMs: 60_000,
  });
  intake = await shipper.listen();
});
afterEach(async () => {
  await shipper.close();
  await fs.rm(dir, { recursive: true, force: true });
});

function event(overrides: Partial<AppenderEvent>): AppenderEvent {
  return {
    a: 'app',
    j: 'jvm-1',
    t: Date.now(),
    p: 'INFO',
    c: 'org.apache.flink.runtime.taskmanager.Task',
    th: 'Source: ticks (1/1)#0',
    l: 'org.apache.flink.runtime.taskmanager.Task.transitionState(Task.java:1117)',
    m: 'switched from INITIALIZING to RUNNING',
    x: '',
    ...overrides,
  };
}

/** Writes `text` to the intake in small pieces, as TCP may deliver it, and waits until the shipper has read it. */
async function send(text: string): Promise<void> {
  const socket = net.connect(intake.port, intake.host);
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  for (let i = 0; i < text.length; i += 7) {
    socket.write(text.slice(i, i + 7));
    await new Promise((resolve) => setImmediate(resolve));
  }
  await new Promise<void>((resolve) => socket.end(() => resolve()));
  await new Promise((resolve) => setTimeout(resolve, 50));
}

const stored = () => logs.getLogEvents('/aws/app', 'main', { startFromHead: true }).events;

describe('job log shipper', () => {
  it("writes MSF records, oldest first, to the logging option's stream", async () => {
    const now = Date.now();
    await send(
      [
        event({ t: now + 5, p: 'WARN', m: 'later "quoted"\nsecond line' }),
        event({ t: now, x: ' java.lang.IllegalStateException: boom\n\tat a.B.c(B.java:1)\n' }),
      ]
        .map((e) => JSON.stringify(e))
        .join('\n') + '\n',
    );
    await shipper.flush();
    const records = stored().map((e) => JSON.parse(e.message) as Record<string, unknown>);
    expect(records).toEqual([
      {
        locationInformation: 'org.apache.flink.runtime.taskmanager.Task.transitionState(Task.java:1117)',
        logger: 'org.apache.flink.runtime.taskmanager.Task',
        message: 'switched from INITIALIZING to RUNNING',
        throwableInformation: ['java.lang.IllegalStateException: boom', '\tat a.B.c(B.java:1)'],
        threadName: 'Source: ticks (1/1)#0',
        applicationARN: ARN,
        applicationVersionId: '3',
        messageSchemaVersion: '1',
        messageType: 'INFO',
      },
      expect.objectContaining({ message: 'later "quoted"\nsecond line', messageType: 'WARN' }),
    ]);
    expect(stored().map((e) => e.timestamp)).toEqual([now, now + 5]);
  });

  it('ships nothing for an application without logging options, and ignores lines that are not events', async () => {
    destinations.quiet = { applicationArn: ARN, versionId: 1, logStreamArns: [] };
    await send(
      `${JSON.stringify(event({ a: 'quiet' }))}\n${JSON.stringify(event({ a: 'unknown-app' }))}\nnot json\n`,
    );
    await shipper.flush();
    expect(stored()).toEqual([]);
    expect(warnings).toEqual([expect.stringContaining('ignored a job log line that is not JSON: not json')]);
  });

  it('reports a missing log stream once and delivers again once it exists', async () => {
    destinations.app!.logStreamArns = [
      'arn:aws:logs:us-east-1:000000000000:log-group:/aws/app:log-stream:later',
    ];
    await send(`${JSON.stringify(event({ m: 'one' }))}\n`);
    await shipper.flush();
    await send(`${JSON.stringify(event({ m: 'two' }))}\n`);
    await shipper.flush();
    expect(warnings).toEqual([
      'job logs for log group /aws/app, stream later were dropped: The specified log stream does not exist.',
    ]);
    await logs.createLogStream('/aws/app', 'later');
    await send(`${JSON.stringify(event({ m: 'three' }))}\n`);
    await shipper.close(); // close() ships what was received
    const later = logs.getLogEvents('/aws/app', 'later', { startFromHead: true }).events;
    expect(later.map((e) => (JSON.parse(e.message) as { message: string }).message)).toEqual(['three']);
  });
});
