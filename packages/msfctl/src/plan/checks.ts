/**
 * The preflight seam: checks that run after the plan is computed and may add findings to it (a refusal
 * blocks apply). The state-compatibility preflight (issue 7) plugs in here; msfctl's own checks (KPU quota,
 * named snapshot) live in the planner.
 */
import type { AwsClients } from '../aws/clients.js';
import type { MsfGateway } from '../aws/msf-gateway.js';
import type { IoHost } from '../output/io-host.js';
import type { Observation } from '../observe/refresh.js';
import type { LoadedSpec } from '../spec/load.js';
import type { Ledger } from '../state/ledger.js';
import type { Finding, Plan } from './plan.js';

export interface PlanCheckContext {
  plan: Plan;
  observation: Observation;
  spec: LoadedSpec;
  ledger: Ledger;
  gateway: MsfGateway;
  clients: AwsClients;
  host: IoHost;
  /** Command-line flags checks may honour (e.g. allowNonRestoredState, acceptStateLoss). */
  flags: Record<string, unknown>;
}

export interface PlanCheck {
  name: string;
  run(ctx: PlanCheckContext): Promise<Finding[]>;
}

/** The checks `plan` and `apply` run by default. */
export function defaultPlanChecks(): PlanCheck[] {
  return [];
}
