/** `msfctl scale --parallelism N [--per-kpu M] [--autoscaling on|off]`. */
import type { Command } from 'commander';
import { MsfctlError } from '../../model/errors.js';
import { DEFAULT_KPU_QUOTA } from '../../controller/make-plan.js';
import { scaleApplication } from '../../controller/verbs.js';
import { openContext, type GlobalOptions } from './context.js';
import { addBakeFlags, type DeployFlagOptions } from './deploy-flags.js';
import { finish, runContext, specRestore } from './lifecycle-context.js';
import { forApplication, positiveInt, runCommand } from './run.js';

export function registerScale(program: Command): void {
  addBakeFlags(
    program
      .command('scale')
      .argument('[app]', "application (default: the spec's)")
      .description(
        'change parallelism (a running job restarts from a snapshot to rescale, then its health is watched)',
      )
      .requiredOption('--parallelism <n>', 'parallelism', positiveInt('--parallelism'))
      .option('--per-kpu <m>', 'parallelism per KPU (1-8)', positiveInt('--per-kpu'))
      .option('--autoscaling <on|off>', 'service autoscaling')
      .option(
        '--kpu-quota <n>',
        'KPU quota per application (default: spec limits.kpus, else 64)',
        positiveInt('--kpu-quota'),
      ),
  ).action(async (app: string | undefined, _o, cmd: Command) => {
    const options = cmd.optsWithGlobals<
      GlobalOptions &
        DeployFlagOptions & { parallelism: number; perKpu?: number; autoscaling?: string; kpuQuota?: number }
    >();
    await runCommand(options, async (host) => {
      if (options.autoscaling !== undefined && !['on', 'off'].includes(options.autoscaling)) {
        throw new MsfctlError('USAGE', `--autoscaling must be on or off (got ${options.autoscaling}).`);
      }
      if (options.perKpu !== undefined && options.perKpu > 8)
        throw new MsfctlError('USAGE', '--per-kpu is at most 8.');
      const ctx = await openContext(options, forApplication(app), host);
      try {
        const result = await scaleApplication(runContext(ctx, options), {
          parallelism: options.parallelism,
          ...(options.perKpu !== undefined ? { perKpu: options.perKpu } : {}),
          ...(options.autoscaling !== undefined ? { autoscaling: options.autoscaling === 'on' } : {}),
          kpuQuota: options.kpuQuota ?? ctx.spec?.spec.limits?.kpus ?? DEFAULT_KPU_QUOTA,
          restore: {
            ...specRestore(ctx),
            from: specRestore(ctx).from === 'snapshot' ? 'latest' : specRestore(ctx).from,
          },
        });
        const note = ctx.spec
          ? 'The spec still has the old parallelism: update it, or the next `msfctl apply` scales back.'
          : undefined;
        return finish(host, result, `Scaled ${ctx.application} to parallelism ${options.parallelism}.`, note);
      } finally {
        ctx.close();
      }
    });
  });
}
