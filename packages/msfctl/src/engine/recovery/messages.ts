/**
 * Recovery as IoHost messages: the plan before it runs (every step numbered), each step as it starts and
 * ends, and the outcome. Codes: MSF_RECOVERY_E4000 what went wrong, I4001 a planned step, W4002 a warning,
 * I4003 step started, I4004 step done, E4005 step failed, I4006 recovered, E4007 not recovered.
 */
import type { IoMessage } from '../../model/messages.js';
import type { Action, ActionRecord } from '../../model/actions.js';
import type { RecoveryOutcome, RecoveryPlan } from '../../model/recovery.js';
import { actionTitle } from '../action-title.js';

export function recoveryPlanMessages(plan: RecoveryPlan): IoMessage[] {
  const messages: IoMessage[] = [
    {
      level: plan.deployFailed ? 'error' : 'warn',
      code: 'MSF_RECOVERY_E4000',
      text: plan.summary,
      data: plan,
    },
  ];
  plan.actions.forEach((step, i) =>
    messages.push({
      level: 'info',
      code: 'MSF_RECOVERY_I4001',
      text: `  ${i + 1}. ${actionTitle(step)}`,
      data: step,
    }),
  );
  for (const warning of plan.warnings)
    messages.push({ level: 'warn', code: 'MSF_RECOVERY_W4002', text: warning });
  return messages;
}

export function recoveryStepStart(step: Action, index: number): IoMessage {
  return {
    level: 'info',
    code: 'MSF_RECOVERY_I4003',
    text: `Recovery step ${index + 1}: ${actionTitle(step)}…`,
    data: step,
  };
}

export function recoveryStepEnd(record: ActionRecord, index: number): IoMessage {
  const took = `${Math.round((record.endedAt - record.startedAt) / 1000)}s`;
  if (!record.ok)
    return {
      level: 'error',
      code: 'MSF_RECOVERY_E4005',
      text: `Recovery step ${index + 1} failed after ${took}: ${record.error ?? 'unknown error'}`,
      data: record,
    };
  const detail = record.skipped
    ? ` (${record.skipped})`
    : record.live
      ? ` (${record.live.status}, version ${record.live.versionId})`
      : '';
  return {
    level: 'success',
    code: 'MSF_RECOVERY_I4004',
    text: `Recovery step ${index + 1} done in ${took}${detail}`,
    data: record,
  };
}

export function recoveryOutcomeMessage(outcome: RecoveryOutcome): IoMessage {
  const app = outcome.plan.application;
  if (outcome.plan.actions.length === 0)
    return {
      level: 'warn',
      code: 'MSF_RECOVERY_E4007',
      text: `No recovery was attempted for ${app}.`,
      data: outcome,
    };
  if (outcome.ok) {
    const configOf = outcome.plan.target?.configOf;
    const sameAs =
      outcome.live && configOf !== undefined && configOf !== outcome.live.versionId
        ? ` (version ${configOf}'s configuration, as a new version)`
        : '';
    const where = outcome.live ? ` ${outcome.live.status} on version ${outcome.live.versionId}${sameAs}` : '';
    return {
      level: 'success',
      code: 'MSF_RECOVERY_I4006',
      text: `Recovered ${app}:${where}.${outcome.plan.deployFailed ? ' The deploy itself failed.' : ''}`,
      data: outcome,
    };
  }
  return {
    level: 'error',
    code: 'MSF_RECOVERY_E4007',
    text: `Recovery of ${app} stopped at "${outcome.failed ? actionTitle(outcome.failed.action) : ''}": ${outcome.failed?.error ?? 'unknown error'}. Check \`msfctl status\` and \`msfctl history\`.`,
    data: outcome,
  };
}
