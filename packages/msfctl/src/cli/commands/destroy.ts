/**
 * `msfctl destroy`: final snapshot (unless --skip-snapshot), then what the snapshot mode allows to keep it —
 * legacy: exported to S3 (where the target can export it), enhanced: it outlives the application and its ARN is
 * printed — then stop and delete. What happens to the snapshots is said before the confirmation.
 */
import type { Command } from 'commander';
import { destroyApplication } from '../../controller/verbs.js';
import { describeS3Prefix, parseS3Prefix } from '../../model/snapshot-refs.js';
import { renderActions } from '../views/views.js';
import type { GlobalOptions } from './context.js';
import { finish, runContext } from './lifecycle-context.js';
import { runWithContext, forApplication } from './run.js';

interface DestroyFlags {
  skipSnapshot?: boolean;
  autoApprove?: boolean;
  exportTo?: string;
  /** --no-export */
  export?: boolean;
}

export function registerDestroy(program: Command): void {
  program
    .command('destroy')
    .argument('[app]', "application (default: the spec's)")
    .description(
      'delete the application, after a final snapshot of a running job; legacy mode: the snapshot is exported to S3 first (where the target can), enhanced mode: it outlives the application',
    )
    .option('--skip-snapshot', 'no final snapshot: the running state is dropped')
    .option(
      '--export-to <s3-prefix>',
      "legacy mode: export the last snapshot here (default s3://<artifacts bucket, else the code's bucket>/msfctl/final-snapshots/<app>/)",
    )
    .option('--no-export', 'legacy mode: do not export it (its state is deleted with the application)')
    .option('--auto-approve', 'do not ask for approval (required when there is no terminal)')
    .action(async (app: string | undefined, _o, cmd: Command) => {
      const options = cmd.optsWithGlobals<GlobalOptions & DestroyFlags>();
      const exportTo =
        options.export === false
          ? false
          : options.exportTo !== undefined
            ? parseS3Prefix(options.exportTo, '--export-to')
            : undefined;
      await runWithContext(options, forApplication(app), async (ctx, host) => {
        const artifacts = ctx.spec?.spec.artifacts?.bucket;
        const result = await destroyApplication(runContext(ctx), {
          skipSnapshot: options.skipSnapshot ?? false,
          ...(exportTo !== undefined ? { exportTo } : {}),
          ...(artifacts ? { defaultBucket: artifacts } : {}),
          approve: async (actions, fate) => {
            if (!host.json) {
              host.notify({
                level: 'info',
                code: 'MSF_DESTROY_I1001',
                text: `${host.style.bold(`Destroy ${ctx.application}`)}\n${renderActions({ application: ctx.application, actions, live: undefined }, host.style)}`,
              });
              for (const line of fate)
                host.notify({
                  level: line.startsWith('WARNING') ? 'warn' : 'info',
                  code: 'MSF_DESTROY_I1002',
                  text: line,
                });
            }
            return options.autoApprove ? true : host.confirm(`Delete ${ctx.application}?`);
          },
        });
        const kept = result.kept.map((k) => `  ${k.name}  ${k.arn}`);
        const note = [
          ...(result.exported
            ? [
                `Snapshot ${result.exported.snapshot} was exported to ${describeS3Prefix(result.exported.to)}: \`msfctl snapshot import ${describeS3Prefix(result.exported.to)} --name NAME\` makes it an enhanced snapshot to start an application from.`,
              ]
            : []),
          ...(kept.length
            ? [
                `Its enhanced snapshots outlive it (\`msfctl start --snapshot ARN\` restores one into an enhanced-mode application):\n${kept.join('\n')}`,
              ]
            : []),
          'The ledger keeps its history: `msfctl history` shows it.',
        ].join('\n');
        return finish(
          host,
          result,
          `Destroy complete: ${ctx.application} is deleted${result.finalSnapshot ? `, after a final snapshot ${result.finalSnapshot}` : ''}.`,
          note,
          {
            actionsShown: !host.json,
            json: {
              snapshots: {
                fate: result.fate,
                kept: result.kept,
                ...(result.finalSnapshot ? { finalSnapshot: result.finalSnapshot } : {}),
                ...(result.exported
                  ? {
                      exported: {
                        snapshot: result.exported.snapshot,
                        to: describeS3Prefix(result.exported.to),
                      },
                    }
                  : {}),
              },
            },
          },
        );
      });
    });
}
