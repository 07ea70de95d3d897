/** `msfctl plan`: refresh, diff, and print ordered actions with their effect on the job. */
import type { Command } from 'commander';
import { MsfctlError } from '../../model/errors.js';
import { makePlan } from '../../controller/make-plan.js';
import { renderPlan } from '../views/plan-view.js';
import { defaultPlanChecks } from '../../controller/preflight/checks.js';
import { hasChanges, refusals } from '../../model/plan.js';
import { writePlanFile } from '../planfile.js';
import { readLedger } from '../../controller/state/ledger-store.js';
import { deploySettings } from '../../model/deploy-settings.js';
import type { GlobalOptions } from './context.js';
import {
  addBakeFlags,
  addPlanInputFlags,
  addRehearsalFlags,
  addStateFlags,
  deployFlags,
  type DeployFlagOptions,
} from './deploy-flags.js';
import { rehearsalSettings } from '../../model/rehearsal.js';
import { runCommand, runWithContext } from './run.js';
import { isFleet } from './context.js';
import { planCheckPorts } from './check-ports.js';
import { runFleetCommand } from './fleet.js';

interface PlanOptions extends GlobalOptions, DeployFlagOptions {
  out?: string;
  detailedExitcode?: boolean;
  kpuQuota?: number;
  parallelism?: number;
}

export function registerPlan(program: Command): void {
  const command = program
    .command('plan')
    .description(
      'show what apply would do: ordered actions, each with its effect on the running job (restart, snapshot, state, KPUs)',
    )
    .option('--out <file>', 'save the plan; `msfctl apply FILE` executes exactly it')
    .option(
      '--detailed-exitcode',
      'exit 0 when there is nothing to do, 2 when there are changes, 1 on error',
    );
  addRehearsalFlags(addStateFlags(addBakeFlags(addPlanInputFlags(command)))).action(
    async (_opts, cmd: Command) => {
      const options = cmd.optsWithGlobals<PlanOptions>();
      if (isFleet(options))
        return runCommand(options, (host) => {
          if (options.out)
            throw new MsfctlError('USAGE', '--out saves the plan of one application, not of a fleet.');
          return runFleetCommand('plan', options, host);
        });
      await runWithContext(options, { spec: 'required' }, async (ctx, host) => {
        const { ledger } = await readLedger(ctx.state, ctx.application);
        const { target } = ctx.ports;
        const { plan } = await makePlan({
          spec: ctx.spec!,
          ledger,
          gateway: ctx.gateway,
          host,
          target: await target.planTarget(),
          ...(options.kpuQuota !== undefined ? { kpuQuota: options.kpuQuota } : {}),
          checks: defaultPlanChecks(rehearsalSettings(options.rehearse, ctx.spec?.spec.deploy)),
          flags: options as Record<string, unknown>,
          deploy: deploySettings(deployFlags(options), ctx.spec!.spec.deploy),
          ...planCheckPorts(ctx.ports),
        });
        if (options.out) await writePlanFile(options.out, plan);
        const blocked = refusals(plan);
        const next = blocked.length
          ? ''
          : hasChanges(plan)
            ? host.style.dim(
                options.out
                  ? `Saved to ${options.out}. Run \`msfctl apply ${options.out}\` to execute exactly this plan.`
                  : 'Run `msfctl apply` to execute it.',
              )
            : '';
        host.result(
          [renderPlan(plan, host.style, target.description), next].filter(Boolean).join('\n'),
          plan,
        );
        if (blocked.length) return 1;
        return options.detailedExitcode && hasChanges(plan) ? 2 : 0;
      });
    },
  );
}
