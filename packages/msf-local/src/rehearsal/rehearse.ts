import { promises as fs } from 'node:fs';
import path from 'node:path';

import { runtimeSpec, stderrProgress } from 'msf-flink-runtime';

import { FlinkRestClient, FlinkRestError } from '../flink/flink-rest-client.js';
import { prepareRuntime } from '../flink/runtime-cache.js';
import { startEgressTrap } from './egress-trap.js';
import { classifyFailure } from './failure.js';
import { watchRestoredJob, type WatchOutcome } from './job-watch.js';
import { startSandboxCluster } from './sandbox-cluster.js';
import { createSandboxDir, sweepStaleSandboxes } from './sandbox-dir.js';
import { streamsNamedIn } from './sandbox-properties.js';
import { startSandboxEndpoint } from './sandbox-endpoint.js';
import { resolveSavepoint, SavepointError, savepointInfo, type SavepointInfo } from './savepoint-info.js';
import { abortable, Teardown } from './teardown.js';
import {
  RehearsalError,
  validateOptions,
  type RehearsalOptions,
  type RehearsalResult,
  type RehearsalStep,
  type RehearsalTimings,
  type ValidOptions,
} from './types.js';

/**
 * The deploy rehearsal: restores the new job from the savepoint production will restore, on a private real Flink
 * of the target runtime, and says whether it holds (README: "Deploy rehearsal").
 *
 * The sandbox: a temp directory `msf-local-rehearsal-<pid>-*`, one cluster JVM (msf-local's flink-host, with the
 * properties agent; restarts disabled, its own short checkpoint interval), a private endpoint (S3, CloudWatch
 * and a scratch kinesis-local with the streams the properties name) that every AWS client of the job is pointed
 * at, and an egress trap as the JVM's HTTP(S) proxy. The endpoint starts first (ms), then the JVM and
 * kinesis-local boot in parallel. Everything is removed when the rehearsal ends, fails, times out or is aborted;
 * a caller killed outright leaves no process (the JVM and kinesis-local exit with their parent) and its directory
 * is swept by the next rehearsal.
 */

const MAX_FLINK_ERROR = 64 * 1024;
/** The watch reports a timeout itself (with the tasks' states); the hard stop comes this much later. */
const HARD_STOP_GRACE_MS = 5_000;

class RehearsalTimeout extends Error {
  override readonly name = 'RehearsalTimeout';
}

/** What the steps learn, for the result (also when the rehearsal ends early). */
interface Findings {
  savepoint: SavepointInfo;
  flinkVersion: string;
  named: ReturnType<typeof streamsNamedIn>;
  blocked: readonly string[];
  submitted: boolean;
  jobId?: string;
  watched?: WatchOutcome;
  timings: Partial<RehearsalTimings>;
}

interface Context {
  input: ValidOptions;
  signal: AbortSignal;
  deadline: number;
  teardown: Teardown;
  findings: Findings;
  log: (line: string) => void;
  progress: (step: RehearsalStep, message: string) => void;
  since: () => number;
}

export async function rehearse(options: RehearsalOptions): Promise<RehearsalResult> {
  // A savepoint promise is awaited only once the sandbox boots: its rejection must not count as unhandled meanwhile.
  if (options.savepoint instanceof Promise) options.savepoint.catch(() => undefined);
  const startedAt = performance.now();
  const since = (): number => Math.round(performance.now() - startedAt);
  const input = validateOptions(options);
  const log = input.log ?? stderrProgress;
  input.signal?.throwIfAborted();

  // Prepare: inputs that can be wrong are checked before anything starts (a savepoint still to come, later).
  const savepointDir =
    typeof input.savepoint === 'string'
      ? await resolveSavepoint(input.savepoint).catch(asRehearsalError)
      : undefined;
  if (!(await isFile(input.jar)))
    throw new RehearsalError(`jar ${input.jar} does not exist or is not a file`);
  const findings: Findings = {
    savepoint: { path: savepointDir ?? '', sizeBytes: 0, files: 0 },
    flinkVersion: runtimeSpec(input.runtime).flinkVersion,
    named: streamsNamedIn(input.propertyGroups ?? [], input.region, input.streams),
    blocked: [],
    submitted: false,
    timings: {},
  };

  // One signal for the caller's abort and the rehearsal's own time limit.
  const controller = new AbortController();
  const deadline = Date.now() + input.timeoutMs;
  const timer = setTimeout(
    () => controller.abort(new RehearsalTimeout(`the rehearsal did not finish within ${input.timeoutMs} ms`)),
    input.timeoutMs + HARD_STOP_GRACE_MS,
  );
  const onAbort = (): void => controller.abort(input.signal?.reason);
  input.signal?.addEventListener('abort', onAbort, { once: true });
  const context: Context = {
    input,
    signal: controller.signal,
    deadline,
    teardown: new Teardown(log),
    findings,
    log,
    progress: (step, message) => {
      try {
        input.onProgress?.({ step, message, elapsedMs: since() });
      } catch (error) {
        log(`onProgress threw (ignored): ${(error as Error).message}`);
      }
    },
    since,
  };
  try {
    await runRehearsal(context);
  } catch (error) {
    if (input.signal?.aborted) throw input.signal.reason;
    if (!(controller.signal.reason instanceof RehearsalTimeout)) throw error;
    if (!findings.submitted) throw new RehearsalError(controller.signal.reason.message);
    const running = findings.jobId !== undefined;
    findings.watched ??= {
      tasks: [],
      checkpointsCompleted: 0,
      restarts: 0,
      failure: {
        kind: 'timeout',
        phase: running ? 'restore' : 'submit',
        message: running
          ? `the new job ${findings.jobId} did not answer within the rehearsal's ${input.timeoutMs} ms`
          : `the new job did not start within the rehearsal's ${input.timeoutMs} ms (its main() or the savepoint's loading hangs)`,
        rootCause: 'java.util.concurrent.TimeoutException: the job did not start in time',
      },
    };
  } finally {
    clearTimeout(timer);
    input.signal?.removeEventListener('abort', onAbort);
    // Whatever is still starting (a JVM boot, when the savepoint promise failed early) is killed, not awaited.
    controller.abort(new Error('the rehearsal is over'));
    const teardownStarted = performance.now();
    context.progress('teardown', 'removing the sandbox');
    await context.teardown.run();
    findings.timings.teardownMs = Math.round(performance.now() - teardownStarted);
  }
  return resultOf(input, findings, since());
}

async function runRehearsal(context: Context): Promise<void> {
  const { input, signal, teardown, findings, log, progress, since } = context;
  const { timings } = findings;
  // The savepoint may still be on its way (a promise): the sandbox boots meanwhile.
  const savepointReady = Promise.resolve(input.savepoint)
    .then(
      (savepoint) => findings.savepoint.path || resolveSavepoint(savepoint),
      (error: unknown) => {
        throw new RehearsalError(`no savepoint to rehearse with: ${(error as Error).message}`, {
          cause: error,
        });
      },
    )
    .catch(asRehearsalError)
    .then(savepointInfo)
    .then((info) => {
      findings.savepoint = info;
      progress('prepare', `savepoint ${info.path}: ${info.sizeBytes} bytes in ${info.files} files`);
      return info;
    });
  savepointReady.catch(() => undefined); // awaited with the sandbox's start (a rejection ends it early)
  const [runtime] = await abortable(
    Promise.all([prepareRuntime(input.runtime, { cacheRoot: input.cacheRoot, log }), sweepStaleSandboxes()]),
    signal,
  );
  timings.prepareMs = since();

  // Sandbox: directory, egress trap, private endpoint; then the JVM and kinesis-local in parallel.
  const dir = await createSandboxDir();
  teardown.add('the sandbox directory', () => fs.rm(dir, { recursive: true, force: true }));
  const trap = await startEgressTrap();
  teardown.add('the egress trap', () => trap.close());
  findings.blocked = trap.attempts;
  const endpointStarted = performance.now();
  const { streams, accountId } = findings.named;
  const endpoint = await startSandboxEndpoint({
    dir: path.join(dir, 'endpoint'),
    region: input.region,
    streams,
    ...(accountId ? { accountId } : {}),
    log,
  });
  teardown.add('the private endpoint', () => endpoint.close());
  timings.endpointMs = Math.round(performance.now() - endpointStarted);
  const kinesisReady = endpoint.ready.then(() => {
    if (endpoint.kinesisStarted) timings.kinesisMs = Math.round(performance.now() - endpointStarted);
  });

  const streamList = streams.length ? ` and Kinesis (${streams.map((s) => s.name).join(', ')})` : '';
  progress('sandbox', `starting Flink ${runtime.spec.flinkVersion}${streamList} at ${endpoint.url}`);
  const bootStarted = performance.now();
  const booting = startSandboxCluster({
    runtime,
    dir,
    endpointUrl: endpoint.url,
    trap,
    propertyGroups: input.propertyGroups ?? [],
    region: input.region,
    parallelism: input.parallelism,
    checkpointIntervalMs: input.checkpointIntervalMs,
    javaCommand: input.javaCommand,
    signal,
  });
  teardown.add('the Flink cluster JVM', () =>
    booting.then(
      (host) => host.kill(),
      () => undefined,
    ),
  );
  const [host, , savepoint] = await abortable(
    Promise.all([
      booting.then((started) => {
        timings.clusterBootMs = Math.round(performance.now() - bootStarted);
        return started;
      }),
      kinesisReady,
      savepointReady,
    ]),
    signal,
  ).catch((error: unknown) => {
    if (signal.aborted || error instanceof RehearsalError) throw error;
    throw new RehearsalError(`the sandbox did not start: ${(error as Error).message}`);
  });
  const kinesisNote = timings.kinesisMs !== undefined ? `, Kinesis ${timings.kinesisMs} ms` : '';
  progress('sandbox', `sandbox ready (JVM ${timings.clusterBootMs} ms${kinesisNote})`);

  // Submit: upload and run the JAR with the savepoint, as MSF starts a new version.
  // Requests may take until the hard stop (main() runs inside the run request): the time limit ends them, not this.
  const client = new FlinkRestClient(host.restUrl, context.deadline - Date.now() + 2 * HARD_STOP_GRACE_MS);
  const submitStarted = performance.now();
  progress(
    'submit',
    `running the new job from the savepoint (parallelism ${input.parallelism}, AllowNonRestoredState ${input.allowNonRestoredState})`,
  );
  findings.submitted = true;
  let jobId: string;
  try {
    const jarId = await abortable(client.uploadJar(path.resolve(input.jar)), signal);
    jobId = await abortable(
      client.runJar(jarId, {
        parallelism: input.parallelism,
        savepointPath: savepoint.path,
        allowNonRestoredState: input.allowNonRestoredState,
        [runtime.spec.claimModeField]: 'NO_CLAIM', // the savepoint stays the caller's, untouched
      }),
      signal,
    );
  } catch (error) {
    if (!(error instanceof FlinkRestError)) throw error;
    timings.submitMs = Math.round(performance.now() - submitStarted);
    findings.watched = {
      tasks: [],
      checkpointsCompleted: 0,
      restarts: 0,
      failure: {
        ...classifyFailure(error.errors),
        phase: 'submit',
        flinkError: error.errors.join('\n').slice(0, MAX_FLINK_ERROR),
      },
    };
    return;
  }
  timings.submitMs = Math.round(performance.now() - submitStarted);
  findings.jobId = jobId;
  progress('restore', `job ${jobId} submitted (${timings.submitMs} ms); restoring its state`);
  findings.watched = await watchRestoredJob({
    client,
    jobId,
    windowMs: input.windowSeconds * 1000,
    deadline: context.deadline,
    signal,
    progress,
  });
  // What the job wrote: evidence that its sinks worked against the private endpoint.
  findings.named.streams = await Promise.all(
    streams.map(async (stream) => {
      const records = await abortable(endpoint.countRecords(stream), signal).catch(() => undefined);
      return records === undefined ? stream : { ...stream, records };
    }),
  );
  signal.throwIfAborted();
}

function resultOf(input: ValidOptions, findings: Findings, totalMs: number): RehearsalResult {
  const watched = findings.watched ?? { tasks: [], checkpointsCompleted: 0, restarts: 0 };
  const { timings } = findings;
  return {
    passed: !watched.failure,
    runtime: input.runtime,
    flinkVersion: findings.flinkVersion,
    savepoint: findings.savepoint,
    ...(watched.restoredFrom ? { restoredFrom: watched.restoredFrom } : {}),
    parallelism: input.parallelism,
    ...(input.parallelismPerKpu !== undefined ? { parallelismPerKpu: input.parallelismPerKpu } : {}),
    allowNonRestoredState: input.allowNonRestoredState,
    windowSeconds: input.windowSeconds,
    checkpointIntervalMs: input.checkpointIntervalMs,
    checkpointsCompleted: watched.checkpointsCompleted,
    restarts: watched.restarts,
    tasks: watched.tasks,
    streams: findings.named.streams,
    skippedStreamProperties: findings.named.skipped,
    blockedConnections: [...findings.blocked],
    durationMs: totalMs,
    timings: {
      prepareMs: timings.prepareMs ?? 0,
      endpointMs: timings.endpointMs ?? 0,
      clusterBootMs: timings.clusterBootMs ?? 0,
      ...(timings.kinesisMs !== undefined ? { kinesisMs: timings.kinesisMs } : {}),
      ...(timings.submitMs !== undefined ? { submitMs: timings.submitMs } : {}),
      ...(watched.restoreMs !== undefined ? { restoreMs: watched.restoreMs } : {}),
      ...(watched.windowMs !== undefined ? { windowMs: watched.windowMs } : {}),
      teardownMs: timings.teardownMs ?? 0,
      totalMs,
    },
    ...(watched.failure ? { failure: watched.failure } : {}),
  };
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

function asRehearsalError(error: unknown): never {
  if (error instanceof SavepointError) throw new RehearsalError(error.message);
  throw error;
}
