/**
 * The health series: one point per CloudWatch period with the values the detector reads, whatever the Flink
 * version named them. Flink 1.x publishes fullRestarts/uptime/downtime; Flink 2.2 replaces them with
 * numRestarts/runningTime/restartingTime/failingTime (msf-api.md §5). msf-local publishes both families on
 * 1.x, and there `downtime` stays 0 through region restarts while `restartingTime` shows them (recorded in
 * test/health/fixtures), so "down" is the largest of every outage metric present, not the first one found.
 */
import type { MetricDataResult } from '@aws-sdk/client-cloudwatch';
import type { HealthPoint, HealthSeries } from '../../model/health-series.js';

export const MSF_NAMESPACE = 'AWS/KinesisAnalytics';

/** One GetMetricData query per (metric, statistic) the detector reads. Ids are GetMetricData query ids. */
export const HEALTH_QUERIES = [
  { id: 'num_restarts', metric: 'numRestarts', stat: 'Maximum' },
  { id: 'full_restarts', metric: 'fullRestarts', stat: 'Maximum' },
  { id: 'uptime_min', metric: 'uptime', stat: 'Minimum' },
  { id: 'uptime_max', metric: 'uptime', stat: 'Maximum' },
  { id: 'running_min', metric: 'runningTime', stat: 'Minimum' },
  { id: 'running_max', metric: 'runningTime', stat: 'Maximum' },
  { id: 'downtime_max', metric: 'downtime', stat: 'Maximum' },
  { id: 'restarting_max', metric: 'restartingTime', stat: 'Maximum' },
  { id: 'failing_max', metric: 'failingTime', stat: 'Maximum' },
  { id: 'failed_cp_max', metric: 'numberOfFailedCheckpoints', stat: 'Maximum' },
  { id: 'completed_cp_max', metric: 'numberOfCompletedCheckpoints', stat: 'Maximum' },
  { id: 'cp_duration_max', metric: 'lastCheckpointDuration', stat: 'Maximum' },
  { id: 'cp_size_max', metric: 'lastCheckpointSize', stat: 'Maximum' },
  { id: 'records_in_avg', metric: 'numRecordsInPerSecond', stat: 'Average' },
  { id: 'records_out_avg', metric: 'numRecordsOutPerSecond', stat: 'Average' },
  // Whether data flows: backpressure and, for a Kinesis source, the iterator age, where the target publishes them.
  { id: 'backpressure_max', metric: 'backPressuredTimeMsPerSecond', stat: 'Maximum' },
  { id: 'behind_max', metric: 'millisBehindLatest', stat: 'Maximum' },
] as const;

export type HealthQueryId = (typeof HEALTH_QUERIES)[number]['id'];

type Raw = Partial<Record<HealthQueryId, number>>;

/**
 * Builds the series from GetMetricData results (any order, any page split). Results whose id is not one of
 * HEALTH_QUERIES are ignored; a timestamp missing from one result simply leaves that value absent.
 */
export function seriesFromMetricData(
  application: string,
  periodSeconds: number,
  results: readonly MetricDataResult[],
): HealthSeries {
  const byTime = new Map<number, Raw>();
  const seen = new Set<HealthQueryId>();
  const known = new Set<string>(HEALTH_QUERIES.map((q) => q.id));
  for (const result of results) {
    if (!result.Id || !known.has(result.Id)) continue;
    const id = result.Id as HealthQueryId;
    const times = result.Timestamps ?? [];
    const values = result.Values ?? [];
    for (let i = 0; i < Math.min(times.length, values.length); i++) {
      const value = values[i]!;
      if (!Number.isFinite(value)) continue;
      const at = new Date(times[i]!).getTime();
      const raw = byTime.get(at) ?? {};
      raw[id] = value;
      byTime.set(at, raw);
      seen.add(id);
    }
  }
  const points = [...byTime.entries()].sort(([a], [b]) => a - b).map(([at, raw]) => toPoint(at, raw));
  const down = (['downtime_max', 'restarting_max', 'failing_max'] as const)
    .filter((id) => seen.has(id))
    .map((id) => metricOf(id));
  return {
    application,
    periodSeconds,
    points,
    sources: {
      ...(seen.has('num_restarts')
        ? { restarts: 'numRestarts' }
        : seen.has('full_restarts')
          ? { restarts: 'fullRestarts' }
          : {}),
      ...(seen.has('uptime_min') || seen.has('uptime_max')
        ? { uptime: 'uptime' }
        : seen.has('running_min') || seen.has('running_max')
          ? { uptime: 'runningTime' }
          : {}),
      ...(down.length ? { down } : {}),
    },
  };
}

function metricOf(id: HealthQueryId): string {
  return HEALTH_QUERIES.find((q) => q.id === id)!.metric;
}

function maxOf(...values: (number | undefined)[]): number | undefined {
  const present = values.filter((v): v is number => v !== undefined);
  return present.length ? Math.max(...present) : undefined;
}

function toPoint(at: number, raw: Raw): HealthPoint {
  const point: HealthPoint = { at };
  const set = <K extends keyof HealthPoint>(key: K, value: HealthPoint[K] | undefined) => {
    if (value !== undefined) point[key] = value;
  };
  // In Flink 1.x numRestarts and fullRestarts are the same counter; 2.2 has only numRestarts.
  set('restarts', raw.num_restarts ?? raw.full_restarts);
  set('uptimeMin', raw.uptime_min ?? raw.running_min);
  set('uptimeMax', raw.uptime_max ?? raw.running_max);
  // Flink reports -1 ("no longer running") for a job that ended; only positive values are an outage.
  set('down', maxOf(raw.downtime_max, raw.restarting_max, raw.failing_max));
  set('failedCheckpoints', raw.failed_cp_max);
  set('completedCheckpoints', raw.completed_cp_max);
  set('lastCheckpointDuration', raw.cp_duration_max);
  set('lastCheckpointSize', raw.cp_size_max);
  set('recordsInPerSecond', raw.records_in_avg);
  set('recordsOutPerSecond', raw.records_out_avg);
  set('backPressuredMsPerSecond', raw.backpressure_max);
  set('millisBehindLatest', raw.behind_max);
  return point;
}
