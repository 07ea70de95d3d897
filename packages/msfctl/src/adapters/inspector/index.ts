/** State-compatibility building blocks of safe deploys: JAR inspection, snapshot state, the comparison. */
export { operatorIdFromUid } from './operator-id.js';
export {
  inspectJar,
  readSnapshotState,
  flinkOperatorIds,
  sha256File,
  type InspectJarOptions,
} from './inspect-jar.js';
export { InspectionError } from './inspector-process.js';
export { type PropertyGroup } from '../../ports/jar-inspector.js';
export {
  compareStateCompatibility,
  blockingFindings,
  type OperatorRef,
  type OperatorTable,
  type StateCompatibilityOptions,
  type StateCompatibilityReport,
  type StateFinding,
  type StateFindingKind,
  type StateOverride,
} from '../../engine/preflight/state-compatibility.js';
export type {
  InspectedOperator,
  JarFlinkVersion,
  JarInspection,
  NetworkSandbox,
  SnapshotOperator,
  SnapshotState,
} from '../../model/inspection.js';
export { assertInspectableRuntime } from './inspect-jar.js';
