/** How a log record looks: one line (time, level, thread, logger, message) and its exception's lines; or JSON. */
import type { LogRecord } from '../../model/log-records.js';
import type { Style } from '../../ports/io-host.js';

export function renderLogRecord(record: LogRecord, s: Style): string {
  const time = s.dim(new Date(record.at).toISOString().replace('T', ' ').slice(0, 23));
  if (record.raw) return `${time} ${record.message}`;
  const level = (record.level ?? '').padEnd(5);
  const coloured =
    record.level === 'ERROR' || record.level === 'FATAL'
      ? s.red(level)
      : record.level === 'WARN'
        ? s.yellow(level)
        : record.level === 'DEBUG' || record.level === 'TRACE'
          ? s.dim(level)
          : level;
  const logger = record.logger ? s.cyan(shortLogger(record.logger)) : '';
  const thread = record.thread ? s.dim(`[${record.thread}]`) : '';
  const head = [time, coloured, thread, logger].filter(Boolean).join(' ');
  const lines = [`${head} ${record.message}`];
  for (const line of record.throwable ?? []) lines.push(s.dim(`    ${line.trim()}`));
  return lines.join('\n');
}

/** org.apache.flink.runtime.taskmanager.Task → o.a.f.r.taskmanager.Task: the class stays readable. */
function shortLogger(logger: string): string {
  const parts = logger.split('.');
  if (parts.length <= 2) return logger;
  return [...parts.slice(0, -2).map((p) => p.slice(0, 1)), ...parts.slice(-2)].join('.');
}

/** The --json form: one document per record, time as ISO. */
export function logRecordJson(record: LogRecord): Record<string, unknown> {
  const { at, ...rest } = record;
  return { timestamp: new Date(at).toISOString(), ...rest };
}
