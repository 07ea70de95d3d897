/**
 * Drift: what changed on the service since msfctl last left it (console, CLI, a system rollback, another
 * tool). Pure: compares the ledger's record of the application with the observed one. Two things are not
 * drift: snapshot operations (a snapshot is not configuration), and what an interrupted msfctl command had
 * already sent (Ctrl-C during an update: the service finishes it) — that change is msfctl's own, and says so.
 */
import type { LiveApplication, OperationInfo, Tags } from '../model/application.js';
import type { ExpectedState, LedgerEntry } from '../model/ledger.js';
import { diffConfig, diffTags } from '../model/changes.js';
import type { DriftReport } from '../model/plan.js';

export function detectDrift(
  expected: ExpectedState | undefined,
  live: LiveApplication | undefined,
  /** Operations on the service, newest first; only those after `expected.at` not run by msfctl count. */
  operations: readonly OperationInfo[],
  msfctlOperationIds: ReadonlySet<string>,
  /** msfctl's commands that were interrupted (the ledger's entries with that outcome). */
  interrupted: readonly Pick<LedgerEntry, 'kind' | 'who' | 'startedAt' | 'endedAt'>[] = [],
  /** The application's tags, when listed: compared with the tags msfctl last left (they have no version). */
  tags?: Tags,
): DriftReport {
  const report: DriftReport = { changes: [], operations: [], notes: [] };
  if (!expected || !live) return report;
  const since = Date.parse(expected.at);
  const runs = interrupted.filter((e) => Date.parse(e.endedAt ?? e.startedAt) > since);
  const by = (op: OperationInfo) =>
    op.startedAt === undefined
      ? undefined
      : runs.find(
          (e) =>
            op.startedAt! >= Date.parse(e.startedAt) - 1000 &&
            op.startedAt! <= Date.parse(e.endedAt ?? e.startedAt) + 1000,
        );
  if (expected.note) report.notes.push(expected.note);
  // A snapshot (or a lifecycle command that changed nothing) is not a difference from the spec.
  else if (!NO_CHANGE_KINDS.has(expected.by)) {
    report.notes.push(
      `msfctl ${expected.by} changed the application at ${expected.at}; the plan returns it to the spec`,
    );
  }
  if (live.versionId !== expected.versionId) {
    report.versions = { expected: expected.versionId, actual: live.versionId };
    report.changes = diffConfig(expected.config, live.config);
  }
  if ((live.status === 'READY' || live.status === 'RUNNING') && live.status !== expected.status) {
    report.status = { expected: expected.status, actual: live.status };
  }
  const ownRuns = new Set<(typeof runs)[number]>();
  for (const op of operations) {
    if (op.startedAt !== undefined && op.startedAt <= since) continue;
    if (SNAPSHOT_OPERATION.test(op.operation)) continue;
    const run = by(op);
    if (run) ownRuns.add(run);
    if (msfctlOperationIds.has(op.id) || run) continue;
    report.operations.push({
      id: op.id,
      operation: op.operation,
      status: op.status,
      ...(op.startedAt !== undefined ? { at: new Date(op.startedAt).toISOString() } : {}),
    });
  }
  // Nothing outside msfctl moved the application: the difference is what an interrupted run of msfctl had sent.
  const own = runs.filter((r) => ownRuns.has(r) || operations.length === 0);
  if (report.operations.length === 0 && own.length && (report.versions || report.status)) {
    const run = own.at(-1)!;
    const what = [
      report.versions ? `version ${report.versions.expected} → ${report.versions.actual}` : '',
      report.status ? `status ${report.status.expected} → ${report.status.actual}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    report.notes.push(
      `msfctl ${run.kind} by ${run.who} was interrupted (started ${run.startedAt}); the service finished what it had sent: ${what} is msfctl's own change, not drift`,
    );
    report.interrupted = { kind: run.kind, who: run.who, startedAt: run.startedAt };
    delete report.versions;
    delete report.status;
    report.changes = [];
  }
  if (expected.tags && tags) report.changes.push(...diffTags(expected.tags, tags));
  return report;
}

/** What these msfctl commands leave needs no note: apply and import take the spec's side, a snapshot changes nothing. */
const NO_CHANGE_KINDS = new Set(['apply', 'import', 'snapshot']);

/** Snapshot operations change no configuration: legacy and enhanced snapshots, their imports and exports. */
const SNAPSHOT_OPERATION = /Snapshot/;

export function hasDrift(report: DriftReport): boolean {
  return (
    report.changes.length > 0 ||
    report.status !== undefined ||
    report.versions !== undefined ||
    report.operations.length > 0
  );
}
