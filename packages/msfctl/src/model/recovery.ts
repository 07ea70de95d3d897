/**
 * What the recovery policy (engine/recovery/policy.ts) produces: an ordinary action plan — the same actions
 * and the same executor as every verb — with what went wrong, what msfctl does about it and where the
 * application should end. Plain data, so a recovery is printed before it runs and recorded as it does.
 */
import type { ActionPlan, ActionRecord } from './actions.js';
import type { AppConfig, LiveApplication } from './application.js';
import type { OnFailurePolicy } from './deploy-settings.js';

export type SituationKind = 'operation-failed' | 'crash-loop' | 'snapshot-impossible' | 'system-rollback';

export interface RecoveryPlan extends ActionPlan {
  policy: OnFailurePolicy;
  situation: SituationKind;
  /** What went wrong and what msfctl does about it, in one or two sentences. */
  summary: string;
  /** What a person must know before or after: state lost, no good snapshot, nothing to roll back to... */
  warnings: string[];
  /** Where the application should be when every action succeeded. */
  target?: {
    status: 'RUNNING' | 'READY';
    config?: AppConfig;
    /**
     * The version whose configuration `config` is. Going back creates a new version (a rollback, an update
     * back): the application ends on a higher version with this one's configuration, and messages say so.
     */
    configOf?: number;
    restoreFrom?: string;
  };
  /**
   * The deploy that led here failed: the command exits non-zero even when recovery succeeds. False only for
   * snapshot-impossible, where the actions are the deploy itself.
   */
  deployFailed: boolean;
}

/** How a recovery went: each action's record, the application after it. */
export interface RecoveryOutcome {
  plan: RecoveryPlan;
  /** Every action succeeded (a plan without actions is ok). */
  ok: boolean;
  records: ActionRecord[];
  /** The application after the last action that ran. */
  live: LiveApplication | undefined;
  failed?: ActionRecord;
}
