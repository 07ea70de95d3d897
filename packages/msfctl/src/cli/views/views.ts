/** Human views of lifecycle results, status, history and snapshots. JSON views are the values themselves. */
import { newestReadySnapshot, type SnapshotInfo } from '../../model/application.js';
import { snapshotKey } from '../../model/snapshot-refs.js';
import type { HistoryReport } from '../../controller/queries/history.js';
import type { RunResult } from '../../controller/pipeline.js';
import type { StatusReport } from '../../controller/queries/status.js';
import type { PruneSelection } from '../../engine/snapshots.js';
import { summarizeEffect } from '../../engine/effects.js';
import { short } from '../../model/plan.js';
import type { TfvarsMappingEntry } from '../../spec/tfvars.js';
import type { Style } from '../../ports/io-host.js';
import { actionTitle } from '../../engine/action-title.js';
import { parseLogStreamArn } from '../../model/log-streams.js';

export function ago(iso: string | number | undefined, now = Date.now()): string {
  if (iso === undefined) return '';
  const ms = now - (typeof iso === 'number' ? iso : Date.parse(iso));
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 90) return `${s}s ago`;
  if (s < 5400) return `${Math.round(s / 60)}m ago`;
  if (s < 172_800) return `${Math.round(s / 3600)}h ago`;
  return `${Math.round(s / 86_400)}d ago`;
}

export function renderActions(
  result: Pick<RunResult, 'nothing' | 'actions' | 'live' | 'application'>,
  s: Style,
): string {
  if (result.nothing) return result.nothing;
  return result.actions
    .map(
      (a, i) =>
        `  ${i + 1}. ${actionTitle(a)}${a.effect ? `\n     ${s.dim(summarizeEffect(a.effect).join(' · '))}` : ''}`,
    )
    .join('\n');
}

export function renderLifecycleOutcome(
  result: Pick<RunResult, 'nothing' | 'actions' | 'live' | 'application'>,
  s: Style,
  success: string,
): string {
  if (result.nothing) return result.nothing;
  const live = result.live;
  return `${s.green('✓')} ${success}${live ? ` ${s.dim(`(${result.application} is ${live.status}, version ${live.versionId})`)}` : ''}`;
}

export function renderStatus(r: StatusReport, s: Style): string {
  if (!r.exists) {
    return `${r.application}: ${s.yellow('does not exist')}${r.deletedAt ? ` (deleted by msfctl ${ago(r.deletedAt)}; \`msfctl history\` keeps its record)` : ''}`;
  }
  const rows: [string, string][] = [];
  rows.push([
    'status',
    `${s.status(r.status!)}${r.drift ? s.magenta('  (changed outside msfctl: `msfctl plan` shows the drift)') : ''}`,
  ]);
  rows.push([
    'version',
    `${r.versionId}${r.lastGoodVersion !== undefined ? s.dim(`  (last known good: ${r.lastGoodVersion})`) : ''}`,
  ]);
  rows.push(['runtime', r.runtime!]);
  const p = r.parallelism!;
  rows.push([
    'parallelism',
    `${p.current}${p.current !== p.configured ? ` (configured ${p.configured})` : ''} at ${p.perKpu}/KPU, autoscaling ${p.autoscaling ? 'on' : 'off'} — ${p.kpus} KPU${p.kpus === 1 ? '' : 's'} in use`,
  ]);
  rows.push(['code', `${r.code!.location}${r.code!.sha256 ? s.dim(`  ${short(r.code!.sha256)}`) : ''}`]);
  if (r.lastOperation) {
    const op = r.lastOperation;
    rows.push([
      'last operation',
      `${op.operation} ${s.status(op.status)} ${s.dim(ago(op.endedAt ?? op.startedAt))}${op.error ? `\n${' '.repeat(16)}${s.red(op.error)}` : ''}`,
    ]);
  }
  rows.push([
    'snapshots',
    `${r.snapshots!.count}${r.snapshots!.mode === 'enhanced' ? ' (enhanced mode)' : ''}${r.snapshots!.newest ? `, newest ${r.snapshots!.newest.name} ${s.dim(ago(r.snapshots!.newest.createdAt))}` : ''}`,
  ]);
  if (r.logs) {
    const at = parseLogStreamArn(r.logs.logStream);
    rows.push([
      'logs',
      `${at ? `${at.group} / ${at.stream}` : r.logs.logStream}, ${r.logs.level} and above ${s.dim('(msfctl logs)')}`,
    ]);
  }
  if (r.lock) {
    const left = {
      held: '',
      orphaned: ` — its process ${r.lock.pid ?? ''} is gone: the next command takes the lock over`,
      expired: ` — its lease expired at ${r.lock.expiresAt}: the next command takes the lock over`,
    }[r.lock.state];
    rows.push([
      'lock',
      s.yellow(
        `${r.lock.state === 'held' ? 'held' : 'left'} by ${r.lock.who} (${r.lock.operation}, since ${r.lock.createdAt}, ID ${r.lock.id})${left}`,
      ),
    ]);
  }
  const width = Math.max(...rows.map(([k]) => k.length));
  return [s.bold(r.application), ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)].join('\n');
}

/** Cuts a cell to `max` visible characters, with an ellipsis. */
function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, Math.max(1, max - 1))}…`;
}

/**
 * The history table fits `width` columns (the terminal's): the error column (unbounded otherwise: a Flink
 * stack trace) gets what the others leave, the operation column at most a third; a command's own outcome
 * shows beside the service's status, and a recovery as a row with its steps.
 */
export function renderHistory(r: HistoryReport, s: Style, width = 120): string {
  if (!r.rows.length)
    return `${r.application}: no history${r.exists ? '' : ' (the application does not exist and the ledger is empty)'}.`;
  const cells = r.rows.map((row) => {
    const steps = row.steps?.length
      ? `: ${row.steps.map((st) => `${st.kind} ${st.ok ? (st.skipped ? 'skipped' : 'ok') : 'failed'}`).join(', ')}`
      : '';
    return {
      at: row.at ? row.at.replace('T', ' ').slice(0, 19) : '',
      operation: `${row.operation}${steps}`,
      status: row.status,
      version:
        row.versionFrom !== undefined || row.versionTo !== undefined
          ? `${row.versionFrom ?? '?'} → ${row.versionTo ?? '?'}`
          : '',
      by: row.outcome && row.outcome !== row.status ? `${row.by}: ${row.outcome}` : row.by,
      error: row.error ?? '',
    };
  });
  // Natural widths, then shrink what can be cut (error, operation, by) until the table fits; the error column
  // goes when even 12 characters of it do not fit (`--json` has it whole).
  const keys = ['at', 'operation', 'status', 'version', 'by', 'error'] as const;
  const titles = ['when', 'operation', 'status', 'version', 'by', 'error'];
  const natural = keys.map((k, i) => Math.max(titles[i]!.length, ...cells.map((c) => c[k].length)));
  const fit = (columns: number) => {
    // Borders and padding: 3 per column and 1 on a terminal table; 2 between plain columns.
    const avail = width - (s.enabled ? 3 * columns + 1 : 2 * (columns - 1));
    const w = natural.slice(0, columns);
    const over = () => w.reduce((a, b) => a + b, 0) - avail;
    for (const [i, min] of [
      [5, 12],
      [1, 20],
      [4, 20],
      [1, 12],
      [4, 12],
    ] as const) {
      if (i < columns && over() > 0) w[i] = Math.max(min, w[i]! - over());
    }
    return { w, fits: over() <= 0 };
  };
  let layout = fit(6);
  if (!layout.fits && cells.some((c) => c.error)) layout = fit(5);
  const { w } = layout;
  const head = titles.slice(0, w.length);
  const rows = cells.map((c) =>
    [
      c.at,
      clip(c.operation, w[1]!),
      s.status(c.status),
      c.version,
      clip(c.by, w[4]!),
      clip(c.error, w[5] ?? 0),
    ].slice(0, w.length),
  );
  const versions = r.versions.length
    ? `\nVersions: ${r.versions.map((v) => `${v.versionId} ${v.status === 'ROLLED_BACK' ? s.red('ROLLED_BACK') : s.dim(v.status)}`).join(', ')}`
    : '';
  return `${s.bold(`History of ${r.application}`)}\n${s.table(head, rows)}${versions}`;
}

const when = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

/** Who took it: USER (CreateSnapshot / ImportSnapshot) or SYSTEM (the service, on stop or update). */
function initiator(x: SnapshotInfo): string {
  if (!x.enhanced) return '';
  return x.enhanced.initiatorOperation === 'ImportSnapshot' ? 'USER (import)' : x.enhanced.initiator;
}

function source(x: SnapshotInfo): string {
  if (!x.enhanced) return '';
  return x.enhanced.sourceApplication ?? x.enhanced.importedFrom ?? 'import';
}

/** The application's snapshots of both kinds: application snapshots, and enhanced ones with their ARNs. */
export function renderSnapshots(
  application: string,
  snapshots: SnapshotInfo[],
  s: Style,
  now = Date.now(),
): string {
  if (!snapshots.length) return `${application} has no snapshots.`;
  const newest = newestReadySnapshot(snapshots);
  const enhanced = snapshots.some((x) => x.enhanced);
  const rows = snapshots.map((x) => [
    x.name + (newest && snapshotKey(x) === snapshotKey(newest) ? s.dim(' (newest)') : ''),
    x.enhanced ? 'enhanced' : 'application',
    s.status(x.status),
    String(x.versionId),
    when(x.createdAt),
    ago(x.createdAt, now),
    ...(enhanced ? [initiator(x), source(x), x.enhanced?.arn ?? ''] : []),
  ]);
  const head = ['snapshot', 'kind', 'status', 'version', 'created', 'age'];
  return s.table(enhanced ? [...head, 'initiator', 'source', 'arn'] : head, rows);
}

/** The account's enhanced snapshots (`snapshot list --all`). */
export function renderAccountSnapshots(snapshots: SnapshotInfo[], s: Style, now = Date.now()): string {
  if (!snapshots.length) return 'The account has no enhanced snapshots in this Region.';
  const rows = snapshots.map((x) => [
    x.name,
    s.status(x.status),
    initiator(x),
    source(x),
    when(x.createdAt),
    ago(x.createdAt, now),
    x.enhanced?.arn ?? '',
  ]);
  return s.table(['snapshot', 'status', 'initiator', 'source', 'created', 'age', 'arn'], rows);
}

/** A snapshot as `--json` shows it. */
export function snapshotJson(x: SnapshotInfo): Record<string, unknown> {
  return {
    name: x.name,
    kind: x.enhanced ? 'enhanced' : 'application',
    status: x.status,
    versionId: x.versionId,
    createdAt: new Date(x.createdAt).toISOString(),
    ...(x.runtime ? { runtime: x.runtime } : {}),
    ...(x.enhanced
      ? {
          arn: x.enhanced.arn,
          initiator: x.enhanced.initiator,
          initiatorOperation: x.enhanced.initiatorOperation,
          ...(x.enhanced.sourceApplication ? { sourceApplication: x.enhanced.sourceApplication } : {}),
          ...(x.enhanced.importedFrom ? { importedFrom: x.enhanced.importedFrom } : {}),
        }
      : {}),
  };
}

export function renderPrune(selection: PruneSelection, s: Style, dryRun: boolean): string {
  const lines: string[] = [];
  const kind = (x: SnapshotInfo) => (x.enhanced ? ' (enhanced)' : '');
  for (const d of selection.delete)
    lines.push(`  ${s.red('-')} ${d.name}${kind(d)} ${s.dim(ago(d.createdAt))}`);
  for (const k of selection.keep)
    lines.push(`  ${s.green('=')} ${k.snapshot.name}${kind(k.snapshot)} ${s.dim(`kept: ${k.reason}`)}`);
  const head = selection.delete.length
    ? `${dryRun ? 'Would delete' : 'Deleting'} ${selection.delete.length} snapshot${selection.delete.length === 1 ? '' : 's'}:`
    : 'Nothing to prune:';
  return [head, ...lines].join('\n');
}

export function renderMapping(mapping: TfvarsMappingEntry[], s: Style): string {
  const rows = mapping.map((m) => [
    m.variable,
    m.value === undefined ? s.dim('(not set)') : JSON.stringify(m.value).slice(0, 60),
    m.fields.length ? m.fields.join(', ') : s.dim('—'),
    m.source === 'default' ? s.dim('variables.tf default') : m.source === 'flag' ? 'command line' : 'file',
    m.note ? (m.note.startsWith('unknown') ? s.yellow(m.note) : s.dim(m.note)) : '',
  ]);
  return s.table(['variable', 'value', 'spec field', 'from', 'note'], rows);
}
