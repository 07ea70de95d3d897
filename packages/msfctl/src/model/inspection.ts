/**
 * The jar-inspector's JSON documents (java/jar-inspector), validated at the edge and typed for the rest of msfctl.
 */
import { z } from 'zod';

const FlinkVersionEvidence = z.object({
  source: z.string(),
  version: z.string(),
  line: z.string(),
});

export const FlinkVersionSchema = z.object({
  /** Exact or line version ("1.19.1", "1.19"), or "unknown". */
  version: z.string(),
  /** Major.minor ("1.19"), null when unknown. */
  line: z.string().nullable(),
  source: z.string().nullable(),
  /** The strongest evidence disagrees (e.g. pom profiles naming different Flink versions). */
  ambiguous: z.boolean(),
  /**
   * build-metadata: recorded by the build itself (a Flink-Version manifest entry, bundled Flink metadata);
   * pom-declaration: the flink.version written in the application's pom.xml, which a -D override or profile may
   * not have used. null when unknown.
   */
  basis: z.enum(['build-metadata', 'pom-declaration']).nullable(),
  evidence: z.array(FlinkVersionEvidence),
});
export type JarFlinkVersion = z.infer<typeof FlinkVersionSchema>;

const HEX32 = z.string().regex(/^[0-9a-f]{32}$/);

export const InspectedOperatorSchema = z.object({
  nodeId: z.number().int(),
  name: z.string(),
  uid: z.string().nullable(),
  /** setUidHash(...) value, if any. */
  userHash: z.string().nullable(),
  /** The OperatorID Flink generates (from the uid, else from the topology); state is stored under it. */
  operatorId: HEX32,
  /** The OperatorID from setUidHash(...); restore matches either id. */
  userDefinedOperatorId: HEX32.nullable(),
  vertexId: HEX32,
  vertexName: z.string(),
  parallelism: z.number().int(),
  /** -1 when not configured (Flink then derives it, or adopts a savepoint's). */
  maxParallelism: z.number().int(),
  keyed: z.boolean(),
  operatorClass: z.string().nullable(),
  state: z.enum(['stateful', 'maybe', 'stateless']),
  stateReasons: z.array(z.string()),
});
export type InspectedOperator = z.infer<typeof InspectedOperatorSchema>;

export const InspectDocumentSchema = z.object({
  inspector: z.object({ runtimeFlinkVersion: z.string(), mode: z.literal('inspect') }),
  jar: z.string(),
  flinkVersion: FlinkVersionSchema,
  job: z.object({
    name: z.string(),
    mainClass: z.string(),
    defaultParallelism: z.number().int(),
    vertices: z.number().int(),
  }),
  operators: z.array(InspectedOperatorSchema),
});

export const SnapshotOperatorSchema = z.object({
  operatorId: HEX32,
  /** Coordinator state, or any subtask state: Flink's test before "Cannot map checkpoint/savepoint state". */
  hasState: z.boolean(),
  coordinatorState: z.boolean(),
  subtasksWithState: z.number().int(),
  parallelism: z.number().int(),
  maxParallelism: z.number().int(),
  /** Recorded by Flink 2.x only. */
  name: z.string().nullable(),
  uid: z.string().nullable(),
});
export type SnapshotOperator = z.infer<typeof SnapshotOperatorSchema>;

export const SavepointDocumentSchema = z.object({
  inspector: z.object({ runtimeFlinkVersion: z.string(), mode: z.literal('savepoint') }),
  savepoint: z.object({
    path: z.string(),
    checkpointId: z.number().int(),
    operators: z.array(SnapshotOperatorSchema),
  }),
});

export const OperatorIdDocumentSchema = z.object({
  operatorIds: z.record(z.string(), HEX32),
});

export const ErrorDocumentSchema = z.object({
  error: z.object({ kind: z.string(), message: z.string(), causes: z.array(z.string()) }),
});

/** What inspectJar returns: the inspector's document plus where and how it was obtained. */
export interface JarInspection {
  jarPath: string;
  jarSha256: string;
  runtime: string;
  /** The Flink release the job graph was built with. */
  inspectorFlinkVersion: string;
  /** The Flink version the JAR was built against, from what the build left inside it. */
  flinkVersion: JarFlinkVersion;
  job: z.infer<typeof InspectDocumentSchema>['job'];
  operators: InspectedOperator[];
  /** How the inspector JVM was kept off the network. */
  sandbox: NetworkSandbox;
  fromCache: boolean;
  durationMs: number;
}

export type NetworkSandbox = 'network-namespace' | 'jvm-guards';

/** State held by a snapshot (savepoint or retained checkpoint), per OperatorID. */
export interface SnapshotState {
  path: string;
  checkpointId: number;
  operators: SnapshotOperator[];
}
