/**
 * The MSF runtime environments the inspector can build job graphs for, each pinned to the Flink release whose
 * classpath it runs on. Kept equal to msf-local's table (packages/msf-local/src/flink/flink-runtimes.ts; a test
 * checks it) so that a JAR is inspected on the same Flink that msf-local runs it on.
 */

export type RuntimeEnvironment = 'FLINK-1_19' | 'FLINK-1_20' | 'FLINK-2_2';

export const INSPECTOR_FLINK_VERSIONS: Readonly<Record<RuntimeEnvironment, string>> = {
  'FLINK-1_19': '1.19.3',
  'FLINK-1_20': '1.20.5',
  'FLINK-2_2': '2.2.1',
};

export function isInspectableRuntime(runtime: string): runtime is RuntimeEnvironment {
  return Object.hasOwn(INSPECTOR_FLINK_VERSIONS, runtime);
}

export function assertInspectableRuntime(runtime: string): RuntimeEnvironment {
  if (!isInspectableRuntime(runtime)) {
    throw new Error(
      `cannot inspect JARs for runtime environment ${runtime}; supported: ${Object.keys(INSPECTOR_FLINK_VERSIONS).join(', ')}`,
    );
  }
  return runtime;
}

/** "FLINK-1_20" → "1.20": the Flink line an MSF runtime environment runs (also for runtimes msfctl cannot inspect). */
export function flinkLineOfRuntime(runtime: string): string | null {
  const match = /^FLINK-(\d+)_(\d+)$/.exec(runtime);
  return match ? `${match[1]}.${match[2]}` : null;
}
