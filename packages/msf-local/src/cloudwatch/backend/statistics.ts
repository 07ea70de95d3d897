import type { Sample } from './metric-store.js';

/** Statistics over the samples of one period, as CloudWatch computes them. */

export const BASIC_STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] as const;
export type BasicStatistic = (typeof BASIC_STATISTICS)[number];

/** `p99`, `p99.9`, `p0.5` … (CloudWatch allows up to two decimals). */
const PERCENTILE = /^p(\d{1,2}(\.\d{1,2})?|100)$/;

export function isBasicStatistic(value: string): value is BasicStatistic {
  return (BASIC_STATISTICS as readonly string[]).includes(value);
}

export function isPercentile(value: string): boolean {
  const m = PERCENTILE.exec(value);
  return m !== null && Number(value.slice(1)) <= 100;
}

export interface Bucket {
  /** Start of the period, epoch ms. */
  timestamp: number;
  unit: string;
  samples: Sample[];
}

/**
 * Groups samples into periods aligned on `alignedStart`; with `splitUnits`, one bucket per unit (what
 * GetMetricStatistics does when no Unit is asked for). Buckets come out in ascending time order.
 */
export function bucketize(
  samples: Sample[],
  alignedStart: number,
  periodMs: number,
  splitUnits: boolean,
): Bucket[] {
  const buckets = new Map<string, Bucket>();
  for (const sample of samples) {
    const index = Math.floor((sample.timestamp - alignedStart) / periodMs);
    const timestamp = alignedStart + index * periodMs;
    const unit = splitUnits ? sample.unit : '';
    const key = `${timestamp}\u0000${unit}`;
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = { timestamp, unit: sample.unit, samples: [] };
      buckets.set(key, bucket);
    }
    bucket.samples.push(sample);
  }
  return [...buckets.values()].sort((a, b) => a.timestamp - b.timestamp || (a.unit < b.unit ? -1 : 1));
}

/** One statistic over a bucket's samples; undefined when it cannot be computed (a percentile of stat sets). */
export function statistic(samples: Sample[], name: string): number | undefined {
  switch (name) {
    case 'SampleCount':
      return samples.reduce((n, s) => n + s.sampleCount, 0);
    case 'Sum':
      return samples.reduce((n, s) => n + s.sum, 0);
    case 'Average': {
      const count = samples.reduce((n, s) => n + s.sampleCount, 0);
      return count === 0 ? undefined : samples.reduce((n, s) => n + s.sum, 0) / count;
    }
    case 'Minimum':
      return Math.min(...samples.map((s) => s.minimum));
    case 'Maximum':
      return Math.max(...samples.map((s) => s.maximum));
    default:
      if (isPercentile(name)) return percentile(samples, Number(name.slice(1)));
      return undefined;
  }
}

/** Nearest-rank percentile over the raw values (weighted by their counts). */
function percentile(samples: Sample[], p: number): number | undefined {
  const weighted: [number, number][] = [];
  for (const s of samples) {
    if (!s.values) return undefined;
    s.values.forEach((v, i) => weighted.push([v, s.counts?.[i] ?? 1]));
  }
  if (weighted.length === 0) return undefined;
  weighted.sort((a, b) => a[0] - b[0]);
  const total = weighted.reduce((n, [, c]) => n + c, 0);
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const [value, count] of weighted) {
    seen += count;
    if (seen >= rank) return value;
  }
  return weighted[weighted.length - 1]![0];
}

/**
 * Where CloudWatch starts the first period for a query beginning at `start` (ms): sub-minute periods on a
 * multiple of the period; otherwise the whole minute, or 5 minutes / 1 hour for data older than 15 / 63 days.
 */
export function alignStart(start: number, periodSeconds: number, now: number): number {
  if (periodSeconds < 60) return Math.floor(start / (periodSeconds * 1000)) * periodSeconds * 1000;
  const age = now - start;
  const day = 24 * 60 * 60 * 1000;
  const unit = age > 63 * day ? 60 * 60 * 1000 : age > 15 * day ? 5 * 60 * 1000 : 60 * 1000;
  return Math.floor(start / unit) * unit;
}
