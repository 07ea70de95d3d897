/**
 * history: the service's versions and operations merged with the ledger — each operation says whether
 * msfctl ran it (which command, who) or something else did.
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
  /** Ledger-only rows (no service operation): snapshots, no-ops, failures before any call. */
  source: 'service' | 'ledger';
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
    // Ledger entries with no service operation in the list: snapshot work, CreateApplication, deletes, failures.
    if (e.operations.some((op) => op.id && seen.has(op.id))) continue;
    rows.push({
      at: e.startedAt,
      operation: e.operations.map((o) => o.operation).join(', ') || e.kind,
      status: e.outcome,
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
