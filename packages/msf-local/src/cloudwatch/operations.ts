import { cwErrors } from './errors.js';
import type { Dimension, MetricDatum, MetricStore } from './metric-store.js';
import { evaluate, MAX_EXPRESSION_LENGTH, referencedIds, type Point } from './metric-math.js';
import {
  alignStart,
  bucketize,
  BASIC_STATISTICS,
  isBasicStatistic,
  isPercentile,
  statistic,
} from './statistics.js';

/**
 * The CloudWatch operations, independent of the wire protocol. Inputs arrive as plain objects (parsed from
 * AWS JSON 1.0 or from query-protocol form fields, where every scalar is a string); outputs are plain objects
 * with `Date` for timestamps and `OutputMap` for maps, which each protocol serialises its own way.
 */

export type Input = Record<string, unknown>;
export type Output = Record<string, unknown>;

/** A map-shaped output member (query protocol: <entry><key/><value/></entry>; JSON: an object). */
export class OutputMap {
  constructor(readonly entries: Record<string, unknown>) {}
}

export const UNITS = [
  'Seconds',
  'Microseconds',
  'Milliseconds',
  'Bytes',
  'Kilobytes',
  'Megabytes',
  'Gigabytes',
  'Terabytes',
  'Bits',
  'Kilobits',
  'Megabits',
  'Gigabits',
  'Terabits',
  'Percent',
  'Count',
  'Bytes/Second',
  'Kilobytes/Second',
  'Megabytes/Second',
  'Gigabytes/Second',
  'Terabytes/Second',
  'Bits/Second',
  'Kilobits/Second',
  'Megabits/Second',
  'Gigabits/Second',
  'Terabits/Second',
  'Count/Second',
  'None',
];

const MAX_STATISTICS_DATAPOINTS = 1440;
const DEFAULT_MAX_DATAPOINTS = 100_800;
const LIST_PAGE = 500;
const TWO_WEEKS_MS = 14 * 24 * 60 * 60 * 1000;
const TWO_HOURS_MS = 2 * 60 * 60 * 1000;

export interface OperationContext {
  store: MetricStore;
  now: () => number;
}

export const OPERATIONS = ['GetMetricData', 'GetMetricStatistics', 'ListMetrics', 'PutMetricData'] as const;
export type OperationName = (typeof OPERATIONS)[number];

export function isOperation(name: string): name is OperationName {
  return (OPERATIONS as readonly string[]).includes(name);
}

export async function runOperation(
  name: OperationName,
  input: Input,
  ctx: OperationContext,
): Promise<Output> {
  switch (name) {
    case 'GetMetricStatistics':
      return getMetricStatistics(input, ctx);
    case 'GetMetricData':
      return getMetricData(input, ctx);
    case 'ListMetrics':
      return listMetrics(input, ctx);
    case 'PutMetricData':
      return putMetricData(input, ctx);
  }
}

// ------------------------------------------------------------------ GetMetricStatistics

function getMetricStatistics(input: Input, ctx: OperationContext): Output {
  const namespace = requiredString(input, 'Namespace');
  const metricName = requiredString(input, 'MetricName');
  const dimensions = readDimensions(input.Dimensions, 'Dimensions');
  const start = requiredTime(input, 'StartTime');
  const end = requiredTime(input, 'EndTime');
  const period = readPeriod(input.Period, 'Period', true)!;
  const statistics = stringList(input.Statistics, 'Statistics');
  const extended = stringList(input.ExtendedStatistics, 'ExtendedStatistics');
  const unit = optionalUnit(input.Unit, 'Unit');
  if (statistics.length === 0 && extended.length === 0) {
    throw cwErrors.missingParameter(
      'At least one of the parameters Statistics and ExtendedStatistics must be specified.',
    );
  }
  if (statistics.length > 5)
    throw cwErrors.invalidParameterValue('The collection Statistics must not have more than 5 members.');
  if (extended.length > 10) {
    throw cwErrors.invalidParameterValue(
      'The collection ExtendedStatistics must not have more than 10 members.',
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
  let samples = ctx.store.query(namespace, metricName, dimensions, aligned, end);
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

// ------------------------------------------------------------------ GetMetricData

interface StatQuery {
  kind: 'stat';
  id: string;
  label: string;
  returnData: boolean;
  where: string;
  namespace: string;
  metricName: string;
  dimensions: Dimension[];
  period: number;
  stat: string;
  unit?: string;
}

interface ExpressionQuery {
  kind: 'expression';
  id: string;
  label: string;
  returnData: boolean;
  where: string;
  expression: string;
}

type DataQuery = StatQuery | ExpressionQuery;

function getMetricData(input: Input, ctx: OperationContext): Output {
  const rawQueries = input.MetricDataQueries;
  if (rawQueries === undefined)
    throw cwErrors.missingParameter('The parameter MetricDataQueries is required.');
  if (!Array.isArray(rawQueries))
    throw cwErrors.invalidParameterValue('The parameter MetricDataQueries must be a list.');
  if (rawQueries.length === 0 || rawQueries.length > 500) {
    throw cwErrors.invalidParameterValue(
      'The collection MetricDataQueries must have between 1 and 500 members.',
    );
  }
  const start = requiredTime(input, 'StartTime');
  const end = requiredTime(input, 'EndTime');
  checkRange(start, end);
  const scanBy = optionalString(input, 'ScanBy') ?? 'TimestampDescending';
  if (scanBy !== 'TimestampDescending' && scanBy !== 'TimestampAscending') {
    throw cwErrors.invalidParameterValue(
      `The value ${scanBy} for parameter ScanBy is not valid. Valid values are: TimestampDescending, TimestampAscending.`,
    );
  }
  const maxDatapoints = optionalNumber(input.MaxDatapoints, 'MaxDatapoints') ?? DEFAULT_MAX_DATAPOINTS;
  if (!Number.isInteger(maxDatapoints) || maxDatapoints < 1) {
    throw cwErrors.invalidParameterValue('The parameter MaxDatapoints must be a positive integer.');
  }
  const queries = rawQueries.map((raw, index) => readQuery(raw, index + 1));
  const byId = new Map<string, DataQuery>();
  for (const q of queries) {
    if (byId.has(q.id)) {
      throw cwErrors.invalidParameterValue(
        'The values for parameter id in MetricDataQueries are not unique.',
      );
    }
    byId.set(q.id, q);
  }
  const token = optionalString(input, 'NextToken');
  let cursor = { q: 0, o: 0 };
  if (token !== undefined) cursor = decodeCursor(token, queries.length);

  // Every query's series, ascending; expressions evaluated on demand from the series they name.
  const now = ctx.now();
  const series = new Map<string, Point[]>();
  const evaluating = new Set<string>();
  const seriesOf = (q: DataQuery): Point[] => {
    const known = series.get(q.id);
    if (known) return known;
    let points: Point[];
    if (q.kind === 'stat') {
      const aligned = alignStart(start, q.period, now);
      let samples = ctx.store.query(q.namespace, q.metricName, q.dimensions, aligned, end);
      if (q.unit !== undefined) samples = samples.filter((s) => s.unit === q.unit);
      points = bucketize(samples, aligned, q.period * 1000, false)
        .map((b) => ({ t: b.timestamp, v: statistic(b.samples, q.stat) }))
        .filter((p): p is Point => p.v !== undefined);
    } else {
      if (evaluating.has(q.id)) {
        throw cwErrors.invalidParameterValue(
          `Error in expression ${q.id}: circular dependency between expressions.`,
        );
      }
      evaluating.add(q.id);
      points = evaluate(q.expression, q.id, (id) => {
        const other = byId.get(id);
        if (!other)
          throw cwErrors.invalidParameterValue(
            `Error in expression ${q.id}: Unrecognized metric or expression id: ${id}.`,
          );
        return seriesOf(other);
      });
      evaluating.delete(q.id);
    }
    series.set(q.id, points);
    return points;
  };
  // Check every expression up front, so a bad one fails the call whatever the page.
  for (const q of queries) if (q.kind === 'expression') referencedIds(q.expression, q.id);

  const results: Output[] = [];
  let budget = maxDatapoints;
  let nextToken: string | undefined;
  const visible = queries.map((q, index) => ({ q, index })).filter(({ q }) => q.returnData);
  for (const { q, index } of visible) {
    if (index < cursor.q) continue;
    let points = [...seriesOf(q)];
    if (scanBy === 'TimestampDescending') points.reverse();
    const offset = index === cursor.q ? cursor.o : 0;
    points = points.slice(offset);
    if (budget === 0 && points.length > 0) {
      nextToken = encodeCursor({ q: index, o: offset });
      break;
    }
    const page = points.slice(0, budget);
    budget -= page.length;
    const complete = page.length === points.length;
    results.push({
      Id: q.id,
      Label: q.label,
      Timestamps: page.map((p) => new Date(p.t)),
      Values: page.map((p) => p.v),
      StatusCode: complete ? 'Complete' : 'PartialData',
      Messages: [],
    });
    if (!complete) {
      nextToken = encodeCursor({ q: index, o: offset + page.length });
      break;
    }
  }
  const output: Output = { MetricDataResults: results, Messages: [] };
  if (nextToken !== undefined) output.NextToken = nextToken;
  return output;
}

function readQuery(raw: unknown, n: number): DataQuery {
  const where = `MetricDataQueries.member.${n}`;
  if (!isRecord(raw)) throw cwErrors.invalidParameterValue(`The parameter ${where} must be a structure.`);
  const id = requiredString(raw, 'Id', `${where}.Id`);
  if (!/^[a-z][a-zA-Z0-9_]*$/.test(id) || id.length > 255) {
    throw cwErrors.invalidParameterValue(
      `The value ${id} for parameter ${where}.Id is not valid: it must start with a lowercase letter and contain only letters, numbers and underscores.`,
    );
  }
  const hasStat = raw.MetricStat !== undefined;
  const expression = optionalString(raw, 'Expression', `${where}.Expression`);
  if (hasStat === (expression !== undefined)) {
    throw cwErrors.invalidParameterCombination(
      `Exactly one of the parameters ${where}.MetricStat and ${where}.Expression must be specified.`,
    );
  }
  const returnData = optionalBoolean(raw.ReturnData, `${where}.ReturnData`) ?? true;
  const label = optionalString(raw, 'Label', `${where}.Label`);
  if (expression !== undefined) {
    if (expression.length > MAX_EXPRESSION_LENGTH) {
      throw cwErrors.validation(
        `1 validation error detected: Value at '${where}.Expression' failed to satisfy constraint: Member must have length less than or equal to ${MAX_EXPRESSION_LENGTH}`,
      );
    }
    return { kind: 'expression', id, label: label ?? id, returnData, where, expression };
  }
  const stat = raw.MetricStat;
  if (!isRecord(stat))
    throw cwErrors.invalidParameterValue(`The parameter ${where}.MetricStat must be a structure.`);
  const metric = stat.Metric;
  if (metric === undefined)
    throw cwErrors.missingParameter(`The parameter ${where}.MetricStat.Metric is required.`);
  if (!isRecord(metric))
    throw cwErrors.invalidParameterValue(`The parameter ${where}.MetricStat.Metric must be a structure.`);
  const metricName = requiredString(metric, 'MetricName', `${where}.MetricStat.Metric.MetricName`);
  const namespace = requiredString(metric, 'Namespace', `${where}.MetricStat.Metric.Namespace`);
  const statName = requiredString(stat, 'Stat', `${where}.MetricStat.Stat`);
  if (!isBasicStatistic(statName) && !isPercentile(statName)) {
    throw cwErrors.invalidParameterValue(
      `The value ${statName} for parameter ${where}.MetricStat.Stat is not supported by msf-local (${BASIC_STATISTICS.join(', ')} and pNN.NN are).`,
    );
  }
  return {
    kind: 'stat',
    id,
    label: label ?? metricName,
    returnData,
    where,
    namespace,
    metricName,
    dimensions: readDimensions(metric.Dimensions, `${where}.MetricStat.Metric.Dimensions`),
    period: readPeriod(stat.Period, `${where}.MetricStat.Period`, true)!,
    stat: statName,
    unit: optionalUnit(stat.Unit, `${where}.MetricStat.Unit`),
  };
}

function encodeCursor(cursor: { q: number; o: number }): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(token: string, queries: number): { q: number; o: number } {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      q?: unknown;
      o?: unknown;
    };
    if (
      Number.isInteger(parsed.q) &&
      Number.isInteger(parsed.o) &&
      (parsed.q as number) >= 0 &&
      (parsed.q as number) < queries &&
      (parsed.o as number) >= 0
    ) {
      return { q: parsed.q as number, o: parsed.o as number };
    }
  } catch {
    // fall through
  }
  throw cwErrors.invalidNextToken();
}

// ------------------------------------------------------------------ ListMetrics

function listMetrics(input: Input, ctx: OperationContext): Output {
  const namespace = optionalString(input, 'Namespace');
  const metricName = optionalString(input, 'MetricName');
  const rawFilters = input.Dimensions;
  const filters: { Name: string; Value?: string }[] = [];
  if (rawFilters !== undefined) {
    if (!Array.isArray(rawFilters))
      throw cwErrors.invalidParameterValue('The parameter Dimensions must be a list.');
    if (rawFilters.length > 10)
      throw cwErrors.invalidParameterValue('The collection Dimensions must not have more than 10 members.');
    rawFilters.forEach((f, i) => {
      if (!isRecord(f))
        throw cwErrors.invalidParameterValue(`The parameter Dimensions.member.${i + 1} must be a structure.`);
      filters.push({
        Name: requiredString(f, 'Name', `Dimensions.member.${i + 1}.Name`),
        Value: optionalString(f, 'Value', `Dimensions.member.${i + 1}.Value`),
      });
    });
  }
  const recentlyActive = optionalString(input, 'RecentlyActive');
  if (recentlyActive !== undefined && recentlyActive !== 'PT3H') {
    throw cwErrors.invalidParameterValue(
      `The value ${recentlyActive} for parameter RecentlyActive is not valid. Valid values are: PT3H.`,
    );
  }
  const includeLinked = optionalBoolean(input.IncludeLinkedAccounts, 'IncludeLinkedAccounts') ?? false;
  let metrics = ctx.store.listMetrics({ namespace, metricName, dimensions: filters });
  if (recentlyActive !== undefined) {
    const cutoff = ctx.now() - 3 * 60 * 60 * 1000;
    metrics = metrics.filter(
      (m) =>
        ctx.store.query(m.namespace, m.metricName, m.dimensions, cutoff, Number.MAX_SAFE_INTEGER).length > 0,
    );
  }
  const token = optionalString(input, 'NextToken');
  let offset = 0;
  if (token !== undefined) {
    const decoded = Number(Buffer.from(token, 'base64url').toString('utf8').replace(/^o:/, ''));
    if (
      !Buffer.from(token, 'base64url').toString('utf8').startsWith('o:') ||
      !Number.isInteger(decoded) ||
      decoded < 0
    ) {
      throw cwErrors.invalidNextToken();
    }
    offset = decoded;
  }
  const page = metrics.slice(offset, offset + LIST_PAGE);
  const output: Output = {
    Metrics: page.map((m) => ({
      Namespace: m.namespace,
      MetricName: m.metricName,
      Dimensions: m.dimensions,
    })),
  };
  if (offset + LIST_PAGE < metrics.length)
    output.NextToken = Buffer.from(`o:${offset + LIST_PAGE}`).toString('base64url');
  if (includeLinked) output.OwningAccounts = page.map(() => '000000000000');
  return output;
}

// ------------------------------------------------------------------ PutMetricData

async function putMetricData(input: Input, ctx: OperationContext): Promise<Output> {
  const namespace = requiredString(input, 'Namespace');
  if (namespace.startsWith('AWS/') || namespace.length > 255 || !/^[^:].*$/.test(namespace)) {
    throw cwErrors.invalidParameterValue(`The value ${namespace} for parameter Namespace is invalid.`);
  }
  const rawData = input.MetricData;
  if (rawData === undefined) throw cwErrors.missingParameter('The parameter MetricData is required.');
  if (!Array.isArray(rawData) || rawData.length === 0 || rawData.length > 1000) {
    throw cwErrors.invalidParameterValue('The collection MetricData must have between 1 and 1000 members.');
  }
  const now = ctx.now();
  const data: MetricDatum[] = rawData.map((raw, i) => {
    const where = `MetricData.member.${i + 1}`;
    if (!isRecord(raw)) throw cwErrors.invalidParameterValue(`The parameter ${where} must be a structure.`);
    const metricName = requiredString(raw, 'MetricName', `${where}.MetricName`);
    const dimensions = readDimensions(raw.Dimensions, `${where}.Dimensions`);
    if (dimensions.length > 30)
      throw cwErrors.invalidParameterValue(
        `The collection ${where}.Dimensions must not have more than 30 members.`,
      );
    const timestamp = raw.Timestamp === undefined ? now : readTime(raw.Timestamp, `${where}.Timestamp`);
    if (timestamp < now - TWO_WEEKS_MS || timestamp > now + TWO_HOURS_MS) {
      throw cwErrors.invalidParameterValue(
        `The parameter ${where}.Timestamp must specify a time no more than two weeks in the past and no more than two hours in the future.`,
      );
    }
    const value = optionalNumber(raw.Value, `${where}.Value`);
    const values = numberList(raw.Values, `${where}.Values`);
    const counts = numberList(raw.Counts, `${where}.Counts`);
    const stats = raw.StatisticValues;
    const given = [value !== undefined, values.length > 0, stats !== undefined].filter(Boolean).length;
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
    const unit = optionalUnit(raw.Unit, `${where}.Unit`) ?? 'None';
    const datum: MetricDatum = { namespace, metricName, dimensions, timestamp, unit };
    if (value !== undefined) datum.value = value;
    if (values.length > 0) {
      datum.values = values;
      if (counts.length > 0) datum.counts = counts;
    }
    if (stats !== undefined) {
      if (!isRecord(stats))
        throw cwErrors.invalidParameterValue(`The parameter ${where}.StatisticValues must be a structure.`);
      datum.statisticValues = {
        sampleCount: requiredNumber(stats.SampleCount, `${where}.StatisticValues.SampleCount`),
        sum: requiredNumber(stats.Sum, `${where}.StatisticValues.Sum`),
        minimum: requiredNumber(stats.Minimum, `${where}.StatisticValues.Minimum`),
        maximum: requiredNumber(stats.Maximum, `${where}.StatisticValues.Maximum`),
      };
    }
    return datum;
  });
  await ctx.store.putMany(data);
  return {};
}

// ------------------------------------------------------------------ input helpers

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(input: Record<string, unknown>, name: string, where = name): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw cwErrors.invalidParameterValue(`The parameter ${where} must be a string.`);
  return value;
}

function requiredString(input: Record<string, unknown>, name: string, where = name): string {
  const value = optionalString(input, name, where);
  if (value === undefined || value === '')
    throw cwErrors.missingParameter(`The parameter ${where} is required.`);
  return value;
}

function optionalNumber(value: unknown, where: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : NaN;
  if (!Number.isFinite(n))
    throw cwErrors.invalidParameterValue(
      `The value ${String(value)} for parameter ${where} is not a valid number.`,
    );
  return n;
}

function requiredNumber(value: unknown, where: string): number {
  const n = optionalNumber(value, where);
  if (n === undefined) throw cwErrors.missingParameter(`The parameter ${where} is required.`);
  return n;
}

function optionalBoolean(value: unknown, where: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw cwErrors.invalidParameterValue(
    `The value ${String(value)} for parameter ${where} is not a valid boolean.`,
  );
}

/** Timestamps: epoch seconds (JSON protocol, or a numeric string) or ISO 8601 (query protocol). */
function readTime(value: unknown, where: string): number {
  let ms = NaN;
  if (typeof value === 'number') ms = value * 1000;
  else if (typeof value === 'string')
    ms = /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value);
  if (!Number.isFinite(ms))
    throw cwErrors.invalidParameterValue(
      `The value ${String(value)} for parameter ${where} is not a valid timestamp.`,
    );
  return ms;
}

function requiredTime(input: Record<string, unknown>, name: string): number {
  if (input[name] === undefined || input[name] === null)
    throw cwErrors.missingParameter(`The parameter ${name} is required.`);
  return readTime(input[name], name);
}

function checkRange(start: number, end: number): void {
  if (start >= end)
    throw cwErrors.invalidParameterValue('The parameter StartTime must be less than the parameter EndTime.');
}

function readPeriod(value: unknown, where: string, required: boolean): number | undefined {
  const period = optionalNumber(value, where);
  if (period === undefined) {
    if (required) throw cwErrors.missingParameter(`The parameter ${where} is required.`);
    return undefined;
  }
  if (
    !Number.isInteger(period) ||
    period < 1 ||
    (period >= 60 ? period % 60 !== 0 : ![1, 5, 10, 20, 30].includes(period))
  ) {
    throw cwErrors.invalidParameterValue(
      `The parameter ${where} must be 1, 5, 10, 20, 30, or a multiple of 60.`,
    );
  }
  return period;
}

function optionalUnit(value: unknown, where: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !UNITS.includes(value)) {
    throw cwErrors.invalidParameterValue(
      `The value ${String(value)} for parameter ${where} is not a valid unit.`,
    );
  }
  return value;
}

function stringList(value: unknown, where: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw cwErrors.invalidParameterValue(`The parameter ${where} must be a list of strings.`);
  }
  return value as string[];
}

function numberList(value: unknown, where: string): number[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value))
    throw cwErrors.invalidParameterValue(`The parameter ${where} must be a list of numbers.`);
  return value.map((v, i) => requiredNumber(v, `${where}.member.${i + 1}`));
}

function readDimensions(value: unknown, where: string): Dimension[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw cwErrors.invalidParameterValue(`The parameter ${where} must be a list.`);
  const out = value.map((d, i) => {
    if (!isRecord(d))
      throw cwErrors.invalidParameterValue(`The parameter ${where}.member.${i + 1} must be a structure.`);
    return {
      Name: requiredString(d, 'Name', `${where}.member.${i + 1}.Name`),
      Value: requiredString(d, 'Value', `${where}.member.${i + 1}.Value`),
    };
  });
  const names = new Set(out.map((d) => d.Name));
  if (names.size !== out.length) {
    throw cwErrors.invalidParameterValue(
      `The collection ${where} must not contain duplicate dimension names.`,
    );
  }
  return out;
}
