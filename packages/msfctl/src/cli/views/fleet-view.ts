/** The one summary of a fleet run: a row per spec file (loaded or not), then each error with its hint. */
import type { MsfctlError } from '../../model/errors.js';
import type { Style } from '../../ports/io-host.js';
import path from 'node:path';

export interface FleetRow {
  file: string;
  /** '' when the file could not be loaded. */
  application: string;
  /** plan: changes | no changes | refused; apply: applied | unchanged | failed; status: the status; health. */
  result: string;
  ok: boolean;
  changed?: boolean;
  summary?: string;
  /** The verb's own value (plan, apply outcome, status report, health check) for --json. */
  detail?: unknown;
  error?: MsfctlError;
}

const GOOD = new Set(['no changes', 'unchanged', 'applied', 'healthy', 'RUNNING', 'READY']);
const BAD = new Set(['error', 'refused', 'failed', 'unhealthy', 'missing']);

export function renderFleet(verb: string, rows: readonly FleetRow[], style: Style): string {
  const color = (result: string) =>
    BAD.has(result) ? style.red(result) : GOOD.has(result) ? style.green(result) : style.yellow(result);
  const table = style.table(
    ['APPLICATION', 'FILE', 'RESULT', 'DETAIL'],
    rows.map((r) => [
      r.application || style.dim('—'),
      relative(r.file),
      color(r.result),
      truncate(r.error ? r.error.message.split('\n')[0]! : (r.summary ?? '')),
    ]),
  );
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.result, (counts.get(r.result) ?? 0) + 1);
  const tally = [...counts].map(([result, n]) => `${n} ${result}`).join(', ');
  const errors = rows
    .filter((r) => r.error)
    .map((r) => {
      const e = r.error!;
      // A file that did not load is named by its error already.
      const head = `${style.red('✗')} ${r.application ? `${r.application}: ` : ''}${e.message}`;
      return e.hint ? `${head}\n${style.dim(`  → ${e.hint}`)}` : head;
    });
  return [
    table,
    `${style.bold(`${verb}`)} over ${rows.length} spec${rows.length === 1 ? '' : 's'}: ${tally || 'nothing'}.`,
    ...errors,
  ].join('\n');
}

function relative(file: string): string {
  const r = path.relative(process.cwd(), file);
  return r && !r.startsWith('..') ? r : file;
}

function truncate(text: string, max = 100): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
