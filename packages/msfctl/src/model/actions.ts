/**
 * The one action vocabulary: everything msfctl does to an application is a list of these, run in order by the
 * one executor (controller/executor.ts) — a deploy, every lifecycle command and every recovery alike. Plain
 * data, JSON-serialisable (saved plans, the ledger, `--json`).
 */
import type {
  AppConfig,
  Tags,
  ConfigUpdate,
  LiveApplication,
  OperationInfo,
  RestoreSettings,
  S3Prefix,
  SnapshotInfo,
} from './application.js';
import type { HealthResult } from './health.js';
import type { ChangeKind, FieldChange } from './changes.js';

/** What an action does to the running job. */
export interface Effect {
  /** The job is restarted (stopped and started again) by this action. */
  restart: boolean;
  /** A snapshot of the job's state is taken by this action. */
  snapshot: boolean;
  /**
   * restored: the (re)started job gets state from a snapshot; dropped: the running job's state is discarded;
   * saved: the job stops and its state stays in a snapshot; none: a job starts with empty state and nothing
   * is lost; unchanged: no job is touched.
   */
  state: 'restored' | 'dropped' | 'saved' | 'none' | 'unchanged';
  /** One line saying where state comes from or goes. */
  stateDetail: string;
  kpus: { before: number; after: number };
}

/** Shared by every action: a sentence for people (recovery plans are printed before they run), the effect. */
interface Common {
  /** Says what the action does; without it, views name the action from its fields. */
  title?: string;
  /** What it does to the running job (absent where it touches none: wait, reconcile, verify). */
  effect?: Effect;
}

export type Action = Common &
  (
    | { type: 'create'; config: AppConfig; description?: string; tags?: Tags }
    | {
        type: 'update';
        kinds: ChangeKind[];
        changes: FieldChange[];
        update: ConfigUpdate;
        /** Sent as RunConfigurationUpdate: only when the application is RUNNING (the update restarts it). */
        run?: RestoreSettings;
      }
    | { type: 'start'; run: RestoreSettings; reason?: string }
    /** StopApplication: the job stops, with a snapshot when snapshots are enabled. */
    | { type: 'stop'; reason?: string }
    /** StopApplication with Force: no snapshot (a failing job cannot take one); nothing to do when READY. */
    | { type: 'force-stop'; reason?: string }
    /** RollbackApplication: the previous version, with state from the latest snapshot. */
    | { type: 'rollback'; fromVersion: number; toVersion?: number }
    /** CreateApplicationSnapshot, or CreateSnapshot in enhanced mode. */
    | { type: 'snapshot'; name: string }
    /**
     * Export a snapshot's savepoint to S3 (where a snapshot outlives a legacy application): under `to`, with
     * `role` for the service to write there.
     */
    | { type: 'export'; snapshot: string; enhanced: boolean; to: S3Prefix; role: string }
    | { type: 'delete' }
    /** AddApplicationCloudWatchLoggingOption: the job's logs go to this log stream (a new version). */
    | { type: 'add-logging'; logStream: string }
    /** DeleteApplicationCloudWatchLoggingOption: the logs stop going to this stream (a new version). */
    | { type: 'delete-logging'; optionId: string; logStream: string }
    /** TagResource and UntagResource on the application: no new version, the job is untouched. */
    | { type: 'tag'; set: Tags; remove: string[] }
    /** Wait for an operation the service runs by itself (its system rollback) to end. */
    | { type: 'wait'; operationId: string }
    /** Read the application back so the ledger matches the service (after a system rollback). */
    | { type: 'reconcile' }
    /** Watch the application's health for bakeSeconds; an unhealthy verdict fails the action. */
    | { type: 'verify'; bakeSeconds: number }
  );

export type ActionType = Action['type'];
export type ActionOf<T extends ActionType> = Extract<Action, { type: T }>;

/** What the executor runs: ordered actions for one application. Every verb and every recovery make one. */
export interface ActionPlan {
  application: string;
  actions: Action[];
}

/** Actions that leave a freshly (re)submitted job behind: the watch phase bakes after them. */
export const RESTARTING_ACTIONS: ReadonlySet<ActionType> = new Set(['start', 'update', 'rollback']);

/** How one action went (the executor's report; the ledger and `--json` keep it). */
export interface ActionRecord {
  action: Action;
  ok: boolean;
  startedAt: number;
  endedAt: number;
  /** Why the action did nothing (e.g. already READY, no health watch). */
  skipped?: string;
  operation?: OperationInfo;
  /** The application after the action (undefined after a delete). */
  live?: LiveApplication | undefined;
  /** The verdict of a verify action. */
  health?: HealthResult;
  /** The snapshot a snapshot action took. */
  snapshot?: SnapshotInfo;
  /** Where an export action wrote the savepoint. */
  exported?: S3Prefix;
  /** Why it failed, in one sentence. */
  error?: string;
}
