import {
  TERMINAL_JOB_STATES,
  type CheckpointingStatistics,
  type FlinkRestClient,
  type JobDetails,
} from '../flink/flink-rest-client.js';
import { classifyFailure } from './failure.js';
import { sleep } from './teardown.js';
import type { RehearsalFailure, RehearsalTask } from './types.js';

/**
 * Watches a job submitted with a savepoint: first until every task runs (the state is restored into them), then
 * for the window, in which the job must keep running without a restart and complete a checkpoint. Any failure
 * ends the watch at once with Flink's root cause. The sandbox disables restarts, so a failure fails the job; a
 * job that sets its own restart strategy is caught by its state (RESTARTING) or its `numRestarts`.
 */

export interface WatchOutcome {
  tasks: RehearsalTask[];
  checkpointsCompleted: number;
  restarts: number;
  restoredFrom?: string;
  restoreMs?: number;
  windowMs?: number;
  failure?: RehearsalFailure;
}

export interface WatchOptions {
  client: FlinkRestClient;
  jobId: string;
  windowMs: number;
  /** Epoch ms after which a job still restoring (or a window that cannot end in time) fails as `timeout`. */
  deadline: number;
  signal: AbortSignal;
  progress: (step: 'restore' | 'window', message: string) => void;
  pollMs?: number;
}

interface Observation {
  job: JobDetails;
  checkpoints?: CheckpointingStatistics;
  restarts: number;
}

const FAILED_STATES = new Set([
  'FAILING',
  'FAILED',
  'RESTARTING',
  'CANCELLING',
  'CANCELED',
  'FINISHED',
  'SUSPENDED',
]);
const MAX_FLINK_ERROR = 64 * 1024;

export async function watchRestoredJob(options: WatchOptions): Promise<WatchOutcome> {
  const { client, jobId, signal } = options;
  const pollMs = options.pollMs ?? 200;
  const submittedAt = Date.now();
  let seen = await observe(client, jobId);
  const outcome = (phase: 'restore' | 'window', failure?: Omit<RehearsalFailure, 'phase'>): WatchOutcome => ({
    tasks: tasksOf(seen.job),
    checkpointsCompleted: seen.checkpoints?.counts.completed ?? 0,
    restarts: seen.restarts,
    ...restoredFrom(seen),
    ...(failure ? { failure: { ...failure, phase } } : {}),
  });

  // Restore: until every subtask runs (or has finished, for a bounded source).
  for (;;) {
    if (failed(seen)) return outcome('restore', await jobFailure(client, jobId, seen, signal));
    if (allTasksRunning(seen.job)) break;
    if (Date.now() > options.deadline) return outcome('restore', timeout(seen.job, 'restore its state'));
    await sleep(pollMs, signal);
    seen = await observe(client, jobId);
  }
  const restoreMs = Date.now() - submittedAt;
  options.progress('restore', `every task runs after the restore (${restoreMs} ms)`);

  // Window: keeps running, no restart, at least one checkpoint.
  options.progress(
    'window',
    `watching the job for ${Math.round(options.windowMs / 1000)} s: no restart, a checkpoint`,
  );
  const windowStart = Date.now();
  const windowEnd = windowStart + options.windowMs;
  let triggered = false;
  for (;;) {
    if (failed(seen))
      return {
        ...outcome('window', await jobFailure(client, jobId, seen, signal)),
        restoreMs,
        windowMs: Date.now() - windowStart,
      };
    const counts = seen.checkpoints?.counts;
    // The job's own code may set a longer interval than the sandbox's: then take one checkpoint by hand.
    if (
      !triggered &&
      counts?.completed === 0 &&
      counts.in_progress === 0 &&
      Date.now() >= windowStart + options.windowMs / 2
    ) {
      triggered = true;
      options.progress('window', 'no checkpoint yet: triggering one');
      await client.triggerCheckpoint(jobId).catch(() => undefined);
    }
    const now = Date.now();
    if (now >= windowEnd) break;
    if (now > options.deadline)
      return { ...outcome('window', timeout(seen.job, 'finish the window')), restoreMs };
    await sleep(Math.min(pollMs, windowEnd - now), signal);
    seen = await observe(client, jobId);
  }
  const windowMs = Date.now() - windowStart;
  const result = { ...outcome('window'), restoreMs, windowMs };
  options.progress(
    'window',
    `window over: ${result.checkpointsCompleted} checkpoints completed, ${result.restarts} restarts`,
  );
  if (result.checkpointsCompleted === 0) {
    const lastFailure = seen.checkpoints?.latest?.failed?.failure_message;
    return {
      ...result,
      failure: {
        kind: 'no-checkpoint',
        phase: 'window',
        message: `no checkpoint completed within the ${Math.round(options.windowMs / 1000)} s window${lastFailure ? `; the last one failed: ${lastFailure}` : ''}`,
        rootCause:
          lastFailure ?? 'java.lang.IllegalStateException: no checkpoint completed within the window',
      },
    };
  }
  if (!result.restoredFrom) {
    return {
      ...result,
      failure: {
        kind: 'other',
        phase: 'window',
        message: 'Flink reports no restored savepoint: the job started with empty state',
        rootCause: 'java.lang.IllegalStateException: the job was not restored from the savepoint',
      },
    };
  }
  return result;
}

async function observe(client: FlinkRestClient, jobId: string): Promise<Observation> {
  const [job, checkpoints, metrics] = await Promise.all([
    client.job(jobId),
    client.checkpoints(jobId).catch(() => undefined),
    client.jobMetrics(jobId, ['numRestarts']).catch(() => []),
  ]);
  const restarts = Number(metrics.find((metric) => metric.id === 'numRestarts')?.value ?? 0);
  return { job, ...(checkpoints ? { checkpoints } : {}), restarts: Number.isFinite(restarts) ? restarts : 0 };
}

function failed(seen: Observation): boolean {
  return FAILED_STATES.has(seen.job.state) || seen.restarts > 0;
}

function allTasksRunning(job: JobDetails): boolean {
  if (job.state !== 'RUNNING') return false;
  return job.vertices.every((vertex) => {
    const done = (vertex.tasks?.RUNNING ?? 0) + (vertex.tasks?.FINISHED ?? 0);
    return vertex.tasks ? done === vertex.parallelism : vertex.status === 'RUNNING';
  });
}

function tasksOf(job: JobDetails): RehearsalTask[] {
  return job.vertices.map(({ id, name, parallelism, status }) => ({ id, name, parallelism, status }));
}

function restoredFrom(seen: Observation): { restoredFrom?: string } {
  const restored = seen.checkpoints?.latest?.restored?.external_path;
  return restored ? { restoredFrom: restored.replace(/^file:(\/\/)?/, '') } : {};
}

function timeout(job: JobDetails, what: string): Omit<RehearsalFailure, 'phase'> {
  const tasks = job.vertices
    .map(
      (vertex) =>
        `${vertex.name}: ${Object.entries(vertex.tasks ?? { [vertex.status]: vertex.parallelism })
          .filter(([, n]) => n)
          .map(([state, n]) => `${n} ${state}`)
          .join(', ')}`,
    )
    .join('; ');
  return {
    kind: 'timeout',
    message: `the job did not ${what} within the rehearsal's time limit (job ${job.state}; ${tasks})`,
    rootCause: `java.util.concurrent.TimeoutException: the job did not ${what} in time`,
  };
}

/** The failure behind a job that left RUNNING (or restarted): Flink's newest exception, classified. */
async function jobFailure(
  client: FlinkRestClient,
  jobId: string,
  seen: Observation,
  signal: AbortSignal,
): Promise<Omit<RehearsalFailure, 'phase'>> {
  // A failing job records its exception as it fails: give it a moment to get there.
  const deadline = Date.now() + 10_000;
  let job = seen.job;
  while (job.state === 'FAILING' && Date.now() < deadline) {
    await sleep(100, signal);
    job = await client.job(jobId).catch(() => job);
  }
  const exceptions = await client.exceptions(jobId, 5).catch(() => undefined);
  const entry = exceptions?.exceptionHistory?.entries[0];
  const text = entry?.stacktrace ?? exceptions?.['root-exception'] ?? undefined;
  if (!text) {
    const why = TERMINAL_JOB_STATES.has(job.state) ? `ended ${job.state}` : `went ${job.state}`;
    return {
      kind: 'other',
      message: `the job ${why} without an exception (restarts: ${seen.restarts})`,
      rootCause: `java.lang.IllegalStateException: the job ${why}`,
    };
  }
  const taskName = entry?.taskName ?? entry?.concurrentExceptions?.find((e) => e.taskName)?.taskName;
  return {
    ...classifyFailure(text, { taskName, vertices: job.vertices }),
    flinkError: text.slice(0, MAX_FLINK_ERROR),
  };
}
