/**
 * Recorded metric series (test/health/fixtures/*.json): what msf-local's CloudWatch endpoint returned for one
 * application at 1-second resolution, plus the timeline of what was done to it. Tests replay them through the
 * fetcher's parser and the evaluator, at the recorded resolution or re-aggregated to coarser periods (5 s as
 * msf-local publishes by default, 60 s as MSF publishes).
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MetricDataResult } from '@aws-sdk/client-cloudwatch';

export const SERIES_FORMAT = 'msfctl-health-series/1';
export const FIXTURES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

export interface RecordedMetric {
  name: string;
  stat: 'Maximum' | 'Minimum';
  /** Epoch ms, ascending. */
  timestamps: number[];
  values: number[];
}

export interface RecordedSeries {
  format: typeof SERIES_FORMAT;
  name: string;
  description: string;
  recordedAt: string;
  setup: {
    target: 'msf-local';
    runtime: string;
    job: string;
    restartDelayMs: number;
    metricsIntervalMs: number;
    /** Resolution of the recorded datapoints. */
    periodSeconds: number;
  };
  /** What happened and when (epoch ms): deploys, stream changes... */
  events: { name: string; at: number }[];
  /** When the bake watch would start: the deploy under test was seen finished (operation SUCCESSFUL). */
  bakeStartAt: number;
  endAt: number;
  /** What a correct detector says about the deploy under test. */
  expected: 'healthy' | 'unhealthy';
  metrics: RecordedMetric[];
}

export function loadSeries(name: string): RecordedSeries {
  const series = JSON.parse(readFileSync(path.join(FIXTURES_DIR, `${name}.json`), 'utf8')) as RecordedSeries;
  if (series.format !== SERIES_FORMAT) throw new Error(`${name}.json is not a ${SERIES_FORMAT} fixture`);
  return series;
}

export function seriesNames(): string[] {
  return readdirSync(FIXTURES_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/**
 * The GetMetricData results CloudWatch would give at `periodSeconds` for datapoints published up to `until`:
 * each recorded 1-second datapoint is one sample, grouped into periods aligned on the epoch (as CloudWatch
 * aligns them), Maximum of the maxima and Minimum of the minima. `publishEveryS` keeps one recorded sample in
 * that many seconds (msf-local's default publishing interval is 5 s).
 */
export function metricDataAt(
  series: RecordedSeries,
  options: {
    periodSeconds: number;
    until: number;
    from?: number;
    publishEveryS?: number;
    ids: (metric: string, stat: string) => string | undefined;
  },
): MetricDataResult[] {
  const periodMs = options.periodSeconds * 1000;
  const from = options.from ?? -Infinity;
  const keep = options.publishEveryS ?? 1;
  const results: MetricDataResult[] = [];
  for (const metric of series.metrics) {
    const id = options.ids(metric.name, metric.stat);
    if (!id) continue;
    const buckets = new Map<number, number>();
    metric.timestamps.forEach((t, i) => {
      if (t > options.until || t < Math.floor(from / periodMs) * periodMs) return;
      if (keep > 1 && Math.floor(t / 1000) % keep !== 0) return;
      const bucket = Math.floor(t / periodMs) * periodMs;
      const value = metric.values[i]!;
      const prior = buckets.get(bucket);
      buckets.set(
        bucket,
        prior === undefined
          ? value
          : metric.stat === 'Maximum'
            ? Math.max(prior, value)
            : Math.min(prior, value),
      );
    });
    const times = [...buckets.keys()].sort((a, b) => a - b);
    results.push({
      Id: id,
      Label: metric.name,
      Timestamps: times.map((t) => new Date(t)),
      Values: times.map((t) => buckets.get(t)!),
      StatusCode: 'Complete',
    });
  }
  return results;
}

export function event(series: RecordedSeries, name: string): number {
  const found = series.events.find((e) => e.name === name);
  if (!found) throw new Error(`${series.name} has no event ${name}`);
  return found.at;
}
