/** msfctl as a library: the spec, the planner, the executor and the lifecycle operations. */
export { MsfctlError, type ErrorCode } from './errors.js';
export type * from './domain/application.js';
export { loadSpec, loadAllEnvironments, type LoadedSpec } from './spec/load.js';
export { readTfvars } from './spec/tfvars.js';
export { applicationSpecSchema, type ApplicationSpec } from './spec/schema.js';
export { planChanges } from './plan/planner.js';
export type { Plan, PlannedAction, Effect, Finding } from './plan/plan.js';
export {
  defaultPlanChecks,
  type PlanCheck,
  type PlanCheckContext,
  type PlanCheckOutcome,
} from './plan/checks.js';
export { stateCompatibilityCheck, type StateCheckReport } from './preflight/state-check.js';
export { snapshotFeasibilityCheck, type SnapshotCheckReport } from './preflight/snapshot-check.js';
export {
  defaultAfterApplySteps,
  type AfterApplyStep,
  type AfterApplyContext,
  type AfterApplyResult,
} from './apply/after-apply.js';
export { deployGuardStep, type DeployGuardOptions } from './recovery/deploy-guard.js';
export { lifecycleGuard, type LifecycleGuard } from './recovery/lifecycle-guard.js';
export { deploySettings, type DeploySettings } from './recovery/deploy-settings.js';
export { checkHealth, watchHealth, type HealthCheck } from './health/health-check.js';
export { executePlan } from './apply/executor.js';
export { SdkMsfGateway, type MsfGateway } from './aws/msf-gateway.js';
export { createClients } from './aws/clients.js';
export { resolveTarget } from './aws/target.js';
export { makePlan } from './lifecycle/make-plan.js';
export { apply } from './lifecycle/apply.js';
export {
  startApplication,
  stopApplication,
  restartApplication,
  rollbackApplication,
} from './lifecycle/start-stop.js';
export { createSnapshot, deleteSnapshots, selectPrunable } from './lifecycle/snapshots.js';
export { scaleApplication } from './lifecycle/scale.js';
export { destroyApplication } from './lifecycle/destroy.js';
export { withLockedSession } from './lifecycle/locked-session.js';
export { localUp, localDown, localStatus } from './local/msf-local-process.js';
