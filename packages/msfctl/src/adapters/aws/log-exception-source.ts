/**
 * The job's latest exception from the application's log stream (ports/exceptions.ts over the MSF and logs ports):
 * the newest record with a throwable within the window, found with a FilterLogEvents term search. Works wherever
 * the application has a logging option, AWS included, where the dashboard needs a browser. Never throws.
 */
import type { ExceptionLookup, ExceptionSource } from '../../ports/exceptions.js';
import type { LogReader } from '../../ports/logs.js';
import type { MsfGateway } from '../../ports/msf.js';
import { latestException } from '../../model/log-exception.js';
import { parseLogRecord } from '../../model/log-records.js';
import { parseLogStreamArn } from '../../model/log-streams.js';

export interface LogExceptionOptions {
  /** How far back to look. @default 1 hour */
  windowMs?: number;
  now?: () => number;
}

/** MSF's records carry an exception in this key; a plain term finds them (on AWS and msf-local alike). */
const WITH_THROWABLE = '"throwableInformation"';

export class LogExceptionSource implements ExceptionSource {
  constructor(
    private readonly gateway: MsfGateway,
    private readonly reader: LogReader,
    private readonly options: LogExceptionOptions = {},
  ) {}

  async latest(application: string): Promise<ExceptionLookup> {
    try {
      const arn = (await this.gateway.describe(application))?.config.logStream;
      if (!arn) return { unavailable: 'the application has no CloudWatch logging option' };
      const stream = parseLogStreamArn(arn);
      if (!stream) return { unavailable: `its logging option names ${arn}, not a log stream` };
      const since = (this.options.now ?? Date.now)() - (this.options.windowMs ?? 3_600_000);
      const events = await this.reader.search(stream, { since, pattern: WITH_THROWABLE, limit: 50 });
      const found = latestException(events.map((e) => parseLogRecord(e.timestamp, e.message)));
      return found
        ? { found }
        : { unavailable: `no record with an exception in ${stream.group}/${stream.stream} in the last hour` };
    } catch (error) {
      return { unavailable: `the log stream could not be read (${(error as Error).message})` };
    }
  }
}
