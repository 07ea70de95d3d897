/** The preflight checks `plan` and `apply` run by default: state compatibility, then whether a snapshot can be taken. */
import type { PlanCheck } from './check.js';
import { snapshotFeasibilityCheck } from './snapshot-check.js';
import { stateCompatibilityCheck } from './state-check.js';

export type { CheckPorts, PlanCheck, PlanCheckContext, PlanCheckOutcome } from './check.js';

export function defaultPlanChecks(): PlanCheck[] {
  return [stateCompatibilityCheck(), snapshotFeasibilityCheck()];
}
