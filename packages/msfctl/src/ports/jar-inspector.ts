/**
 * The JAR inspector: a job's stateful operators by OperatorID and the Flink it was built for, as the runtime's
 * Flink sees them (adapters/inspector runs java/jar-inspector in a sandbox).
 */
import type { JarInspection } from '../model/inspection.js';

/** An MSF runtime property group, as in the Kinesis Analytics V2 API. */
export interface PropertyGroup {
  PropertyGroupId: string;
  PropertyMap: Record<string, string>;
}

export interface InspectJarOptions {
  jarPath: string;
  /** MSF runtime environment whose Flink builds the job graph, e.g. "FLINK-1_20". */
  runtime: string;
  /** Defaults to the JAR manifest's Main-Class. */
  entryClass?: string;
  programArgs?: string[];
  /** The application's parallelism (MSF's default is 1): chaining, and so auto-generated ids, depend on it. */
  parallelism?: number;
  /** What KinesisAnalyticsRuntime.getApplicationProperties() returns to the application's main(). */
  properties?: PropertyGroup[];
  /** Default 120 s. */
  timeoutMs?: number;
  /** Where results are cached (by JAR SHA-256, runtime and the other inputs); no caching when omitted. */
  cacheDir?: string;
}

export interface JarInspector {
  /** Whether it can build job graphs for this runtime environment. */
  inspectable(runtime: string): boolean;
  inspect(options: InspectJarOptions): Promise<JarInspection>;
}
