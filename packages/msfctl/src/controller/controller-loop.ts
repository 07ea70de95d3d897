/**
 * The long-running controller: a pass every interval over the directory's specs (reloaded each pass), acting
 * only while it holds the leader lock — the per-application lock backend, under a name of its own, with a lease
 * its heartbeat renews. A standby takes the lock over when it is released, when its lease runs out, or (same host)
 * when its holder process is gone. Stopping waits for the pass under way (no half operation) and releases it.
 */
import type { AppReport, ControllerReport } from '../model/controller-report.js';
import { MsfctlError } from '../model/errors.js';
import { systemClock, type Clock } from '../ports/clock.js';
import type { ObjectStore } from '../ports/object-store.js';
import { runFleet, DEFAULT_FLEET_PARALLELISM } from './fleet.js';
import {
  errorReport,
  reconcileApp,
  type AppMemory,
  type ControlledApp,
  type ReconcileOptions,
} from './reconciler.js';
import { acquireLock, readLock, type HeldLock, type LockOptions } from './state/lock.js';

/** The leader lock's name in the state store (beside the applications' own locks). */
export const LEADER_LOCK = '.controller-leader';

export interface ControllerOptions {
  /** The specs as they are now (called every pass) and the files that did not load. */
  load(): { apps: ControlledApp[]; errors: { file: string; message: string }[] };
  /** Where the leader lock lives (the fleet's state store). */
  store: ObjectStore;
  intervalMs: number;
  leaseMs: number;
  parallelism?: number;
  clock?: Clock;
  log(text: string): void;
  reconcile?: Omit<ReconcileOptions, 'since' | 'clock'>;
  /** How the leader lock names its holder and tells whether a holder process lives (tests: another host). */
  lock?: Pick<LockOptions, 'host' | 'isProcessAlive'>;
}

export class Controller {
  private lock: HeldLock | undefined;
  private readonly memory = new Map<string, AppMemory>();
  private readonly clock: Clock;
  private readonly since: number;
  report: ControllerReport;

  constructor(private readonly options: ControllerOptions) {
    this.clock = options.clock ?? systemClock;
    this.since = this.clock.now();
    this.report = {
      leader: false,
      startedAt: new Date(this.since).toISOString(),
      passes: 0,
      intervalMs: options.intervalMs,
      applications: [],
      errors: [],
    };
  }

  /** One pass: make sure of the leadership, then reconcile every application (leader) or only report (standby). */
  async pass(): Promise<ControllerReport> {
    const started = this.clock.now();
    const { apps, errors } = this.options.load();
    const leader = await this.lead();
    let applications: AppReport[] = [];
    if (leader) {
      const outcomes = await runFleet(
        apps,
        (app) => reconcileApp(app, this.memoryOf(app.application), this.reconcileOptions()),
        { parallelism: this.options.parallelism ?? DEFAULT_FLEET_PARALLELISM },
      );
      applications = outcomes.map((o) => (o.ok ? o.value : errorReport(o.member, o.error, this.clock.now())));
      for (const a of applications) {
        for (const sentence of a.did) this.options.log(`${a.application}: ${sentence}`);
        if (a.lastReconcile.result === 'error')
          this.options.log(`${a.application}: ${a.lastReconcile.message ?? 'error'}`);
      }
    }
    const holder = leader
      ? undefined
      : await readLock(this.options.store, LEADER_LOCK).catch(() => undefined);
    this.report = {
      ...this.report,
      leader,
      ...(holder
        ? {
            holder: {
              id: holder.id,
              who: holder.who,
              expiresAt: holder.expiresAt,
              ...(holder.pid !== undefined ? { pid: holder.pid } : {}),
              ...(holder.host ? { host: holder.host } : {}),
            },
          }
        : { holder: undefined }),
      passes: this.report.passes + 1,
      lastPass: { at: new Date(started).toISOString(), ms: this.clock.now() - started },
      applications: leader ? applications : this.report.applications,
      errors,
    };
    return this.report;
  }

  /** Passes every interval until `signal` aborts; the pass under way finishes first, then the lock is released. */
  async run(signal: AbortSignal): Promise<void> {
    try {
      while (!signal.aborted) {
        try {
          await this.pass();
        } catch (error) {
          this.options.log(`pass failed: ${(error as Error).message}`);
        }
        await sleep(this.options.intervalMs, signal);
      }
    } finally {
      await this.release();
    }
  }

  async release(): Promise<void> {
    const lock = this.lock;
    this.lock = undefined;
    if (lock) {
      await lock
        .release()
        .catch((error: Error) => this.options.log(`releasing the leader lock: ${error.message}`));
      this.options.log('released the leader lock');
    }
    this.report = { ...this.report, leader: false };
  }

  private async lead(): Promise<boolean> {
    if (this.lock) {
      try {
        this.lock.assertHeld();
        return true;
      } catch {
        this.options.log('lost the leader lock: standing by');
        this.lock = undefined;
      }
    }
    try {
      this.lock = await acquireLock(this.options.store, LEADER_LOCK, 'controller', {
        leaseMs: this.options.leaseMs,
        clock: this.clock,
        ...this.options.lock,
      });
      this.lock.startHeartbeat();
      this.options.log(
        `leader${this.lock.info.takenOverFrom ? ` (took over from ${this.lock.info.takenOverFrom})` : ''}`,
      );
      return true;
    } catch (error) {
      if (MsfctlError.is(error, 'LOCK_HELD')) return false;
      throw error;
    }
  }

  private memoryOf(application: string): AppMemory {
    let m = this.memory.get(application);
    if (!m) this.memory.set(application, (m = {}));
    return m;
  }

  private reconcileOptions(): ReconcileOptions {
    return { ...this.options.reconcile, since: this.since, clock: this.clock };
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
