import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fsyncDir, isNotFound, removeStaleTempFiles, writeFileAtomic } from '../../store/atomic-file.js';

/**
 * CloudWatch metric series, kept for a retention window and persisted so they survive a restart.
 *
 * Persistence is an append-only log plus compaction, in the directory it is given:
 *   metrics-<gen>.snapshot   all retained samples when generation <gen> began (written atomically)
 *   metrics-<gen>.log        samples appended since, one JSON batch per line, fsynced before `put` resolves
 * A crash can only leave a torn last log line (no newline): it is ignored, and the store compacts at once
 * on open (new generation: snapshot of everything, empty log), so no file is ever read half-written twice.
 */

export interface Dimension {
  Name: string;
  Value: string;
}

export type Dimensions = Dimension[] | Record<string, string>;

export interface MetricIdentity {
  namespace: string;
  metricName: string;
  /** Sorted by name. */
  dimensions: Dimension[];
}

/** One stored observation: a single value, a set of values, or a statistic set. */
export interface Sample {
  /** Epoch milliseconds. */
  timestamp: number;
  unit: string;
  sampleCount: number;
  sum: number;
  minimum: number;
  maximum: number;
  /** Raw values (with `counts`), when known: needed for percentiles. */
  values?: number[];
  counts?: number[];
}

export interface MetricDatum {
  namespace: string;
  metricName: string;
  dimensions?: Dimensions;
  /** Date or epoch milliseconds; default now. */
  timestamp?: Date | number;
  value?: number;
  values?: number[];
  counts?: number[];
  statisticValues?: { sampleCount: number; sum: number; minimum: number; maximum: number };
  /** CloudWatch unit, default `None`. */
  unit?: string;
}

export interface MetricStoreOptions {
  /** Samples older than this are dropped (default 3 hours). */
  retentionMs?: number;
  /** Compact when the log grows past this many bytes (default 8 MiB). */
  compactAfterBytes?: number;
  /** Clock, for tests. */
  now?: () => number;
  onWarning?: (message: string) => void;
}

interface Series {
  identity: MetricIdentity;
  /** Sorted by timestamp. */
  samples: Sample[];
}

/** Log/snapshot record: [namespace, metricName, [[name, value]...], timestamp, unit, count, sum, min, max, values?, counts?] */
type Row = [
  string,
  string,
  [string, string][],
  number,
  string,
  number,
  number,
  number,
  number,
  number[]?,
  number[]?,
];

const FILE = /^metrics-(\d+)\.(snapshot|log)$/;

export class MetricStore {
  private readonly series = new Map<string, Series>();
  private readonly retentionMs: number;
  private readonly compactAfterBytes: number;
  private readonly now: () => number;
  private readonly warn: (message: string) => void;
  private generation = 0;
  private log?: fs.FileHandle;
  private logBytes = 0;
  /** Serialises appends and compactions. */
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    readonly dir: string,
    options: MetricStoreOptions,
  ) {
    this.retentionMs = options.retentionMs ?? 3 * 60 * 60 * 1000;
    this.compactAfterBytes = options.compactAfterBytes ?? 8 * 1024 * 1024;
    this.now = options.now ?? Date.now;
    this.warn = options.onWarning ?? ((message) => console.warn(`msf-local cloudwatch: ${message}`));
  }

  static async open(dir: string, options: MetricStoreOptions = {}): Promise<MetricStore> {
    const store = new MetricStore(path.resolve(dir), options);
    await store.load();
    return store;
  }

  /**
   * Records one datapoint (what the Flink driver calls every few seconds per metric), either as
   * `put({namespace, metricName, dimensions, timestamp, value, unit})` or positionally.
   */
  async put(datum: MetricDatum): Promise<void>;
  async put(
    namespace: string,
    metricName: string,
    dimensions: Dimensions,
    timestamp: Date | number,
    value: number,
    unit?: string,
  ): Promise<void>;
  async put(
    first: MetricDatum | string,
    metricName?: string,
    dimensions?: Dimensions,
    timestamp?: Date | number,
    value?: number,
    unit = 'None',
  ): Promise<void> {
    if (typeof first !== 'string') return this.putMany([first]);
    await this.putMany([{ namespace: first, metricName: metricName!, dimensions, timestamp, value, unit }]);
  }

  /** Records datapoints; resolves once they are durable (fsynced). */
  async putMany(data: MetricDatum[]): Promise<void> {
    const rows = data.map((datum) => toRow(datum, this.now()));
    if (rows.length === 0) return;
    await this.enqueue(async () => {
      if (this.closed) throw new Error('MetricStore is closed');
      const line = Buffer.from(JSON.stringify(rows) + '\n');
      await this.log!.write(line);
      await this.log!.datasync();
      this.logBytes += line.length;
      for (const row of rows) this.apply(row);
      if (this.logBytes > this.compactAfterBytes) await this.compact();
    });
  }

  /** Metrics with at least one retained sample, optionally filtered, sorted for stable pagination. */
  listMetrics(
    filter: {
      namespace?: string;
      metricName?: string;
      dimensions?: { Name: string; Value?: string }[];
    } = {},
  ): MetricIdentity[] {
    const cutoff = this.now() - this.retentionMs;
    const out: MetricIdentity[] = [];
    for (const [, series] of [...this.series.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const { identity } = series;
      if (filter.namespace !== undefined && identity.namespace !== filter.namespace) continue;
      if (filter.metricName !== undefined && identity.metricName !== filter.metricName) continue;
      const matches = (filter.dimensions ?? []).every((f) =>
        identity.dimensions.some((d) => d.Name === f.Name && (f.Value === undefined || d.Value === f.Value)),
      );
      if (!matches) continue;
      if (!series.samples.some((s) => s.timestamp >= cutoff)) continue;
      out.push({ ...identity, dimensions: identity.dimensions.map((d) => ({ ...d })) });
    }
    return out;
  }

  /** Samples of exactly this metric (same dimension set) with start <= timestamp < end. */
  query(namespace: string, metricName: string, dimensions: Dimensions, start: number, end: number): Sample[] {
    const series = this.series.get(seriesKey(namespace, metricName, normalizeDimensions(dimensions)));
    if (!series) return [];
    const from = Math.max(start, this.now() - this.retentionMs);
    return series.samples.filter((s) => s.timestamp >= from && s.timestamp < end);
  }

  /** Writes a fresh snapshot and starts a new empty log; drops samples past retention. */
  async compactNow(): Promise<void> {
    await this.enqueue(() => this.compact());
  }

  async close(): Promise<void> {
    await this.enqueue(async () => {
      this.closed = true;
      await this.log?.close();
      this.log = undefined;
    });
  }

  // ---------------------------------------------------------------- internals

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const result = this.queue.then(task, task);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private apply(row: Row): void {
    const [
      namespace,
      metricName,
      pairs,
      timestamp,
      unit,
      sampleCount,
      sum,
      minimum,
      maximum,
      values,
      counts,
    ] = row;
    const dimensions = pairs.map(([Name, Value]) => ({ Name, Value }));
    const key = seriesKey(namespace, metricName, dimensions);
    let series = this.series.get(key);
    if (!series) {
      series = { identity: { namespace, metricName, dimensions }, samples: [] };
      this.series.set(key, series);
    }
    const sample: Sample = { timestamp, unit, sampleCount, sum, minimum, maximum, values, counts };
    const samples = series.samples;
    // Datapoints almost always arrive in time order; insert in place when they do not.
    let i = samples.length;
    while (i > 0 && samples[i - 1]!.timestamp > timestamp) i--;
    samples.splice(i, 0, sample);
  }

  private rows(): Row[] {
    const cutoff = this.now() - this.retentionMs;
    const rows: Row[] = [];
    for (const [key, series] of this.series) {
      series.samples = series.samples.filter((s) => s.timestamp >= cutoff);
      if (series.samples.length === 0) {
        this.series.delete(key);
        continue;
      }
      const { namespace, metricName, dimensions } = series.identity;
      const pairs = dimensions.map((d): [string, string] => [d.Name, d.Value]);
      for (const s of series.samples) {
        const row: Row = [
          namespace,
          metricName,
          pairs,
          s.timestamp,
          s.unit,
          s.sampleCount,
          s.sum,
          s.minimum,
          s.maximum,
        ];
        if (s.values) row.push(s.values, s.counts ?? s.values.map(() => 1));
        rows.push(row);
      }
    }
    return rows;
  }

  private async compact(): Promise<void> {
    const next = this.generation + 1;
    const snapshot = this.rows()
      .map((row) => JSON.stringify(row) + '\n')
      .join('');
    await writeFileAtomic(this.file(next, 'snapshot'), snapshot);
    const log = await fs.open(this.file(next, 'log'), 'a');
    await fsyncDir(this.dir);
    const previousLog = this.log;
    const previous = this.generation;
    this.log = log;
    this.logBytes = 0;
    this.generation = next;
    await previousLog?.close();
    await fs.rm(this.file(previous, 'snapshot'), { force: true });
    await fs.rm(this.file(previous, 'log'), { force: true });
  }

  private file(generation: number, kind: 'snapshot' | 'log'): string {
    return path.join(this.dir, `metrics-${generation}.${kind}`);
  }

  private async load(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    await removeStaleTempFiles(this.dir);
    const generations = (await fs.readdir(this.dir))
      .map((name) => FILE.exec(name))
      .filter((m): m is RegExpExecArray => m !== null && m[2] === 'snapshot')
      .map((m) => Number(m[1]))
      .sort((a, b) => b - a);
    // The newest complete snapshot wins; its log holds what came after it.
    const generation = generations[0] ?? 0;
    if (generations.length > 0) {
      await this.replay(this.file(generation, 'snapshot'));
      await this.replay(this.file(generation, 'log'));
    }
    this.generation = generation;
    await this.compact();
    // Older generations (a crash during compaction) are superseded.
    for (const name of await fs.readdir(this.dir)) {
      const m = FILE.exec(name);
      if (m && Number(m[1]) < this.generation) await fs.rm(path.join(this.dir, name), { force: true });
    }
  }

  private async replay(file: string): Promise<void> {
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
    const lines = text.split('\n');
    // The last element is '' after a complete final line, or a torn line from a crash: skipped either way.
    lines.pop();
    for (const [index, line] of lines.entries()) {
      if (line === '') continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        this.warn(`skipping unreadable line ${index + 1} of ${file}`);
        continue;
      }
      const rows = (Array.isArray(parsed) && Array.isArray(parsed[0]) ? parsed : [parsed]) as Row[];
      for (const row of rows) this.apply(row);
    }
  }
}

export function normalizeDimensions(dimensions: Dimensions | undefined): Dimension[] {
  const list = Array.isArray(dimensions)
    ? dimensions.map((d) => ({ Name: d.Name, Value: d.Value }))
    : Object.entries(dimensions ?? {}).map(([Name, Value]) => ({ Name, Value }));
  return list.sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
}

function seriesKey(namespace: string, metricName: string, dimensions: Dimension[]): string {
  return JSON.stringify([namespace, metricName, dimensions.map((d) => [d.Name, d.Value])]);
}

function toRow(datum: MetricDatum, now: number): Row {
  const dimensions = normalizeDimensions(datum.dimensions);
  const pairs = dimensions.map((d): [string, string] => [d.Name, d.Value]);
  const timestamp =
    datum.timestamp === undefined
      ? now
      : typeof datum.timestamp === 'number'
        ? datum.timestamp
        : datum.timestamp.getTime();
  if (!Number.isFinite(timestamp)) throw new Error(`Invalid timestamp for metric ${datum.metricName}`);
  const unit = datum.unit ?? 'None';
  const base = [datum.namespace, datum.metricName, pairs, timestamp, unit] as const;
  if (datum.statisticValues) {
    const s = datum.statisticValues;
    return [...base, s.sampleCount, s.sum, s.minimum, s.maximum];
  }
  const values = datum.values ?? (datum.value !== undefined ? [datum.value] : []);
  if (values.length === 0) throw new Error(`Metric ${datum.metricName} has no value`);
  for (const v of values)
    if (!Number.isFinite(v)) throw new Error(`Metric ${datum.metricName} has a non-finite value`);
  const counts = datum.counts ?? values.map(() => 1);
  let sampleCount = 0;
  let sum = 0;
  let minimum = Infinity;
  let maximum = -Infinity;
  values.forEach((v, i) => {
    const c = counts[i] ?? 1;
    sampleCount += c;
    sum += v * c;
    minimum = Math.min(minimum, v);
    maximum = Math.max(maximum, v);
  });
  return [...base, sampleCount, sum, minimum, maximum, values, counts];
}
