// Long on purpose: one cluster-JVM lifecycle (boot, park for reuse, release) that every method shares.
import { randomUUID } from 'node:crypto';
import path from 'node:path';

import {
  JobStartFailure,
  SnapshotFailure,
  type JobLaunch,
  type JobMetrics,
  type JobObservation,
  type JobRuntime,
  type JobState,
} from '../control-plane/job-runtime.js';
import { KeyedMutex } from '../store/keyed-mutex.js';
import { writeJsonAtomic } from '../store/atomic-file.js';
import { clusterConfig } from './cluster-config.js';
import { toErrorString } from './error-string.js';
import { defaultJavaCommand, FlinkHostProcess } from './flink-host-process.js';
import { fileUri } from './cluster-config.js';
import type { LogIntake } from './log-appender.js';
import {
  FlinkRestClient,
  FlinkRestError,
  TERMINAL_JOB_STATES,
  type JarRunRequest,
  type JobDetails,
} from './flink-rest-client.js';
import type { FlinkRuntimeSpec } from 'msf-flink-runtime';
import type { ProgressLog } from 'msf-flink-runtime';
import { newestRetainedCheckpoint } from './retained-checkpoints.js';
import { prepareRuntime } from './runtime-cache.js';

/**
 * JobRuntime on real Apache Flink: one cluster JVM (java/flink-host, an in-process MiniCluster) per running
 * application, started by `start()` and released by `stopWithSnapshot()`, `cancel()`, a failed start or
 * `close()`. A change of runtime, parallelism (= slots), checkpointing, environment, system properties or log
 * level always gets a fresh JVM.
 *
 * Reuse: a JVM released by a stop or a failed start is parked for `clusterReuseGraceMs` (invisible to observe,
 * metrics and dashboardUrl) and then shut down; a start of the same application with the same JVM-level
 * settings within that time runs its job on it instead of booting a new JVM. That makes an update (stop with
 * snapshot, start from it) or a system rollback cost what Flink's REST calls cost, not a JVM boot. A JVM hosts at
 * most `maxJobsPerCluster` jobs, so user class loaders cannot pile up. `cancel()` (force stop) kills at once.
 *
 * Files under the launch's `workDir`: `application_properties.json` (what getApplicationProperties() returns),
 * `logs/flink.log` (Flink's log), `logs/host.out` (the JVM's stdout/stderr and command line), `flink/` (generated
 * configuration, uploaded jars, temp files) and `checkpoints/`. Savepoints go to the launch's `snapshotDir`. With
 * `logIntake`, every cluster JVM also sends its log events there (log-appender.ts), tagged with a token that
 * `launchedVersion()` maps to the application version of the job it runs.
 */

export interface FlinkJobRuntimeOptions {
  /** Cache root for the Flink runtimes; default `$MSF_LOCAL_CACHE` or `~/.cache/msf-local`. */
  cacheRoot?: string;
  /** Delay of the fixed-delay restart strategy (infinite attempts, as on MSF). Default 10 000 ms. */
  restartDelayMs?: number;
  /** Java 17 executable; default `$MSF_LOCAL_JAVA`, else `$JAVA_HOME/bin/java`, else `java`. */
  javaCommand?: string;
  /** Heap of a cluster JVM for a given parallelism; default 256 MB + 128 MB per slot, at most 2 GB. */
  heapMb?: (parallelism: number) => number;
  /** How long the cluster JVM may take to answer its REST API. Default 120 s. */
  clusterStartTimeoutMs?: number;
  /** How long a submitted job may take to reach RUNNING. Default 180 s. */
  jobStartTimeoutMs?: number;
  /** How long a savepoint (or stop-with-savepoint) may take. Default 300 s. */
  savepointTimeoutMs?: number;
  /** After this, a job that does not cancel or a JVM that does not exit on SIGTERM is killed. Default 20 s. */
  shutdownTimeoutMs?: number;
  /** How often Flink refreshes the metrics the REST API serves (`metrics.fetcher.update-interval`). Default 1 s. */
  metricsRefreshMs?: number;
  /** Longest pause between polls of job status and savepoints. Default 100 ms. */
  pollIntervalMs?: number;
  /** How long a released cluster JVM waits for a start of the same application to reuse it. Default 15 s; 0 = never reuse. */
  clusterReuseGraceMs?: number;
  /** Jobs one cluster JVM may run before it is replaced by a fresh one. Default 10. */
  maxJobsPerCluster?: number;
  /** Progress of first-use runtime downloads; default stderr. */
  log?: ProgressLog;
  /** Where every cluster JVM sends its log events (msf-local's job log shipper); none when absent. */
  logIntake?: LogIntake;
}

interface AppCluster {
  launch: JobLaunch;
  spec: FlinkRuntimeSpec;
  host: FlinkHostProcess;
  client: FlinkRestClient;
  /** What the JVM was started with: a start with another key needs another JVM. */
  jvmKey: string;
  jobsRun: number;
  /** Identifies the JVM in its log events (see launchedVersion). */
  logToken: string;
  jobId?: string;
  jarId?: string;
  /** Set once start() saw the job RUNNING: from then on an exit msf-local did not ask for is a lost cluster. */
  started?: boolean;
  /** Flink's numRestarts of the job as last read (a dead JVM can no longer say). */
  lastRestarts?: number;
  /** What earlier, lost clusters of this job left: their restarts count on, as MSF's restart metrics do. */
  carried?: LostCluster;
}

/** An application's cluster JVM that died under its running job, until a start brings the job back. */
interface LostCluster {
  /** Epoch ms of the loss. */
  at: number;
  /** Restarts so far, this loss included. */
  restarts: number;
  /** Whether the runtime reports `fullRestarts` (Flink 1.x). */
  hasFullRestarts: boolean;
}

interface ParkedCluster {
  cluster: AppCluster;
  timer: NodeJS.Timeout;
}

const JOB_METRICS_1X = [
  'uptime',
  'downtime',
  'numRestarts',
  'fullRestarts',
  'numberOfFailedCheckpoints',
  'numberOfCompletedCheckpoints',
  'lastCheckpointDuration',
  'lastCheckpointSize',
  'runningTime',
  'restartingTime',
  'failingTime',
  'cancellingTime',
] as const;
const TASK_METRICS = [
  'numRecordsIn',
  'numRecordsOut',
  'numRecordsInPerSecond',
  'numRecordsOutPerSecond',
] as const;

/** How long start() and snapshots wait for a RUNNING job's tasks to be deployed before going on regardless. */
const TASKS_RUNNING_GRACE_MS = 15_000;

export class FlinkJobRuntime implements JobRuntime {
  private readonly clusters = new Map<string, AppCluster>();
  private readonly parked = new Map<string, ParkedCluster>();
  private readonly mutex = new KeyedMutex();
  /** Log token of a cluster JVM → the application version of the job it runs or ran last. */
  private readonly launchedVersions = new Map<string, number>();
  private readonly lost = new Map<string, LostCluster>();
  private readonly lostListeners: ((applicationName: string) => void)[] = [];
  private readonly options: Required<Omit<FlinkJobRuntimeOptions, 'cacheRoot' | 'log' | 'logIntake'>> &
    Pick<FlinkJobRuntimeOptions, 'cacheRoot' | 'log' | 'logIntake'>;

  constructor(options: FlinkJobRuntimeOptions = {}) {
    this.options = {
      restartDelayMs: 10_000,
      javaCommand: defaultJavaCommand(),
      heapMb: (parallelism) => Math.min(2048, 256 + 128 * Math.max(1, parallelism)),
      clusterStartTimeoutMs: 120_000,
      jobStartTimeoutMs: 180_000,
      savepointTimeoutMs: 300_000,
      shutdownTimeoutMs: 20_000,
      metricsRefreshMs: 1_000,
      pollIntervalMs: 100,
      clusterReuseGraceMs: 15_000,
      maxJobsPerCluster: 10,
      ...options,
    };
  }

  start(launch: JobLaunch): Promise<void> {
    return this.mutex.run(launch.applicationName, async () => {
      const existing = this.clusters.get(launch.applicationName);
      if (existing) {
        if (
          existing.jobId &&
          !existing.host.exit &&
          !TERMINAL_JOB_STATES.has((await this.jobState(existing)) ?? 'FAILED')
        ) {
          throw new Error(
            `application ${launch.applicationName} already has a running Flink job (${existing.jobId})`,
          );
        }
        await this.release(existing);
      }

      const propertiesFile = path.join(launch.workDir, 'application_properties.json');
      await writeJsonAtomic(propertiesFile, launch.propertyGroups);
      const cluster = (await this.reuseParked(launch)) ?? (await this.bootCluster(launch, propertiesFile));
      this.clusters.set(launch.applicationName, cluster);
      try {
        await this.submit(cluster);
        await this.awaitRunning(cluster);
        cluster.carried = this.lost.get(launch.applicationName);
        this.lost.delete(launch.applicationName);
        cluster.started = true;
      } catch (error) {
        // As on MSF, an application whose job could not start holds no resources (after the reuse grace).
        await this.park(cluster);
        throw error;
      }
    });
  }

  stopWithSnapshot(applicationName: string): Promise<string> {
    return this.mutex.run(applicationName, async () => {
      const cluster = this.requireJob(applicationName);
      await this.awaitTasksRunning(cluster);
      const jobId = cluster.jobId as string;
      const triggerId = await this.savepointCall(() =>
        cluster.client.stopWithSavepoint(jobId, fileUri(cluster.launch.snapshotDir)),
      );
      const location = await this.awaitSavepoint(cluster, triggerId);
      await this.awaitJobState(
        cluster,
        (state) => TERMINAL_JOB_STATES.has(state),
        this.options.shutdownTimeoutMs,
      ).catch(() => undefined);
      await this.park(cluster);
      this.lost.delete(applicationName);
      return location;
    });
  }

  cancel(applicationName: string): Promise<void> {
    return this.mutex.run(applicationName, async () => {
      this.lost.delete(applicationName);
      await this.unpark(applicationName);
      const cluster = this.clusters.get(applicationName);
      if (!cluster) return;
      if (cluster.jobId && !cluster.host.exit) {
        try {
          await cluster.client.cancel(cluster.jobId);
          await this.awaitJobState(
            cluster,
            (state) => TERMINAL_JOB_STATES.has(state),
            this.options.shutdownTimeoutMs,
          );
        } catch {
          // Cancel is best effort: the JVM is released (and killed if need be) below in any case.
        }
      }
      await this.release(cluster);
    });
  }

  snapshot(applicationName: string): Promise<string> {
    return this.mutex.run(applicationName, async () => {
      const cluster = this.requireJob(applicationName);
      await this.awaitTasksRunning(cluster);
      const jobId = cluster.jobId as string;
      const triggerId = await this.savepointCall(() =>
        cluster.client.triggerSavepoint(jobId, fileUri(cluster.launch.snapshotDir)),
      );
      return this.awaitSavepoint(cluster, triggerId);
    });
  }

  async observe(applicationName: string): Promise<JobObservation> {
    const cluster = this.clusters.get(applicationName);
    if (!cluster?.jobId) return { state: 'NONE', allTasksRunning: false, restarts: 0 };
    if (cluster.host.exit) return this.lostCluster(cluster);
    const jobId = cluster.jobId;
    let job: JobDetails;
    try {
      job = await cluster.client.job(jobId);
    } catch (error) {
      // A JVM that just died refuses connections before its exit is reported: give that a moment.
      if (!(error instanceof FlinkRestError)) await Promise.race([cluster.host.exited, sleep(2_000)]);
      if (cluster.host.exit) return this.lostCluster(cluster);
      throw error;
    }
    const [restartMetric, exceptions] = await Promise.all([
      cluster.client.jobMetrics(jobId, ['numRestarts']).catch(() => []),
      cluster.client.exceptions(jobId).catch(() => undefined),
    ]);
    const flinkRestarts = Number(restartMetric.find((metric) => metric.id === 'numRestarts')?.value ?? 0);
    if (Number.isFinite(flinkRestarts)) cluster.lastRestarts = flinkRestarts;
    const restarts = flinkRestarts + (cluster.carried?.restarts ?? 0);
    const lastRestartAt = Math.max(job.timestamps.RESTARTING ?? 0, cluster.carried?.at ?? 0) || undefined;
    const lastException =
      exceptions?.exceptionHistory?.entries[0]?.stacktrace ?? exceptions?.['root-exception'] ?? undefined;
    return {
      state: job.state as JobState,
      allTasksRunning: job.state === 'RUNNING' && job.vertices.every((vertex) => vertex.status === 'RUNNING'),
      restarts: Number.isFinite(restarts) ? restarts : 0,
      ...(lastRestartAt ? { lastRestartAt } : {}),
      ...(lastException ? { lastException } : {}),
    };
  }

  async metrics(applicationName: string): Promise<JobMetrics | undefined> {
    const cluster = this.clusters.get(applicationName);
    if (!cluster?.jobId || cluster.host.exit) return this.outageMetrics(applicationName);
    const jobId = cluster.jobId;
    let job: JobDetails;
    try {
      job = await cluster.client.job(jobId);
    } catch {
      return undefined;
    }
    if (TERMINAL_JOB_STATES.has(job.state)) return undefined;
    const names = cluster.spec.hasFullRestarts
      ? JOB_METRICS_1X
      : JOB_METRICS_1X.filter((name) => name !== 'fullRestarts');
    const [jobLevel, perVertex] = await Promise.all([
      cluster.client.jobMetrics(jobId, names),
      // Records in/out of the application: task metrics summed over every subtask of every vertex.
      Promise.all(
        job.vertices.map((vertex) =>
          cluster.client.vertexMetricSums(jobId, vertex.id, TASK_METRICS).catch(() => []),
        ),
      ),
    ]);
    const metrics: JobMetrics = {};
    for (const metric of jobLevel) {
      const value = Number(metric.value);
      if (metric.value !== undefined && Number.isFinite(value))
        metrics[metric.id as keyof JobMetrics] = value;
    }
    if (metrics.numRestarts !== undefined) cluster.lastRestarts = metrics.numRestarts;
    // Restarts of this job on clusters that died count on (the JVM's own gauges start from zero).
    for (const name of ['numRestarts', 'fullRestarts'] as const) {
      if (cluster.carried) metrics[name] = (metrics[name] ?? 0) + cluster.carried.restarts;
    }
    for (const metric of perVertex.flat()) {
      if (typeof metric.sum !== 'number') continue;
      const name = metric.id as keyof JobMetrics;
      metrics[name] = (metrics[name] ?? 0) + metric.sum;
    }
    return metrics;
  }

  retainedCheckpoint(workDir: string): Promise<{ path: string; completedAt: number } | undefined> {
    return newestRetainedCheckpoint(workDir);
  }

  async jobPlan(applicationName: string): Promise<string | undefined> {
    const cluster = this.clusters.get(applicationName);
    if (!cluster?.jobId || cluster.host.exit) return undefined;
    try {
      return JSON.stringify(await cluster.client.plan(cluster.jobId));
    } catch {
      return undefined;
    }
  }

  dashboardUrl(applicationName: string): string | undefined {
    const cluster = this.clusters.get(applicationName);
    return cluster && !cluster.host.exit ? cluster.host.restUrl : undefined;
  }

  /**
   * The application version of the job that the JVM with this log token runs (or ran last): what its log events
   * are labelled with, so a JVM winding down after an update does not log under the new version.
   */
  launchedVersion(logToken: string): number | undefined {
    return this.launchedVersions.get(logToken);
  }

  /** PIDs of the cluster JVMs this runtime runs, by application (for diagnostics and process hygiene tests). */
  clusterPids(): Record<string, number | undefined> {
    return Object.fromEntries([...this.clusters].map(([name, cluster]) => [name, cluster.host.pid]));
  }

  onClusterLost(listener: (applicationName: string) => void): void {
    this.lostListeners.push(listener);
  }

  async close(): Promise<void> {
    const names = new Set([...this.clusters.keys(), ...this.parked.keys()]);
    await Promise.all([...names].map((name) => this.cancel(name)));
  }

  private async bootCluster(launch: JobLaunch, propertiesFile: string): Promise<AppCluster> {
    const prepared = await prepareRuntime(launch.runtimeEnvironment, {
      cacheRoot: this.options.cacheRoot,
      log: this.options.log,
    });
    const logToken = randomUUID();
    const host = await FlinkHostProcess.start({
      runtime: prepared,
      flinkConfig: clusterConfig(launch, prepared.spec, this.options),
      confDir: path.join(launch.workDir, 'flink'),
      logDir: path.join(launch.workDir, 'logs'),
      logLevel: launch.logLevel,
      ...(this.options.logIntake
        ? {
            logShipping: {
              intake: this.options.logIntake,
              application: launch.applicationName,
              jvmToken: logToken,
            },
          }
        : {}),
      propertiesFile,
      heapMb: this.options.heapMb(launch.parallelism),
      environment: launch.environment,
      systemProperties: launch.systemProperties,
      javaCommand: this.options.javaCommand,
      startTimeoutMs: this.options.clusterStartTimeoutMs,
    });
    // Lines a JVM wrote just before it exited may still be on their way: forget its token a minute later.
    void host.exited.then(() => setTimeout(() => this.launchedVersions.delete(logToken), 60_000).unref());
    void host.exited.then(() => this.noticeExit(launch.applicationName, host));
    return {
      launch,
      spec: prepared.spec,
      host,
      client: new FlinkRestClient(host.restUrl),
      jvmKey: jvmKey(launch),
      jobsRun: 0,
      logToken,
    };
  }

  /** The application's parked JVM, if it was started with the same JVM-level settings; else stops it. */
  private async reuseParked(launch: JobLaunch): Promise<AppCluster | undefined> {
    const entry = this.parked.get(launch.applicationName);
    if (!entry) return undefined;
    clearTimeout(entry.timer);
    this.parked.delete(launch.applicationName);
    const { cluster } = entry;
    if (
      cluster.host.exit ||
      cluster.jvmKey !== jvmKey(launch) ||
      cluster.jobsRun >= this.options.maxJobsPerCluster
    ) {
      await cluster.host.stop(this.options.shutdownTimeoutMs);
      return undefined;
    }
    if (cluster.jarId) await cluster.client.deleteJar(cluster.jarId).catch(() => undefined);
    return {
      ...cluster,
      launch,
      jobId: undefined,
      jarId: undefined,
      started: false,
      lastRestarts: undefined,
    };
  }

  /** Releases the application's cluster: parks it for reuse, or stops it when reuse is off or it is spent. */
  private async park(cluster: AppCluster): Promise<void> {
    const name = cluster.launch.applicationName;
    if (this.clusters.get(name) === cluster) this.clusters.delete(name);
    await this.unpark(name);
    if (
      this.options.clusterReuseGraceMs <= 0 ||
      cluster.host.exit ||
      cluster.jobsRun >= this.options.maxJobsPerCluster
    ) {
      await cluster.host.stop(this.options.shutdownTimeoutMs);
      return;
    }
    const timer = setTimeout(() => {
      if (this.parked.get(name)?.cluster !== cluster) return;
      this.parked.delete(name);
      void cluster.host.stop(this.options.shutdownTimeoutMs);
    }, this.options.clusterReuseGraceMs);
    timer.unref(); // a parked JVM must not keep msf-local alive; it exits with msf-local's stdin anyway
    this.parked.set(name, { cluster, timer });
  }

  private async unpark(applicationName: string): Promise<void> {
    const entry = this.parked.get(applicationName);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.parked.delete(applicationName);
    await entry.cluster.host.stop(this.options.shutdownTimeoutMs);
  }

  private async submit(cluster: AppCluster): Promise<void> {
    const { launch, client, spec } = cluster;
    const body: JarRunRequest = { parallelism: launch.parallelism };
    if (launch.restore) {
      body.savepointPath = launch.restore.snapshotPath;
      body.allowNonRestoredState = launch.restore.allowNonRestoredState;
      body[spec.claimModeField] = 'NO_CLAIM';
    }
    if (launch.applicationVersionId !== undefined) {
      this.launchedVersions.set(cluster.logToken, launch.applicationVersionId);
    }
    try {
      cluster.jarId = await client.uploadJar(launch.jarPath);
      cluster.jobsRun += 1;
      cluster.jobId = await client.runJar(cluster.jarId, body);
    } catch (error) {
      if (error instanceof FlinkRestError) throw new JobStartFailure(toErrorString(error.errors));
      throw error;
    }
  }

  /** Resolves when the job and its tasks are RUNNING; a job that ends first (or never gets there) is a start failure. */
  private async awaitRunning(cluster: AppCluster): Promise<void> {
    const jobId = cluster.jobId as string;
    let state: string;
    try {
      state = await this.awaitJobState(
        cluster,
        (s) => s === 'RUNNING' || TERMINAL_JOB_STATES.has(s),
        this.options.jobStartTimeoutMs,
      );
    } catch (error) {
      throw new JobStartFailure(`java.util.concurrent.TimeoutException: ${(error as Error).message}`);
    }
    if (state === 'RUNNING') {
      // Also wait for the tasks to be deployed, so a snapshot right after the start finds them running; a job
      // that fails meanwhile leaves RUNNING and ends the wait (its restarts are for observe() to report).
      await this.awaitTasksRunning(cluster);
      return;
    }
    const exceptions = await cluster.client.exceptions(jobId).catch(() => undefined);
    const trace = exceptions?.exceptionHistory?.entries[0]?.stacktrace ?? exceptions?.['root-exception'];
    throw new JobStartFailure(
      trace
        ? toErrorString(trace)
        : `java.lang.IllegalStateException: the Flink job ended ${state} before it was RUNNING`,
    );
  }

  /** Polls the job until `done(state)`; rejects on timeout or when the cluster JVM is gone. */
  private async awaitJobState(
    cluster: AppCluster,
    done: (state: string) => boolean,
    timeoutMs: number,
  ): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    const pause = this.backoff();
    let last = 'UNKNOWN';
    for (;;) {
      if (cluster.host.exit) throw new Error(`the Flink cluster JVM exited (see ${cluster.host.logFile})`);
      const state = await this.jobState(cluster);
      if (state) {
        last = state;
        if (done(state)) return state;
      }
      if (Date.now() > deadline) throw new Error(`the Flink job is still ${last} after ${timeoutMs} ms`);
      await pause();
    }
  }

  private async jobState(cluster: AppCluster): Promise<string | undefined> {
    if (!cluster.jobId) return undefined;
    try {
      return (await cluster.client.job(cluster.jobId)).state;
    } catch (error) {
      if (error instanceof FlinkRestError && error.status === 404) return 'FAILED'; // Flink no longer knows it
      throw error;
    }
  }

  private async awaitTasksRunning(cluster: AppCluster): Promise<void> {
    const deadline = Date.now() + TASKS_RUNNING_GRACE_MS;
    const pause = this.backoff();
    while (Date.now() < deadline && !cluster.host.exit) {
      const job = await cluster.client.job(cluster.jobId as string);
      if (job.state !== 'RUNNING' || job.vertices.every((vertex) => vertex.status === 'RUNNING')) return;
      await pause();
    }
  }

  private async savepointCall(trigger: () => Promise<string>): Promise<string> {
    try {
      return await trigger();
    } catch (error) {
      if (error instanceof FlinkRestError) throw new SnapshotFailure(toErrorString(error.errors));
      throw error;
    }
  }

  /** Polls a savepoint (or stop-with-savepoint) until done; returns the savepoint's local path. */
  private async awaitSavepoint(cluster: AppCluster, triggerId: string): Promise<string> {
    const jobId = cluster.jobId as string;
    const deadline = Date.now() + this.options.savepointTimeoutMs;
    const pause = this.backoff();
    for (;;) {
      if (cluster.host.exit)
        throw new SnapshotFailure(
          `java.lang.IllegalStateException: the Flink cluster JVM exited (see ${cluster.host.logFile})`,
        );
      const status = await cluster.client.savepointStatus(jobId, triggerId);
      if (status.state === 'COMPLETED') return localPath(status.location);
      if (status.state === 'FAILED') throw new SnapshotFailure(toErrorString(status.failureCause));
      if (Date.now() > deadline) {
        throw new SnapshotFailure(
          `java.util.concurrent.TimeoutException: the savepoint did not complete within ${this.options.savepointTimeoutMs} ms`,
        );
      }
      await pause();
    }
  }

  /** Short pauses first (most operations finish within a few hundred ms), then every `pollIntervalMs`. */
  private backoff(): () => Promise<void> {
    let pauseMs = 25;
    return async () => {
      await sleep(Math.min(pauseMs, this.options.pollIntervalMs));
      pauseMs *= 2;
    };
  }

  private requireJob(applicationName: string): AppCluster {
    const cluster = this.clusters.get(applicationName);
    if (!cluster?.jobId || cluster.host.exit)
      throw new Error(`application ${applicationName} has no running Flink job`);
    return cluster;
  }

  /**
   * A JVM exit nobody asked for: stop, cancel and park take the cluster out of `clusters` before they stop its
   * JVM, so a JVM that exits while still the application's current cluster, with its job started, was lost.
   */
  private noticeExit(applicationName: string, host: FlinkHostProcess): void {
    const cluster = this.clusters.get(applicationName);
    if (cluster?.host !== host || !cluster.started) return;
    this.lost.set(applicationName, {
      at: Date.now(),
      restarts: (cluster.carried?.restarts ?? 0) + (cluster.lastRestarts ?? 0) + 1,
      hasFullRestarts: cluster.spec.hasFullRestarts,
    });
    for (const listener of this.lostListeners) listener(applicationName);
  }

  /** Between a lost cluster and the job's restart, the job is down: what Flink reports while it restarts. */
  private outageMetrics(applicationName: string): JobMetrics | undefined {
    const lost = this.lost.get(applicationName);
    if (!lost) return undefined;
    return {
      uptime: 0,
      downtime: Math.max(0, Date.now() - lost.at),
      numRestarts: lost.restarts,
      ...(lost.hasFullRestarts ? { fullRestarts: lost.restarts } : {}),
    };
  }

  private lostCluster(cluster: AppCluster): JobObservation {
    const exit = cluster.host.exit;
    return {
      state: 'FAILED',
      allTasksRunning: false,
      restarts: 0,
      lastException: `java.lang.IllegalStateException: the Flink cluster JVM exited unexpectedly (code ${exit?.code}, signal ${exit?.signal}); see ${cluster.host.logFile}`,
    };
  }

  private async release(cluster: AppCluster): Promise<void> {
    if (this.clusters.get(cluster.launch.applicationName) === cluster)
      this.clusters.delete(cluster.launch.applicationName);
    await cluster.host.stop(this.options.shutdownTimeoutMs);
  }
}

/** Everything a cluster JVM is started with, besides the job itself. */
function jvmKey(launch: JobLaunch): string {
  return JSON.stringify([
    launch.runtimeEnvironment,
    launch.parallelism,
    launch.checkpointing,
    launch.logLevel,
    path.resolve(launch.workDir),
    path.resolve(launch.snapshotDir),
    Object.entries(launch.environment).sort(),
    Object.entries(launch.systemProperties).sort(),
  ]);
}

/** Flink reports savepoints as `file:/abs/path`; msf-local records plain paths (Flink accepts both on restore). */
function localPath(location: string): string {
  return location.startsWith('file:') ? decodeURIComponent(location.replace(/^file:(\/\/)?/, '')) : location;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
