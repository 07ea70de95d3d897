/** `--bake SECONDS`, `--on-failure POLICY`, `--accept-state-loss`: the safe-deploy settings for one run. */
import type { Command } from 'commander';
import { MsfctlError } from '../../model/errors.js';
import { parseOnFailure } from '../../model/deploy-settings.js';
import type { DeployFlags } from '../../model/deploy-settings.js';
import { positiveInt } from './run.js';

export interface DeployFlagOptions {
  bake?: number;
  onFailure?: DeployFlags['onFailure'];
  acceptStateLoss?: boolean;
  allowNonRestoredState?: boolean;
  /** --rehearse (true) / --no-rehearse (false); undefined: the spec's deploy.rehearse. */
  rehearse?: boolean;
}

export function nonNegativeInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n))
      throw new MsfctlError('USAGE', `${name} must be a whole number of seconds, 0 or more (got ${value}).`);
    return n;
  };
}

/** --bake and --on-failure: every command that (re)starts the job. */
export function addBakeFlags(command: Command): Command {
  return command
    .option(
      '--bake <seconds>',
      'watch health for this long once the job runs (default: spec deploy.bakeSeconds, else 120; 0: no watch)',
      nonNegativeInt('--bake'),
    )
    .option(
      '--on-failure <policy>',
      'rollback | stop | none: what to do when the job fails or crash-loops (default: spec deploy.onFailure, else rollback)',
      (value: string) => parseOnFailure(value),
    );
}

/** --accept-state-loss and --allow-non-restored-state: plan and apply. */
export function addStateFlags(command: Command): Command {
  return command
    .option(
      '--accept-state-loss',
      'deploy even if the state of an operator whose uid or generated id changed will not be restored (spec: deploy.acceptStateLoss)',
    )
    .option(
      '--allow-non-restored-state',
      'let this update drop the state of operators the new JAR no longer has (spec: restore.allowNonRestoredState)',
    );
}

/** What plan and apply plan from: the JAR or Maven project, the KPU quota, a fleet's parallelism. */
export function addPlanInputFlags(command: Command): Command {
  return command
    .option(
      '--kpu-quota <n>',
      'KPU quota per application (default: spec limits.kpus, else 64)',
      positiveInt('--kpu-quota'),
    )
    .option('--jar <file>', 'deploy this JAR (overrides the spec code / tfvars s3_file_key)')
    .option('--maven <dir>', 'build this Maven project and deploy its JAR')
    .option(
      '--parallelism <n>',
      'with a fleet (-f DIR, -f GLOB, -f repeated): applications at a time (default 8)',
      positiveInt('--parallelism'),
    )
    .option(
      '--rebuild',
      'build with Maven even when the sources and POM did not change since the last build',
    );
}

/** --rehearse and --no-rehearse: plan and apply. */
export function addRehearsalFlags(command: Command): Command {
  return command
    .option(
      '--rehearse',
      'rehearse the deploy on the state it restores, on a local real Flink, and refuse it when that fails or cannot run (spec: deploy.rehearse)',
    )
    .option('--no-rehearse', 'do not rehearse (spec deploy.rehearse: off)');
}

export function deployFlags(options: DeployFlagOptions): DeployFlags {
  return {
    ...(options.bake !== undefined ? { bake: options.bake } : {}),
    ...(options.onFailure !== undefined ? { onFailure: options.onFailure } : {}),
    ...(options.acceptStateLoss ? { acceptStateLoss: true } : {}),
  };
}
