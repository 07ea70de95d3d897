/**
 * The values the recovery policy produces and the executor runs: an ordered list of steps, each one service
 * call (or wait, or health check) with a sentence for people. Plain data, JSON-serialisable, so a recovery
 * can be printed before it runs and recorded in the ledger as it does.
 */
import type { AppConfig, RestoreSettings } from './application.js';
import type { OnFailurePolicy } from './deploy-settings.js';
import type { ConfigUpdate } from './application.js';

export type RecoveryStep =
  /** RollbackApplication: the service's way back to the previous version and its latest snapshot. */
  | { kind: 'rollback'; description: string; fromVersion: number }
  /** StopApplication with Force: no snapshot (a failing job cannot take one). */
  | { kind: 'force-stop'; description: string }
  /** UpdateApplication of a READY application back to (or on to) a configuration; no restart. */
  | { kind: 'update'; description: string; update: ConfigUpdate; fields: string[] }
  /** StartApplication with the restore settings given. */
  | { kind: 'start'; description: string; run: RestoreSettings }
  /** Wait for an operation the service runs by itself (its system rollback) to end. */
  | { kind: 'wait'; description: string; operationId: string }
  /** Read the application back so the ledger matches the service (after a system rollback). */
  | { kind: 'reconcile'; description: string }
  /** Bake watch on the recovered application. */
  | { kind: 'verify'; description: string; bakeSeconds: number };

export type StepKind = RecoveryStep['kind'];

export type SituationKind = 'operation-failed' | 'crash-loop' | 'snapshot-impossible' | 'system-rollback';

export interface RecoveryPlan {
  application: string;
  policy: OnFailurePolicy;
  situation: SituationKind;
  /** What went wrong and what msfctl does about it, in one or two sentences. */
  summary: string;
  steps: RecoveryStep[];
  /** What a person must know before or after: state lost, no good snapshot, nothing to roll back to... */
  warnings: string[];
  /** Where the application should be when every step succeeded. */
  target?: { status: 'RUNNING' | 'READY'; config?: AppConfig; restoreFrom?: string };
  /**
   * The deploy that led here failed: the command exits non-zero even when recovery succeeds. False only for
   * snapshot-impossible, where the steps are the deploy itself.
   */
  deployFailed: boolean;
}
