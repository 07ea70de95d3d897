/**
 * The plan: a serialisable value that says exactly what apply will do, and to what. Apply executes
 * `actions` and nothing else; everything else here is for people (and for refusing a stale plan).
 */
import type { ActionPlan } from './actions.js';
import type { AppStatus, DesiredApplication } from './application.js';
import type { FieldChange } from './changes.js';
import type { DeploySettings } from './deploy-settings.js';

/** 2: one action vocabulary (force-stop is its own action). A plan of another format is refused. */
export const PLAN_FORMAT = 'msfctl-plan/2';

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
  /** The difference is what an interrupted msfctl command had already sent: its own, not drift. */
  interrupted?: { kind: string; who: string; startedAt: string };
}

/** A JAR digest for people: "sha256:0123456789ab". */
export function short(sha256: string | undefined): string {
  return sha256 ? `sha256:${sha256.slice(0, 12)}` : 'sha256:unknown';
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

export interface Plan extends ActionPlan {
  format: typeof PLAN_FORMAT;
  createdAt: string;
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
