/**
 * The preflight seam: checks that run after the plan is computed. A check may add findings (a refusal
 * blocks apply), amend the actions (e.g. the forced path when a snapshot cannot be taken), and leave a report
 * in `plan.preflight` for `--json`. Checks run in order, each seeing the plan as the previous ones left it.
 * msfctl's own checks (KPU quota, named snapshot) live in the planner; safe deploys' live here.
 */
import type { Action } from '../../model/actions.js';
import type { DeploySettings } from '../../model/deploy-settings.js';
import type { Ledger } from '../../model/ledger.js';
import type { Finding, Plan } from '../../model/plan.js';
import type { ArtifactStore } from '../../ports/artifacts.js';
import type { Clock } from '../../ports/clock.js';
import type { ExceptionSource } from '../../ports/exceptions.js';
import type { IoHost } from '../../ports/io-host.js';
import type { JarInspector } from '../../ports/jar-inspector.js';
import type { HealthFetcher } from '../../ports/metrics.js';
import type { MsfGateway } from '../../ports/msf.js';
import type { SnapshotStateSource } from '../../ports/snapshot-state.js';
import type { Rehearser } from '../../ports/rehearsal.js';
import type { SavepointFiles } from '../../ports/savepoint-files.js';
import type { SnapshotExporter } from '../../ports/snapshot-export.js';
import type { Observation } from '../observe.js';

/** The target's ports the checks read: JARs, the inspector, metrics, exceptions, snapshot state. */
export interface CheckPorts {
  artifacts: ArtifactStore;
  inspector?: JarInspector;
  metrics?: HealthFetcher;
  exceptions?: ExceptionSource;
  snapshotState?: SnapshotStateSource;
  /** The deploy rehearsal, and what brings it the state: the target's exporter, S3 savepoint files. */
  rehearser?: Rehearser;
  exporter?: SnapshotExporter;
  savepointFiles?: SavepointFiles;
}

export interface PlanCheckContext extends CheckPorts {
  plan: Plan;
  observation: Observation;
  ledger: Ledger;
  gateway: MsfGateway;
  host: IoHost;
  clock?: Clock;
  /** The safe-deploy settings of this run (flags over spec). */
  deploy: DeploySettings;
  /** Command-line flags checks may honour. */
  flags: Record<string, unknown>;
}

export interface PlanCheckOutcome {
  findings?: Finding[];
  /** The plan's actions as this check changed them; absent: unchanged. */
  actions?: Action[];
  /** What the check found, kept in the plan as `preflight[name]` (JSON output, saved plans). */
  report?: unknown;
}

export interface PlanCheck {
  name: string;
  run(ctx: PlanCheckContext): Promise<PlanCheckOutcome | undefined>;
}
