/**
 * msf-flink-runtime: the facts msf-local and msfctl share about Flink on MSF — the runtime table (which Flink
 * release each runtime environment runs), the cache root, cached Maven builds of this repository's Java tools,
 * the properties agent and the jar inspector.
 */
export {
  FLINK_RUNTIMES,
  flinkLineOfRuntime,
  isSupportedRuntime,
  runtimeSpec,
  type FlinkRuntimeSpec,
  type RuntimeEnvironment,
} from './runtimes.js';
export {
  BUILDS_FROM_SOURCE,
  JAVA_PROJECTS_DIR,
  cachedMavenBuild,
  defaultCacheRoot,
  preparePropertiesAgent,
  stderrProgress,
  type CachedMavenBuild,
  type ProgressLog,
} from './maven-build.js';
export {
  MAVEN_CENTRAL,
  PACKAGED_JARS_DIR,
  materializePackagedBuild,
  packagedBuild,
  type PackagedBuild,
  type PackagedLibrary,
  type PackagedManifest,
} from './packaged-java.js';
export { INSPECTOR_SOURCE_DIR, ensureInspector, type InspectorBuild } from './jar-inspector.js';
export { childEnvironment } from './child-environment.js';
