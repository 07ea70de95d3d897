/**
 * Replays a recorded series through the real fetcher parser, evaluator and bake watch: a fetcher that serves
 * the datapoints "published" by the fake clock's time, at a chosen resolution.
 */
import type { HealthFetcher, HealthObservation } from '../../../src/ports/metrics.js';
import { HEALTH_QUERIES, seriesFromMetricData } from '../../../src/adapters/aws/cloudwatch-series.js';
import { metricDataAt, type RecordedSeries } from './series-fixture.js';

export function queryId(metric: string, stat: string): string | undefined {
  return HEALTH_QUERIES.find((q) => q.metric === metric && q.stat === stat)?.id;
}

export interface Resolution {
  /** CloudWatch period asked for. */
  periodSeconds: number;
  /** Keep one recorded sample in this many seconds (msf-local's default publishing is every 5 s). */
  publishEveryS?: number;
  /** A period's datapoint appears only once the period is over, plus this lag (MSF's 1-minute publishing). */
  wholePeriodsLagMs?: number;
}

export const RESOLUTIONS: Record<string, Resolution> = {
  'msf-local, 1 s publishing': { periodSeconds: 1 },
  'msf-local, 5 s publishing': { periodSeconds: 1, publishEveryS: 5 },
  'MSF, 1-minute datapoints': { periodSeconds: 60, wholePeriodsLagMs: 0 },
};

/** A HealthFetcher over a recording; `now` says which datapoints exist yet. */
export function fixtureFetcher(
  series: RecordedSeries,
  resolution: Resolution,
  now: () => number,
): HealthFetcher & { reads: number } {
  const fetcher = {
    periodSeconds: resolution.periodSeconds,
    reads: 0,
    async fetch(application: string, window: { start: number; end: number }): Promise<HealthObservation> {
      fetcher.reads++;
      const periodMs = resolution.periodSeconds * 1000;
      let until = Math.min(window.end, now());
      if (resolution.wholePeriodsLagMs !== undefined)
        until = Math.floor((until - resolution.wholePeriodsLagMs) / periodMs) * periodMs - 1;
      const results = metricDataAt(series, {
        periodSeconds: resolution.periodSeconds,
        until,
        from: window.start,
        ...(resolution.publishEveryS ? { publishEveryS: resolution.publishEveryS } : {}),
        ids: queryId,
      });
      return {
        ok: true,
        series: seriesFromMetricData(application, resolution.periodSeconds, results),
        fetchedAt: now(),
      };
    },
  };
  return fetcher;
}

/** Ground truth from the 1-second recording: when the restart counter rose after the bake began. */
export function restartTimes(series: RecordedSeries): number[] {
  const metric =
    series.metrics.find((m) => m.name === 'numRestarts' && m.stat === 'Maximum') ??
    series.metrics.find((m) => m.name === 'fullRestarts' && m.stat === 'Maximum');
  if (!metric) return [];
  const times: number[] = [];
  let prev = 0;
  metric.timestamps.forEach((t, i) => {
    const v = metric.values[i]!;
    if (t >= series.bakeStartAt && v > prev) times.push(t);
    if (t >= series.bakeStartAt) prev = v;
  });
  return times;
}

/**
 * One turn of the fail-and-restart loop, as recorded: the median time between restarts (the restart delay plus
 * the time the job takes to fail again), else the restart delay.
 */
export function restartCycleMs(series: RecordedSeries): number {
  const times = restartTimes(series);
  const gaps = times
    .slice(1)
    .map((t, i) => t - times[i]!)
    .sort((a, b) => a - b);
  return gaps.length ? gaps[Math.floor(gaps.length / 2)]! : series.setup.restartDelayMs;
}
