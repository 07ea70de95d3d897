// Long on purpose: all background job work shares one per-application generation that drops stale work.
/**
 * The background half of the control plane: everything that waits for the job runtime. Each application has
 * at most one piece of work in flight; a force stop, rollback or delete abandons it (its late result is
 * ignored) by moving the application's generation on.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { addOperation, addRollbackVersion, errorString, finishOperation } from './application-history.js';
import type { ApplicationStore } from './application-store.js';
import type { CodeSource } from './code-source.js';
import { snapshotDuringDowntime } from './errors.js';
import type { JobLaunch, JobRuntime, PropertyGroup } from './job-runtime.js';
import { currentVersion, JOB_STATUSES } from './model.js';
import type {
  Application,
  ApplicationConfig,
  ApplicationStatus,
  ApplicationVersion,
  Operation,
  RunConfig,
  Snapshot,
} from './model.js';
import type { EnhancedSnapshots } from './snapshots/enhanced-snapshots.js';
import { isEnhanced } from './snapshots/model.js';
import { settledEvent, transition } from './state-machine.js';

/** What the supervisor needs of enhanced snapshots: system snapshots on stop and update, and restores. */
export type SystemSnapshots = Pick<EnhancedSnapshots, 'recordSystemSnapshot' | 'restorePath' | 'latest'>;

export interface JobSupervisorOptions {
  /** What runs the jobs. Without one, every start fails with `runtimeUnavailable` as its error. */
  runtime?: JobRuntime;
  runtimeUnavailable?: string;
  /**
   * What the job JVM gets besides its configuration: environment, system properties and the property groups as
   * the job sees them (how jobs reach msf-local's AWS endpoints with no change to their code or configuration).
   */
  jobEnvironment?: (
    propertyGroups: PropertyGroup[],
  ) => Pick<JobLaunch, 'environment' | 'systemProperties' | 'propertyGroups'>;
  /**
   * A job that restarted within this window counts as "experiencing downtime": snapshots, stops with a
   * snapshot and updates of it are refused as on MSF (msf-api.md §4.7). Default 60 s.
   */
  downtimeWindowMs?: number;
  /**
   * How long after its cluster JVM died a job is started again, and between attempts that fail: MSF's
   * fixed-delay restart strategy, as `--restart-delay` sets it for Flink. Default 10 s.
   */
  restartDelayMs?: number;
  /** How long a configuration-only change stays UPDATING before it settles (default 200 ms). */
  settleMs?: number;
  log?: (message: string) => void;
}

type Persist = (app: Application) => Promise<void>;

export class JobSupervisor {
  private readonly generations = new Map<string, number>();
  /** When the application's current run began (start, update, rollback): older checkpoints are not its state. */
  private readonly runSince = new Map<string, number>();
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;

  constructor(
    private readonly store: ApplicationStore,
    private readonly code: CodeSource,
    private readonly options: JobSupervisorOptions,
    private readonly persist: Persist,
    private readonly now: () => number,
    private readonly forget: (name: string) => Promise<void>,
    private readonly enhanced?: SystemSnapshots,
  ) {}

  // ---------------------------------------------------------------- entry points (return at once)

  start(app: Application, operation: Operation, run: RunConfig): void {
    this.spawn(app, (current) => this.launchAndSettle(app, operation, currentVersion(app), run, current));
  }

  stop(app: Application, operation: Operation): void {
    this.spawn(app, async (current) => {
      const runtime = this.runtime();
      try {
        if (currentVersion(app).config.snapshotsEnabled) {
          const snapshotPath = await runtime.stopWithSnapshot(app.name);
          if (!current()) return;
          const version = currentVersion(app);
          await this.recordAutoSnapshot(app, 'stop', snapshotPath, version, operation, version.config);
          if (!current()) return;
        } else {
          await runtime.cancel(app.name);
          if (!current()) return;
        }
        transition(app, 'JobStopped');
        finishOperation(operation, 'SUCCESSFUL', this.now());
      } catch (error) {
        if (!current()) return;
        // The savepoint failed and Flink keeps the job running: so does MSF.
        transition(app, 'StopFailed');
        finishOperation(operation, 'FAILED', this.now(), messageOf(error));
      }
      await this.persist(app);
    });
  }

  async forceStop(app: Application, operation: Operation): Promise<void> {
    await this.abandonInFlight(app, operation);
    transition(app, 'ForceStopApplication');
    await this.persist(app);
    this.spawn(app, async (current) => {
      try {
        await this.options.runtime?.cancel(app.name);
      } catch (error) {
        this.log(`force stop of ${app.name}: ${messageOf(error)}`);
      }
      if (!current()) return;
      transition(app, 'ForceStopped');
      finishOperation(operation, 'SUCCESSFUL', this.now());
      await this.persist(app);
    });
  }

  /**
   * UpdateApplication on a RUNNING application: snapshot (if enabled) while stopping, then start the new
   * version restoring as `run` says. A failure rolls back to `previous` when system rollback is enabled.
   */
  restartForUpdate(
    app: Application,
    operation: Operation,
    previous: ApplicationVersion,
    next: ApplicationVersion,
    run: RunConfig,
  ): void {
    this.spawn(app, async (current) => {
      const runtime = this.runtime();
      try {
        if (next.config.snapshotsEnabled) {
          const snapshotPath = await runtime.stopWithSnapshot(app.name);
          if (!current()) return;
          await this.recordAutoSnapshot(app, 'update', snapshotPath, previous, operation, next.config);
          if (!current()) return;
          await this.persist(app);
        } else {
          await runtime.cancel(app.name);
        }
        if (!current()) return;
        app.runConfig = run;
        this.runSince.set(app.name, this.now());
        await this.launch(app, next, run);
        if (!current()) return;
        transition(app, 'JobRunning');
        finishOperation(operation, 'SUCCESSFUL', this.now());
        await this.persist(app);
      } catch (error) {
        if (!current()) return;
        await this.failUpdate(app, operation, previous, next, messageOf(error), current);
      }
    });
  }

  /**
   * The cluster JVM of the application's job died (kill -9, crash): as MSF restarts a failed job, the job starts
   * again after the restart delay from its latest checkpoint (else the latest snapshot, else empty), and again
   * after each failed attempt. The application stays RUNNING. During any other operation the operation's own
   * work sees the job gone; nothing restarts then.
   */
  clusterLost(app: Application): void {
    if (app.status !== 'RUNNING') return;
    const delayMs = this.options.restartDelayMs ?? 10_000;
    this.log(`the Flink cluster JVM of ${app.name} exited unexpectedly; restarting its job in ${delayMs} ms`);
    this.spawn(app, async (current) => {
      for (let attempt = 1; ; attempt++) {
        await delay(delayMs);
        if (!current() || app.status !== 'RUNNING') return;
        try {
          const run: RunConfig = {
            restoreType: 'RESTORE_FROM_LATEST_SNAPSHOT',
            allowNonRestoredState: app.runConfig?.allowNonRestoredState ?? false,
          };
          const version = currentVersion(app);
          const checkpoint = await this.runtime().retainedCheckpoint(this.store.workDirOf(app.name));
          const ofThisRun = checkpoint && checkpoint.completedAt >= (this.runSince.get(app.name) ?? 0);
          const restorePath = ofThisRun ? checkpoint.path : this.restorePathFor(app, version, run);
          const from = ofThisRun
            ? `its latest checkpoint ${checkpoint.path}`
            : restorePath
              ? `its latest snapshot ${restorePath} (no checkpoint of this run)`
              : 'empty state (no checkpoint of this run, no snapshot)';
          this.log(`restarting the job of ${app.name} from ${from}`);
          await this.launch(app, version, run, restorePath ?? SKIP_RESTORE);
          if (!current()) return;
          this.log(`the job of ${app.name} runs again`);
          return;
        } catch (error) {
          if (!current()) return;
          this.log(
            `restart ${attempt} of ${app.name} failed: ${messageOf(error)}; trying again in ${delayMs} ms`,
          );
        }
      }
    });
  }

  /** A change that needs no job restart (READY application, logging/VPC options): settles shortly. */
  completeConfigurationChange(app: Application, operation: Operation, steady: ApplicationStatus): void {
    this.spawn(app, async (current) => {
      await delay(this.options.settleMs ?? 200);
      if (!current()) return;
      transition(app, settledEvent(steady));
      finishOperation(operation, 'SUCCESSFUL', this.now());
      await this.persist(app);
    });
  }

  /** RollbackApplication: the job is cancelled (no snapshot) and `version` starts from the latest snapshot. */
  rollback(app: Application, operation: Operation, version: ApplicationVersion): void {
    this.spawn(app, async (current) => {
      await this.options.runtime
        ?.cancel(app.name)
        .catch((error: Error) => this.log(`rollback of ${app.name}: ${error.message}`));
      if (!current()) return;
      await this.launchAndSettle(app, operation, version, LATEST_SNAPSHOT, current);
    });
  }

  delete(app: Application): void {
    this.bump(app);
    this.spawn(app, async () => {
      try {
        await this.options.runtime?.cancel(app.name);
      } catch (error) {
        this.log(`deleting ${app.name}: ${messageOf(error)}`);
      }
      await fs.rm(this.store.workDirOf(app.name), { recursive: true, force: true });
      await this.forget(app.name);
    });
  }

  newSnapshot(app: Application, name: string): Snapshot {
    const now = this.now();
    const snapshot: Snapshot = {
      name,
      status: 'CREATING',
      versionId: app.currentVersionId,
      createdAt: Math.floor(now / 1000) * 1000,
      sequence: ++app.snapshotSequence,
      runtimeEnvironment: currentVersion(app).config.runtimeEnvironment,
    };
    app.snapshots.push(snapshot);
    return snapshot;
  }

  takeSnapshot(app: Application, snapshot: Snapshot): void {
    this.track(
      (async () => {
        try {
          snapshot.path = await this.runtime().snapshot(app.name);
          snapshot.status = 'READY';
        } catch (error) {
          snapshot.status = 'FAILED';
          snapshot.failure = errorString(messageOf(error));
        }
        await this.persist(app);
      })(),
    );
  }

  deleteSnapshot(app: Application, snapshot: Snapshot): void {
    this.track(
      (async () => {
        if (snapshot.path) await this.removeSavepoint(app, snapshot.path);
        app.snapshots = app.snapshots.filter((s) => s !== snapshot);
        await this.persist(app);
      })(),
    );
  }

  /** Takes a savepoint of the application's running job (an enhanced snapshot); resolves with its location. */
  savepoint(app: Application): Promise<string> {
    return this.runtime().snapshot(app.name);
  }

  /** Refuses (as MSF does) to snapshot a job that is failing, restarting, or restarted moments ago. */
  async assertSnapshotPossible(app: Application): Promise<void> {
    const runtime = this.options.runtime;
    if (!runtime) throw snapshotDuringDowntime(app.name);
    const job = await runtime.observe(app.name);
    const window = this.options.downtimeWindowMs ?? 60_000;
    const recentlyRestarted = job.lastRestartAt !== undefined && this.now() - job.lastRestartAt < window;
    if (job.state !== 'RUNNING' || !job.allTasksRunning || recentlyRestarted) {
      throw snapshotDuringDowntime(app.name);
    }
  }

  /** Moves the application's generation on so in-flight work is ignored; its operation is CANCELLED. */
  async abandonInFlight(app: Application, by: Operation): Promise<void> {
    this.bump(app);
    for (const op of app.operations) {
      if (op !== by && op.status === 'IN_PROGRESS') finishOperation(op, 'CANCELLED', this.now());
    }
  }

  async jobPlan(app: Application): Promise<string | undefined> {
    return app.status === 'RUNNING' ? this.options.runtime?.jobPlan(app.name) : undefined;
  }

  dashboardUrl(app: Application): string | undefined {
    return this.options.runtime?.dashboardUrl(app.name);
  }

  /**
   * After msf-local restarts: operations that were in progress are failed, half-done stops and deletes are
   * finished, and applications that had a job come back from their latest snapshot, as MSF recovers them.
   */
  async recover(app: Application): Promise<void> {
    const interrupted = app.operations.filter((op) => op.status === 'IN_PROGRESS');
    for (const op of interrupted) {
      finishOperation(
        op,
        'FAILED',
        this.now(),
        'msf-local was restarted while this operation was in progress.',
      );
    }
    for (const snapshot of app.snapshots) {
      if (snapshot.status === 'CREATING') {
        snapshot.status = 'FAILED';
        snapshot.failure = 'msf-local was restarted while the snapshot was being taken.';
      }
    }
    const deleting = app.snapshots.filter((s) => s.status === 'DELETING');
    for (const snapshot of deleting) this.deleteSnapshot(app, snapshot);

    if (app.status === 'DELETING') {
      this.delete(app);
      return;
    }
    const hadJob = JOB_STATUSES.includes(app.status) && app.status !== 'STOPPING';
    if (!hadJob) {
      transition(app, 'RecoveredIdle');
      await this.persist(app);
      return;
    }
    transition(app, 'RecoveredWithJob');
    await this.persist(app);
    this.spawn(app, async (current) => {
      try {
        // As MSF recovers a job: from its latest checkpoint when that is newer than the latest snapshot.
        const checkpoint = await this.options.runtime?.retainedCheckpoint(this.store.workDirOf(app.name));
        const snapshot = this.latestRestorable(app);
        const fromCheckpoint = checkpoint && (!snapshot || checkpoint.completedAt > snapshot.createdAt);
        await this.launch(
          app,
          currentVersion(app),
          {
            restoreType: 'RESTORE_FROM_LATEST_SNAPSHOT',
            allowNonRestoredState: app.runConfig?.allowNonRestoredState ?? false,
          },
          fromCheckpoint ? checkpoint.path : undefined,
        );
      } catch (error) {
        if (!current()) return;
        this.log(`could not bring ${app.name} back after a restart: ${messageOf(error)}`);
        transition(app, 'JobFailed');
        await this.persist(app);
      }
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const name of this.generations.keys())
      this.generations.set(name, (this.generations.get(name) ?? 0) + 1);
    await this.options.runtime?.close();
    await Promise.allSettled([...this.inFlight]);
  }

  // ---------------------------------------------------------------- internals

  private async failUpdate(
    app: Application,
    operation: Operation,
    previous: ApplicationVersion,
    failed: ApplicationVersion,
    error: string,
    current: () => boolean,
  ): Promise<void> {
    await this.options.runtime?.cancel(app.name).catch(() => undefined);
    if (!failed.config.systemRollbackEnabled) {
      transition(app, 'JobFailed');
      finishOperation(operation, 'FAILED', this.now(), error);
      await this.persist(app);
      return;
    }
    // System rollback (msf-api.md §4.4): the update fails and points at the rollback that follows it.
    const rollbackOp = addOperation(app, 'RollbackApplication', this.now());
    finishOperation(operation, 'FAILED', this.now(), error);
    operation.rollbackOperationId = rollbackOp.id;
    const version = addRollbackVersion(app, failed, previous, this.now());
    rollbackOp.versionChange = { from: failed.id, to: version.id };
    transition(app, 'SystemRollback');
    await this.persist(app);
    await this.launchAndSettle(app, rollbackOp, version, LATEST_SNAPSHOT, current);
  }

  /** Launches `version` and settles `operation`: RUNNING and SUCCESSFUL once the job runs, else READY and FAILED. */
  private async launchAndSettle(
    app: Application,
    operation: Operation,
    version: ApplicationVersion,
    run: RunConfig,
    current: () => boolean,
  ): Promise<void> {
    try {
      this.runSince.set(app.name, this.now());
      await this.launch(app, version, run);
      if (!current()) return;
      transition(app, 'JobRunning');
      finishOperation(operation, 'SUCCESSFUL', this.now());
    } catch (error) {
      if (!current()) return;
      transition(app, 'JobFailed');
      finishOperation(operation, 'FAILED', this.now(), messageOf(error));
    }
    await this.persist(app);
  }

  /** Starts `version`'s job, restoring as `run` says (or from `restorePath`); resolves once RUNNING. */
  private async launch(
    app: Application,
    version: ApplicationVersion,
    run: RunConfig,
    restorePath?: string | typeof SKIP_RESTORE,
  ): Promise<void> {
    const runtime = this.runtime();
    const config = version.config;
    const workDir = this.store.workDirOf(app.name);
    const jarPath = await this.materializeCode(app, version, workDir);
    const restoreFrom =
      restorePath === SKIP_RESTORE ? undefined : (restorePath ?? this.restorePathFor(app, version, run));
    const groups = config.propertyGroups ?? [];
    const job = this.options.jobEnvironment?.(groups) ?? {
      environment: {},
      systemProperties: {},
      propertyGroups: groups,
    };
    await runtime.start({
      applicationName: app.name,
      applicationVersionId: version.id,
      runtimeEnvironment: config.runtimeEnvironment,
      jarPath,
      parallelism: config.parallelism.parallelism,
      parallelismPerKpu: config.parallelism.perKpu,
      checkpointing: {
        enabled: config.checkpoint.enabled,
        intervalMs: config.checkpoint.intervalMs,
        minPauseMs: config.checkpoint.minPauseMs,
      },
      ...(restoreFrom
        ? { restore: { snapshotPath: restoreFrom, allowNonRestoredState: run.allowNonRestoredState } }
        : {}),
      propertyGroups: job.propertyGroups,
      logLevel: config.monitoring.logLevel,
      workDir,
      snapshotDir: path.join(workDir, 'snapshots'),
      environment: job.environment,
      systemProperties: job.systemProperties,
    });
  }

  /**
   * Enhanced mode restores enhanced snapshots; LATEST falls back to the application snapshots (legacy) of an
   * application that has just switched and has no enhanced snapshot yet, so its state carries over.
   */
  private restorePathFor(app: Application, version: ApplicationVersion, run: RunConfig): string | undefined {
    if (this.enhanced && isEnhanced(version.config)) {
      const path = this.enhanced.restorePath(app, run);
      if (path !== undefined || run.restoreType !== 'RESTORE_FROM_LATEST_SNAPSHOT') return path;
    }
    return this.restoreSnapshot(app, run)?.path;
  }

  private latestRestorable(app: Application): { createdAt: number } | undefined {
    const enhanced = isEnhanced(currentVersion(app).config) ? this.enhanced?.latest(app) : undefined;
    return enhanced ?? latestReadySnapshot(app);
  }

  private restoreSnapshot(app: Application, run: RunConfig): Snapshot | undefined {
    if (run.restoreType === 'SKIP_RESTORE_FROM_SNAPSHOT') return undefined;
    if (run.restoreType === 'RESTORE_FROM_CUSTOM_SNAPSHOT') {
      const snapshot = app.snapshots.find((s) => s.name === run.snapshotName && s.status === 'READY');
      if (!snapshot) throw new Error(`Snapshot ${run.snapshotName} does not exist or is not READY.`);
      return snapshot;
    }
    return latestReadySnapshot(app);
  }

  private async materializeCode(
    app: Application,
    version: ApplicationVersion,
    workDir: string,
  ): Promise<string> {
    const code = version.config.code;
    const jar = path.join(workDir, 'code', `version-${version.id}.jar`);
    if (code?.zip) {
      // Inline code is stored by digest as .zip; Flink's jar upload takes only a *.jar file name.
      await fs.mkdir(path.dirname(jar), { recursive: true });
      await fs.copyFile(this.store.codePath(code.zip.sha512), jar);
      return jar;
    }
    if (!code?.s3) throw new Error(`Application ${app.name} has no application code configured.`);
    try {
      await this.code.copyTo(code.s3, jar);
    } catch (error) {
      throw new Error(
        `Please check the role provided or validity of S3 location you provided. We are unable to get the ` +
          `specified fileKey: ${code.s3.fileKey} in the specified bucket: ` +
          `${code.s3.bucketArn.replace(/^arn:[^:]*:s3:::/, '')} (${messageOf(error)})`,
      );
    }
    return jar;
  }

  /** The snapshot a stop or update took: a SYSTEM enhanced snapshot when `mode` says enhanced. */
  private async recordAutoSnapshot(
    app: Application,
    reason: string,
    snapshotPath: string,
    of: ApplicationVersion,
    by: Operation,
    mode: ApplicationConfig,
  ): Promise<void> {
    if (this.enhanced && isEnhanced(mode)) {
      await this.enhanced.recordSystemSnapshot(app, snapshotPath, of, by);
      return;
    }
    const now = this.now();
    const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
    let name = `msf-local-${reason}-${stamp}`;
    for (let n = 2; app.snapshots.some((s) => s.name === name); n++)
      name = `msf-local-${reason}-${stamp}-${n}`;
    app.snapshots.push({
      name,
      status: 'READY',
      versionId: of.id,
      createdAt: Math.floor(now / 1000) * 1000,
      sequence: ++app.snapshotSequence,
      runtimeEnvironment: of.config.runtimeEnvironment,
      path: snapshotPath,
    });
  }

  private async removeSavepoint(app: Application, savepoint: string): Promise<void> {
    const local = savepoint.replace(/^file:(\/\/)?/, '');
    const root = path.resolve(this.store.workDirOf(app.name));
    const resolved = path.resolve(local);
    // Only ever delete inside the application's own directory.
    if (resolved.startsWith(root + path.sep)) await fs.rm(resolved, { recursive: true, force: true });
  }

  private runtime(): JobRuntime {
    if (!this.options.runtime) {
      throw new Error(this.options.runtimeUnavailable ?? 'msf-local has no job runtime configured.');
    }
    return this.options.runtime;
  }

  private spawn(app: Application, work: (current: () => boolean) => Promise<void>): void {
    if (this.closed) return;
    const generation = this.bump(app);
    const current = () => !this.closed && this.generations.get(app.name) === generation;
    this.track(
      work(current).catch((error) => {
        this.log(`background work for ${app.name} failed: ${messageOf(error)}`);
      }),
    );
  }

  private bump(app: Application): number {
    const next = (this.generations.get(app.name) ?? 0) + 1;
    this.generations.set(app.name, next);
    return next;
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private log(message: string): void {
    (this.options.log ?? ((m) => process.stderr.write(`msf-local: ${m}\n`)))(message);
  }
}

/** A `restorePath` for launch(): start with empty state whatever the run configuration says. */
const SKIP_RESTORE = Symbol('skip restore');

/** How rollbacks restore: the latest READY snapshot, every operator's state required. */
const LATEST_SNAPSHOT: RunConfig = {
  restoreType: 'RESTORE_FROM_LATEST_SNAPSHOT',
  allowNonRestoredState: false,
};

export function latestReadySnapshot(app: Application): Snapshot | undefined {
  return app.snapshots
    .filter((s) => s.status === 'READY')
    .sort((a, b) => b.createdAt - a.createdAt || b.sequence - a.sequence)[0];
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
