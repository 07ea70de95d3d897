/** `msfctl apply [PLANFILE]`: execute a fresh plan (after approval) or exactly a saved one. */
import type { Command } from 'commander';
import { defaultPlanChecks } from '../../controller/preflight/checks.js';
import { renderPlan } from '../views/plan-view.js';
import { runContext } from './lifecycle-context.js';
import { MsfctlError } from '../../model/errors.js';
import { apply } from '../../controller/apply.js';
import { readPlanFile } from '../planfile.js';
import { deploySettings } from '../../model/deploy-settings.js';
import { isFleet, openContext, type GlobalOptions } from './context.js';
import { runFleetCommand } from './fleet.js';
import { planCheckPorts } from './check-ports.js';
import {
  addBakeFlags,
  addPlanInputFlags,
  addRehearsalFlags,
  addStateFlags,
  deployFlags,
  type DeployFlagOptions,
} from './deploy-flags.js';
import { rehearsalSettings } from '../../model/rehearsal.js';
import { runCommand } from './run.js';

interface ApplyOptions extends GlobalOptions, DeployFlagOptions {
  autoApprove?: boolean;
  kpuQuota?: number;
  parallelism?: number;
}

export function registerApply(program: Command): void {
  const command = program
    .command('apply')
    .argument('[planfile]', 'a plan saved with `msfctl plan --out`; without it, apply plans afresh')
    .description(
      'make the application match the spec: create, update, start or stop it, waiting on every operation',
    )
    .option('--auto-approve', 'do not ask for approval (required when there is no terminal)');
  addRehearsalFlags(addStateFlags(addBakeFlags(addPlanInputFlags(command)))).action(
    async (planfile: string | undefined, _opts, cmd: Command) => {
      const options = cmd.optsWithGlobals<ApplyOptions>();
      if (isFleet(options))
        return runCommand(options, (host) => {
          if (planfile)
            throw new MsfctlError('USAGE', 'A saved plan is of one application; a fleet plans afresh.');
          return runFleetCommand('apply', options, host);
        });
      await runCommand(options, async (host) => {
        const savedPlan = planfile ? readPlanFile(planfile) : undefined;
        const ctx = await openContext(
          options,
          savedPlan
            ? { spec: 'optional', application: savedPlan.application, target: savedPlan.target }
            : { spec: 'required' },
          host,
        );
        try {
          const { target } = ctx.ports;
          const deploy = deploySettings(deployFlags(options), ctx.spec?.spec.deploy, savedPlan?.deploy);
          const result = await apply(
            { ...runContext(ctx), deploy },
            {
              spec: ctx.spec,
              ...(savedPlan ? { savedPlan } : {}),
              target: await target.planTarget(),
              autoApprove: options.autoApprove ?? false,
              createBucket: target.createsBuckets,
              ...(options.kpuQuota !== undefined ? { kpuQuota: options.kpuQuota } : {}),
              checks: defaultPlanChecks(rehearsalSettings(options.rehearse, ctx.spec?.spec.deploy)),
              flags: options as Record<string, unknown>,
              deploy,
              ...planCheckPorts(ctx.ports),
              show: (plan) => {
                if (!host.json)
                  host.notify({
                    level: 'info',
                    code: 'MSF_PLAN_I1000',
                    text: renderPlan(plan, host.style, target.description),
                  });
              },
            },
          );
          const s = host.style;
          const live = result.live;
          const summary = !result.changed
            ? s.green(`Nothing to do: ${ctx.application} matches the spec.`)
            : result.ok
              ? `${s.green('✓')} Apply complete: ${ctx.application} is ${live?.status ?? 'gone'} at version ${live?.versionId ?? '?'}${result.uploaded ? ' (JAR uploaded)' : ''}.`
              : '';
          host.result(summary, {
            ok: result.ok,
            changed: result.changed,
            application: ctx.application,
            status: live?.status ?? null,
            versionId: live?.versionId ?? null,
            uploaded: result.uploaded,
            operations: result.execution?.operations ?? [],
            // `afterApply['safe deploy']`: the watch phase's report, under the name apply has always used.
            ...(result.watch ? { afterApply: { 'safe deploy': result.watch } } : {}),
            ...(result.error ? { error: result.error.toJSON() } : {}),
            plan: result.plan,
          });
          if (!result.ok) {
            if (host.json) return 1;
            throw result.error ?? new MsfctlError('OPERATION_FAILED', `Apply of ${ctx.application} failed.`);
          }
          return 0;
        } finally {
          ctx.close();
        }
      });
    },
  );
}
