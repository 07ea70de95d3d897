/** `msfctl destroy`: final snapshot (unless --skip-snapshot), stop, delete; the ledger keeps the history. */
import type { Command } from 'commander';
import { destroyApplication } from '../../controller/verbs.js';
import { renderActions } from '../views/views.js';
import type { GlobalOptions } from './context.js';
import { finish, runContext } from './lifecycle-context.js';
import { runWithContext, forApplication } from './run.js';

export function registerDestroy(program: Command): void {
  program
    .command('destroy')
    .argument('[app]', "application (default: the spec's)")
    .description('delete the application, after a final snapshot of a running job')
    .option('--skip-snapshot', 'no final snapshot: the running state is dropped')
    .option('--auto-approve', 'do not ask for approval (required when there is no terminal)')
    .action(async (app: string | undefined, _o, cmd: Command) => {
      const options = cmd.optsWithGlobals<
        GlobalOptions & { skipSnapshot?: boolean; autoApprove?: boolean }
      >();
      await runWithContext(options, forApplication(app), async (ctx, host) => {
        const result = await destroyApplication(runContext(ctx), {
          skipSnapshot: options.skipSnapshot ?? false,
          approve: async (actions) => {
            if (!host.json) {
              host.notify({
                level: 'info',
                code: 'MSF_DESTROY_I1001',
                text: `${host.style.bold(`Destroy ${ctx.application}`)}\n${renderActions({ application: ctx.application, actions, live: undefined }, host.style)}`,
              });
            }
            return options.autoApprove ? true : host.confirm(`Delete ${ctx.application}?`);
          },
        });
        return finish(
          host,
          result,
          `Destroy complete: ${ctx.application} is deleted${result.finalSnapshot ? `, after a final snapshot ${result.finalSnapshot}` : ''}.`,
          'The ledger keeps its history: `msfctl history` shows it.',
          { actionsShown: !host.json },
        );
      });
    });
}
