import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fsyncDir, isNotFound } from '../store/atomic-file.js';

/**
 * The events of one log stream on disk: append-only segment files `events-<n>.jsonl`, one line per accepted
 * PutLogEvents batch (`{"i": ingestionTime, "s": firstSeq, "e": [[timestamp, message], ...]}`), fsynced before the
 * batch is acknowledged. Appending never rewrites what is there, so a `kill -9` can only leave a torn last line:
 * it was never acknowledged, and opening the stream cuts it off before anything is appended after it.
 *
 * Retention deletes whole segments whose newest event has expired; a segment is closed for appends once it passes
 * `segmentBytes`, so old events end up in segments that can go.
 */

export interface StoredEvent {
  timestamp: number;
  message: string;
  ingestionTime: number;
  /** Position in the stream's arrival order, unique in the stream. */
  seq: number;
}

interface Segment {
  index: number;
  bytes: number;
  /** Newest event timestamp in the segment (-Infinity when empty). */
  newest: number;
}

const SEGMENT = /^events-(\d{6})\.jsonl$/;
const DEFAULT_SEGMENT_BYTES = 4 * 1024 * 1024;

export class EventSegments {
  private constructor(
    private readonly dir: string,
    private readonly segments: Segment[],
    private readonly segmentBytes: number,
  ) {}

  /** Reads every event of the stream in `dir` (arrival order), repairing a torn last line. */
  static async open(
    dir: string,
    options: { segmentBytes?: number } = {},
  ): Promise<{ segments: EventSegments; events: StoredEvent[] }> {
    let names: string[];
    try {
      names = (await fs.readdir(dir)).filter((n) => SEGMENT.test(n)).sort();
    } catch (error) {
      if (!isNotFound(error)) throw error;
      names = [];
    }
    const segments: Segment[] = [];
    const events: StoredEvent[] = [];
    for (const name of names) {
      const index = Number(SEGMENT.exec(name)![1]);
      const file = path.join(dir, name);
      const text = await fs.readFile(file, 'utf8');
      const { valid, batches } = parseLines(text);
      const validBytes = Buffer.byteLength(text.slice(0, valid), 'utf8');
      if (validBytes < Buffer.byteLength(text, 'utf8')) await truncate(file, validBytes);
      let newest = -Infinity;
      for (const batch of batches) {
        batch.e.forEach(([timestamp, message], i) => {
          events.push({ timestamp, message, ingestionTime: batch.i, seq: batch.s + i });
          newest = Math.max(newest, timestamp);
        });
      }
      segments.push({ index, bytes: validBytes, newest });
    }
    return {
      segments: new EventSegments(dir, segments, options.segmentBytes ?? DEFAULT_SEGMENT_BYTES),
      events,
    };
  }

  /** Appends one batch durably; resolves once it is on disk. */
  async append(events: StoredEvent[]): Promise<void> {
    if (events.length === 0) return;
    const first = events[0]!;
    const line =
      JSON.stringify({
        i: first.ingestionTime,
        s: first.seq,
        e: events.map((e) => [e.timestamp, e.message]),
      }) + '\n';
    let segment = this.segments.at(-1);
    const created = segment === undefined || segment.bytes >= this.segmentBytes;
    if (created) {
      segment = { index: (segment?.index ?? 0) + 1, bytes: 0, newest: -Infinity };
      await fs.mkdir(this.dir, { recursive: true });
    }
    const current = segment!;
    const handle = await fs.open(this.fileOf(current.index), 'a');
    try {
      await handle.write(line);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    if (created) {
      await fsyncDir(this.dir);
      this.segments.push(current);
    }
    current.bytes += Buffer.byteLength(line, 'utf8');
    for (const e of events) current.newest = Math.max(current.newest, e.timestamp);
  }

  /** Deletes the segments (but the one being appended to) whose every event is older than `cutoff`. */
  async dropOlderThan(cutoff: number): Promise<void> {
    const expired = this.segments.slice(0, -1).filter((s) => s.newest < cutoff);
    if (expired.length === 0) return;
    for (const segment of expired) {
      await fs.rm(this.fileOf(segment.index), { force: true });
      this.segments.splice(this.segments.indexOf(segment), 1);
    }
    await fsyncDir(this.dir);
  }

  private fileOf(index: number): string {
    return path.join(this.dir, `events-${String(index).padStart(6, '0')}.jsonl`);
  }
}

interface Batch {
  i: number;
  s: number;
  e: [number, string][];
}

/** The complete, well-formed lines at the start of `text`, and how many characters they cover. */
function parseLines(text: string): { valid: number; batches: Batch[] } {
  const batches: Batch[] = [];
  let valid = 0;
  while (valid < text.length) {
    const end = text.indexOf('\n', valid);
    if (end < 0) break;
    let batch: Batch;
    try {
      batch = JSON.parse(text.slice(valid, end)) as Batch;
    } catch {
      break;
    }
    if (!isBatch(batch)) break;
    batches.push(batch);
    valid = end + 1;
  }
  return { valid, batches };
}

function isBatch(value: unknown): value is Batch {
  const b = value as Batch;
  return (
    typeof b === 'object' &&
    b !== null &&
    Number.isFinite(b.i) &&
    Number.isInteger(b.s) &&
    Array.isArray(b.e) &&
    b.e.every((e) => Array.isArray(e) && Number.isFinite(e[0]) && typeof e[1] === 'string')
  );
}

async function truncate(file: string, length: number): Promise<void> {
  const handle = await fs.open(file, 'r+');
  try {
    await handle.truncate(length);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
