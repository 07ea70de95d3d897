/**
 * The safe-deploy settings of one command run: the command line wins (`--bake`, `--on-failure`,
 * `--accept-state-loss`), then the spec's `deploy` block, then the settings a saved plan recorded, then the
 * defaults (bake 120 s, roll back, refuse state loss).
 */
import { MsfctlError } from './errors.js';

/** `deploy.onFailure` in the spec, `--on-failure` on the command line. */
export type OnFailurePolicy = 'rollback' | 'stop' | 'none';

export const ON_FAILURE_POLICIES: readonly OnFailurePolicy[] = ['rollback', 'stop', 'none'];

/** Safe by default: a spec without the field (a tfvars file included) gets rollback. */
export const DEFAULT_ON_FAILURE: OnFailurePolicy = 'rollback';

export const DEFAULT_BAKE_SECONDS = 120;

/** Safe by default: a spec without `deploy` (a tfvars file included) bakes 2 minutes and rolls back. */
export const DEFAULT_DEPLOY = {
  bakeSeconds: DEFAULT_BAKE_SECONDS,
  onFailure: DEFAULT_ON_FAILURE,
  acceptStateLoss: false,
};

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
  spec: Partial<DeploySettings> | undefined,
  saved?: Partial<DeploySettings>,
): DeploySettings {
  return {
    bakeSeconds: flags.bake ?? spec?.bakeSeconds ?? saved?.bakeSeconds ?? DEFAULT_BAKE_SECONDS,
    onFailure: flags.onFailure ?? spec?.onFailure ?? saved?.onFailure ?? DEFAULT_ON_FAILURE,
    acceptStateLoss: (flags.acceptStateLoss || spec?.acceptStateLoss || saved?.acceptStateLoss) ?? false,
  };
}

/** Reads `--on-failure POLICY` (and the spec's deploy.onFailure when it arrives as text). */
export function parseOnFailure(text: string, where = '--on-failure'): OnFailurePolicy {
  const value = text.trim().toLowerCase();
  if ((ON_FAILURE_POLICIES as readonly string[]).includes(value)) return value as OnFailurePolicy;
  throw new MsfctlError(
    'USAGE',
    `${where} must be one of ${ON_FAILURE_POLICIES.join(', ')}, not "${text}".`,
    {
      hint: 'rollback (the default) brings the last good version back; stop stops the application; none leaves it as it is.',
    },
  );
}
