/** Reads `--on-failure POLICY` (and the spec's deploy.onFailure when it arrives as text). */
import { MsfctlError } from '../errors.js';
import { ON_FAILURE_POLICIES, type OnFailurePolicy } from './recovery-plan.js';

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
