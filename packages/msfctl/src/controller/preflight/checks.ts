/**
 * The preflight checks `plan` and `apply` run by default: state compatibility, whether a snapshot can be taken
 * (which may change the actions), then the deploy rehearsal of the actions as they stand.
 */
import type { RehearsalSettings } from '../../model/rehearsal.js';
import type { PlanCheck } from './check.js';
import { rehearsalCheck } from './rehearsal-check.js';
import { snapshotFeasibilityCheck } from './snapshot-check.js';
import { stateCompatibilityCheck } from './state-check.js';

export type { CheckPorts, PlanCheck, PlanCheckContext, PlanCheckOutcome } from './check.js';

export function defaultPlanChecks(rehearsal?: RehearsalSettings): PlanCheck[] {
  return [
    stateCompatibilityCheck(),
    snapshotFeasibilityCheck(),
    ...(rehearsal ? [rehearsalCheck(rehearsal)] : []),
  ];
}
