/** msf-local's real Flink job runtime: public entry points. */
export { FlinkJobRuntime, type FlinkJobRuntimeOptions } from './flink-job-runtime.js';
export {
  FLINK_RUNTIMES,
  isSupportedRuntime,
  runtimeSpec,
  type FlinkRuntimeSpec,
  type RuntimeEnvironment,
} from './flink-runtimes.js';
export {
  prepareRuntime,
  prepareRuntimes,
  preparePropertiesAgent,
  type PrepareOptions,
  type PreparedRuntime,
} from './runtime-cache.js';
export { defaultCacheRoot } from './maven-build.js';
export { toErrorString } from './error-string.js';
