/** Colours (only on a terminal, never with NO_COLOR) and tables that fall back to plain columns. */
import { createRequire } from 'node:module';
import type TableType from 'cli-table3';
import pc from 'picocolors';

// cli-table3 (CommonJS) is required when the first table is drawn, not at start-up: `--version` draws none.
const require = createRequire(import.meta.url);

export type Style = ReturnType<typeof createStyle>;

export function createStyle(enabled: boolean) {
  const c = pc.createColors(enabled);
  return {
    enabled,
    bold: c.bold,
    dim: c.dim,
    red: c.red,
    green: c.green,
    yellow: c.yellow,
    cyan: c.cyan,
    magenta: c.magenta,
    /** A status word coloured by what it means. */
    status(status: string): string {
      if (['RUNNING', 'SUCCESSFUL', 'READY', 'succeeded'].includes(status)) return c.green(status);
      if (['FAILED', 'failed', 'ROLLED_BACK', 'interrupted', 'CANCELLED'].includes(status))
        return c.red(status);
      return c.yellow(status);
    },
    /** A table with borders on a terminal, tab-free aligned columns otherwise. */
    table(head: string[], rows: (string | number)[][]): string {
      if (!enabled) return plainTable(head, rows);
      const Table = require('cli-table3') as typeof TableType;
      const table = new Table({ head: head.map((h) => c.bold(h)), style: { head: [], border: [] } });
      table.push(...rows.map((r) => r.map(String)));
      return table.toString();
    },
  };
}

// Strips ANSI colour codes (ESC [ ... m) to measure visible width.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

function plainTable(head: string[], rows: (string | number)[][]): string {
  const all = [head, ...rows.map((r) => r.map(String))];
  const widths = head.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').replace(ANSI, '').length)));
  return all
    .map((r) =>
      r
        .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
