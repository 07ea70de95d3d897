export { startMsfLocal } from './msf-local.js';
export type { MsfLocal, MsfLocalOptions } from './msf-local.js';
export type { JobRuntime, JobLaunch, JobObservation, JobMetrics } from './control-plane/job-runtime.js';
export { JobStartFailure, SnapshotFailure } from './control-plane/job-runtime.js';
