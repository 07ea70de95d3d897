/** GetMetricStatistics: one metric's basic statistics and percentiles per period. */
import type { MetricStore } from '../backend/metric-store.js';
import {
  alignStart,
  BASIC_STATISTICS,
  bucketize,
  isBasicStatistic,
  isPercentile,
  statistic,
} from '../backend/statistics.js';
import { cwErrors } from '../errors.js';
import { checkPeriod, checkRange, dimensionsOf } from './rules.js';
import { OutputMap, type Input, type OperationContext, type Output } from './types.js';

const MAX_STATISTICS_DATAPOINTS = 1440;

export function getMetricStatistics(input: Input, ctx: OperationContext): Output {
  const namespace = input.Namespace as string;
  const metricName = input.MetricName as string;
  const dimensions = dimensionsOf(input.Dimensions, 'Dimensions');
  const start = input.StartTime as number;
  const end = input.EndTime as number;
  const period = checkPeriod(input.Period as number, 'Period');
  const statistics = (input.Statistics as string[] | undefined) ?? [];
  const extended = (input.ExtendedStatistics as string[] | undefined) ?? [];
  const unit = input.Unit as string | undefined;
  if (statistics.length === 0 && extended.length === 0) {
    throw cwErrors.missingParameter(
      'At least one of the parameters Statistics and ExtendedStatistics must be specified.',
    );
  }
  for (const s of statistics) {
    if (!isBasicStatistic(s)) {
      throw cwErrors.invalidParameterValue(
        `The value ${s} for parameter Statistics is not valid. Valid values are: ${BASIC_STATISTICS.join(', ')}.`,
      );
    }
  }
  for (const s of extended) {
    if (!isPercentile(s)) {
      throw cwErrors.invalidParameterValue(
        `The value ${s} for parameter ExtendedStatistics is not supported by msf-local (percentiles pNN or pNN.NN are).`,
      );
    }
  }
  checkRange(start, end);
  const aligned = alignStart(start, period, ctx.now());
  const requested = Math.ceil((end - aligned) / (period * 1000));
  if (requested > MAX_STATISTICS_DATAPOINTS) {
    throw cwErrors.invalidParameterCombination(
      `You have requested up to ${requested.toLocaleString('en-US')} datapoints, which exceeds the limit of ${MAX_STATISTICS_DATAPOINTS.toLocaleString('en-US')}. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`,
    );
  }
  const store: MetricStore = ctx.store;
  let samples = store.query(namespace, metricName, dimensions, aligned, end);
  if (unit !== undefined) samples = samples.filter((s) => s.unit === unit);
  const datapoints = bucketize(samples, aligned, period * 1000, unit === undefined).map((bucket) => {
    const point: Output = { Timestamp: new Date(bucket.timestamp) };
    for (const s of statistics) point[s] = statistic(bucket.samples, s);
    if (extended.length > 0) {
      const map: Record<string, unknown> = {};
      for (const s of extended) {
        const value = statistic(bucket.samples, s);
        if (value !== undefined) map[s] = value;
      }
      point.ExtendedStatistics = new OutputMap(map);
    }
    point.Unit = bucket.unit;
    return point;
  });
  return { Label: metricName, Datapoints: datapoints };
}
