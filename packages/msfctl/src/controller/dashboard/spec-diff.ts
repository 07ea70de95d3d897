/**
 * The spec against the live configuration, field by field, for the application page; and the fleet's one-word
 * drift (changed outside msfctl, or a spec change not applied yet). Pure.
 */
import type { DriftSummary, SpecDiff, SpecField } from 'msfctl-dashboard';
import type { CodeLocation, LiveApplication, OperationInfo } from '../../model/application.js';
import { compareConfig } from '../../model/changes.js';
import { msfctlOperationIds, type Ledger } from '../../model/ledger.js';
import { desiredFromSpec } from '../../spec/desired.js';
import type { ApplicationSpec } from '../../spec/schema.js';
import { detectDrift, hasDrift } from '../../engine/drift.js';

/** Fields the fleet row names; the application page lists them all. */
const ROW_FIELDS = 4;

export interface SpecSide {
  /** The spec file, relative to what msfctl was given. */
  file: string;
  spec?: ApplicationSpec;
  /** Why it does not load. */
  error?: string;
  /**
   * Where its code would be in S3 (code.s3 as is; code.jar by its digest); undefined when only a build can
   * tell (code.maven), and then the code is not compared.
   */
  code?: CodeLocation;
}

export function specDiff(
  side: SpecSide | undefined,
  live: LiveApplication | undefined,
  ledger?: Ledger,
): SpecDiff {
  if (!side) return { state: 'no-spec', fields: [], notes: [] };
  if (side.error || !side.spec)
    return { state: 'error', spec: side.file, fields: [], notes: [side.error ?? 'The spec does not load.'] };
  if (!live) return { state: 'not-deployed', spec: side.file, fields: [], notes: [] };
  const notes: string[] = [];
  const desired = desiredFromSpec(side.spec, side.code ?? live.config.code);
  const fields: SpecField[] = compareConfig(live.config, desired.config)
    .filter((c) => side.code !== undefined || c.field !== 'code')
    .map((c) => ({
      field: c.field,
      kind: c.kind,
      ...(c.after !== undefined ? { spec: c.after } : {}),
      ...(c.before !== undefined ? { live: c.before } : {}),
      differs: c.after !== c.before,
    }));
  if (side.code === undefined) notes.push('code.maven is built by apply: the code is not compared here.');
  // Only a settled application says whether it runs; a transition is neither.
  if (live.status === 'RUNNING' || live.status === 'READY') {
    const want = desired.running ? 'RUNNING' : 'READY';
    fields.unshift({
      field: 'running',
      kind: 'status',
      spec: want,
      live: live.status,
      differs: want !== live.status,
    });
  }
  const expected = ledger?.expected;
  if (expected?.note) notes.push(expected.note);
  else if (expected && expected.by !== 'apply' && expected.by !== 'import')
    notes.push(`msfctl ${expected.by} left it on version ${expected.versionId} at ${expected.at}.`);
  return { state: fields.some((f) => f.differs) ? 'differs' : 'in-sync', spec: side.file, fields, notes };
}

/**
 * drifted: changed outside msfctl since it last acted (the ledger's record against the service); pending: the
 * spec asks for a change not applied yet; unmanaged: no spec; unknown: the spec does not load.
 */
export function driftSummary(
  diff: SpecDiff,
  live: LiveApplication | undefined,
  ledger: Ledger | undefined,
  operations: readonly OperationInfo[],
  /** An msfctl command holds the lock: its own operation is not in the ledger's record yet. */
  inFlight: boolean,
): DriftSummary {
  if (!inFlight && ledger?.expected && live) {
    const report = detectDrift(ledger.expected, live, operations, msfctlOperationIds(ledger));
    if (hasDrift(report)) {
      const fields = [
        ...report.changes.map((c) => c.field),
        ...(report.status ? ['running'] : []),
        ...report.operations.map((o) => o.operation),
      ];
      return {
        state: 'drifted',
        fields: [...new Set(fields)].slice(0, ROW_FIELDS),
        summary: report.versions
          ? `version ${report.versions.expected} → ${report.versions.actual} outside msfctl`
          : 'changed outside msfctl',
      };
    }
  }
  switch (diff.state) {
    case 'no-spec':
      return { state: 'unmanaged', fields: [] };
    case 'error':
      return { state: 'unknown', fields: [], summary: diff.notes[0] ?? 'the spec does not load' };
    case 'not-deployed':
      return { state: 'pending', fields: [], summary: 'not created yet' };
    case 'differs': {
      const fields = diff.fields.filter((f) => f.differs).map((f) => f.field);
      return {
        state: 'pending',
        fields: fields.slice(0, ROW_FIELDS),
        summary: `${fields.length} field(s) to apply`,
      };
    }
    default:
      return { state: 'in-sync', fields: [] };
  }
}
