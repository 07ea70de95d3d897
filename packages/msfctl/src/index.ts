/**
 * msfctl as a library: the model, the controller's verbs (one pipeline each: observe → plan → preflight →
 * record intent → execute → watch → recover → record), and the adapters that give them a target. Everything a
 * verb needs comes in its RunContext, so one process can drive many applications at once.
 */
export { MsfctlError, type ErrorCode } from './model/errors.js';
export type * from './model/application.js';
export type { Action, ActionPlan, ActionRecord, Effect } from './model/actions.js';
export type { Plan, Finding } from './model/plan.js';
export type { RecoveryPlan, RecoveryOutcome } from './model/recovery.js';
export { deploySettings, type DeploySettings, type OnFailurePolicy } from './model/deploy-settings.js';
export { loadSpec, loadAllEnvironments, type LoadedSpec } from './spec/load.js';
export { readTfvars } from './spec/tfvars.js';
export { applicationSpecSchema, type ApplicationSpec } from './spec/schema.js';
export { planChanges } from './engine/planner.js';
export { decideRecovery, type Situation, type RecoveryFacts } from './engine/recovery/policy.js';
export type { RunContext } from './controller/context.js';
export { runPipeline, type RunResult, type Verb, type Decision } from './controller/pipeline.js';
export { executePlan, type ExecutionResult } from './controller/executor.js';
export { watchAndRecover, type WatchReport } from './controller/watch.js';
export {
  defaultPlanChecks,
  type CheckPorts,
  type PlanCheck,
  type PlanCheckContext,
  type PlanCheckOutcome,
} from './controller/preflight/checks.js';
export { stateCompatibilityCheck, type StateCheckReport } from './controller/preflight/state-check.js';
export { snapshotFeasibilityCheck, type SnapshotCheckReport } from './controller/preflight/snapshot-check.js';
export { checkHealth, watchHealth } from './controller/health/health-check.js';
export { type HealthCheck } from './model/health.js';
export { makePlan } from './controller/make-plan.js';
export { apply, type ApplyInput, type ApplyResult } from './controller/apply.js';
export {
  destroyApplication,
  restartApplication,
  rollbackApplication,
  scaleApplication,
  startApplication,
  stopApplication,
} from './controller/verbs.js';
export {
  createSnapshot,
  deleteEnhancedSnapshots,
  deleteSnapshots,
  exportSnapshot,
  importSnapshot,
  listAccountSnapshots,
  listSnapshots,
} from './controller/snapshots.js';
export { selectPrunable } from './engine/snapshots.js';
export type { SnapshotExporter, SnapshotExportRequest, ExportedSnapshot } from './ports/snapshot-export.js';
export { withLockedSession } from './controller/session.js';
export type { MsfGateway } from './ports/msf.js';
export type { IoHost } from './ports/io-host.js';
export type { Target } from './ports/target.js';
export { SdkMsfGateway } from './adapters/aws/msf-gateway.js';
export { createClients } from './adapters/aws/clients.js';
export { resolveTarget } from './adapters/targets/target.js';
export { openTarget, type OpenedTarget } from './adapters/targets/open-target.js';
export { createSilentHost } from './adapters/io/memory-host.js';
export { localUp, localDown, localStatus } from './adapters/targets/local/msf-local-process.js';
