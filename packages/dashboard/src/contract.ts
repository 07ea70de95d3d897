/**
 * The dashboard's JSON contract, version 1: every shape the server answers under `/api/v1/...` and the web app
 * reads. Plain JSON values (times as ISO-8601 strings, except chart columns, which are epoch milliseconds).
 * A `DashboardSource` (source.ts) produces the data; the server adds the envelope (`apiVersion`,
 * `generatedAt`). A change that breaks a reader gets a new version in the URL (/api/v2), never an edit here.
 *
 * Endpoints (all GET or HEAD; errors are `ErrorResponse` with the HTTP status):
 *   /api/v1/fleet                                  FleetResponse
 *   /api/v1/applications/{name}                    ApplicationResponse
 *   /api/v1/applications/{name}/series?minutes=60  SeriesResponse (5 ≤ minutes ≤ 1440)
 *   /api/v1/applications/{name}/logs?limit=100     LogsResponse (1 ≤ limit ≤ 500)
 *   /api/v1/applications/{name}/flink-dashboard    302 to a fresh presigned Flink dashboard URL
 *   /api/v1/events                                 text/event-stream: `fleet` events, data = FleetResponse
 */

export const API_VERSION = 'v1' as const;
export type ApiVersion = typeof API_VERSION;
export const API_PREFIX = `/api/${API_VERSION}`;

/**
 * One colour each on the page. `crash-looping`: the job restarts again and again (msfctl's detector declares
 * it at the second restart); `unhealthy`: any other evidence (failed checkpoints, no progress, outage);
 * `not-running`: stopped (READY), so there is no job to judge; `unknown`: not enough data yet, or unreadable.
 */
export type HealthState = 'healthy' | 'unhealthy' | 'crash-looping' | 'unknown' | 'not-running';
export const HEALTH_STATES: readonly HealthState[] = [
  'crash-looping',
  'unhealthy',
  'unknown',
  'not-running',
  'healthy',
];

/** The service's ApplicationStatus, as MSF spells it. */
export type ApplicationStatus =
  | 'DELETING'
  | 'STARTING'
  | 'STOPPING'
  | 'READY'
  | 'RUNNING'
  | 'UPDATING'
  | 'AUTOSCALING'
  | 'FORCE_STOPPING'
  | 'ROLLING_BACK'
  | 'MAINTENANCE'
  | 'ROLLED_BACK';

export interface HealthSummary {
  state: HealthState;
  /** One line for people: why unhealthy or unknown, a summary when healthy. */
  reason: string;
  /** When the verdict was reached (ISO-8601). */
  checkedAt?: string;
}

export interface HealthEvidence {
  /** What kind of evidence: restarts, uptime-reset, outage, failed-checkpoints, progress, exception… */
  signal: string;
  /** One sentence, e.g. "3 restarts in 24s (numRestarts 0 → 3)". */
  message: string;
  /** The CloudWatch metric it comes from. */
  metric?: string;
}

export interface HealthDetail extends HealthSummary {
  evidence: HealthEvidence[];
}

export interface Capacity {
  /** Parallelism the job runs with now (autoscaling may move it from the configured one). */
  parallelism: number;
  parallelismPerKpu: number;
  autoscaling: boolean;
  /** KPUs in use now: 0 unless the job runs. */
  kpus: number;
  /** KPUs the configuration asks for when running. */
  kpusConfigured: number;
}

export interface LastOperation {
  /** The service's operation name (UpdateApplication, StartApplication…) or the msfctl verb. */
  operation: string;
  outcome: Outcome;
  at: string;
  /** Who ran it, when msfctl's ledger knows (user@host, or `controller`). */
  who?: string;
}

/**
 * Drift of the live application against what msfctl last left it as and against the spec:
 * `in-sync`, `drifted` (changed outside msfctl), `pending` (the spec asks for a change not applied yet),
 * `unmanaged` (no spec), `unknown` (not readable now).
 */
export type DriftState = 'in-sync' | 'drifted' | 'pending' | 'unmanaged' | 'unknown';

export interface DriftSummary {
  state: DriftState;
  /** The fields that differ (spec-style paths), at most a few; the detail page lists them all. */
  fields: string[];
  summary?: string;
}

export type SnapshotKind = 'application' | 'enhanced';

export interface SnapshotRef {
  name: string;
  kind: SnapshotKind;
  createdAt: string;
}

/** One line of the fleet page. */
export interface FleetRow {
  name: string;
  /** Absent when the application does not exist (yet) on the service but has a spec. */
  status?: ApplicationStatus;
  health: HealthSummary;
  /** ApplicationVersionId. */
  version?: number;
  /** FLINK-1_19, FLINK-1_20, FLINK-2_2… */
  runtime?: string;
  capacity?: Capacity;
  lastOperation?: LastOperation;
  drift: DriftSummary;
  /** The newest READY snapshot; its age is `generatedAt − createdAt`. */
  newestSnapshot?: SnapshotRef;
  /** The spec file that manages it, relative to the directory msfctl was given. */
  spec?: string;
  /** Set when this application could not be read; the other fields are what is still known. */
  error?: string;
}

export type Outcome = 'in-progress' | 'succeeded' | 'failed' | 'recovered' | 'interrupted' | 'cancelled';

/** A service operation (ListApplicationOperations / DescribeApplicationOperation). */
export interface ServiceOperation {
  id?: string;
  operation: string;
  /** IN_PROGRESS, SUCCESSFUL, FAILED, CANCELLED. */
  status: string;
  error?: string;
}

export interface RecoveryStep {
  /** What was done: force-stop, rollback, update, start, verify… */
  action: string;
  /** One sentence, e.g. "rolled back to version 4 with its state". */
  description: string;
  outcome: 'succeeded' | 'failed' | 'skipped';
  at?: string;
  detail?: string;
}

export interface Recovery {
  /** Why recovery ran: the failure that triggered it. */
  trigger: string;
  steps: RecoveryStep[];
  /** The result in one sentence ("back on version 4, healthy"). */
  result: string;
}

/**
 * One thing that happened to the application: an msfctl ledger entry merged with the service operations it
 * ran (`source: 'msfctl'`), or a service operation nobody recorded (`source: 'service'`: the console, the
 * CLI, a system rollback).
 */
export interface TimelineEntry {
  id: string;
  source: 'msfctl' | 'service';
  at: string;
  endedAt?: string;
  /** The msfctl verb (apply, start, stop, restart, rollback, scale, snapshot…) or the service operation. */
  kind: string;
  who?: string;
  summary: string;
  outcome: Outcome;
  versionBefore?: number;
  versionAfter?: number;
  operations: ServiceOperation[];
  recovery?: Recovery;
  error?: string;
}

export interface VersionEntry {
  versionId: number;
  /** The status the service recorded with that version. */
  status?: string;
  /** When this version was created, when known. */
  at?: string;
  current: boolean;
  /** msfctl's last known good version (what a rollback returns to). */
  lastGood: boolean;
  /** What changed in it, when the ledger knows (e.g. "code change", "scale 2 → 4"). */
  summary?: string;
}

export interface Snapshot {
  name: string;
  kind: SnapshotKind;
  /** Enhanced snapshots only: the account-level ARN. */
  arn?: string;
  /** CREATING, READY, DELETING, FAILED. */
  status: string;
  createdAt: string;
  versionId?: number;
  runtime?: string;
  sizeBytes?: number;
  /** USER or SYSTEM (enhanced snapshots), or `msfctl` with the ledger's reason. */
  initiator?: string;
  reason?: string;
}

export interface SpecField {
  /** Spec-style path, e.g. `parallelism.parallelism`, `properties.OutputStream0["stream.name"]`. */
  field: string;
  /** code, runtime, scale, config. */
  kind: string;
  /** Display values; absent = not set on that side. */
  spec?: string;
  live?: string;
  differs: boolean;
}

export interface SpecDiff {
  /** `no-spec`: unmanaged; `not-deployed`: spec but no application; `error`: the spec does not load. */
  state: 'in-sync' | 'differs' | 'no-spec' | 'not-deployed' | 'error';
  spec?: string;
  /** Every compared field, differing ones included; `differs` marks them. */
  fields: SpecField[];
  /** Why the state is `error`, or notes (e.g. "msfctl rollback left it on version 4"). */
  notes: string[];
}

export interface FlinkDashboardInfo {
  /** Whether /flink-dashboard can redirect now (the job runs). */
  available: boolean;
  reason?: string;
}

export interface LockInfo {
  holder: string;
  since: string;
  /** `held` by a live command; `stale`: left by one that is gone. */
  state: 'held' | 'stale';
}

/** Everything on an application's page except the charts and logs (fetched separately). */
export interface ApplicationDetail {
  row: FleetRow;
  arn?: string;
  description?: string;
  createdAt?: string;
  updatedAt?: string;
  code?: { location: string; sha256?: string };
  health: HealthDetail;
  versions: VersionEntry[];
  /** Newest first. */
  timeline: TimelineEntry[];
  /** Newest first. */
  snapshots: Snapshot[];
  specDiff: SpecDiff;
  flinkDashboard: FlinkDashboardInfo;
  /** Whether the application has logs to show (CloudWatch logging options). */
  logsAvailable: boolean;
  lock?: LockInfo;
}

/**
 * Health metrics over time as columns (one index per CloudWatch period): the shape uPlot draws. `at` is the
 * start of each period in epoch ms, ascending; every other column has the same length, `null` where the
 * metric was not published in that period.
 */
export interface SeriesColumns {
  at: number[];
  restarts: (number | null)[];
  uptimeMs: (number | null)[];
  completedCheckpoints: (number | null)[];
  failedCheckpoints: (number | null)[];
  recordsInPerSecond: (number | null)[];
  recordsOutPerSecond: (number | null)[];
}

export const SERIES_KEYS = [
  'restarts',
  'uptimeMs',
  'completedCheckpoints',
  'failedCheckpoints',
  'recordsInPerSecond',
  'recordsOutPerSecond',
] as const satisfies readonly (keyof SeriesColumns)[];

export interface HealthSeries {
  periodSeconds: number;
  from: string;
  to: string;
  columns: SeriesColumns;
}

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/** One job log record (MSF's CloudWatch Logs JSON format, reduced to what people read). */
export interface LogLine {
  at: string;
  level: LogLevel;
  message: string;
  logger?: string;
  thread?: string;
}

export interface LogExcerpt {
  /** Where they come from, e.g. the log group and stream. */
  location?: string;
  /** Oldest first, the newest last. */
  lines: LogLine[];
}

interface Envelope {
  apiVersion: ApiVersion;
  generatedAt: string;
}

export interface FleetResponse extends Envelope {
  /** What the dashboard looks at, e.g. "msf-local http://127.0.0.1:4577" or "eu-west-1". */
  target?: string;
  applications: FleetRow[];
}

export interface ApplicationResponse extends Envelope {
  application: ApplicationDetail;
}

export interface SeriesResponse extends Envelope {
  series: HealthSeries;
}

export interface LogsResponse extends Envelope {
  logs: LogExcerpt;
}

export interface ErrorResponse {
  apiVersion: ApiVersion;
  error: {
    status: number;
    /** Stable, for programs: bad-request, unauthorized, forbidden-host, not-found, method-not-allowed,
     *  source-failed, source-timeout, unavailable. */
    code: string;
    message: string;
  };
}
