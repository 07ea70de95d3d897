import { isSupportedRuntime, type RuntimeEnvironment } from 'msf-flink-runtime';

import type { PropertyGroup } from '../control-plane/job-runtime.js';
import type { ClassifiedFailure } from './failure.js';
import type { SandboxStream, SkippedStreamProperty } from './sandbox-properties.js';
import type { SavepointInfo } from './savepoint-info.js';

/** The public shapes of `rehearse()` (README: "Deploy rehearsal"), and the validation of its options. */

export interface RehearsalOptions {
  /** The MSF runtime the deploy targets: the rehearsal runs that Flink release. */
  runtime: RuntimeEnvironment;
  /** Local path of the new application JAR. */
  jar: string;
  /**
   * Local savepoint: its directory (holding `_metadata`) or the `_metadata` file. Read, never changed. A promise
   * of it lets the sandbox boot while the caller still fetches the savepoint (snapshot, export, download): the
   * JVM's start-up then costs no wall time.
   */
  savepoint: string | Promise<string>;
  /** The new runtime properties (what KinesisAnalyticsRuntime.getApplicationProperties() returns). */
  propertyGroups?: readonly PropertyGroup[];
  /** The deploy's parallelism (the job's default parallelism; the sandbox has as many task slots). */
  parallelism: number;
  /** Recorded and checked (1–8) like MSF's ParallelismPerKPU; the sandbox runs one TaskManager regardless. */
  parallelismPerKpu?: number;
  /** The deploy's AllowNonRestoredState. */
  allowNonRestoredState: boolean;
  /** How long the restored job must run without a restart, from when all its tasks run. Default 30. */
  windowSeconds?: number;
  /** The sandbox's checkpoint interval. Default 2000 ms. */
  checkpointIntervalMs?: number;
  /** AWS_REGION of the job, and of streams whose group has no `aws.region`. Default us-east-1. */
  region?: string;
  /** Streams to create besides those the properties name (names or stream ARNs). */
  streams?: readonly string[];
  /**
   * Bound of the whole rehearsal. A job still restoring then fails the rehearsal (`timeout`); a sandbox still
   * starting is an error. Default: 5 minutes plus the window.
   */
  timeoutMs?: number;
  /** Aborting stops the rehearsal at once: everything is removed and `rehearse` rejects with the reason. */
  signal?: AbortSignal;
  onProgress?: (event: RehearsalProgress) => void;
  /** Flink runtimes cache; default `$MSF_LOCAL_CACHE` or `~/.cache/msf-local`. */
  cacheRoot?: string;
  /** Java 17 executable; default `$MSF_LOCAL_JAVA`, `$JAVA_HOME/bin/java`, `java`. */
  javaCommand?: string;
  /** Warnings and first-use runtime downloads; default stderr. */
  log?: (line: string) => void;
}

export type RehearsalStep = 'prepare' | 'sandbox' | 'submit' | 'restore' | 'window' | 'teardown';

export interface RehearsalProgress {
  step: RehearsalStep;
  message: string;
  /** Since rehearse() was called. */
  elapsedMs: number;
}

export interface RehearsalFailure extends ClassifiedFailure {
  /** When it broke: while main() ran and Flink loaded the savepoint, while tasks restored state, or after. */
  phase: 'submit' | 'restore' | 'window';
  /** Flink's full error text (stack traces), at most 64 KB. */
  flinkError?: string;
}

/** Wall time of each step, in ms (steps that ran in parallel overlap; `totalMs` is the wall time). */
export interface RehearsalTimings {
  /** Checks, savepoint size and header, runtime lookup. */
  prepareMs: number;
  /** Private endpoint listening (the JVM boots with its URL). */
  endpointMs: number;
  /** The cluster JVM, from spawn to its REST API answering. */
  clusterBootMs: number;
  /** kinesis-local with the streams (in parallel with the JVM); absent when no stream is named. */
  kinesisMs?: number;
  /** JAR upload and run: main(), job submission, Flink loading the savepoint's metadata. */
  submitMs?: number;
  /** From submission until every task runs (state restored into the tasks). */
  restoreMs?: number;
  windowMs?: number;
  /** Killing the JVM and kinesis-local, closing the endpoint, removing the directory. */
  teardownMs: number;
  totalMs: number;
}

export interface RehearsalTask {
  /** JobVertexID: the OperatorID of the task's first (chain head) operator. */
  id: string;
  name: string;
  parallelism: number;
  status: string;
}

export interface RehearsalResult {
  passed: boolean;
  runtime: RuntimeEnvironment;
  flinkVersion: string;
  savepoint: SavepointInfo;
  /** The savepoint Flink reports the job restored from (its `latest.restored` checkpoint). */
  restoredFrom?: string;
  parallelism: number;
  parallelismPerKpu?: number;
  allowNonRestoredState: boolean;
  windowSeconds: number;
  checkpointIntervalMs: number;
  /** Checkpoints the restored job completed in the sandbox. */
  checkpointsCompleted: number;
  restarts: number;
  /** The job's tasks and their status when the rehearsal ended (empty if the job never started). */
  tasks: RehearsalTask[];
  /** Streams created in the private endpoint. */
  streams: SandboxStream[];
  /** Stream-like properties whose value was neither a stream name nor an ARN. */
  skippedStreamProperties: SkippedStreamProperty[];
  /** `host:port` the job tried to reach outside the sandbox through proxy-aware clients (refused). */
  blockedConnections: string[];
  durationMs: number;
  timings: RehearsalTimings;
  failure?: RehearsalFailure;
}

/** The rehearsal could not be run (bad options, no savepoint, a sandbox that does not start): no verdict. */
export class RehearsalError extends Error {
  override readonly name = 'RehearsalError';
}

export interface ValidOptions extends RehearsalOptions {
  windowSeconds: number;
  checkpointIntervalMs: number;
  region: string;
  timeoutMs: number;
}

const REGION = /^[a-z]{2}(?:-[a-z0-9]+)+$/;

/** The options with defaults applied; a RehearsalError naming the option for anything invalid. */
export function validateOptions(options: RehearsalOptions): ValidOptions {
  const problems: string[] = [];
  const integer = (name: string, value: unknown, min: number, max: number): void => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
      problems.push(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  };
  if (typeof options.runtime !== 'string' || !isSupportedRuntime(options.runtime))
    problems.push(
      `runtime must be FLINK-1_19, FLINK-1_20 or FLINK-2_2, got ${JSON.stringify(options.runtime)}`,
    );
  if (typeof options.jar !== 'string' || !options.jar) problems.push('jar must be a path');
  if (
    !(options.savepoint instanceof Promise) &&
    (typeof options.savepoint !== 'string' || !options.savepoint)
  )
    problems.push('savepoint must be a path (or a promise of one)');
  integer('parallelism', options.parallelism, 1, 256);
  if (options.parallelismPerKpu !== undefined) integer('parallelismPerKpu', options.parallelismPerKpu, 1, 8);
  if (typeof options.allowNonRestoredState !== 'boolean')
    problems.push('allowNonRestoredState must be true or false');
  const windowSeconds = options.windowSeconds ?? 30;
  integer('windowSeconds', windowSeconds, 1, 3600);
  const checkpointIntervalMs = options.checkpointIntervalMs ?? 2_000;
  integer('checkpointIntervalMs', checkpointIntervalMs, 100, 3_600_000);
  const region = options.region ?? 'us-east-1';
  if (typeof region !== 'string' || !REGION.test(region))
    problems.push(`region must be an AWS region name, got ${JSON.stringify(region)}`);
  const timeoutMs = options.timeoutMs ?? 300_000 + windowSeconds * 1000;
  integer('timeoutMs', timeoutMs, 1_000, 86_400_000);
  for (const [index, group] of (options.propertyGroups ?? []).entries()) {
    const valid =
      typeof group?.PropertyGroupId === 'string' &&
      typeof group.PropertyMap === 'object' &&
      group.PropertyMap !== null &&
      Object.values(group.PropertyMap).every((value) => typeof value === 'string');
    if (!valid)
      problems.push(
        `propertyGroups[${index}] must be { PropertyGroupId: string, PropertyMap: { string: string } }`,
      );
  }
  if (problems.length) throw new RehearsalError(`invalid rehearsal options: ${problems.join('; ')}`);
  return { ...options, windowSeconds, checkpointIntervalMs, region, timeoutMs };
}
