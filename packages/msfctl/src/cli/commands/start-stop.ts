/** `msfctl start | stop | restart | rollback`: the imperative lifecycle. */
import type { Command } from 'commander';
import {
  restartApplication,
  rollbackApplication,
  startApplication,
  stopApplication,
} from '../../controller/verbs.js';
import type { GlobalOptions } from './context.js';
import { addBakeFlags, type DeployFlagOptions } from './deploy-flags.js';
import { finish, runContext, specRestore } from './lifecycle-context.js';
import { addRestoreFlags, restoreFrom, type RestoreFlags } from './restore-flags.js';
import { runWithContext, forApplication } from './run.js';

export function registerStartStop(program: Command): void {
  addBakeFlags(
    addRestoreFlags(
      program
        .command('start')
        .argument('[app]', "application (default: the spec's)")
        .description(
          'start a READY application (restores per the spec, or as the flags say), then watch its health',
        ),
    ),
  ).action(async (app: string | undefined, _o, cmd: Command) => {
    const options = cmd.optsWithGlobals<GlobalOptions & RestoreFlags & DeployFlagOptions>();
    await runWithContext(options, forApplication(app), async (ctx, host) => {
      const result = await startApplication(runContext(ctx, options), restoreFrom(options, specRestore(ctx)));
      return finish(host, result, `Started ${ctx.application}.`);
    });
  });

  program
    .command('stop')
    .argument('[app]', "application (default: the spec's)")
    .description('stop a RUNNING application (a snapshot is taken when snapshots are enabled)')
    .option(
      '--force',
      'stop without a snapshot, from any transient status (state since the last snapshot is lost)',
    )
    .action(async (app: string | undefined, _o, cmd: Command) => {
      const options = cmd.optsWithGlobals<GlobalOptions & { force?: boolean }>();
      await runWithContext(options, forApplication(app), async (ctx, host) => {
        const result = await stopApplication(runContext(ctx), options.force ?? false);
        const note = ctx.spec?.spec.running
          ? 'The spec says running: true: the next `msfctl apply` starts it again.'
          : undefined;
        return finish(host, result, `Stopped ${ctx.application}.`, note);
      });
    });

  addBakeFlags(
    addRestoreFlags(
      program
        .command('restart')
        .argument('[app]', "application (default: the spec's)")
        .description(
          'stop (with a snapshot) and start again, restoring from the latest snapshot, a named one, or none; then watch its health',
        ),
    ),
  ).action(async (app: string | undefined, _o, cmd: Command) => {
    const options = cmd.optsWithGlobals<GlobalOptions & RestoreFlags & DeployFlagOptions>();
    await runWithContext(options, forApplication(app), async (ctx, host) => {
      const result = await restartApplication(
        runContext(ctx, options),
        restoreFrom(options, {
          from: 'latest',
          allowNonRestoredState: specRestore(ctx).allowNonRestoredState,
        }),
      );
      return finish(host, result, `Restarted ${ctx.application}.`);
    });
  });

  addBakeFlags(
    program
      .command('rollback')
      .argument('[app]', "application (default: the spec's)")
      .description(
        'RollbackApplication: back to the previous version, with state from the latest snapshot; then watch its health',
      ),
  ).action(async (app: string | undefined, _o, cmd: Command) => {
    const options = cmd.optsWithGlobals<GlobalOptions & DeployFlagOptions>();
    await runWithContext(options, forApplication(app), async (ctx, host) => {
      const result = await rollbackApplication(runContext(ctx, options));
      return finish(
        host,
        result,
        `Rolled back ${ctx.application}.`,
        'The service now differs from the spec: `msfctl plan` shows the difference, `msfctl apply` re-applies the spec.',
      );
    });
  });
}
