/**
 * Saved plans (`plan --out plan.json`, `apply plan.json`): writing, reading, and refusing a plan whose
 * application has moved since it was made (Terraform's "Saved plan is stale").
 */
import { readFileSync } from 'node:fs';
import type { LiveApplication } from '../domain/application.js';
import { MsfctlError } from '../errors.js';
import { writeFileAtomic } from '../state/atomic-file.js';
import { PLAN_FORMAT, type Plan } from './plan.js';

export async function writePlanFile(file: string, plan: Plan): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(plan, null, 2)}\n`);
}

export function readPlanFile(file: string): Plan {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new MsfctlError('PLAN_INVALID', `Cannot read plan ${file}: ${(error as Error).message}`, {
      hint: 'Make a plan with `msfctl plan --out FILE`.',
    });
  }
  const plan = value as Partial<Plan>;
  if (
    plan.format !== PLAN_FORMAT ||
    !Array.isArray(plan.actions) ||
    typeof plan.application !== 'string' ||
    !plan.basis
  ) {
    throw new MsfctlError('PLAN_INVALID', `${file} is not an msfctl plan (expected format ${PLAN_FORMAT}).`, {
      hint: 'Make a plan with `msfctl plan --out FILE`.',
    });
  }
  return plan as Plan;
}

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
