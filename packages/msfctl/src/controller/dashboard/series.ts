/**
 * Health charts: which CloudWatch period to read a range at, and the model's health series as the columns the
 * dashboard draws. Pure.
 */
import type { HealthSeries as ChartSeries, SeriesColumns } from 'msfctl-dashboard';
import type { HealthSeries } from '../../model/health-series.js';

/** Points a chart shows at most: enough to see a restart, few enough to read fast. */
export const MAX_CHART_POINTS = 360;
/** The periods CloudWatch accepts below a minute (high resolution); above it, whole minutes. */
const SHORT_PERIODS = [1, 5, 10, 20, 30];

/** The shortest valid period, not below the target's own, that covers `rangeMs` in at most MAX_CHART_POINTS. */
export function chartPeriodSeconds(rangeMs: number, minimumSeconds: number): number {
  const wanted = Math.max(minimumSeconds, Math.ceil(rangeMs / 1000 / MAX_CHART_POINTS));
  const short = SHORT_PERIODS.find((p) => p >= wanted);
  return short ?? Math.ceil(wanted / 60) * 60;
}

/** The series as aligned columns over [from, to]: one index per period, `null` where nothing was published. */
export function chartColumns(series: HealthSeries | undefined, from: number, to: number): SeriesColumns {
  const points = (series?.points ?? [])
    .filter((p) => p.at <= to && p.at + (series?.periodSeconds ?? 0) * 1000 > from)
    .sort((a, b) => a.at - b.at);
  const column = (read: (p: (typeof points)[number]) => number | undefined) =>
    points.map((p) => read(p) ?? null);
  return {
    at: points.map((p) => p.at),
    restarts: column((p) => p.restarts),
    uptimeMs: column((p) => p.uptimeMax),
    completedCheckpoints: column((p) => p.completedCheckpoints),
    failedCheckpoints: column((p) => p.failedCheckpoints),
    recordsInPerSecond: column((p) => p.recordsInPerSecond),
    recordsOutPerSecond: column((p) => p.recordsOutPerSecond),
  };
}

export function chartSeries(
  series: HealthSeries | undefined,
  periodSeconds: number,
  range: { from: Date; to: Date },
): ChartSeries {
  return {
    periodSeconds,
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    columns: chartColumns(series, range.from.getTime(), range.to.getTime()),
  };
}
