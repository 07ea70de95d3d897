import type { FlinkRuntimeSpec } from 'msf-flink-runtime';

/** A Flink runtime ready to boot a cluster JVM from (runtime-cache.ts prepares it). */
export interface PreparedRuntime {
  spec: FlinkRuntimeSpec;
  /** Java classpath of the cluster JVM (flink-host.jar and the Flink jars). */
  classpath: string;
  /** The Java agent that redirects KinesisAnalyticsRuntime.getApplicationProperties(). */
  propertiesAgentJar: string;
  /** A CDS archive of the classes a cluster JVM loads while it boots, when one could be recorded. */
  classDataArchive?: string;
}
