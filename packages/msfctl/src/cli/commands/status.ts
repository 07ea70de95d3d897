/** `msfctl status [APP]` and `msfctl history [APP]`. */
import type { Command } from 'commander';
import { getHistory } from '../../controller/queries/history.js';
import { getStatus, type StatusReport } from '../../controller/queries/status.js';
import { renderHistory, renderStatus } from '../views/views.js';
import { readLedger } from '../../controller/state/ledger-store.js';
import { readLock } from '../../controller/state/lock.js';
import { isFleet, type GlobalOptions } from './context.js';
import { positiveInt, runCommand, runWithContext, readingApplication } from './run.js';
import { MsfctlError } from '../../model/errors.js';
import { runFleetCommand } from './fleet.js';

export function registerStatus(program: Command): void {
  program
    .command('status')
    .argument('[app]', "application (default: the spec's)")
    .description('status, version, runtime, parallelism/KPUs, last operation, snapshots')
    .option(
      '--parallelism <n>',
      'with a fleet (-f DIR, -f GLOB, -f repeated): applications at a time (default 8)',
      positiveInt('--parallelism'),
    )
    .action(async (app: string | undefined, _o, cmd: Command) => {
      const options = cmd.optsWithGlobals<GlobalOptions & { parallelism?: number }>();
      if (isFleet(options))
        return runCommand(options, (host) => {
          if (app) throw new MsfctlError('USAGE', 'Name an application or a fleet (-f), not both.');
          return runFleetCommand('status', options, host);
        });
      await runWithContext(options, readingApplication(app), async (ctx, host) => {
        const [{ ledger }, lock] = await Promise.all([
          readLedger(ctx.state, ctx.application),
          readLock(ctx.state, ctx.application),
        ]);
        const report = await getStatus(ctx.gateway, ctx.application, ledger, lock);
        host.result(renderStatus(report, host.style), statusJson(report));
        return report.exists ? 0 : 1;
      });
    });

  program
    .command('history')
    .argument('[app]', "application (default: the spec's)")
    .description("versions and operations from the service, merged with msfctl's ledger (who ran what)")
    .option('--limit <n>', 'rows to show', positiveInt('--limit'), 30)
    .action(async (app: string | undefined, _o, cmd: Command) => {
      const options = cmd.optsWithGlobals<GlobalOptions & { limit: number }>();
      await runWithContext(options, readingApplication(app), async (ctx, host) => {
        const { ledger } = await readLedger(ctx.state, ctx.application);
        const report = await getHistory(ctx.gateway, ctx.application, ledger, options.limit);
        host.result(renderHistory(report, host.style, terminalWidth()), report);
      });
    });
}

/** Times as ISO strings, like every other --json document (history, snapshot list), not epoch milliseconds. */
export function statusJson(report: StatusReport): unknown {
  const op = report.lastOperation;
  if (!op) return report;
  const { startedAt, endedAt, ...rest } = op;
  return {
    ...report,
    lastOperation: {
      ...rest,
      ...(startedAt !== undefined ? { startedAt: new Date(startedAt).toISOString() } : {}),
      ...(endedAt !== undefined ? { endedAt: new Date(endedAt).toISOString() } : {}),
    },
  };
}

/** The terminal's width; piped output gets COLUMNS or 120 (a log line that wraps is as bad as one that does). */
function terminalWidth(): number {
  return process.stdout.columns || Number(process.env.COLUMNS) || 120;
}
