/**
 * The logs port (ports/logs.ts) over the SDK's CloudWatch Logs client: GetLogEvents reads a stream forward with
 * its forward token as the cursor (the token comes back unchanged when nothing newer exists), FilterLogEvents
 * searches it. The same calls on AWS and msf-local.
 */
import {
  FilterLogEventsCommand,
  GetLogEventsCommand,
  type CloudWatchLogsClient,
} from '@aws-sdk/client-cloudwatch-logs';
import type { LogEvent, LogPage, LogPosition, LogReader } from '../../ports/logs.js';
import type { LogStreamRef } from '../../model/log-streams.js';
import { MsfctlError } from '../../model/errors.js';
import { awsErrorName, translateAwsError } from './aws-errors.js';

/** GetLogEvents may answer an empty page with a new token before the stream's end: read on this many times. */
const EMPTY_PAGES_TO_SKIP = 5;
/** FilterLogEvents pages read at most by one search (each scans part of the time range). */
const SEARCH_PAGES = 20;

export class CloudWatchLogsReader implements LogReader {
  constructor(private readonly client: () => CloudWatchLogsClient) {}

  async read(stream: LogStreamRef, from: LogPosition): Promise<LogPage> {
    let position = from;
    for (let attempt = 0; ; attempt++) {
      const cursor = 'cursor' in position ? position.cursor : undefined;
      const out = await this.call(stream, 'GetLogEvents', () =>
        this.client().send(
          new GetLogEventsCommand({
            logGroupName: stream.group,
            logStreamName: stream.stream,
            startFromHead: true,
            ...(cursor ? { nextToken: cursor } : { startTime: (position as { since: number }).since }),
          }),
        ),
      );
      const events = (out.events ?? []).map((e) => ({
        timestamp: e.timestamp ?? 0,
        message: e.message ?? '',
      }));
      const next = out.nextForwardToken ?? cursor;
      const caughtUp =
        events.length === 0 && (next === undefined || next === cursor || attempt >= EMPTY_PAGES_TO_SKIP);
      if (events.length || caughtUp) return { events, next: next ? { cursor: next } : position, caughtUp };
      position = { cursor: next! };
    }
  }

  async search(
    stream: LogStreamRef,
    query: { since: number; pattern: string; limit: number },
  ): Promise<LogEvent[]> {
    const found: LogEvent[] = [];
    let token: string | undefined;
    for (let page = 0; page < SEARCH_PAGES; page++) {
      const out = await this.call(stream, 'FilterLogEvents', () =>
        this.client().send(
          new FilterLogEventsCommand({
            logGroupName: stream.group,
            logStreamNames: [stream.stream],
            startTime: query.since,
            filterPattern: query.pattern,
            ...(token ? { nextToken: token } : {}),
          }),
        ),
      );
      for (const e of out.events ?? []) found.push({ timestamp: e.timestamp ?? 0, message: e.message ?? '' });
      // Only the newest `limit` are kept: the answer pages forward in time.
      if (found.length > query.limit) found.splice(0, found.length - query.limit);
      token = out.nextToken;
      if (!token) break;
    }
    return found;
  }

  private async call<T>(stream: LogStreamRef, what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (awsErrorName(error) === 'ResourceNotFoundException')
        throw new MsfctlError(
          'LOGS',
          `Log stream ${stream.stream} in log group ${stream.group} (${stream.region}) does not exist: ${(error as Error).message}`,
          {
            hint: 'MSF writes to the stream but does not create it: create the log group and stream (aws logs create-log-group / create-log-stream), or fix logging.logStream in the spec.',
            cause: error,
          },
        );
      throw translateAwsError(error, `${what} on ${stream.group}/${stream.stream}`);
    }
  }
}
