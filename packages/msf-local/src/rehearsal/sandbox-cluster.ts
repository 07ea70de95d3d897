import path from 'node:path';

import type { PropertyGroup } from '../control-plane/job-runtime.js';
import { writeJsonAtomic } from '../store/atomic-file.js';
import { clusterConfig } from '../flink/cluster-config.js';
import { defaultJavaCommand, FlinkHostProcess } from '../flink/flink-host-process.js';
import type { PreparedRuntime } from '../flink/runtime-cache.js';
import { jobAwsEnvironment } from '../kinesis/job-aws-environment.js';
import { egressTrapSettings, type EgressTrap } from './egress-trap.js';
import { sandboxPropertyGroups } from './sandbox-properties.js';

/**
 * The rehearsal's cluster JVM: msf-local's flink-host with the properties agent (reading the sandboxed property
 * groups), the job AWS environment of the private endpoint, the egress trap as its proxy, and none of the caller's
 * AWS settings. Restarts are disabled (any failure is the verdict) and the checkpoint interval is the sandbox's.
 */

export interface SandboxClusterSpec {
  runtime: PreparedRuntime;
  /** The sandbox directory: the cluster's files go under `job/`. */
  dir: string;
  endpointUrl: string;
  trap: Pick<EgressTrap, 'host' | 'port'>;
  propertyGroups: readonly PropertyGroup[];
  region: string;
  parallelism: number;
  checkpointIntervalMs: number;
  javaCommand?: string;
  /** Aborting kills the JVM at once, also while it boots. */
  signal: AbortSignal;
}

export async function startSandboxCluster(spec: SandboxClusterSpec): Promise<FlinkHostProcess> {
  const aws = jobAwsEnvironment({ edgeUrl: spec.endpointUrl, region: spec.region });
  const egress = egressTrapSettings(spec.trap);
  const propertiesFile = path.join(spec.dir, 'application_properties.json');
  await writeJsonAtomic(propertiesFile, sandboxPropertyGroups(spec.propertyGroups, aws.clientProperties));
  const workDir = path.join(spec.dir, 'job');
  const flinkConfig = {
    ...clusterConfig(
      {
        workDir,
        snapshotDir: path.join(workDir, 'savepoints'),
        parallelism: spec.parallelism,
        checkpointing: { enabled: true, intervalMs: spec.checkpointIntervalMs, minPauseMs: 0 },
      },
      spec.runtime.spec,
      { restartDelayMs: 0, metricsRefreshMs: 500 },
    ),
    // Any failure is the verdict: no restarts (a job's own restart strategy is caught by job-watch).
    'restart-strategy.type': 'disable',
  };
  return FlinkHostProcess.start({
    runtime: spec.runtime,
    flinkConfig,
    confDir: path.join(workDir, 'flink'),
    logDir: path.join(workDir, 'logs'),
    logLevel: 'WARN',
    propertiesFile,
    heapMb: Math.min(2048, 256 + 128 * spec.parallelism),
    baseEnvironment: withoutCallerAwsSettings(process.env),
    environment: {
      ...aws.environment,
      ...egress.environment,
      // The caller's profiles and credentials stay out of the sandbox.
      AWS_SHARED_CREDENTIALS_FILE: path.join(spec.dir, 'no-aws-credentials'),
      AWS_CONFIG_FILE: path.join(spec.dir, 'no-aws-config'),
    },
    systemProperties: { ...aws.systemProperties, ...egress.systemProperties },
    javaCommand: spec.javaCommand ?? defaultJavaCommand(),
    startTimeoutMs: 120_000,
    signal: spec.signal,
  });
}

/** The caller's environment without what would point the sandbox's clients elsewhere (AWS settings, proxies). */
function withoutCallerAwsSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(env).filter(([name]) => !/^(?:AWS_|HTTPS?_PROXY$|NO_PROXY$)/i.test(name)),
  );
}
