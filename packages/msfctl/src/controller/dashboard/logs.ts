/**
 * The application page's latest log lines: the newest records of the CloudWatch Logs stream the application's
 * logging option names, read through the logs port (the same on AWS and msf-local) and reduced to what the
 * page shows. Reads forward from `LOOKBACK_MS` ago, keeping the newest `limit`, at most `MAX_PAGES` pages.
 */
import type { LogExcerpt, LogLevel, LogLine } from 'msfctl-dashboard';
import type { LiveApplication } from '../../model/application.js';
import { parseLogRecord, type LogRecord } from '../../model/log-records.js';
import { parseLogStreamArn } from '../../model/log-streams.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import type { LogPosition, LogReader } from '../../ports/logs.js';
import type { DashboardLogs } from './source.js';

export const LOOKBACK_MS = 60 * 60_000;
const MAX_PAGES = 20;
/** Lines of an exception shown under its record. */
const THROWABLE_LINES = 3;

export function streamLogs(reader: LogReader, clock: Clock = systemClock): DashboardLogs {
  const streamOf = (live: LiveApplication) =>
    live.config.logStream === undefined ? undefined : parseLogStreamArn(live.config.logStream);
  return {
    available: (live) => streamOf(live) !== undefined,
    async latest(live, limit, signal): Promise<LogExcerpt> {
      const stream = streamOf(live);
      if (!stream) return { lines: [] };
      const lines: LogLine[] = [];
      let position: LogPosition = { since: clock.now() - LOOKBACK_MS };
      for (let page = 0; page < MAX_PAGES; page++) {
        signal.throwIfAborted();
        const read = await reader.read(stream, position);
        for (const event of read.events) lines.push(logLine(parseLogRecord(event.timestamp, event.message)));
        if (lines.length > limit) lines.splice(0, lines.length - limit);
        if (read.caughtUp) break;
        position = read.next;
      }
      return { location: `${stream.group} / ${stream.stream}`, lines };
    },
  };
}

const LEVELS: Record<string, LogLevel> = {
  TRACE: 'DEBUG',
  DEBUG: 'DEBUG',
  INFO: 'INFO',
  WARN: 'WARN',
  ERROR: 'ERROR',
  FATAL: 'ERROR',
};

export function logLine(record: LogRecord): LogLine {
  const throwable = record.throwable?.slice(0, THROWABLE_LINES).join('\n');
  return {
    at: new Date(record.at).toISOString(),
    level: (record.level && LEVELS[record.level]) || 'INFO',
    message: throwable ? `${record.message}\n${throwable}` : record.message,
    ...(record.logger ? { logger: record.logger } : {}),
    ...(record.thread ? { thread: record.thread } : {}),
  };
}
