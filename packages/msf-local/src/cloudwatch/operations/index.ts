/** The CloudWatch operations msf-local serves, by name; each takes the model-validated input (protocol/input.ts). */
import { getMetricData } from './get-metric-data.js';
import { getMetricStatistics } from './get-metric-statistics.js';
import { listMetrics } from './list-metrics.js';
import { putMetricData } from './put-metric-data.js';
import type { Input, OperationContext, Output } from './types.js';

export const OPERATIONS = {
  GetMetricData: getMetricData,
  GetMetricStatistics: getMetricStatistics,
  ListMetrics: listMetrics,
  PutMetricData: putMetricData,
} satisfies Record<string, (input: Input, ctx: OperationContext) => Output | Promise<Output>>;

export type OperationName = keyof typeof OPERATIONS;

export function isOperation(name: string): name is OperationName {
  return Object.hasOwn(OPERATIONS, name);
}

export async function runOperation(
  name: OperationName,
  input: Input,
  ctx: OperationContext,
): Promise<Output> {
  return OPERATIONS[name](input, ctx);
}
