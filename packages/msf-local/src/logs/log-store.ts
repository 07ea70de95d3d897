import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  fsyncDir,
  isNotFound,
  readJsonFile,
  removeStaleTempFiles,
  writeJsonAtomic,
} from '../store/atomic-file.js';
import { KeyedMutex } from '../store/keyed-mutex.js';
import { resolveInside, safeSegment } from '../store/safe-path.js';
import { EventSegments, type StoredEvent } from './event-segments.js';

/**
 * CloudWatch Logs state: log groups, their streams and events, in memory and on disk under `dir`:
 *   groups/<group>/group.json                      the group's settings (replaced atomically)
 *   groups/<group>/streams/<stream>/stream.json    the stream's creation record
 *   groups/<group>/streams/<stream>/events-*.jsonl its events (event-segments.ts)
 * A group or stream exists exactly when its JSON record does: deleting removes the record first (durably), then the
 * rest; opening removes whatever a crash left without its record. Every change of a group (its streams and events
 * included) runs under that group's lock, and memory changes only after the disk has the change.
 */

export interface GroupSettings {
  name: string;
  region: string;
  createdAt: number;
  retentionDays?: number;
  kmsKeyId?: string;
  logGroupClass: string;
  deletionProtection: boolean;
  tags: Record<string, string>;
}

export interface LogStream {
  name: string;
  createdAt: number;
  /** Sorted by timestamp, then arrival. */
  events: StoredEvent[];
  nextSeq: number;
  lastIngestionTime?: number;
  storedBytes: number;
  segments: EventSegments;
}

export interface LogGroup {
  settings: GroupSettings;
  streams: Map<string, LogStream>;
}

interface StreamRecord {
  name: string;
  createdAt: number;
}

export class LogStore {
  private readonly groups = new Map<string, LogGroup>();
  private readonly locks = new KeyedMutex();

  private constructor(private readonly dir: string) {}

  static async open(dir: string): Promise<LogStore> {
    const store = new LogStore(path.resolve(dir));
    await store.load();
    return store;
  }

  group(name: string): LogGroup | undefined {
    return this.groups.get(name);
  }

  /** Every group, by name. */
  allGroups(): LogGroup[] {
    return [...this.groups.values()].sort((a, b) => compare(a.settings.name, b.settings.name));
  }

  /** Runs `task` holding the group's lock (one change of a group at a time). */
  withGroup<T>(name: string, task: () => Promise<T>): Promise<T> {
    return this.locks.run(name, task);
  }

  async saveGroup(settings: GroupSettings): Promise<LogGroup> {
    await writeJsonAtomic(this.groupFile(settings.name), settings);
    const existing = this.groups.get(settings.name);
    if (existing) {
      existing.settings = settings;
      return existing;
    }
    const group: LogGroup = { settings, streams: new Map() };
    this.groups.set(settings.name, group);
    return group;
  }

  async removeGroup(name: string): Promise<void> {
    await fs.rm(this.groupFile(name), { force: true });
    await fsyncDir(path.dirname(this.groupFile(name)));
    this.groups.delete(name);
    await fs.rm(this.groupDir(name), { recursive: true, force: true });
  }

  async createStream(group: LogGroup, name: string, createdAt: number): Promise<LogStream> {
    const dir = this.streamDir(group.settings.name, name);
    await writeJsonAtomic(path.join(dir, 'stream.json'), { name, createdAt } satisfies StreamRecord);
    const { segments } = await EventSegments.open(dir);
    const stream: LogStream = { name, createdAt, events: [], nextSeq: 0, storedBytes: 0, segments };
    group.streams.set(name, stream);
    return stream;
  }

  async removeStream(group: LogGroup, name: string): Promise<void> {
    const dir = this.streamDir(group.settings.name, name);
    await fs.rm(path.join(dir, 'stream.json'), { force: true });
    await fsyncDir(dir).catch(() => undefined);
    group.streams.delete(name);
    await fs.rm(dir, { recursive: true, force: true });
  }

  /** Stores `events` (already accepted, in chronological order) durably, then makes them visible. */
  async append(
    stream: LogStream,
    events: { timestamp: number; message: string }[],
    ingestionTime: number,
  ): Promise<void> {
    const stored = events.map((e, i) => ({ ...e, ingestionTime, seq: stream.nextSeq + i }));
    await stream.segments.append(stored);
    stream.nextSeq += stored.length;
    stream.lastIngestionTime = ingestionTime;
    for (const event of stored) {
      insertSorted(stream.events, event);
      stream.storedBytes += Buffer.byteLength(event.message, 'utf8');
    }
  }

  /** Forgets (in memory and, segment by segment, on disk) the events of `group` older than `cutoff`. */
  async expire(group: LogGroup, cutoff: number): Promise<void> {
    for (const stream of group.streams.values()) {
      const keep = lowerBound(stream.events, cutoff);
      if (keep > 0) {
        for (const event of stream.events.splice(0, keep)) {
          stream.storedBytes -= Buffer.byteLength(event.message, 'utf8');
        }
      }
      await stream.segments.dropOlderThan(cutoff);
    }
  }

  private async load(): Promise<void> {
    const groupsDir = path.join(this.dir, 'groups');
    await fs.mkdir(groupsDir, { recursive: true });
    for (const entry of await fs.readdir(groupsDir)) {
      const groupDir = path.join(groupsDir, entry);
      await removeStaleTempFiles(groupDir);
      const settings = await readJsonFile<GroupSettings>(path.join(groupDir, 'group.json'));
      if (!settings) {
        await fs.rm(groupDir, { recursive: true, force: true }); // a deletion a crash interrupted
        continue;
      }
      const group: LogGroup = { settings, streams: new Map() };
      const streamsDir = path.join(groupDir, 'streams');
      for (const streamEntry of await readdirOrEmpty(streamsDir)) {
        const streamDir = path.join(streamsDir, streamEntry);
        await removeStaleTempFiles(streamDir);
        const record = await readJsonFile<StreamRecord>(path.join(streamDir, 'stream.json'));
        if (!record) {
          await fs.rm(streamDir, { recursive: true, force: true });
          continue;
        }
        const { segments, events } = await EventSegments.open(streamDir);
        const stream: LogStream = {
          name: record.name,
          createdAt: record.createdAt,
          events: events.sort(byTime),
          nextSeq: events.reduce((n, e) => Math.max(n, e.seq + 1), 0),
          lastIngestionTime: events.reduce<number | undefined>(
            (t, e) => Math.max(t ?? 0, e.ingestionTime),
            undefined,
          ),
          storedBytes: events.reduce((n, e) => n + Buffer.byteLength(e.message, 'utf8'), 0),
          segments,
        };
        group.streams.set(record.name, stream);
      }
      this.groups.set(settings.name, group);
    }
  }

  private groupDir(name: string): string {
    return resolveInside(this.dir, 'groups', safeSegment(name));
  }

  private groupFile(name: string): string {
    return path.join(this.groupDir(name), 'group.json');
  }

  private streamDir(group: string, stream: string): string {
    return resolveInside(this.groupDir(group), 'streams', safeSegment(stream));
  }
}

function byTime(a: StoredEvent, b: StoredEvent): number {
  return a.timestamp - b.timestamp || a.seq - b.seq;
}

/** Appends in the common case (newest last); otherwise inserts after every event with the same or earlier time. */
function insertSorted(events: StoredEvent[], event: StoredEvent): void {
  const last = events.at(-1);
  if (!last || last.timestamp <= event.timestamp) {
    events.push(event);
    return;
  }
  events.splice(upperBound(events, event.timestamp), 0, event);
}

/** Index of the first event with timestamp >= `time`. */
export function lowerBound(events: StoredEvent[], time: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (events[mid]!.timestamp < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first event with timestamp > `time`. */
export function upperBound(events: StoredEvent[], time: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (events[mid]!.timestamp <= time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
}
