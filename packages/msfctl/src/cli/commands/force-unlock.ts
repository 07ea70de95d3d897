/** `msfctl force-unlock ID`: remove a lock left by a process that is gone. */
import type { Command } from 'commander';
import { withLockedSession } from '../../controller/session.js';
import { forceUnlock } from '../../controller/state/lock.js';
import type { GlobalOptions } from './context.js';
import { runWithContext } from './run.js';
import { processInterrupts } from '../../adapters/io/process-interrupts.js';

export function registerForceUnlock(program: Command): void {
  program
    .command('force-unlock')
    .argument('<id>', 'the lock ID (shown in the "locked by" error and in `msfctl status`)')
    .description("remove an application's lock; only when its holder is gone")
    .action(async (id: string, _o, cmd: Command) => {
      const options = cmd.optsWithGlobals<GlobalOptions>();
      await runWithContext(options, { spec: 'optional' }, async (ctx, host) => {
        const removed = await forceUnlock(ctx.state, ctx.application, id);
        await withLockedSession(
          {
            store: ctx.state,
            application: ctx.application,
            kind: 'force-unlock',
            summary: `removed lock ${id} of ${removed.who}`,
            host,
            interrupts: processInterrupts(),
          },
          (s) => s.begin({ details: { removed } }),
        );
        host.result(
          `Removed lock ${id} on ${ctx.application} (held by ${removed.who} for ${removed.operation} since ${removed.createdAt}).`,
          { application: ctx.application, removed },
        );
      });
    });
}
