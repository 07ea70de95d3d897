/**
 * The deploy rehearsal's settings and its report: before a change that restarts the job with restored state,
 * msfctl restores the new job from the very state the deploy will restore, on a local real Flink, and refuses
 * the deploy when Flink cannot (issue 14). Plain data: `plan --json` and saved plans carry the report.
 */
import { parseDuration } from './duration.js';
import { MsfctlError } from './errors.js';

/** off: never; auto: when the change can break state and the state can be had; required: refuse without one. */
export type RehearsalMode = 'off' | 'auto' | 'required';
export const REHEARSAL_MODES: readonly RehearsalMode[] = ['off', 'auto', 'required'];
export const DEFAULT_REHEARSAL_WINDOW_SECONDS = 30;

export interface RehearsalSettings {
  mode: RehearsalMode;
  /** How long the restored job must run without a restart, with a checkpoint. */
  windowSeconds: number;
  /** Asked for on the command line (`--rehearse`): rehearse any restoring change, refuse when it cannot. */
  explicit: boolean;
  /** Set by `--rehearse` / `--no-rehearse` rather than by the spec. */
  byFlag: boolean;
}

/** `--rehearse` / `--no-rehearse` over spec `deploy.rehearse` / `deploy.rehearsalWindow`, over the defaults. */
export function rehearsalSettings(
  flag: boolean | undefined,
  spec: { rehearse?: RehearsalMode; rehearsalWindow?: string | number } | undefined,
): RehearsalSettings {
  const mode: RehearsalMode =
    flag === true ? 'required' : flag === false ? 'off' : (spec?.rehearse ?? 'auto');
  return {
    mode,
    windowSeconds: windowSeconds(spec?.rehearsalWindow),
    explicit: flag === true,
    byFlag: flag !== undefined,
  };
}

/** deploy.rehearsalWindow: seconds, or a duration such as 30s or 2m; 1 s to 1 h. */
export function windowSeconds(value: string | number | undefined): number {
  if (value === undefined) return DEFAULT_REHEARSAL_WINDOW_SECONDS;
  const ms = typeof value === 'number' ? value * 1000 : parseDuration(value);
  if (ms === undefined || !Number.isInteger(ms / 1000) || ms < 1000 || ms > 3_600_000)
    throw new MsfctlError(
      'SPEC_INVALID',
      `deploy.rehearsalWindow must be whole seconds from 1s to 1h (e.g. 30s, 2m), not ${JSON.stringify(value)}.`,
    );
  return ms / 1000;
}

/** Where the rehearsed state came from. */
export interface RehearsedState {
  /** fresh: a snapshot taken for the rehearsal (deleted after it); snapshot: the one the deploy restores. */
  source: 'fresh' | 'snapshot';
  snapshot: string;
  /** The snapshot's ARN (enhanced mode). */
  arn?: string;
  /** Where the snapshot was exported (a scratch prefix, removed after the rehearsal). */
  exportedTo?: string;
  sizeBytes?: number;
  files?: number;
  /** Snapshot + export + download, in ms. */
  fetchMs?: number;
}

/** What `plan --json` shows under preflight.rehearsal. */
export interface RehearsalReport {
  rehearsed: boolean;
  mode: RehearsalMode;
  /** Why it did not rehearse (or could not). */
  note?: string;
  passed?: boolean;
  state?: RehearsedState;
  runtime?: string;
  flinkVersion?: string;
  parallelism?: number;
  allowNonRestoredState?: boolean;
  windowSeconds?: number;
  checkpointsCompleted?: number;
  restarts?: number;
  durationMs?: number;
  timings?: Record<string, number | undefined>;
  failure?: RehearsalFailureReport;
  /** Connections the job tried outside the sandbox (refused). */
  blockedConnections?: string[];
  /** What was removed afterwards: the scratch objects, the snapshot taken for the rehearsal. */
  cleanedUp?: string[];
}

export interface RehearsalFailureReport {
  kind: string;
  message: string;
  phase: string;
  /** Flink's root cause, MSF ErrorString form. */
  rootCause?: string;
  operator?: { uid?: string; name?: string; operatorId?: string; vertexName?: string };
}
