/** `msfctl status [APP]` and `msfctl history [APP]`. */
import type { Command } from 'commander';
import { getHistory } from '../lifecycle/history.js';
import { getStatus } from '../lifecycle/status.js';
import { renderHistory, renderStatus } from '../output/views.js';
import { readLedger } from '../state/ledger-store.js';
import { readLock } from '../state/lock.js';
import type { GlobalOptions } from './context.js';
import { positiveInt, runWithContext, forApplication } from './run.js';

export function registerStatus(program: Command): void {
  program
    .command('status')
    .argument('[app]', "application (default: the spec's)")
    .description('status, version, runtime, parallelism/KPUs, last operation, snapshots')
    .action(async (app: string | undefined, _o, cmd: Command) => {
      const options = cmd.optsWithGlobals<GlobalOptions>();
      await runWithContext(options, forApplication(app), async (ctx, host) => {
        const [{ ledger }, lock] = await Promise.all([
          readLedger(ctx.state, ctx.application),
          readLock(ctx.state, ctx.application),
        ]);
        const report = await getStatus(ctx.gateway, ctx.application, ledger, lock);
        host.result(renderStatus(report, host.style), report);
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
      await runWithContext(options, forApplication(app), async (ctx, host) => {
        const { ledger } = await readLedger(ctx.state, ctx.application);
        const report = await getHistory(ctx.gateway, ctx.application, ledger, options.limit);
        host.result(renderHistory(report, host.style), report);
      });
    });
}
