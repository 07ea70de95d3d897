/** scale: change parallelism (and per-KPU, autoscaling) without touching the rest of the configuration. */
import { kpusFor, kpusInUse, type RestoreSettings } from '../../model/application.js';
import { MsfctlError } from '../../model/errors.js';
import { updateReadyEffect, updateRunningEffect } from '../../engine/effects.js';
import { diffConfig } from '../../model/changes.js';
import { requireLive, runLifecycle, type LifecycleContext, type LifecycleResult } from '../run-actions.js';

export interface ScaleRequest {
  parallelism: number;
  perKpu?: number;
  autoscaling?: boolean;
  kpuQuota: number;
  /** How the restarted job restores (a running application restarts to rescale). */
  restore: RestoreSettings;
}

export function scaleApplication(ctx: LifecycleContext, request: ScaleRequest): Promise<LifecycleResult> {
  return runLifecycle(ctx, 'scale', (found) => {
    const live = requireLive(found, ctx.application);
    if (live.status !== 'RUNNING' && live.status !== 'READY') {
      throw new MsfctlError('APP_BUSY', `Cannot scale ${ctx.application}: it is ${live.status}.`, {
        hint: 'Wait for it to settle (`msfctl status`).',
      });
    }
    const parallelism = {
      custom: true,
      parallelism: request.parallelism,
      perKpu: request.perKpu ?? live.config.parallelism.perKpu,
      autoscaling: request.autoscaling ?? live.config.parallelism.autoscaling,
    };
    const kpus = kpusFor(parallelism.parallelism, parallelism.perKpu);
    if (kpus > request.kpuQuota) {
      throw new MsfctlError(
        'QUOTA_EXCEEDED',
        `parallelism ${parallelism.parallelism} at ${parallelism.perKpu} per KPU needs ⌈${parallelism.parallelism} ÷ ${parallelism.perKpu}⌉ = ${kpus} KPUs, over the quota of ${request.kpuQuota}.`,
        {
          hint: `Use at most parallelism ${request.kpuQuota * parallelism.perKpu}, a higher --per-kpu (max 8), or --kpu-quota if your account's quota is higher.`,
        },
      );
    }
    const changes = diffConfig(live.config, { ...live.config, parallelism });
    if (!changes.length)
      return {
        nothing: `${ctx.application} already runs with parallelism ${parallelism.parallelism} (${parallelism.perKpu} per KPU, autoscaling ${parallelism.autoscaling ? 'on' : 'off'}).`,
      };
    const running = live.status === 'RUNNING';
    return {
      actions: [
        {
          type: 'update',
          kinds: ['scale'],
          changes,
          update: { parallelism },
          ...(running ? { run: request.restore } : {}),
          effect: running
            ? updateRunningEffect(live.config.snapshotsEnabled, request.restore, {
                before: kpusInUse(live),
                after: kpus,
              })
            : updateReadyEffect(),
        },
      ],
      details: { parallelism },
    };
  });
}
