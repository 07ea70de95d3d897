/** CloudWatch's rules beyond the model's constraints, shared by the operations (periods, time ranges, dimensions). */
import type { Dimension } from '../backend/metric-store.js';
import { cwErrors } from '../errors.js';

export function checkRange(start: number, end: number): void {
  if (start >= end)
    throw cwErrors.invalidParameterValue('The parameter StartTime must be less than the parameter EndTime.');
}

/** A period is 1, 5, 10, 20, 30 (high resolution) or a multiple of 60 seconds. */
export function checkPeriod(period: number, where: string): number {
  if (period >= 60 ? period % 60 !== 0 : ![1, 5, 10, 20, 30].includes(period)) {
    throw cwErrors.invalidParameterValue(
      `The parameter ${where} must be 1, 5, 10, 20, 30, or a multiple of 60.`,
    );
  }
  return period;
}

/** Dimensions as the model typed them; the same name twice is refused. */
export function dimensionsOf(value: unknown, where: string): Dimension[] {
  const dimensions = (value as Dimension[] | undefined) ?? [];
  if (new Set(dimensions.map((d) => d.Name)).size !== dimensions.length) {
    throw cwErrors.invalidParameterValue(
      `The collection ${where} must not contain duplicate dimension names.`,
    );
  }
  return dimensions;
}
