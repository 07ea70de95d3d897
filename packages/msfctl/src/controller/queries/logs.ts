/**
 * logs: the application's log records from the CloudWatch Logs stream its logging option names, read once from a
 * time or followed (polling with the stream's cursor until the signal aborts). Same on AWS and msf-local.
 */
import type { MsfGateway } from '../../ports/msf.js';
import type { LogPosition, LogReader } from '../../ports/logs.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import { MsfctlError } from '../../model/errors.js';
import type { LogLevel } from '../../model/application.js';
import { atLeast, parseLogRecord, type LogRecord } from '../../model/log-records.js';
import { parseLogStreamArn, type LogStreamRef } from '../../model/log-streams.js';

/** Where MSF ships the application's logs, and from which level on. */
export interface LogSource {
  stream: LogStreamRef;
  /** The application's log level (MonitoringConfiguration): nothing less severe is shipped. */
  level: LogLevel;
}

/** The stream MSF ships the application's logs to; a clear error when there is none. */
export async function logStreamOf(gateway: MsfGateway, application: string): Promise<LogSource> {
  const live = await gateway.describe(application);
  if (!live)
    throw new MsfctlError('APP_NOT_FOUND', `Application ${application} does not exist.`, {
      hint: 'Check the name and the target (region, endpoint).',
    });
  const arn = live.config.logStream;
  if (!arn)
    throw new MsfctlError(
      'LOGS',
      `Application ${application} has no CloudWatch logging option: the service ships its logs nowhere.`,
      {
        hint: 'Set logging.logStream in the spec (a log stream ARN, or { group, stream }) and run msfctl apply; the log group and stream must exist.',
      },
    );
  const stream = parseLogStreamArn(arn);
  if (!stream)
    throw new MsfctlError(
      'LOGS',
      `The logging option of ${application} names ${arn}, which is not a log stream ARN.`,
    );
  return { stream, level: live.config.monitoring.logLevel };
}

export interface LogsQuery {
  reader: LogReader;
  stream: LogStreamRef;
  /** Epoch milliseconds: records from then on. */
  since: number;
  /** Only records at this level or more severe. */
  level?: string;
  /** Keep reading as records arrive, until `signal` aborts. */
  follow?: boolean;
  /** Between reads once caught up. @default 2000 */
  pollMs?: number;
  signal?: AbortSignal;
  clock?: Clock;
  onRecord(record: LogRecord): void;
}

export interface LogsOutcome {
  /** Records shown (after the level filter). */
  records: number;
  /** The follow ended by the signal (Ctrl-C), not by an error. */
  interrupted: boolean;
}

export async function readLogs(query: LogsQuery): Promise<LogsOutcome> {
  const clock = query.clock ?? systemClock;
  let position: LogPosition = { since: query.since };
  let records = 0;
  while (!query.signal?.aborted) {
    const page = await query.reader.read(query.stream, position);
    for (const event of page.events) {
      const record = parseLogRecord(event.timestamp, event.message);
      if (!atLeast(record, query.level)) continue;
      records++;
      query.onRecord(record);
    }
    position = page.next;
    if (!page.caughtUp) continue;
    if (!query.follow) return { records, interrupted: false };
    await sleep(clock, query.pollMs ?? 2_000, query.signal);
  }
  return { records, interrupted: true };
}

/** The clock's sleep, cut short by the signal. */
function sleep(clock: Clock, ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return clock.sleep(ms);
  return new Promise<void>((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
    void clock.sleep(ms).then(done);
  });
}
