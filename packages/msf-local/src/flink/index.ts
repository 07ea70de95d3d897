/** msf-local's real Flink job runtime: public entry points. */
export { FlinkJobRuntime, type FlinkJobRuntimeOptions } from './flink-job-runtime.js';
export {
  FLINK_RUNTIMES,
  isSupportedRuntime,
  runtimeSpec,
  type FlinkRuntimeSpec,
  type RuntimeEnvironment,
  defaultCacheRoot,
  preparePropertiesAgent,
} from 'msf-flink-runtime';
export {
  prepareRuntime,
  prepareRuntimes,
  type PrepareOptions,
  type PreparedRuntime,
} from './runtime-cache.js';
export { toErrorString } from './error-string.js';
