/**
 * The preflight seam: checks that run after the plan is computed. A check may add findings (a refusal
 * blocks apply), amend the actions (e.g. the forced path when a snapshot cannot be taken), and leave a report
 * in `plan.preflight` for `--json`. Checks run in order, each seeing the plan as the previous ones left it.
 * msfctl's own checks (KPU quota, named snapshot) live in the planner; safe deploys' live in preflight/.
 */
import type { AwsClients } from '../../adapters/aws/clients.js';
import type { MsfGateway } from '../../ports/msf.js';
import type { SnapshotStateSource } from '../../ports/snapshot-state.js';
import type { IoHost } from '../../ports/io-host.js';
import type { Observation } from '../observe.js';
import { snapshotFeasibilityCheck } from './snapshot-check.js';
import { stateCompatibilityCheck } from './state-check.js';
import type { DeploySettings } from '../../model/deploy-settings.js';
import type { LoadedSpec } from '../../spec/load.js';
import type { Ledger } from '../../model/ledger.js';
import type { Finding, Plan, PlannedAction } from '../../model/plan.js';

export interface PlanCheckContext {
  plan: Plan;
  observation: Observation;
  spec: LoadedSpec;
  ledger: Ledger;
  gateway: MsfGateway;
  clients: AwsClients;
  host: IoHost;
  /** The safe-deploy settings of this run (flags over spec). */
  deploy: DeploySettings;
  /** Command-line flags checks may honour. */
  flags: Record<string, unknown>;
}

export interface PlanCheckOutcome {
  findings?: Finding[];
  /** The plan's actions as this check changed them; absent: unchanged. */
  actions?: PlannedAction[];
  /** What the check found, kept in the plan as `preflight[name]` (JSON output, saved plans). */
  report?: unknown;
}

export interface PlanCheck {
  name: string;
  run(ctx: PlanCheckContext): Promise<PlanCheckOutcome | undefined>;
}

export interface DefaultChecksOptions {
  /** Where the target can read what a snapshot holds (msf-local): lets the state check use real snapshot state. */
  snapshotState?: SnapshotStateSource;
}

/** The checks `plan` and `apply` run by default: state compatibility, then whether a snapshot can be taken. */
export function defaultPlanChecks(options: DefaultChecksOptions = {}): PlanCheck[] {
  return [
    stateCompatibilityCheck(options.snapshotState ? { snapshotState: options.snapshotState } : {}),
    snapshotFeasibilityCheck(),
  ];
}
