import { describe, expect, it } from 'vitest';
import { logStreamOf, readLogs } from '../../src/controller/queries/logs.js';
import type { LogEvent, LogPage, LogPosition, LogReader } from '../../src/ports/logs.js';
import type { LogRecord } from '../../src/model/log-records.js';
import { parseLogStreamArn } from '../../src/model/log-streams.js';
import { FakeMsf } from '../fakes/fake-msf.js';
import { config } from '../unit/fixtures.js';

const ARN = 'arn:aws:logs:us-east-1:123456789012:log-group:/msf/app:log-stream:job';
const STREAM = parseLogStreamArn(ARN)!;

const record = (level: string, message: string) =>
  JSON.stringify({ logger: 'L', message, threadName: 't', messageType: level });

/** A stream whose events grow over time; cursors are indexes, pages two events long. */
class GrowingStream implements LogReader {
  events: LogEvent[] = [];
  reads: LogPosition[] = [];
  read(_stream: unknown, from: LogPosition): Promise<LogPage> {
    this.reads.push(from);
    const start =
      'cursor' in from ? Number(from.cursor) : this.events.findIndex((e) => e.timestamp >= from.since);
    const begin = start < 0 ? this.events.length : start;
    const events = this.events.slice(begin, begin + 2);
    return Promise.resolve({
      events,
      next: { cursor: String(begin + events.length) },
      caughtUp: events.length === 0,
    });
  }
  search(): Promise<LogEvent[]> {
    return Promise.resolve([]);
  }
}

describe('msfctl logs (controller)', () => {
  it('reads from --since to the end of the stream, filtered by level, page by page', async () => {
    const reader = new GrowingStream();
    reader.events = [
      { timestamp: 10, message: record('ERROR', 'too old') },
      { timestamp: 20, message: record('INFO', 'info') },
      { timestamp: 30, message: record('WARN', 'warn') },
      { timestamp: 40, message: 'not json' },
      { timestamp: 50, message: record('ERROR', 'error') },
    ];
    const seen: LogRecord[] = [];
    const outcome = await readLogs({
      reader,
      stream: STREAM,
      since: 15,
      level: 'WARN',
      onRecord: (r) => seen.push(r),
    });
    expect(seen.map((r) => r.message)).toEqual(['warn', 'not json', 'error']);
    expect(outcome).toEqual({ records: 3, interrupted: false });
    // The first read starts at the time, the others at the cursor the previous page returned.
    expect(reader.reads[0]).toEqual({ since: 15 });
    expect(reader.reads.slice(1)).toEqual([{ cursor: '3' }, { cursor: '5' }]);
  });

  it('--follow prints records written later, and stops cleanly when interrupted', async () => {
    const reader = new GrowingStream();
    reader.events = [{ timestamp: 1, message: record('INFO', 'first') }];
    const abort = new AbortController();
    const seen: string[] = [];
    let sleeps = 0;
    const clock = {
      now: () => 0,
      sleep: async () => {
        sleeps++;
        if (sleeps === 1) reader.events.push({ timestamp: 2, message: record('INFO', 'second') });
        if (sleeps === 3) abort.abort();
      },
    };
    const outcome = await readLogs({
      reader,
      stream: STREAM,
      since: 0,
      follow: true,
      signal: abort.signal,
      clock,
      onRecord: (r) => seen.push(r.message),
    });
    expect(seen).toEqual(['first', 'second']);
    expect(outcome).toEqual({ records: 2, interrupted: true });
  });

  it('resolves the stream from the logging option, with clear errors when there is none', async () => {
    const msf = new FakeMsf();
    await expect(logStreamOf(msf, 'missing')).rejects.toMatchObject({ code: 'APP_NOT_FOUND' });
    await msf.create('plain', config());
    await expect(logStreamOf(msf, 'plain')).rejects.toMatchObject({
      code: 'LOGS',
      message: expect.stringContaining('has no CloudWatch logging option'),
    });
    await msf.create('logged', config({ logStream: ARN }));
    expect(await logStreamOf(msf, 'logged')).toEqual({ stream: STREAM, level: 'ERROR' });
    await msf.create('odd', config({ logStream: 'arn:aws:logs:us-east-1:123456789012:log-group:/g' }));
    await expect(logStreamOf(msf, 'odd')).rejects.toMatchObject({
      message: expect.stringContaining('not a log stream ARN'),
    });
  });
});
