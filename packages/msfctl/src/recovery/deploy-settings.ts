/**
 * The safe-deploy settings of one command run: the command line wins (`--bake`, `--on-failure`,
 * `--accept-state-loss`), then the spec's `deploy` block, then the settings a saved plan recorded, then the
 * defaults (bake 120 s, roll back, refuse state loss).
 */
import { DEFAULT_BAKE_SECONDS } from '../health/bake-watch.js';
import type { DeploySpec } from '../spec/schema.js';
import { DEFAULT_ON_FAILURE, type OnFailurePolicy } from './recovery-plan.js';

export interface DeploySettings {
  /** Seconds of health watch after a deploy, start, restart or rollback leaves the job RUNNING; 0: none. */
  bakeSeconds: number;
  onFailure: OnFailurePolicy;
  /** Deploy even when the state of an operator whose uid or generated id changed will not be restored. */
  acceptStateLoss: boolean;
}

export interface DeployFlags {
  bake?: number;
  onFailure?: OnFailurePolicy;
  acceptStateLoss?: boolean;
}

export function deploySettings(
  flags: DeployFlags,
  spec: DeploySpec | undefined,
  saved?: Partial<DeploySettings>,
): DeploySettings {
  return {
    bakeSeconds: flags.bake ?? spec?.bakeSeconds ?? saved?.bakeSeconds ?? DEFAULT_BAKE_SECONDS,
    onFailure: flags.onFailure ?? spec?.onFailure ?? saved?.onFailure ?? DEFAULT_ON_FAILURE,
    acceptStateLoss: (flags.acceptStateLoss || spec?.acceptStateLoss || saved?.acceptStateLoss) ?? false,
  };
}
