/**
 * apply: under the application's lock, take a fresh plan (or check a saved one is still current), show it,
 * get approval, upload the JAR once, record the intent, execute, run the after-apply steps, and record the
 * outcome, the new baseline and (on success) the last known good version.
 */
import type { AfterApplyStep } from './after-apply.js';
import { executePlan, type ExecutionResult } from './executor.js';
import type { AwsClients } from '../adapters/aws/clients.js';
import type { MsfGateway } from '../ports/msf.js';
import { uploadArtifact } from '../adapters/artifacts/upload.js';
import type { LiveApplication } from '../model/application.js';
import { MsfctlError } from '../model/errors.js';
import type { IoHost } from '../ports/io-host.js';
import { renderPlan } from '../cli/views/plan-view.js';
import type { PlanCheck } from './preflight/checks.js';
import { hasDrift } from '../engine/drift.js';
import { hasChanges, refusals, type Plan } from '../model/plan.js';
import { assertPlanCurrent } from '../engine/plan-current.js';
import type { DeploySettings } from '../model/deploy-settings.js';
import type { LoadedSpec } from '../spec/load.js';
import { recordArtifact } from '../model/ledger.js';
import type { ObjectStore } from '../ports/object-store.js';
import { systemClock, type Clock } from '../ports/clock.js';
import { withLockedSession } from './session.js';
import { makePlan } from './make-plan.js';

export interface ApplyInput {
  application: string;
  spec: LoadedSpec | undefined;
  /** A saved plan; without one, apply plans afresh. */
  savedPlan?: Plan;
  gateway: MsfGateway;
  clients: AwsClients;
  state: ObjectStore;
  host: IoHost;
  target: Plan['target'];
  targetText: string;
  autoApprove: boolean;
  kpuQuota?: number;
  /** Create the artifacts bucket when missing (local targets). */
  createBucket?: boolean;
  checks?: PlanCheck[];
  afterSteps?: AfterApplyStep[];
  flags?: Record<string, unknown>;
  /** Safe-deploy settings of this run (flags over spec); a fresh plan records them. */
  deploy?: DeploySettings;
  clock?: Clock;
}

export interface ApplyResult {
  plan: Plan;
  /** False when nothing needed doing. */
  changed: boolean;
  ok: boolean;
  execution?: ExecutionResult;
  live?: LiveApplication | undefined;
  uploaded: boolean;
  /** Messages of after-apply steps that failed. */
  afterFailures: string[];
  /** Reports of the after-apply steps (bake verdict, recovery), by step name. */
  afterApply?: Record<string, unknown>;
  error?: MsfctlError;
}

export async function apply(input: ApplyInput): Promise<ApplyResult> {
  const { host, gateway, application } = input;
  const clock = input.clock ?? systemClock;
  return withLockedSession(
    { store: input.state, application, kind: 'apply', summary: 'apply', host },
    async (session) => {
      let plan: Plan;
      if (input.savedPlan) {
        plan = input.savedPlan;
        if (plan.application !== application) {
          throw new MsfctlError('PLAN_INVALID', `The plan is for ${plan.application}, not ${application}.`);
        }
        assertPlanCurrent(plan, await gateway.describe(application), input.target);
      } else {
        if (!input.spec) throw new MsfctlError('USAGE', 'apply needs a spec (or a saved plan).');
        plan = (
          await makePlan({
            spec: input.spec,
            ledger: session.ledger.ledger,
            gateway,
            clients: input.clients,
            host,
            target: input.target,
            ...(input.kpuQuota !== undefined ? { kpuQuota: input.kpuQuota } : {}),
            checks: input.checks ?? [],
            flags: input.flags ?? {},
            ...(input.deploy ? { deploy: input.deploy } : {}),
            clock,
          })
        ).plan;
      }
      if (!host.json)
        host.notify({
          level: 'info',
          code: 'MSF_PLAN_I1000',
          text: renderPlan(plan, host.style, input.targetText),
        });
      const blocked = refusals(plan);
      if (blocked.length) {
        throw new MsfctlError('PLAN_REFUSED', `Not applying: ${blocked.map((f) => f.message).join('; ')}.`, {
          hint:
            blocked
              .map((f) => f.hint)
              .filter(Boolean)
              .join(' ') || undefined,
          details: { findings: blocked },
        });
      }
      if (!hasChanges(plan)) {
        // The service already matches the spec, drift or not (an interrupted apply that finished, a change
        // by hand that agrees with the spec): take it as the new baseline, as a refresh would, so the drift
        // is not reported again on every plan and status.
        const live = hasDrift(plan.drift) ? await gateway.describe(application) : undefined;
        if (
          live &&
          plan.basis.exists &&
          live.versionId === plan.basis.versionId &&
          (live.status === 'READY' || live.status === 'RUNNING')
        ) {
          await session.recordExpected(live, 'apply');
          host.notify({
            level: 'info',
            code: 'MSF_APPLY_I1002',
            text: `Recorded ${application} version ${live.versionId} (${live.status}) as msfctl's baseline: it matches the spec, so the drift above needs no action.`,
          });
        }
        return { plan, changed: false, ok: true, uploaded: false, afterFailures: [] };
      }

      if (!input.autoApprove) {
        const yes = await host.confirm(
          `Apply ${plan.actions.length} action${plan.actions.length === 1 ? '' : 's'} to ${application}?`,
        );
        if (!yes) throw new MsfctlError('ABORTED', 'Apply cancelled: nothing was changed.');
      }

      const basis = plan.basis.exists ? await gateway.describe(application) : undefined;
      if (input.savedPlan === undefined && plan.basis.exists) assertPlanCurrent(plan, basis, input.target);
      const artifact = plan.artifact;
      await session.begin({
        summary: plan.actions.map((a) => a.type).join(' + '),
        specDigest: plan.specDigest,
        ...(basis ? { versionBefore: basis.versionId } : {}),
        ...(artifact?.sha256
          ? {
              artifact: {
                sha256: artifact.sha256,
                bucket: artifact.bucket,
                key: artifact.key,
                ...(artifact.size !== undefined ? { size: artifact.size } : {}),
              },
            }
          : {}),
        details: { changes: plan.changes.map((c) => c.field), drift: plan.drift.changes.map((c) => c.field) },
      });
      // A new application (first, or again after a delete) owes nothing to an earlier one of the same name:
      // its versions start at 1, and recovery must never revert to the old one's "last good" configuration.
      if (!plan.basis.exists && (session.ledger.ledger.lastGood || session.ledger.ledger.expected))
        await session.ledger.update((l) => ({
          ...l,
          lastGood: undefined,
          expected: undefined,
          deletedAt: undefined,
        }));
      let uploaded = false;
      if (
        artifact?.localPath &&
        plan.actions.some((a) => a.type === 'create' || (a.type === 'update' && a.update.code))
      ) {
        uploaded = await uploadArtifact(input.clients.s3, artifact, host, {
          createBucket: input.createBucket ?? false,
        });
      }
      if (artifact?.sha256) {
        const record = {
          sha256: artifact.sha256,
          bucket: artifact.bucket,
          key: artifact.key,
          ...(artifact.size !== undefined ? { size: artifact.size } : {}),
        };
        await session.ledger.update((l) => recordArtifact(l, record));
      }

      const execution = await executePlan(plan.actions, {
        gateway,
        host,
        application,
        basis,
        clock,
        onOperation: (op) => session.recordOperation(op),
        assertLockHeld: () => session.lock.assertHeld(),
      });
      let live = await gateway.describe(application);
      await session.recordExpected(live, 'apply');

      const afterFailures: string[] = [];
      const afterApply: Record<string, unknown> = {};
      let completedByStep = false;
      for (const step of input.afterSteps ?? []) {
        const result = await step.run({
          plan,
          execution,
          live,
          spec: input.spec,
          gateway,
          clients: input.clients,
          host,
          session,
          clock,
          flags: input.flags ?? {},
        });
        if (result && 'live' in result) live = result.live;
        if (result?.report !== undefined) afterApply[step.name] = result.report;
        if (result?.ok && result.completesDeploy) completedByStep = true;
        if (result && !result.ok) afterFailures.push(`${step.name}: ${result.message ?? 'failed'}`);
      }

      // A refused operation that a step then carried out another way (scenario 8) is not a failed deploy.
      const delivered = execution.ok || completedByStep;
      const ok = delivered && afterFailures.length === 0;
      const wantRunning = plan.desired.running;
      if (ok && live && live.status === (wantRunning ? 'RUNNING' : 'READY')) {
        const good = live;
        await session.ledger.update((l) => ({
          ...l,
          lastGood: {
            versionId: good.versionId,
            config: good.config,
            at: new Date(clock.now()).toISOString(),
            specDigest: plan.specDigest,
            ...(session.entry.artifact ? { artifact: session.entry.artifact } : {}),
          },
        }));
      }
      const error = applyError(
        application,
        delivered ? undefined : execution.failure?.error,
        afterFailures,
        live,
      );
      await session.patch({
        outcome: ok ? 'succeeded' : 'failed',
        endedAt: new Date(clock.now()).toISOString(),
        ...(live ? { versionAfter: live.versionId } : {}),
        ...(error ? { error: error.message } : {}),
      });
      return {
        plan,
        changed: true,
        ok,
        execution,
        live,
        uploaded,
        afterFailures,
        ...(Object.keys(afterApply).length ? { afterApply } : {}),
        ...(error ? { error } : {}),
      };
    },
  );
}

/**
 * Why apply failed: the failed operation (its ErrorString), then what the after-apply steps found and did; the
 * hint says where the application is now, which recovery may have changed.
 */
function applyError(
  application: string,
  failed: MsfctlError | undefined,
  afterFailures: string[],
  live: LiveApplication | undefined,
): MsfctlError | undefined {
  if (!afterFailures.length) return failed;
  const where = live
    ? `${application} is now ${live.status} at version ${live.versionId}. `
    : `${application} no longer exists. `;
  const hint = `${where}Fix the cause, then run msfctl apply again (msfctl history shows every operation, recovery steps included).`;
  const then = afterFailures.join('; ');
  return failed
    ? // The ErrorString's stack trace stays in the details (and the ledger), not in this sentence.
      new MsfctlError(
        failed.code,
        `${failed.message.split(' StackTrace:')[0]!.replace(/\.?$/, '.')} Then ${then}.`,
        {
          hint,
          ...(failed.details ? { details: failed.details } : {}),
          cause: failed,
        },
      )
    : new MsfctlError(
        'OPERATION_FAILED',
        `Apply of ${application} failed after the service operations: ${then}.`,
        {
          hint,
        },
      );
}
