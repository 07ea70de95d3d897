import { describe, expect, it } from 'vitest';
import { LogExceptionSource } from '../../src/adapters/aws/log-exception-source.js';
import { firstAvailable } from '../../src/ports/exceptions.js';
import { latestException } from '../../src/model/log-exception.js';
import { parseLogRecord } from '../../src/model/log-records.js';
import type { LogEvent, LogReader } from '../../src/ports/logs.js';
import { FakeMsf } from '../fakes/fake-msf.js';
import { config } from '../unit/fixtures.js';

const ARN = 'arn:aws:logs:us-east-1:123456789012:log-group:/msf/app:log-stream:job';

// What Flink's Task logger writes when a task fails (MSF's record, the throwable split into lines).
const failed = (at: number, cause: string) => ({
  timestamp: at,
  message: JSON.stringify({
    logger: 'org.apache.flink.runtime.taskmanager.Task',
    message:
      'Window(TumblingEventTimeWindows(10000), EventTimeTrigger, AvgPrice) (1/1)#3 (8f0c…_0_3) switched from RUNNING to FAILED with failure cause:',
    throwableInformation: [
      'java.lang.RuntimeException: map failed',
      '\tat com.example.Job.map(Job.java:42)',
      `Caused by: java.lang.IllegalStateException: ${cause}`,
      '\t... 12 more',
    ],
    threadName: 'Window (1/1)#3',
    messageType: 'WARN',
  }),
});

class Stream implements LogReader {
  searches: { since: number; pattern: string; limit: number }[] = [];
  constructor(private readonly events: LogEvent[]) {}
  read(): never {
    throw new Error('not used');
  }
  async search(_s: unknown, query: { since: number; pattern: string; limit: number }) {
    this.searches.push(query);
    return this.events.filter((e) => e.timestamp >= query.since);
  }
}

describe('the latest exception from the log stream', () => {
  it('reads class, summary, root cause and task from the newest record with a throwable', () => {
    const records = [
      failed(1_000, 'first'),
      failed(3_000, 'newest'),
      { timestamp: 4_000, message: '{"messageType":"INFO","message":"restarting"}' },
    ].map((e) => parseLogRecord(e.timestamp, e.message));
    expect(latestException(records)).toEqual({
      at: 3_000,
      exceptionClass: 'java.lang.RuntimeException',
      summary: 'java.lang.RuntimeException: map failed',
      rootCause: 'java.lang.IllegalStateException: newest',
      task: 'Window(TumblingEventTimeWindows(10000), EventTimeTrigger, AvgPrice) (1/1)',
      source: 'logs',
    });
    expect(latestException([parseLogRecord(1, '{"messageType":"INFO","message":"ok"}')])).toBeUndefined();
  });

  it('searches the logging option stream over the last hour; unavailable without an option or exception', async () => {
    const msf = new FakeMsf();
    await msf.create('logged', config({ logStream: ARN }));
    await msf.create('plain', config());
    const now = 10_000_000;
    const stream = new Stream([failed(now - 7_200_000, 'too old'), failed(now - 60_000, 'recent')]);
    const source = new LogExceptionSource(msf, stream, { now: () => now });
    const lookup = await source.latest('logged');
    expect(lookup).toMatchObject({
      found: { rootCause: 'java.lang.IllegalStateException: recent', source: 'logs' },
    });
    expect(stream.searches).toEqual([
      { since: now - 3_600_000, pattern: '"throwableInformation"', limit: 50 },
    ]);
    expect(await source.latest('plain')).toEqual({
      unavailable: 'the application has no CloudWatch logging option',
    });
    expect(
      await new LogExceptionSource(msf, new Stream([]), { now: () => now }).latest('logged'),
    ).toMatchObject({
      unavailable: expect.stringContaining('no record with an exception'),
    });
    const broken: LogReader = {
      read: () => Promise.reject(new Error('x')),
      search: () => Promise.reject(new Error('denied')),
    };
    expect(await new LogExceptionSource(msf, broken).latest('logged')).toEqual({
      unavailable: 'the log stream could not be read (denied)',
    });
  });

  it('composes: the dashboard when it finds one, else the logs, else every reason', async () => {
    const found = { found: { summary: 'X', source: 'logs' as const } };
    const none = (why: string) => ({ latest: async () => ({ unavailable: why }) });
    expect(await firstAvailable(none('needs a browser'), { latest: async () => found }).latest('a')).toBe(
      found,
    );
    expect(await firstAvailable(none('needs a browser'), none('no logging option')).latest('a')).toEqual({
      unavailable: 'needs a browser; no logging option',
    });
  });
});
