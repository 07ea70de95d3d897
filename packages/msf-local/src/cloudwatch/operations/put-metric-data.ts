/** PutMetricData: up to 1000 data (a value, values with counts, or a statistic set each) into the metric store. */
import type { MetricDatum } from '../backend/metric-store.js';
import { cwErrors } from '../errors.js';
import { dimensionsOf } from './rules.js';
import type { Input, OperationContext, Output } from './types.js';

const TWO_WEEKS_MS = 14 * 24 * 60 * 60 * 1000;
const TWO_HOURS_MS = 2 * 60 * 60 * 1000;

interface DatumInput {
  MetricName: string;
  Dimensions?: unknown;
  Timestamp?: number;
  Value?: number;
  Values?: number[];
  Counts?: number[];
  StatisticValues?: { SampleCount: number; Sum: number; Minimum: number; Maximum: number };
  Unit?: string;
}

export async function putMetricData(input: Input, ctx: OperationContext): Promise<Output> {
  const namespace = input.Namespace as string;
  if (namespace.startsWith('AWS/')) {
    throw cwErrors.invalidParameterValue(`The value ${namespace} for parameter Namespace is invalid.`);
  }
  const rawData = input.MetricData as DatumInput[] | undefined;
  if (rawData === undefined) throw cwErrors.missingParameter('The parameter MetricData is required.');
  if (rawData.length === 0 || rawData.length > 1000) {
    throw cwErrors.invalidParameterValue('The collection MetricData must have between 1 and 1000 members.');
  }
  const now = ctx.now();
  const data: MetricDatum[] = rawData.map((raw, i) => {
    const where = `MetricData.member.${i + 1}`;
    const dimensions = dimensionsOf(raw.Dimensions, `${where}.Dimensions`);
    const timestamp = raw.Timestamp ?? now;
    if (timestamp < now - TWO_WEEKS_MS || timestamp > now + TWO_HOURS_MS) {
      throw cwErrors.invalidParameterValue(
        `The parameter ${where}.Timestamp must specify a time no more than two weeks in the past and no more than two hours in the future.`,
      );
    }
    const values = raw.Values ?? [];
    const counts = raw.Counts ?? [];
    const stats = raw.StatisticValues;
    const given = [raw.Value !== undefined, values.length > 0, stats !== undefined].filter(Boolean).length;
    if (given === 0) throw cwErrors.missingParameter(`The parameter ${where}.Value is required.`);
    if (given > 1) {
      throw cwErrors.invalidParameterCombination(
        `The parameters ${where}.Value, ${where}.Values and ${where}.StatisticValues are mutually exclusive and you have specified more than one.`,
      );
    }
    if (counts.length > 0 && counts.length !== values.length) {
      throw cwErrors.invalidParameterValue(
        `The parameters ${where}.Values and ${where}.Counts must have the same number of members.`,
      );
    }
    const datum: MetricDatum = {
      namespace,
      metricName: raw.MetricName,
      dimensions,
      timestamp,
      unit: raw.Unit ?? 'None',
    };
    if (raw.Value !== undefined) datum.value = raw.Value;
    if (values.length > 0) {
      datum.values = values;
      if (counts.length > 0) datum.counts = counts;
    }
    if (stats !== undefined) {
      datum.statisticValues = {
        sampleCount: stats.SampleCount,
        sum: stats.Sum,
        minimum: stats.Minimum,
        maximum: stats.Maximum,
      };
    }
    return datum;
  });
  await ctx.store.putMany(data);
  return {};
}
