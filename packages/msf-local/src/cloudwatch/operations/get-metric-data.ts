/** GetMetricData: metric queries and metric-math expressions over them, paged by a datapoint budget. */
import type { Dimension } from '../backend/metric-store.js';
import { evaluate, referencedIds, type Point } from '../backend/metric-math.js';
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
import type { Input, OperationContext, Output } from './types.js';

const DEFAULT_MAX_DATAPOINTS = 100_800;

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

export function getMetricData(input: Input, ctx: OperationContext): Output {
  const rawQueries = input.MetricDataQueries as QueryInput[];
  if (rawQueries.length === 0 || rawQueries.length > 500) {
    throw cwErrors.invalidParameterValue(
      'The collection MetricDataQueries must have between 1 and 500 members.',
    );
  }
  const start = input.StartTime as number;
  const end = input.EndTime as number;
  checkRange(start, end);
  const scanBy = (input.ScanBy as string | undefined) ?? 'TimestampDescending';
  const maxDatapoints = (input.MaxDatapoints as number | undefined) ?? DEFAULT_MAX_DATAPOINTS;
  if (maxDatapoints < 1) {
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
  const token = input.NextToken as string | undefined;
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

interface QueryInput {
  Id: string;
  MetricStat?: {
    Metric: { Namespace?: string; MetricName?: string; Dimensions?: unknown };
    Period: number;
    Stat: string;
    Unit?: string;
  };
  Expression?: string;
  Label?: string;
  ReturnData?: boolean;
}

function readQuery(raw: QueryInput, n: number): DataQuery {
  const where = `MetricDataQueries.member.${n}`;
  const id = raw.Id;
  if (!/^[a-z][a-zA-Z0-9_]*$/.test(id)) {
    throw cwErrors.invalidParameterValue(
      `The value ${id} for parameter ${where}.Id is not valid: it must start with a lowercase letter and contain only letters, numbers and underscores.`,
    );
  }
  const stat = raw.MetricStat;
  const expression = raw.Expression;
  if ((stat !== undefined) === (expression !== undefined)) {
    throw cwErrors.invalidParameterCombination(
      `Exactly one of the parameters ${where}.MetricStat and ${where}.Expression must be specified.`,
    );
  }
  const returnData = raw.ReturnData ?? true;
  const label = raw.Label;
  if (expression !== undefined) {
    return { kind: 'expression', id, label: label ?? id, returnData, where, expression };
  }
  const metric = stat!.Metric;
  const metricName = metric.MetricName;
  if (!metricName)
    throw cwErrors.missingParameter(`The parameter ${where}.MetricStat.Metric.MetricName is required.`);
  const namespace = metric.Namespace;
  if (!namespace)
    throw cwErrors.missingParameter(`The parameter ${where}.MetricStat.Metric.Namespace is required.`);
  const statName = stat!.Stat;
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
    dimensions: dimensionsOf(metric.Dimensions, `${where}.MetricStat.Metric.Dimensions`),
    period: checkPeriod(stat!.Period, `${where}.MetricStat.Period`),
    stat: statName,
    unit: stat!.Unit,
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
