export { startMsfLocal } from './msf-local.js';
export type { MsfLocal, MsfLocalOptions } from './msf-local.js';
export type { ThrottleSettings, ThrottleCounters } from './server/throttle.js';
export type { JobRuntime, JobLaunch, JobObservation, JobMetrics } from './control-plane/job-runtime.js';
export { JobStartFailure, SnapshotFailure } from './control-plane/job-runtime.js';
export { rehearse, RehearsalError } from './rehearsal/index.js';
export type {
  RehearsalOptions,
  RehearsalResult,
  RehearsalFailure,
  RehearsalFailureKind,
  RehearsalOperator,
  RehearsalProgress,
  RehearsalStep,
  RehearsalTask,
  RehearsalTimings,
  SandboxStream,
  SkippedStreamProperty,
  SavepointInfo,
} from './rehearsal/index.js';
export type { PropertyGroup } from './control-plane/job-runtime.js';
export type { RuntimeEnvironment } from 'msf-flink-runtime';
