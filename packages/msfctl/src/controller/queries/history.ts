/**
 * history: the service's versions and operations merged with the ledger — each operation says whether
 * msfctl ran it (which command, who) or something else did, and how that command ended by msfctl's account
 * (a deploy whose operation succeeded can still have failed its bake); a recovery shows as its own row with
 * its steps, at the time the command ended.
 */
import type { MsfGateway } from '../../ports/msf.js';
import type { OperationInfo, VersionSummary } from '../../model/application.js';
import type { Ledger, LedgerEntry } from '../../model/ledger.js';

export interface HistoryRow {
  at?: string;
  operation: string;
  status: string;
  versionFrom?: number;
  versionTo?: number;
  /** msfctl command and actor, or "outside msfctl". */
  by: string;
  error?: string;
  operationId?: string;
  /**
   * How msfctl's command ended, by its own account: succeeded, failed, failed and recovered, interrupted...
   * Absent on operations outside msfctl.
   */
  outcome?: string;
  /** A recovery row: the steps msfctl ran (kind and whether each succeeded). */
  steps?: { kind: string; ok: boolean; skipped?: string; error?: string }[];
  /** Ledger-only rows (no service operation): snapshots, no-ops, failures before any call, recoveries. */
  source: 'service' | 'ledger';
}

interface RecoveryDetails {
  situation?: string;
  policy?: string;
  ok?: boolean;
  steps?: { kind: string; ok: boolean; skipped?: string; error?: string }[];
}

function recoveryOf(entry: LedgerEntry): RecoveryDetails | undefined {
  const recovery = entry.details?.recovery as RecoveryDetails | undefined;
  return recovery && Array.isArray(recovery.steps) && recovery.steps.length ? recovery : undefined;
}

/** msfctl's own word on how a command ended. */
export function entryOutcome(entry: LedgerEntry): string {
  const recovery = recoveryOf(entry);
  if (entry.outcome === 'in-progress') return 'in progress';
  if (entry.outcome !== 'failed' || !recovery) return entry.outcome;
  return recovery.ok ? 'failed, recovered' : 'failed, not recovered';
}

/** "A, A, A, B" → "A ×3, B": a prune deletes many snapshots, one name each. */
export function groupRepeats(names: string[]): string {
  const groups: { name: string; n: number }[] = [];
  for (const name of names) {
    const last = groups.at(-1);
    if (last?.name === name) last.n++;
    else groups.push({ name, n: 1 });
  }
  return groups.map((g) => (g.n > 1 ? `${g.name} ×${g.n}` : g.name)).join(', ');
}

export interface HistoryReport {
  application: string;
  exists: boolean;
  versions: VersionSummary[];
  rows: HistoryRow[];
}

export async function getHistory(
  gateway: MsfGateway,
  application: string,
  ledger: Ledger | undefined,
  limit = 30,
): Promise<HistoryReport> {
  const live = await gateway.describe(application);
  let versions: VersionSummary[] = [];
  let operations: OperationInfo[] = [];
  if (live) {
    [versions, operations] = await Promise.all([
      gateway.listVersions(application),
      gateway.listOperations(application, limit),
    ]);
    // Versions and errors are only in the operation details.
    operations = await Promise.all(
      operations.map((op) => (op.id ? gateway.describeOperation(application, op.id).catch(() => op) : op)),
    );
  }
  const byOperation = new Map<string, LedgerEntry>();
  for (const e of ledger?.entries ?? []) for (const op of e.operations) if (op.id) byOperation.set(op.id, e);
  const rows: HistoryRow[] = operations.map((op) => {
    const entry = op.id ? byOperation.get(op.id) : undefined;
    return {
      ...(op.startedAt ? { at: new Date(op.startedAt).toISOString() } : {}),
      operation: op.operation,
      status: op.status,
      ...(op.versionFrom !== undefined ? { versionFrom: op.versionFrom } : {}),
      ...(op.versionTo !== undefined ? { versionTo: op.versionTo } : {}),
      ...(entry ? { outcome: entryOutcome(entry) } : {}),
      by: entry
        ? `msfctl ${entry.kind} (${entry.who})`
        : op.operation === 'RollbackApplication' && !entry
          ? 'service or outside msfctl'
          : 'outside msfctl',
      ...(op.error ? { error: op.error } : {}),
      ...(op.id ? { operationId: op.id } : {}),
      source: 'service',
    };
  });
  const seen = new Set(operations.map((o) => o.id));
  for (const e of ledger?.entries ?? []) {
    const recovery = recoveryOf(e);
    if (recovery) {
      rows.push({
        at: e.endedAt ?? e.startedAt,
        operation: `recovery (${recovery.situation ?? 'failure'}, onFailure ${recovery.policy ?? '?'})`,
        status: recovery.ok ? 'recovered' : 'not recovered',
        by: `msfctl ${e.kind} (${e.who})`,
        outcome: entryOutcome(e),
        steps: recovery.steps!,
        ...(e.error ? { error: e.error } : {}),
        source: 'ledger',
      });
    }
    // Ledger entries with no service operation in the list: snapshot work, CreateApplication, deletes, failures.
    if (e.operations.some((op) => op.id && seen.has(op.id))) continue;
    rows.push({
      at: e.startedAt,
      operation: groupRepeats(e.operations.map((o) => o.operation)) || e.kind,
      status: e.outcome,
      outcome: entryOutcome(e),
      ...(e.versionBefore !== undefined ? { versionFrom: e.versionBefore } : {}),
      ...(e.versionAfter !== undefined ? { versionTo: e.versionAfter } : {}),
      by: `msfctl ${e.kind} (${e.who})`,
      ...(e.error ? { error: e.error } : {}),
      source: 'ledger',
    });
  }
  rows.sort((a, b) => (b.at ?? '').localeCompare(a.at ?? ''));
  return { application, exists: live !== undefined, versions, rows: rows.slice(0, limit) };
}
