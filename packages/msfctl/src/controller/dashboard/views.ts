/**
 * What the dashboard shows, made from what msfctl read (facts.ts): the fleet row, the health verdict in the
 * dashboard's states, the timeline (service operations merged with the ledger: who, what, outcome,
 * recoveries), versions and snapshots. Pure.
 */
import type {
  ApplicationDetail,
  FleetRow,
  HealthDetail,
  LastOperation,
  Outcome,
  Recovery,
  Snapshot,
  TimelineEntry,
  VersionEntry,
} from 'msfctl-dashboard';
import {
  describeCode,
  kpusFor,
  kpusInUse,
  newestReadySnapshot,
  type OperationInfo,
  type SnapshotInfo,
} from '../../model/application.js';
import type { HealthCheck } from '../../model/health.js';
import { artifactAt, type Ledger, type LedgerEntry } from '../../model/ledger.js';
import type { AppFacts } from './facts.js';
import { driftSummary, specDiff } from './spec-diff.js';

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
/** Spreads `{ key: value }` only when value is defined (the contract's optional fields stay absent). */
const opt = <K extends string, V>(key: K, value: V | undefined) =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;

/** The dashboard's health state. The detector calls a crash loop at the second restart of the current job. */
export function healthOf(facts: AppFacts): HealthDetail {
  const { live, health } = facts;
  if (!live) {
    const reason = facts.spec ? 'not deployed: the spec has no application on the target yet' : 'not found';
    return { state: 'not-running', reason, evidence: [] };
  }
  if (live.status === 'READY')
    return { state: 'not-running', reason: 'stopped (READY): no job to judge', evidence: [] };
  if (!health) {
    return {
      state: 'unknown',
      reason: `${live.status}: an operation is under way`,
      evidence: [{ signal: 'status', message: `the application is ${live.status}` }],
    };
  }
  return fromCheck(health);
}

function fromCheck(check: HealthCheck): HealthDetail {
  const r = check.result;
  const state =
    r.status === 'unhealthy'
      ? (r.facts?.restarts ?? 0) >= 2 &&
        r.evidence.some((e) => e.signal === 'restarts' || e.signal === 'uptime-reset')
        ? 'crash-looping'
        : 'unhealthy'
      : r.status;
  return {
    state,
    reason: r.reason,
    checkedAt: new Date(check.checkedAt).toISOString(),
    evidence: r.evidence.map((e) => ({ signal: e.signal, message: e.message, ...opt('metric', e.metric) })),
  };
}

export function fleetRow(facts: AppFacts): FleetRow {
  const { live, ledger } = facts;
  const health = healthOf(facts);
  const diff = specDiff(facts.spec, live, ledger);
  const newest = newestReadySnapshot(facts.snapshots);
  const p = live?.config.parallelism;
  return {
    name: facts.name,
    ...opt('status', live?.status),
    health: { state: health.state, reason: health.reason, ...opt('checkedAt', health.checkedAt) },
    ...opt('version', live?.versionId),
    ...opt('runtime', live?.config.runtime),
    ...(live && p
      ? {
          capacity: {
            parallelism: live.currentParallelism,
            parallelismPerKpu: p.perKpu,
            autoscaling: p.autoscaling,
            kpus: kpusInUse(live),
            kpusConfigured: kpusFor(p.parallelism, p.perKpu),
          },
        }
      : {}),
    ...opt('lastOperation', lastOperation(facts.operations, ledger)),
    drift: driftSummary(diff, live, ledger, facts.operations, facts.lock?.state === 'held'),
    ...(newest
      ? {
          newestSnapshot: {
            name: newest.name,
            kind: newest.enhanced ? 'enhanced' : 'application',
            createdAt: new Date(newest.createdAt).toISOString(),
          },
        }
      : {}),
    ...opt('spec', facts.spec?.file),
    ...opt('error', facts.error ?? facts.spec?.error),
  };
}

export function applicationDetail(facts: AppFacts): ApplicationDetail {
  const { live, ledger } = facts;
  const row = fleetRow(facts);
  const sha256 = live && artifactAt(ledger, live.config.code.bucket, live.config.code.key)?.sha256;
  return {
    row,
    ...opt('arn', live?.arn),
    ...opt('description', live?.description),
    ...opt('createdAt', iso(live?.createdAt)),
    ...opt('updatedAt', iso(live?.updatedAt)),
    ...(live ? { code: { location: describeCode(live.config.code), ...opt('sha256', sha256) } } : {}),
    health: healthOf(facts),
    versions: versions(facts),
    timeline: timeline(facts.operations, ledger),
    snapshots: snapshots(facts.snapshots, ledger),
    specDiff: specDiff(facts.spec, live, ledger),
    flinkDashboard:
      live?.status === 'RUNNING'
        ? { available: true }
        : {
            available: false,
            reason: live
              ? `${facts.name} is ${live.status}: only a running job has a Flink dashboard.`
              : `${facts.name} does not exist on the target.`,
          },
    logsAvailable: facts.logsAvailable,
    ...(facts.lock
      ? {
          lock: {
            holder: `${facts.lock.who} (${facts.lock.operation})`,
            since: facts.lock.createdAt,
            state: facts.lock.state === 'held' ? 'held' : 'stale',
          },
        }
      : {}),
  };
}

const SERVICE_OUTCOME: Record<OperationInfo['status'], Outcome> = {
  IN_PROGRESS: 'in-progress',
  SUCCESSFUL: 'succeeded',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
};

/** The newest of the newest service operation and the newest ledger entry. */
function lastOperation(
  operations: readonly OperationInfo[],
  ledger: Ledger | undefined,
): LastOperation | undefined {
  const op = operations[0];
  const entry = ledger?.entries.at(-1);
  const opAt = op?.startedAt;
  if (entry && (opAt === undefined || Date.parse(entry.startedAt) >= opAt)) {
    return { operation: entry.kind, outcome: entryOutcome(entry), at: entry.startedAt, who: entry.who };
  }
  if (!op || opAt === undefined) return undefined;
  const by = ledger?.entries.find((e) => e.operations.some((o) => o.id === op.id));
  return {
    operation: op.operation,
    outcome: SERVICE_OUTCOME[op.status],
    at: iso(opAt)!,
    ...opt('who', by?.who),
  };
}

/** The ledger's details.recovery, as controller/watch.ts records it. */
interface RecordedRecovery {
  situation?: string;
  summary?: string;
  ok?: boolean;
  steps?: { kind?: string; description?: string; ok?: boolean; skipped?: string; error?: string }[];
}

function recoveryOf(entry: LedgerEntry): Recovery | undefined {
  const r = entry.details?.recovery as RecordedRecovery | undefined;
  if (!r || typeof r !== 'object') return undefined;
  return {
    trigger: [r.situation, r.summary].filter(Boolean).join(': ') || 'a failure',
    steps: (r.steps ?? []).map((s) => ({
      action: s.kind ?? 'step',
      description: s.description ?? s.kind ?? 'step',
      outcome: s.skipped ? 'skipped' : s.ok ? 'succeeded' : 'failed',
      ...opt('detail', s.error ?? s.skipped),
    })),
    result: r.ok ? 'every recovery step succeeded' : 'recovery stopped before the end',
  };
}

function entryOutcome(entry: LedgerEntry): Outcome {
  const recovery = entry.details?.recovery as RecordedRecovery | undefined;
  if (entry.outcome === 'failed' && recovery?.ok) return 'recovered';
  return entry.outcome;
}

/** Newest first: every ledger entry with the operations it ran, then operations nobody recorded. */
export function timeline(operations: readonly OperationInfo[], ledger: Ledger | undefined): TimelineEntry[] {
  const byId = new Map(operations.map((o) => [o.id, o]));
  const claimed = new Set<string>();
  const entries: TimelineEntry[] = (ledger?.entries ?? []).map((e) => {
    const recovery = recoveryOf(e);
    return {
      id: `msfctl:${e.id}`,
      source: 'msfctl',
      at: e.startedAt,
      ...opt('endedAt', e.endedAt),
      kind: e.kind,
      who: e.who,
      summary: e.summary,
      outcome: entryOutcome(e),
      ...opt('versionBefore', e.versionBefore),
      ...opt('versionAfter', e.versionAfter),
      operations: e.operations.map((o) => {
        if (o.id) claimed.add(o.id);
        const now = o.id ? byId.get(o.id) : undefined;
        return {
          ...opt('id', o.id),
          operation: o.operation,
          status: now?.status ?? o.status,
          ...opt('error', now?.error ?? o.error),
        };
      }),
      ...opt('recovery', recovery),
      ...opt('error', e.error),
    };
  });
  for (const op of operations) {
    if (claimed.has(op.id) || op.startedAt === undefined) continue;
    const system = op.operation === 'RollbackApplication';
    entries.push({
      id: `service:${op.id}`,
      source: 'service',
      at: iso(op.startedAt)!,
      ...opt('endedAt', iso(op.endedAt)),
      kind: op.operation,
      summary: `${op.operation} ${system ? 'by the service or outside msfctl' : 'outside msfctl'}`,
      outcome: SERVICE_OUTCOME[op.status],
      ...opt('versionBefore', op.versionFrom),
      ...opt('versionAfter', op.versionTo),
      operations: [{ id: op.id, operation: op.operation, status: op.status, ...opt('error', op.error) }],
      ...opt('error', op.error),
    });
  }
  return entries.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
}

function versions(facts: AppFacts): VersionEntry[] {
  const { live, ledger, operations } = facts;
  const last = (versionId: number) =>
    [...(ledger?.entries ?? [])].reverse().find((e) => e.versionAfter === versionId);
  return [...facts.versions]
    .sort((a, b) => b.versionId - a.versionId)
    .map((v) => {
      const made = operations.find((o) => o.versionTo === v.versionId && o.status === 'SUCCESSFUL');
      const entry = last(v.versionId);
      return {
        versionId: v.versionId,
        status: v.status,
        ...opt('at', iso(made?.endedAt ?? made?.startedAt) ?? entry?.endedAt),
        current: v.versionId === live?.versionId,
        lastGood: v.versionId === ledger?.lastGood?.versionId,
        ...opt(
          'summary',
          entry ? `msfctl ${entry.kind}: ${entry.summary}` : made ? made.operation : undefined,
        ),
      };
    });
}

function snapshots(list: readonly SnapshotInfo[], ledger: Ledger | undefined): Snapshot[] {
  const recorded = new Map((ledger?.snapshots ?? []).map((s) => [s.name, s]));
  return [...list]
    .sort((a, b) => b.createdAt - a.createdAt)
    .map((s) => {
      const mine = recorded.get(s.name);
      return {
        name: s.name,
        kind: s.enhanced ? 'enhanced' : 'application',
        ...opt('arn', s.enhanced?.arn),
        status: s.status,
        createdAt: new Date(s.createdAt).toISOString(),
        ...(s.versionId > 0 ? { versionId: s.versionId } : {}),
        ...opt('runtime', s.runtime),
        ...opt('initiator', mine ? 'msfctl' : s.enhanced?.initiator),
        ...opt('reason', mine?.reason),
      };
    });
}
