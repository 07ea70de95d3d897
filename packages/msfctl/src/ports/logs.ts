/**
 * Reading a CloudWatch Logs stream: where MSF ships an application's logs. The same port serves AWS and msf-local
 * (adapters/aws/logs-reader.ts); `msfctl logs` reads and follows with it, the logs-backed exception source
 * searches it.
 */
import type { LogStreamRef } from '../model/log-streams.js';

export interface LogEvent {
  /** Epoch milliseconds. */
  timestamp: number;
  message: string;
}

/** Where a read starts: at a time, or where the previous read ended (an opaque cursor). */
export type LogPosition = { since: number } | { cursor: string };

export interface LogPage {
  /** Oldest first. */
  events: LogEvent[];
  /** Where the next read starts. */
  next: LogPosition;
  /** Nothing newer has been written yet: a follower waits before reading again. */
  caughtUp: boolean;
}

export interface LogReader {
  /** One page of the stream's events from `from`, oldest first. */
  read(stream: LogStreamRef, from: LogPosition): Promise<LogPage>;
  /**
   * The newest events since `since` that match a CloudWatch filter pattern (plain terms), oldest first, at most
   * `limit` of them.
   */
  search(stream: LogStreamRef, query: { since: number; pattern: string; limit: number }): Promise<LogEvent[]>;
}
