/**
 * Reading events back: GetLogEvents over one stream, FilterLogEvents over several. Pure functions of the events
 * (already cut to what retention keeps); tokens encode positions, so pages survive events arriving in between.
 */
import type { StoredEvent } from './event-segments.js';
import { invalidParameter } from './errors.js';
import { compileFilterPattern, FilterPatternError } from './filter-pattern.js';

export const MAX_BATCH_BYTES = 1_048_576;
export const EVENT_OVERHEAD_BYTES = 26;

export interface StreamReadOptions {
  startTime?: number;
  endTime?: number;
  nextToken?: string;
  limit?: number;
  startFromHead?: boolean;
}

export interface EventPage {
  events: StoredEvent[];
  forward: string;
  backward: string;
}

export interface FilterOptions {
  startTime?: number;
  endTime?: number;
  pattern?: string;
  nextToken?: string;
  limit?: number;
  startFromHead?: boolean;
}

export interface FilteredEvent extends StoredEvent {
  logStreamName: string;
}

export interface FilterPage {
  events: FilteredEvent[];
  nextToken?: string;
  searched: string[];
}

/**
 * GetLogEvents. Tokens are `f/<position>` (read on after it) and `b/<position>` (read back before it), where a
 * position is an event's timestamp and arrival number; with no token the read starts at the head or the tail.
 * `events` are the stream's events, oldest first.
 */
export function readStream(events: StoredEvent[], options: StreamReadOptions): EventPage {
  const limit = options.limit ?? 10_000;
  const inWindow = events.filter(
    (e) =>
      (options.startTime === undefined || e.timestamp >= options.startTime) &&
      (options.endTime === undefined || e.timestamp < options.endTime),
  );
  const token = options.nextToken === undefined ? undefined : parseToken(options.nextToken);
  const forward = token ? token.direction === 'f' : options.startFromHead === true;
  let page: StoredEvent[];
  if (forward) {
    const after = token?.position;
    const start = after === undefined ? 0 : inWindow.findIndex((e) => comparePosition(e, after) > 0);
    page = start < 0 ? [] : takeWithinBytes(inWindow.slice(start), limit);
  } else {
    const before = token?.position;
    const end = before === undefined ? inWindow.length : countBefore(inWindow, before);
    page = takeWithinBytes(inWindow.slice(0, end).reverse(), limit).reverse();
  }
  // An empty page leaves the position where it was (the head, for a first read): the unchanged token says so.
  const edge = token?.position ?? START;
  return {
    events: page,
    forward: `f/${encodePosition(page.at(-1) ?? edge)}`,
    backward: `b/${encodePosition(page[0] ?? edge)}`,
  };
}

/**
 * FilterLogEvents over `streams`: matching events by time, then stream, then arrival (newest first with
 * `startFromHead: false`); pages of at most `limit` events and 1 MB, the token naming the last event returned.
 */
export function filterStreams(
  streams: { name: string; events: StoredEvent[] }[],
  options: FilterOptions,
): FilterPage {
  let matches: (message: string) => boolean;
  try {
    matches = compileFilterPattern(options.pattern);
  } catch (error) {
    if (error instanceof FilterPatternError) throw invalidParameter(error.message);
    throw error;
  }
  const token = options.nextToken === undefined ? undefined : parseFilterToken(options.nextToken);
  const ascending = token ? token.ascending : options.startFromHead !== false;
  const all: FilteredEvent[] = [];
  for (const stream of streams) {
    for (const e of stream.events) {
      if (options.startTime !== undefined && e.timestamp < options.startTime) continue;
      if (options.endTime !== undefined && e.timestamp > options.endTime) continue;
      if (matches(e.message)) all.push({ ...e, logStreamName: stream.name });
    }
  }
  all.sort(ascending ? compareFiltered : (a, b) => compareFiltered(b, a));
  const start = token
    ? all.findIndex((e) =>
        ascending ? compareFiltered(e, token.after) > 0 : compareFiltered(e, token.after) < 0,
      )
    : 0;
  const page = start < 0 ? [] : takeWithinBytes(all.slice(start), options.limit ?? 10_000);
  const more = start >= 0 && start + page.length < all.length;
  const last = page.at(-1);
  return {
    events: page,
    nextToken: more && last ? encodeFilterToken(ascending, last) : undefined,
    searched: streams.map((s) => s.name),
  };
}

// ---------------------------------------------------------------- positions and tokens

interface Position {
  timestamp: number;
  seq: number;
}
const START: Position = { timestamp: -1, seq: -1 };

function comparePosition(a: Position, b: Position): number {
  return a.timestamp - b.timestamp || a.seq - b.seq;
}

function countBefore(events: StoredEvent[], position: Position): number {
  let n = 0;
  while (n < events.length && comparePosition(events[n]!, position) < 0) n++;
  return n;
}

/** 36 digits, like AWS's all-digit tokens: the timestamp (+1, so the head is 0) and the arrival number. */
function encodePosition(p: Position): string {
  return `${String(p.timestamp + 1).padStart(20, '0')}${String(p.seq + 1).padStart(16, '0')}`;
}

function parseToken(token: string): { direction: 'f' | 'b'; position: Position } {
  const match = /^([fb])\/(\d{20})(\d{16})$/.exec(token);
  if (!match) throw invalidParameter('The specified nextToken is invalid.');
  return {
    direction: match[1] as 'f' | 'b',
    position: { timestamp: Number(match[2]) - 1, seq: Number(match[3]) - 1 },
  };
}

function compareFiltered(
  a: FilteredEvent,
  b: FilteredEvent | { timestamp: number; logStreamName: string; seq: number },
): number {
  return (
    a.timestamp - b.timestamp ||
    (a.logStreamName < b.logStreamName ? -1 : a.logStreamName > b.logStreamName ? 1 : a.seq - b.seq)
  );
}

function encodeFilterToken(ascending: boolean, after: FilteredEvent): string {
  return Buffer.from(
    JSON.stringify([ascending ? 1 : 0, after.timestamp, after.logStreamName, after.seq]),
  ).toString('base64url');
}

function parseFilterToken(token: string): {
  ascending: boolean;
  after: { timestamp: number; logStreamName: string; seq: number };
} {
  try {
    const [ascending, timestamp, logStreamName, seq] = JSON.parse(
      Buffer.from(token, 'base64url').toString('utf8'),
    ) as unknown[];
    if (
      (ascending === 0 || ascending === 1) &&
      Number.isFinite(timestamp) &&
      typeof logStreamName === 'string' &&
      Number.isInteger(seq)
    ) {
      return {
        ascending: ascending === 1,
        after: { timestamp: timestamp as number, logStreamName, seq: seq as number },
      };
    }
  } catch {
    // fall through
  }
  throw invalidParameter('The specified nextToken is invalid.');
}

/** At most `limit` events and 1 MB of messages (the page bounds of GetLogEvents and FilterLogEvents). */
function takeWithinBytes<T extends { message: string }>(events: T[], limit: number): T[] {
  const page: T[] = [];
  let bytes = 0;
  for (const event of events) {
    if (page.length >= limit) break;
    bytes += Buffer.byteLength(event.message, 'utf8') + EVENT_OVERHEAD_BYTES;
    if (bytes > MAX_BATCH_BYTES && page.length > 0) break;
    page.push(event);
  }
  return page;
}
