/**
 * The MSF runtime environments msf-local runs and msfctl inspects JARs for, each pinned to one Flink release
 * from Maven Central, and the few places where Flink's REST API or configuration differ between them. One
 * table: a JAR is inspected on the same Flink that msf-local runs it on.
 */

export type RuntimeEnvironment = 'FLINK-1_19' | 'FLINK-1_20' | 'FLINK-2_2';

export interface FlinkRuntimeSpec {
  runtimeEnvironment: RuntimeEnvironment;
  /** The Flink release whose artifacts make up the cluster classpath. */
  flinkVersion: string;
  /** Run-request field that selects how a savepoint is claimed (`restoreMode` was renamed in 2.0). */
  claimModeField: 'restoreMode' | 'claimMode';
  /** Configuration keys for the checkpoint and savepoint directories (renamed in 2.0). */
  checkpointDirKey: string;
  savepointDirKey: string;
  /** Flink 2 dropped the deprecated `fullRestarts` gauge. */
  hasFullRestarts: boolean;
}

const FLINK_1: Pick<
  FlinkRuntimeSpec,
  'claimModeField' | 'checkpointDirKey' | 'savepointDirKey' | 'hasFullRestarts'
> = {
  claimModeField: 'restoreMode',
  checkpointDirKey: 'state.checkpoints.dir',
  savepointDirKey: 'state.savepoints.dir',
  hasFullRestarts: true,
};

const FLINK_2: typeof FLINK_1 = {
  claimModeField: 'claimMode',
  checkpointDirKey: 'execution.checkpointing.dir',
  savepointDirKey: 'execution.checkpointing.savepoint-dir',
  hasFullRestarts: false,
};

export const FLINK_RUNTIMES: Readonly<Record<RuntimeEnvironment, FlinkRuntimeSpec>> = {
  'FLINK-1_19': { runtimeEnvironment: 'FLINK-1_19', flinkVersion: '1.19.3', ...FLINK_1 },
  'FLINK-1_20': { runtimeEnvironment: 'FLINK-1_20', flinkVersion: '1.20.5', ...FLINK_1 },
  'FLINK-2_2': { runtimeEnvironment: 'FLINK-2_2', flinkVersion: '2.2.1', ...FLINK_2 },
};

export function isSupportedRuntime(runtimeEnvironment: string): runtimeEnvironment is RuntimeEnvironment {
  return Object.hasOwn(FLINK_RUNTIMES, runtimeEnvironment);
}

/** The spec of a runtime environment; throws a clear error for one msf-local cannot run. */
export function runtimeSpec(runtimeEnvironment: string): FlinkRuntimeSpec {
  if (!isSupportedRuntime(runtimeEnvironment)) {
    throw new Error(
      `msf-local cannot run runtime environment ${runtimeEnvironment}; supported: ${Object.keys(FLINK_RUNTIMES).join(', ')}`,
    );
  }
  return FLINK_RUNTIMES[runtimeEnvironment];
}

/** "FLINK-1_20" → "1.20": the Flink line an MSF runtime environment runs (also for runtimes not in the table). */
export function flinkLineOfRuntime(runtime: string): string | null {
  const match = /^FLINK-(\d+)_(\d+)$/.exec(runtime);
  return match ? `${match[1]}.${match[2]}` : null;
}
