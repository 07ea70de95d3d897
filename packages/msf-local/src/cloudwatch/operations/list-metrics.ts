/** ListMetrics: the metrics a filter selects, 500 a page, optionally only those active in the last three hours. */
import { cwErrors } from '../errors.js';
import type { Input, OperationContext, Output } from './types.js';

const LIST_PAGE = 500;

export function listMetrics(input: Input, ctx: OperationContext): Output {
  const namespace = input.Namespace as string | undefined;
  const metricName = input.MetricName as string | undefined;
  const filters = (input.Dimensions as { Name: string; Value?: string }[] | undefined) ?? [];
  const recentlyActive = input.RecentlyActive as string | undefined;
  const includeLinked = (input.IncludeLinkedAccounts as boolean | undefined) ?? false;
  let metrics = ctx.store.listMetrics({ namespace, metricName, dimensions: filters });
  if (recentlyActive !== undefined) {
    const cutoff = ctx.now() - 3 * 60 * 60 * 1000;
    metrics = metrics.filter(
      (m) =>
        ctx.store.query(m.namespace, m.metricName, m.dimensions, cutoff, Number.MAX_SAFE_INTEGER).length > 0,
    );
  }
  const token = input.NextToken as string | undefined;
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
