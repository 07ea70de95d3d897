/**
 * The records MSF writes to an application's log stream: one JSON document per log event (messageType, logger,
 * message, threadName, applicationARN, applicationVersionId, throwableInformation, locationInformation…). Events
 * that are not such a document (a stream shared with other writers) are kept as raw text.
 */

export interface LogRecord {
  /** The event's timestamp, epoch milliseconds. */
  at: number;
  /** messageType: DEBUG, INFO, WARN, ERROR (or TRACE, FATAL); absent for raw text. */
  level?: string;
  logger?: string;
  message: string;
  thread?: string;
  applicationArn?: string;
  versionId?: number;
  /** The exception's lines, when the event carried one. */
  throwable?: string[];
  location?: string;
  /** The event was not an MSF JSON record; `message` is its text. */
  raw?: true;
}

const SEVERITY: Record<string, number> = { TRACE: 0, DEBUG: 1, INFO: 2, WARN: 3, ERROR: 4, FATAL: 5 };

export function parseLogRecord(at: number, text: string): LogRecord {
  let doc: unknown;
  try {
    doc = text.trimStart().startsWith('{') ? JSON.parse(text) : undefined;
  } catch {
    doc = undefined;
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc) || !('messageType' in doc))
    return { at, message: text, raw: true };
  const d = doc as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const version = Number(d.applicationVersionId);
  const throwable = Array.isArray(d.throwableInformation)
    ? d.throwableInformation.filter((l): l is string => typeof l === 'string')
    : typeof d.throwableInformation === 'string'
      ? d.throwableInformation.split('\n')
      : undefined;
  const level = str(d.messageType);
  const logger = str(d.logger);
  const thread = str(d.threadName);
  const applicationArn = str(d.applicationARN);
  const location = str(d.locationInformation);
  return {
    at,
    ...(level ? { level: level.toUpperCase() } : {}),
    ...(logger ? { logger } : {}),
    message: typeof d.message === 'string' ? d.message : JSON.stringify(d.message ?? ''),
    ...(thread ? { thread } : {}),
    ...(applicationArn ? { applicationArn } : {}),
    ...(d.applicationVersionId !== undefined && Number.isInteger(version) ? { versionId: version } : {}),
    ...(throwable?.length ? { throwable } : {}),
    ...(location ? { location } : {}),
  };
}

/** The record is at `level` or more severe. Raw text and unknown levels always pass (nothing to judge them by). */
export function atLeast(record: LogRecord, level: string | undefined): boolean {
  if (!level) return true;
  const have = record.level === undefined ? undefined : SEVERITY[record.level];
  return have === undefined || have >= (SEVERITY[level] ?? 0);
}
