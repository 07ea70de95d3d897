/**
 * Recovery after a failed or unhealthy deploy: the policy (pure decisions), the system-rollback detection,
 * and the executor that runs the decided steps against a small port of MSF calls and waiters.
 */
export {
  type RecoveryPlan,
  type RecoveryStep,
  type SituationKind,
  type StepKind,
} from '../../model/recovery.js';
export {
  DEFAULT_ON_FAILURE,
  ON_FAILURE_POLICIES,
  type OnFailurePolicy,
} from '../../model/deploy-settings.js';
export {
  decideRecovery,
  configUpdateBetween,
  type Situation,
  type RecoveryFacts,
  type RecoveryOptions,
} from '../../engine/recovery/policy.js';
export { parseOnFailure } from '../../model/deploy-settings.js';
export {
  chooseGoodSnapshot,
  latestSnapshotIsGood,
  type GoodSnapshot,
  type GoodSnapshotQuery,
} from '../../engine/recovery/good-snapshot.js';
export {
  findSystemRollback,
  detectSystemRollback,
  type SystemRollback,
  type SystemRollbackQuery,
  type OperationsReader,
} from '../../engine/recovery/system-rollback.js';
export { isSnapshotImpossible } from '../../engine/recovery/snapshot-error.js';
export {
  executeRecovery,
  type RecoveryPort,
  type RecoveryOutcome,
  type RecoveryHooks,
  type StepRecord,
  type Started,
} from './recovery-executor.js';
export { recoveryPortFor, type GatewayPortOptions } from './gateway-port.js';
export {
  recoveryPlanMessages,
  stepStartMessage,
  stepEndMessage,
  recoveryOutcomeMessage,
} from '../../engine/recovery/messages.js';
export { deployGuardStep, type DeployGuardOptions } from './deploy-guard.js';
