/**
 * What the controller runs on, all of it injected: the ports of one application's target, the state store, the
 * output host, time. No process-global state, so a fleet runner or a reconcile loop can drive many applications
 * in one process, each with its own context (and its own host to observe progress).
 */
import type { DeploySettings } from '../model/deploy-settings.js';
import type { Clock } from '../ports/clock.js';
import type { ExceptionSource } from '../ports/exceptions.js';
import type { Interrupts } from '../ports/interrupts.js';
import type { IoHost } from '../ports/io-host.js';
import type { HealthFetcher } from '../ports/metrics.js';
import type { MsfGateway } from '../ports/msf.js';
import type { ObjectStore } from '../ports/object-store.js';
import type { SnapshotExporter } from '../ports/snapshot-export.js';
import type { LockOptions } from './state/lock.js';
import type { WaitOptions } from './wait.js';

export interface RunContext {
  application: string;
  gateway: MsfGateway;
  host: IoHost;
  /** Where the ledger and the lock live. */
  state: ObjectStore;
  clock?: Clock;
  lock?: LockOptions;
  interrupts?: Interrupts;
  /** The target's health metrics: the watch phase reads them. Without them nothing is watched. */
  metrics?: HealthFetcher;
  /** The job's latest exception, where the target offers one (evidence for an unhealthy verdict). */
  exceptions?: ExceptionSource;
  /** The target's snapshot exporter (export actions: destroy of a legacy application; `snapshot export`). */
  exporter?: SnapshotExporter;
  /** The watch phase's settings (bake, onFailure) for the verbs that (re)start the job. @default 120 s, rollback */
  deploy?: Pick<DeploySettings, 'bakeSeconds' | 'onFailure'>;
  /** Poll timing of the waiters (tests). */
  wait?: Omit<WaitOptions, 'progress' | 'label' | 'clock'>;
  /** Seconds between metric reads during a bake (tests). */
  pollSeconds?: number;
  /** Bake of the verify action after a recovery. @default the bake */
  verifySeconds?: number;
}
