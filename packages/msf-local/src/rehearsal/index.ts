/** The deploy rehearsal: msf-local's public library API for restoring a new job from a savepoint in a sandbox. */
export { rehearse } from './rehearse.js';
export {
  RehearsalError,
  type RehearsalOptions,
  type RehearsalResult,
  type RehearsalFailure,
  type RehearsalProgress,
  type RehearsalStep,
  type RehearsalTask,
  type RehearsalTimings,
} from './types.js';
export type { RehearsalFailureKind, RehearsalOperator } from './failure.js';
export type { SandboxStream, SkippedStreamProperty } from './sandbox-properties.js';
export type { SavepointInfo } from './savepoint-info.js';
