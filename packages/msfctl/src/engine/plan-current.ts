/**
 * Refusing a saved plan whose application has moved since it was made (Terraform's "Saved plan is stale").
 */
import type { LiveApplication } from '../model/application.js';
import { MsfctlError } from '../model/errors.js';
import type { Plan } from '../model/plan.js';

/** Throws PLAN_STALE when the live application is not the one the plan was computed from. */
export function assertPlanCurrent(
  plan: Plan,
  live: LiveApplication | undefined,
  target: Plan['target'],
): void {
  const stale = (why: string) =>
    new MsfctlError('PLAN_STALE', `Saved plan is stale: ${why}.`, {
      hint: 'Run `msfctl plan --out FILE` again and apply the new plan.',
      details: { basis: plan.basis, live: live ? { versionId: live.versionId, status: live.status } : null },
    });
  if (
    (plan.target.endpoint ?? '') !== (target.endpoint ?? '') ||
    (plan.target.region ?? '') !== (target.region ?? '')
  ) {
    // kind is informational: the endpoint says where.
    throw new MsfctlError(
      'PLAN_INVALID',
      `The plan was made for ${describeTarget(plan.target)}, not ${describeTarget(target)}.`,
      { hint: 'Apply it with the same region and endpoint it was made with.' },
    );
  }
  if (!plan.basis.exists) {
    if (live)
      throw stale(
        `application ${plan.application} was created since (now version ${live.versionId}, ${live.status})`,
      );
    return;
  }
  if (!live) throw stale(`application ${plan.application} no longer exists`);
  if (live.versionId !== plan.basis.versionId) {
    throw stale(
      `application ${plan.application} is at version ${live.versionId}, the plan was made at version ${plan.basis.versionId}`,
    );
  }
  if (
    plan.basis.conditionalToken &&
    live.conditionalToken &&
    live.conditionalToken !== plan.basis.conditionalToken
  ) {
    throw stale(`application ${plan.application} changed since the plan (ConditionalToken differs)`);
  }
  if (live.status !== plan.basis.status) {
    throw stale(
      `application ${plan.application} is ${live.status}, the plan was made while it was ${plan.basis.status}`,
    );
  }
}

function describeTarget(t: Plan['target']): string {
  return [
    t.region ? `region ${t.region}` : 'the default region',
    t.endpoint ? `endpoint ${t.endpoint}` : 'the AWS endpoint',
  ].join(', ');
}
