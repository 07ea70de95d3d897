/**
 * The verdict of a health check (FKO's ClusterHealthResult): healthy, unhealthy with the evidence, or not yet
 * known with the reason. A plain, JSON-serialisable value; `join` combines two checks (the evaluator's and
 * the application status, say): unhealthy wins over unknown, unknown over healthy, and evidence adds up.
 */

export type HealthStatus = 'healthy' | 'unhealthy' | 'unknown';

export type EvidenceSignal =
  | 'restarts'
  | 'uptime-reset'
  | 'outage'
  | 'failed-checkpoints'
  | 'progress'
  | 'no-data'
  | 'stale-data'
  | 'read-failed'
  | 'status'
  | 'exception';

export interface HealthEvidence {
  signal: EvidenceSignal;
  /** One sentence for people, e.g. "3 restarts in 24s (numRestarts 0 → 3)". */
  message: string;
  /** The metric it comes from, as CloudWatch names it. */
  metric?: string;
  /** The datapoints that show it (epoch ms, value), at most a few. */
  datapoints?: { at: number; value: number }[];
}

/** The numbers behind a verdict, for `--json`, the ledger and benchmarks. */
export interface HealthFacts {
  window: { from: number; to: number };
  periodSeconds: number;
  datapoints: number;
  restarts: number;
  restartMetric?: string;
  uptimeResets: number;
  /** Longest outage seen (ms), from downtime / restartingTime / failingTime. */
  longestOutageMs: number;
  failedCheckpoints: number;
  completedCheckpoints?: number;
  /** Uptime at the newest datapoint (ms). */
  uptimeMs?: number;
  newestDatapointAt?: number;
  /** Whether data flows: the newest value of each flow metric the target published in the window. */
  flow?: DataFlow;
}

/** Whether data flows; a field is absent when the target did not publish that metric. */
export interface DataFlow {
  recordsInPerSecond?: number;
  recordsOutPerSecond?: number;
  /** ms per second the busiest task was backpressured (1000: always). */
  backPressuredMsPerSecond?: number;
  /** A Kinesis source's iterator age (millisBehindLatest). */
  millisBehindLatest?: number;
}

export interface HealthResult {
  status: HealthStatus;
  /** One line: why unhealthy or unknown; a summary when healthy. */
  reason: string;
  evidence: HealthEvidence[];
  facts?: HealthFacts;
}

const RANK: Record<HealthStatus, number> = { healthy: 0, unknown: 1, unhealthy: 2 };

export function healthy(
  reason = 'healthy',
  evidence: HealthEvidence[] = [],
  facts?: HealthFacts,
): HealthResult {
  return { status: 'healthy', reason, evidence, ...(facts ? { facts } : {}) };
}

export function unhealthy(evidence: HealthEvidence[], facts?: HealthFacts): HealthResult {
  if (evidence.length === 0) throw new Error('unhealthy() needs at least one piece of evidence');
  return {
    status: 'unhealthy',
    reason: evidence.map((e) => e.message).join('; '),
    evidence,
    ...(facts ? { facts } : {}),
  };
}

export function unknown(reason: string, evidence: HealthEvidence[] = [], facts?: HealthFacts): HealthResult {
  return { status: 'unknown', reason, evidence, ...(facts ? { facts } : {}) };
}

/** The worse of the two, with both results' evidence; facts from the one that has them (the first wins). */
export function join(a: HealthResult, b: HealthResult): HealthResult {
  const [worse, other] = RANK[b.status] > RANK[a.status] ? [b, a] : [a, b];
  const reason =
    worse.status === other.status && worse.status !== 'healthy' && other.reason !== worse.reason
      ? `${worse.reason}; ${other.reason}`
      : worse.reason;
  const facts = a.facts ?? b.facts;
  return {
    status: worse.status,
    reason,
    evidence: [...worse.evidence, ...other.evidence],
    ...(facts ? { facts } : {}),
  };
}

/** Adds evidence without changing the verdict (e.g. the latest exception of an unhealthy job). */
export function withEvidence(result: HealthResult, ...evidence: HealthEvidence[]): HealthResult {
  return { ...result, evidence: [...result.evidence, ...evidence] };
}

/** The constructors as one value, FKO style: HealthResult.healthy(), HealthResult.join(a, b). */
export const HealthResult = { healthy, unhealthy, unknown, join, withEvidence } as const;

/** The job's latest exception, as Flink recorded it. */
export interface LatestException {
  /** When Flink recorded it (epoch ms). */
  at?: number;
  /** e.g. java.lang.IllegalStateException */
  exceptionClass?: string;
  /** The first line: `<class>: <message>`. */
  summary: string;
  /** The innermost "Caused by:" line, when the exception wraps others. */
  rootCause?: string;
  /** The failing task, e.g. "Source: ticks -> explode (1/1)". */
  task?: string;
  /** Where it was read: Flink's REST API (the dashboard), or the application's log stream. */
  source: 'flink-dashboard' | 'logs';
}

/** Where counting starts for a health verdict. */
export interface HealthBaseline {
  /** Epoch ms. Periods starting before it are ignored. */
  at: number;
  /** The job was (re)submitted at `at` (deploy, start, restart, rollback), so its counters started at 0. */
  freshJob: boolean;
}

/** How a bake watch is going. */
export interface BakeProgress {
  application: string;
  elapsedMs: number;
  remainingMs: number;
  polls: number;
  /** The verdict so far. */
  result: HealthResult;
}

/** How a bake watch ended. */
export interface BakeOutcome {
  application: string;
  result: HealthResult;
  /** True when the watch ended early on an unhealthy verdict. */
  early: boolean;
  startedAt: number;
  endedAt: number;
  baseline: HealthBaseline;
  polls: number;
  /** When the verdict first became unhealthy (epoch ms). */
  detectedAt?: number;
  exception?: LatestException;
}

/** An on-demand health check (`msfctl health`). */
export interface HealthCheck {
  application: string;
  checkedAt: number;
  status?: string;
  result: HealthResult;
  exception?: LatestException;
}
