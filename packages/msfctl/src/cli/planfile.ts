/** Saved plans (`plan --out plan.json`, `apply plan.json`): writing and reading the file. */
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../adapters/state/atomic-file.js';
import { MsfctlError } from '../model/errors.js';
import { PLAN_FORMAT, type Plan } from '../model/plan.js';

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
