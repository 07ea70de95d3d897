/**
 * A test double of the JobRuntime port for control-plane tests (the real one is FlinkJobRuntime, tested on
 * real Flink). Jobs start after a short delay; tests script failures and health and read what was launched.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { JobStartFailure, SnapshotFailure } from '../../src/control-plane/job-runtime.js';
import type {
  JobLaunch,
  JobMetrics,
  JobObservation,
  JobRuntime,
  JobState,
} from '../../src/control-plane/job-runtime.js';

interface FakeJob {
  launch: JobLaunch;
  state: JobState;
  restarts: number;
  lastRestartAt?: number;
}

export class FakeJobRuntime implements JobRuntime {
  readonly launches: JobLaunch[] = [];
  readonly cancels: string[] = [];
  /** Every savepoint taken, in order, as snapshot() returned it. */
  readonly snapshotPaths: string[] = [];
  private readonly jobs = new Map<string, FakeJob>();
  private readonly startFailures = new Map<string, string[]>();
  private readonly snapshotFailures = new Set<string>();
  private savepoints = 0;
  private readonly lostListeners: ((app: string) => void)[] = [];
  private checkpoint?: { path: string; completedAt: number };

  constructor(private readonly delayMs = 30) {}

  /** The next start of `app` fails with `message` (Flink's text). */
  failNextStart(app: string, message: string): void {
    const queue = this.startFailures.get(app) ?? [];
    queue.push(message);
    this.startFailures.set(app, queue);
  }

  failSnapshots(app: string, fail = true): void {
    if (fail) this.snapshotFailures.add(app);
    else this.snapshotFailures.delete(app);
  }

  /** Puts the running job of `app` into a fail-and-restart loop (or back to healthy). */
  setCrashLooping(app: string, looping: boolean): void {
    const job = this.jobs.get(app);
    if (!job) throw new Error(`no job for ${app}`);
    job.state = looping ? 'RESTARTING' : 'RUNNING';
    if (looping) {
      job.restarts++;
      job.lastRestartAt = Date.now();
    }
  }

  /** The cluster of `app` dies under its job (a kill -9 of its JVM): the job is gone and listeners are told. */
  loseCluster(app: string): void {
    if (!this.jobs.delete(app)) throw new Error(`no job for ${app}`);
    for (const listener of this.lostListeners) listener(app);
  }

  /** What retainedCheckpoint() answers from now on. */
  setRetainedCheckpoint(checkpoint: { path: string; completedAt: number } | undefined): void {
    this.checkpoint = checkpoint;
  }

  onClusterLost(listener: (app: string) => void): void {
    this.lostListeners.push(listener);
  }

  lastLaunch(app: string): JobLaunch | undefined {
    return this.launches.filter((l) => l.applicationName === app).at(-1);
  }

  hasJob(app: string): boolean {
    return this.jobs.has(app);
  }

  async start(launch: JobLaunch): Promise<void> {
    this.launches.push(structuredClone(launch));
    await delay(this.delayMs);
    const failure = this.startFailures.get(launch.applicationName)?.shift();
    if (failure) throw new JobStartFailure(failure);
    this.jobs.set(launch.applicationName, { launch, state: 'RUNNING', restarts: 0 });
  }

  async stopWithSnapshot(app: string): Promise<string> {
    const path = await this.snapshot(app);
    this.jobs.delete(app);
    return path;
  }

  async cancel(app: string): Promise<void> {
    this.cancels.push(app);
    await delay(this.delayMs);
    this.jobs.delete(app);
  }

  async snapshot(app: string): Promise<string> {
    const job = this.jobs.get(app);
    await delay(this.delayMs);
    if (!job) throw new SnapshotFailure(`No running job for ${app}`);
    if (this.snapshotFailures.has(app)) throw new SnapshotFailure('Checkpoint Coordinator is suspending.');
    // A directory shaped like a Flink savepoint (Flink's metadata header, one state file), so that what
    // moves, exports and imports savepoints has real files to work on.
    const dir = path.join(job.launch.snapshotDir, `savepoint-${++this.savepoints}`);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'state-0'), `state of ${app}`);
    await writeFile(path.join(dir, '_metadata'), fakeSavepointMetadata(app));
    this.snapshotPaths.push(`file://${dir}`);
    return `file://${dir}`;
  }

  async observe(app: string): Promise<JobObservation> {
    const job = this.jobs.get(app);
    if (!job) return { state: 'NONE', allTasksRunning: false, restarts: 0 };
    return {
      state: job.state,
      allTasksRunning: job.state === 'RUNNING',
      restarts: job.restarts,
      ...(job.lastRestartAt !== undefined ? { lastRestartAt: job.lastRestartAt } : {}),
    };
  }

  async metrics(app: string): Promise<JobMetrics | undefined> {
    const job = this.jobs.get(app);
    if (!job) return undefined;
    return { uptime: 1000, downtime: job.state === 'RUNNING' ? 0 : 500, numRestarts: job.restarts };
  }

  async retainedCheckpoint(): Promise<{ path: string; completedAt: number } | undefined> {
    return this.checkpoint;
  }

  /** A plan in the shape of Flink's `/jobs/<id>/plan`. */
  async jobPlan(app: string): Promise<string | undefined> {
    const job = this.jobs.get(app);
    if (job?.state !== 'RUNNING') return undefined;
    return JSON.stringify({
      jid: `job-of-${app}`,
      name: `job of ${app}`,
      type: 'STREAMING',
      nodes: [{ id: 'cbc357ccb763df2852fee8c4fc7d55f2', parallelism: job.launch.parallelism }],
    });
  }

  dashboardUrl(app: string): string | undefined {
    return this.jobs.has(app) ? `http://127.0.0.1:65000/#/${app}` : undefined;
  }

  async close(): Promise<void> {
    this.jobs.clear();
  }
}

/** Flink's checkpoint-metadata header (magic number, format version 4) followed by an arbitrary body. */
export function fakeSavepointMetadata(body: string): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(0x4960672d, 0);
  header.writeInt32BE(4, 4);
  return Buffer.concat([header, Buffer.from(body)]);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
