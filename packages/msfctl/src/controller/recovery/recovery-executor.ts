/**
 * Runs a RecoveryPlan step by step against a small port (the MSF calls and waiters it needs), stopping at the
 * first step that fails. It decides nothing: each step checks only that the service ended where the step
 * says. Every step is announced before it runs and reported after (the caller prints it and records it in
 * the ledger).
 */
import type { ConfigUpdate } from '../../model/application.js';
import type { AppStatus, LiveApplication, OperationInfo, RestoreSettings } from '../../model/application.js';
import type { HealthResult } from '../../model/health.js';
import type { Clock } from '../../ports/clock.js';
import { systemClock } from '../../ports/clock.js';
import type { RecoveryPlan, RecoveryStep } from '../../model/recovery.js';

export interface Started {
  operationId?: string;
}

/** What recovery needs of MSF. `recoveryPortFor()` builds it from msfctl's MsfGateway and waiters. */
export interface RecoveryPort {
  describe(application: string): Promise<LiveApplication | undefined>;
  stop(application: string, force: boolean): Promise<Started>;
  update(
    application: string,
    basis: { conditionalToken?: string; versionId: number },
    update: ConfigUpdate,
  ): Promise<Started>;
  start(application: string, run: RestoreSettings): Promise<Started>;
  rollback(application: string, versionId: number): Promise<Started>;
  /** Waits for the operation (when there is an id) to end and for the application to reach a steady status. */
  waitForOutcome(
    application: string,
    operationId: string | undefined,
  ): Promise<{ live: LiveApplication | undefined; operation?: OperationInfo }>;
  /** A bake watch of the recovered application; without it, verify steps are skipped (and say so). */
  verify?(application: string, bakeSeconds: number): Promise<HealthResult>;
}

export interface StepRecord {
  step: RecoveryStep;
  ok: boolean;
  startedAt: number;
  endedAt: number;
  /** Why the step did nothing (e.g. already READY, no verifier). */
  skipped?: string;
  operation?: OperationInfo;
  live?: LiveApplication | undefined;
  health?: HealthResult;
  error?: string;
}

export interface RecoveryOutcome {
  plan: RecoveryPlan;
  /** Every step succeeded (a plan without steps is ok). */
  ok: boolean;
  steps: StepRecord[];
  /** The application after the last step that ran. */
  live: LiveApplication | undefined;
  failed?: StepRecord;
}

export interface RecoveryHooks {
  clock?: Clock;
  onStepStart?(step: RecoveryStep, index: number): void | Promise<void>;
  onStepEnd?(record: StepRecord, index: number): void | Promise<void>;
}

interface StepResult {
  ok: boolean;
  skipped?: string;
  operation?: OperationInfo;
  live?: LiveApplication | undefined;
  health?: HealthResult;
  error?: string;
}

/** The operation ended SUCCESSFUL (or the service gave none) and the application is `status`. */
function settled(
  outcome: { live: LiveApplication | undefined; operation?: OperationInfo },
  status: AppStatus,
  what: string,
): StepResult {
  const op = outcome.operation;
  const opOk = !op || op.status === 'SUCCESSFUL';
  const statusOk = outcome.live?.status === status;
  if (opOk && statusOk) return { ok: true, live: outcome.live, ...(op ? { operation: op } : {}) };
  const why = !opOk
    ? `${op!.operation} ${op!.id} ended ${op!.status}${op!.error ? `: ${op!.error}` : ''}`
    : `${what} left the application ${outcome.live?.status ?? 'deleted'}, expected ${status}`;
  return { ok: false, live: outcome.live, ...(op ? { operation: op } : {}), error: why };
}

async function runStep(step: RecoveryStep, application: string, port: RecoveryPort): Promise<StepResult> {
  switch (step.kind) {
    case 'rollback': {
      const live = await port.describe(application);
      if (!live) return { ok: false, live, error: `${application} no longer exists` };
      const started = await port.rollback(application, live.versionId);
      return settled(
        await port.waitForOutcome(application, started.operationId),
        'RUNNING',
        'RollbackApplication',
      );
    }
    case 'force-stop': {
      const live = await port.describe(application);
      if (live?.status === 'READY') return { ok: true, live, skipped: `${application} is already READY` };
      const started = await port.stop(application, true);
      return settled(await port.waitForOutcome(application, started.operationId), 'READY', 'The force stop');
    }
    case 'update': {
      const live = await port.describe(application);
      if (!live) return { ok: false, live, error: `${application} no longer exists` };
      const started = await port.update(
        application,
        {
          versionId: live.versionId,
          ...(live.conditionalToken ? { conditionalToken: live.conditionalToken } : {}),
        },
        step.update,
      );
      return settled(
        await port.waitForOutcome(application, started.operationId),
        live.status === 'RUNNING' ? 'RUNNING' : 'READY',
        'UpdateApplication',
      );
    }
    case 'start': {
      const started = await port.start(application, step.run);
      return settled(
        await port.waitForOutcome(application, started.operationId),
        'RUNNING',
        'StartApplication',
      );
    }
    case 'wait': {
      const outcome = await port.waitForOutcome(application, step.operationId);
      return { ok: true, live: outcome.live, ...(outcome.operation ? { operation: outcome.operation } : {}) };
    }
    case 'reconcile':
      return { ok: true, live: await port.describe(application) };
    case 'verify': {
      if (!port.verify) return { ok: true, skipped: 'no health watch available' };
      const health = await port.verify(application, step.bakeSeconds);
      if (health.status === 'unhealthy')
        return { ok: false, health, error: `still unhealthy: ${health.reason}` };
      return {
        ok: true,
        health,
        ...(health.status === 'unknown' ? { skipped: `health not known: ${health.reason}` } : {}),
      };
    }
  }
}

export async function executeRecovery(
  plan: RecoveryPlan,
  port: RecoveryPort,
  hooks: RecoveryHooks = {},
): Promise<RecoveryOutcome> {
  const clock = hooks.clock ?? systemClock;
  const steps: StepRecord[] = [];
  let live: LiveApplication | undefined;
  for (const [index, step] of plan.steps.entries()) {
    await hooks.onStepStart?.(step, index);
    const startedAt = clock.now();
    let result: StepResult;
    try {
      result = await runStep(step, plan.application, port);
    } catch (error) {
      result = { ok: false, error: (error as Error).message ?? String(error) };
    }
    const record: StepRecord = { step, startedAt, endedAt: clock.now(), ...result };
    if ('live' in result) live = result.live;
    steps.push(record);
    await hooks.onStepEnd?.(record, index);
    if (!record.ok) return { plan, ok: false, steps, live, failed: record };
  }
  return { plan, ok: true, steps, live };
}
