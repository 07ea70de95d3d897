/** msfctl as a library: the spec, the planner, the executor and the lifecycle operations. */
export { MsfctlError, type ErrorCode } from './model/errors.js';
export type * from './model/application.js';
export { loadSpec, loadAllEnvironments, type LoadedSpec } from './spec/load.js';
export { readTfvars } from './spec/tfvars.js';
export { applicationSpecSchema, type ApplicationSpec } from './spec/schema.js';
export { planChanges } from './engine/planner.js';
export type { Plan, PlannedAction, Effect, Finding } from './model/plan.js';
export {
  defaultPlanChecks,
  type PlanCheck,
  type PlanCheckContext,
  type PlanCheckOutcome,
} from './controller/preflight/checks.js';
export { stateCompatibilityCheck, type StateCheckReport } from './controller/preflight/state-check.js';
export { snapshotFeasibilityCheck, type SnapshotCheckReport } from './controller/preflight/snapshot-check.js';
export {
  defaultAfterApplySteps,
  type AfterApplyStep,
  type AfterApplyContext,
  type AfterApplyResult,
} from './controller/after-apply.js';
export { deployGuardStep, type DeployGuardOptions } from './controller/recovery/deploy-guard.js';
export { lifecycleGuard, type LifecycleGuard } from './controller/recovery/lifecycle-guard.js';
export { deploySettings, type DeploySettings } from './model/deploy-settings.js';
export { checkHealth, watchHealth, type HealthCheck } from './controller/health/health-check.js';
export { executePlan } from './controller/executor.js';
export { SdkMsfGateway } from './adapters/aws/msf-gateway.js';
export { type MsfGateway } from './ports/msf.js';
export { createClients } from './adapters/aws/clients.js';
export { resolveTarget } from './adapters/targets/target.js';
export { makePlan } from './controller/make-plan.js';
export { apply } from './controller/apply.js';
export {
  startApplication,
  stopApplication,
  restartApplication,
  rollbackApplication,
} from './controller/verbs/start-stop.js';
export { createSnapshot, deleteSnapshots, selectPrunable } from './controller/verbs/snapshots.js';
export { scaleApplication } from './controller/verbs/scale.js';
export { destroyApplication } from './controller/verbs/destroy.js';
export { withLockedSession } from './controller/session.js';
export { localUp, localDown, localStatus } from './adapters/targets/local/msf-local-process.js';
