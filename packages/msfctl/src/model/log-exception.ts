/**
 * The job's latest exception as its log records tell it: the newest record that carries a throwable. Flink logs
 * a failing task (and the job's restart) with the exception attached, so on a crash loop the log stream holds
 * what the dashboard's exception history would show, where the dashboard cannot be reached (AWS).
 */
import type { LatestException } from './health.js';
import type { LogRecord } from './log-records.js';

/** "Window(...) (1/1)#0 (ids) switched from RUNNING to FAILED with failure cause:" → "Window(...) (1/1)". */
const TASK_FAILED = /^(.+? \(\d+\/\d+\))(?:#\d+)?.*? switched from \w+ to FAILED/;

export function exceptionFromRecord(record: LogRecord): LatestException | undefined {
  const lines = (record.throwable ?? []).map((l) => l.trim()).filter(Boolean);
  const summary = lines[0];
  if (!summary) return undefined;
  const causes = lines.filter((l) => l.startsWith('Caused by: ')).map((l) => l.slice('Caused by: '.length));
  const exceptionClass = /^([\w.$]+)(:|$)/.exec(summary)?.[1];
  const task = TASK_FAILED.exec(record.message)?.[1];
  return {
    at: record.at,
    ...(exceptionClass ? { exceptionClass } : {}),
    summary,
    ...(causes.length ? { rootCause: causes.at(-1)! } : {}),
    ...(task ? { task } : {}),
    source: 'logs',
  };
}

/** The newest exception among the records (any order). */
export function latestException(records: readonly LogRecord[]): LatestException | undefined {
  const newest = [...records].sort((a, b) => b.at - a.at);
  for (const record of newest) {
    const found = exceptionFromRecord(record);
    if (found) return found;
  }
  return undefined;
}
