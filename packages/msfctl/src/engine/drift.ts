/**
 * Drift: what changed on the service since msfctl last left it (console, CLI, a system rollback, another
 * tool). Pure: compares the ledger's record of the application with the observed one.
 */
import type { LiveApplication, OperationInfo, Tags } from '../model/application.js';
import type { ExpectedState } from '../model/ledger.js';
import { diffConfig, diffTags } from '../model/changes.js';
import type { DriftReport } from '../model/plan.js';

export function detectDrift(
  expected: ExpectedState | undefined,
  live: LiveApplication | undefined,
  /** Operations on the service, newest first; only those after `expected.at` not run by msfctl count. */
  operations: readonly OperationInfo[],
  msfctlOperationIds: ReadonlySet<string>,
  /** The application's tags, when listed: compared with the tags msfctl last left (they have no version). */
  tags?: Tags,
): DriftReport {
  const report: DriftReport = { changes: [], operations: [], notes: [] };
  if (!expected || !live) return report;
  if (expected.note) report.notes.push(expected.note);
  else if (expected.by !== 'apply' && expected.by !== 'import') {
    report.notes.push(
      `msfctl ${expected.by} changed the application at ${expected.at}; the plan returns it to the spec`,
    );
  }
  if (live.versionId !== expected.versionId) {
    report.versions = { expected: expected.versionId, actual: live.versionId };
    report.changes = diffConfig(expected.config, live.config);
  }
  if (expected.tags && tags) report.changes.push(...diffTags(expected.tags, tags));
  if ((live.status === 'READY' || live.status === 'RUNNING') && live.status !== expected.status) {
    report.status = { expected: expected.status, actual: live.status };
  }
  const since = Date.parse(expected.at);
  for (const op of operations) {
    if (msfctlOperationIds.has(op.id)) continue;
    if (op.startedAt !== undefined && op.startedAt <= since) continue;
    report.operations.push({
      id: op.id,
      operation: op.operation,
      status: op.status,
      ...(op.startedAt !== undefined ? { at: new Date(op.startedAt).toISOString() } : {}),
    });
  }
  return report;
}

export function hasDrift(report: DriftReport): boolean {
  return (
    report.changes.length > 0 ||
    report.status !== undefined ||
    report.versions !== undefined ||
    report.operations.length > 0
  );
}
