/**
 * The plan: a serialisable value that says exactly what apply will do, and to what. Apply executes
 * `actions` and nothing else; everything else here is for people (and for refusing a stale plan).
 */
import type {
  AppConfig,
  AppStatus,
  ConfigUpdate,
  DesiredApplication,
  RestoreSettings,
} from './application.js';
import type { DeploySettings } from './deploy-settings.js';
import type { ChangeKind, FieldChange } from './changes.js';

export const PLAN_FORMAT = 'msfctl-plan/1';

/** What an action does to the running job. */
export interface Effect {
  /** The job is restarted (stopped and started again) by this action. */
  restart: boolean;
  /** A snapshot of the job's state is taken by this action. */
  snapshot: boolean;
  /**
   * restored: the (re)started job gets state from a snapshot; dropped: the running job's state is discarded;
   * saved: the job stops and its state stays in a snapshot; none: a job starts with empty state and nothing
   * is lost; unchanged: no job is touched.
   */
  state: 'restored' | 'dropped' | 'saved' | 'none' | 'unchanged';
  /** One line saying where state comes from or goes. */
  stateDetail: string;
  kpus: { before: number; after: number };
}

export type PlannedAction =
  | { type: 'create'; config: AppConfig; description?: string; effect: Effect }
  | {
      type: 'update';
      kinds: ChangeKind[];
      changes: FieldChange[];
      update: ConfigUpdate;
      /** Sent as RunConfigurationUpdate: only when the application is RUNNING (the update restarts it). */
      run?: RestoreSettings;
      effect: Effect;
    }
  | { type: 'start'; run: RestoreSettings; reason: string; effect: Effect }
  | { type: 'stop'; force: boolean; reason: string; effect: Effect }
  // Used by lifecycle commands (rollback, snapshot create, destroy); the planner never emits them.
  | { type: 'rollback'; fromVersion: number; toVersion?: number; effect: Effect }
  | { type: 'snapshot'; name: string; effect: Effect }
  | { type: 'delete'; effect: Effect };

export type ActionType = PlannedAction['type'];

export interface Finding {
  severity: 'info' | 'warning' | 'refusal';
  code: string;
  message: string;
  hint?: string;
}

export interface DriftReport {
  /** Fields changed since msfctl last saw the application (console, CLI, system rollback...). */
  changes: FieldChange[];
  /** A steady status different from the one msfctl left (e.g. stopped outside msfctl). */
  status?: { expected: AppStatus; actual: AppStatus };
  /** Version msfctl last saw, and the live one. */
  versions?: { expected: number; actual: number };
  /** Operations on the service since then that msfctl did not run. */
  operations: { id: string; operation: string; status: string; at?: string }[];
  /** Why the service differs from the spec when msfctl itself made it so (rollback, scale...). */
  notes: string[];
}

export interface ArtifactRef {
  /** Content digest; unknown for code.s3 unless the ledger recorded it. */
  sha256?: string;
  size?: number;
  bucket: string;
  key: string;
  /** The local JAR to upload (absent for code.s3). */
  localPath?: string;
  /** How the JAR was obtained. */
  source: 'maven' | 'jar' | 's3';
}

export interface Plan {
  format: typeof PLAN_FORMAT;
  createdAt: string;
  application: string;
  /** Where the plan was made: a plan is refused on a different endpoint or region. */
  target: { kind?: 'aws' | 'local'; region?: string; endpoint?: string };
  /** The live application the plan was computed from; apply refuses the plan if it moved. */
  basis:
    { exists: false } | { exists: true; versionId: number; conditionalToken?: string; status: AppStatus };
  specDigest: string;
  artifact?: ArtifactRef;
  /** The JAR the live application runs, with its digest when the ledger knows it. */
  deployedArtifact?: { bucket: string; key: string; sha256?: string };
  /** The live application in brief, for display. */
  live?: { status: AppStatus; versionId: number; runtime: string; parallelism: number; kpus: number };
  desired: DesiredApplication;
  changes: FieldChange[];
  drift: DriftReport;
  actions: PlannedAction[];
  findings: Finding[];
  kpus: { before: number; after: number; quota: number };
  /** The safe-deploy settings apply uses (bake, onFailure, acceptStateLoss), as of when the plan was made. */
  deploy?: DeploySettings;
  /** Reports of the preflight checks, by check name (state compatibility, snapshot feasibility). */
  preflight?: Record<string, unknown>;
}

export function hasChanges(plan: Pick<Plan, 'actions'>): boolean {
  return plan.actions.length > 0;
}

export function refusals(plan: Pick<Plan, 'findings'>): Finding[] {
  return plan.findings.filter((f) => f.severity === 'refusal');
}
