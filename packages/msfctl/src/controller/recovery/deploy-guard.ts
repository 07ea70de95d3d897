/**
 * The safe-deploy after-apply step: bake, decide, recover, record. It plugs into apply's after-apply seam
 * (apply/after-apply.ts): after the executor, successful or not, inside the same lock and ledger entry.
 *
 *  - the executor failed: a refused snapshot (scenario 8, when the plan could not foresee it) deploys the spec
 *    by force-stop, update, start from the latest good snapshot — and that completes the deploy; a failed
 *    operation that names a system rollback (scenario 11) is recorded and checked; any other failed operation
 *    (scenario 3) is recovered as `onFailure` says;
 *  - the executor succeeded and left the job (re)started and RUNNING: the bake watch runs; a crash loop
 *    (scenario 7) is recovered as `onFailure` says.
 * Every recovery step is printed as it runs and recorded as an operation of the apply's ledger entry. The step
 * fails (apply exits non-zero) whenever the deploy failed, even when recovery succeeded.
 */
import type { AfterApplyContext, AfterApplyStep } from '../after-apply.js';
import { DEFAULT_BAKE_SECONDS } from '../../model/deploy-settings.js';
import type { HealthFetcher } from '../../ports/metrics.js';
import type { ExceptionSource } from '../../ports/exceptions.js';
import {
  bake,
  bakeReport,
  recoverAndRecord,
  recoveryFacts,
  recoveryReport,
  recoveryResultText,
  type GuardDeps,
} from './guard.js';
import { DEFAULT_ON_FAILURE, type OnFailurePolicy } from '../../model/deploy-settings.js';
import { decideRecovery, type Situation } from '../../engine/recovery/policy.js';
import { isSnapshotImpossible } from '../../engine/recovery/snapshot-error.js';
import { detectSystemRollback } from '../../engine/recovery/system-rollback.js';

export interface DeployGuardOptions {
  /** `--bake`, else the spec's deploy.bakeSeconds; 0: no bake. @default 120 */
  bakeSeconds?: number;
  /** `--on-failure`, else the spec's deploy.onFailure. @default rollback */
  onFailure?: OnFailurePolicy;
  /** Bake of the recovered application. @default bakeSeconds */
  verifySeconds?: number;
  /** The target's metrics, e.g. `new CloudWatchHealthFetcher(ctx.clients.cloudwatch, { periodSeconds: periodFor(kind) })`. */
  fetcher: (ctx: AfterApplyContext) => HealthFetcher;
  /** The job's latest exception, where the target offers one. */
  exceptions?: (ctx: AfterApplyContext) => ExceptionSource | undefined;
  /** Seconds between metric reads (tests). */
  pollSeconds?: number;
}

/** Actions that leave a freshly (re)submitted job behind. */
const RESTARTING = new Set(['start', 'update', 'rollback']);

export function deployGuardStep(options: DeployGuardOptions): AfterApplyStep {
  return {
    name: 'safe deploy',
    async run(ctx) {
      const { plan, execution, gateway, session, clock } = ctx;
      const application = plan.application;
      const onFailure = options.onFailure ?? DEFAULT_ON_FAILURE;
      const bakeSeconds = options.bakeSeconds ?? DEFAULT_BAKE_SECONDS;
      const exceptions = options.exceptions?.(ctx);
      const deps: GuardDeps = {
        application,
        gateway,
        host: ctx.host,
        clock,
        fetcher: options.fetcher(ctx),
        ...(exceptions ? { exceptions } : {}),
        ...(options.pollSeconds !== undefined ? { pollSeconds: options.pollSeconds } : {}),
      };

      let situation: Situation;
      let bakeOutcome: ReturnType<typeof bakeReport> | undefined;
      if (!execution.ok) {
        const failure = execution.failure!;
        if (isSnapshotImpossible(failure.error)) {
          situation = {
            kind: 'snapshot-impossible',
            desired: plan.desired.config,
            allowNonRestoredState: plan.desired.restore.allowNonRestoredState,
          };
        } else {
          const rollback = failure.operation?.rollbackOperationId
            ? await detectSystemRollback(gateway, application, { operationId: failure.operation.id }).catch(
                () => undefined,
              )
            : undefined;
          situation = rollback
            ? { kind: 'system-rollback', rollback }
            : { kind: 'operation-failed', ...(failure.operation ? { operation: failure.operation } : {}) };
        }
      } else {
        const restarted = execution.completed.some((a) => RESTARTING.has(a.type));
        if (!restarted || ctx.live?.status !== 'RUNNING') return undefined;
        if (bakeSeconds === 0) return { ok: true, report: { bake: 'skipped (bake 0 s)' } };
        const outcome = await bake(deps, bakeSeconds);
        bakeOutcome = bakeReport(outcome);
        if (outcome.result.status !== 'unhealthy') return { ok: true, report: { bake: bakeOutcome } };
        situation = { kind: 'crash-loop', health: outcome.result };
      }

      const recovery = decideRecovery(onFailure, situation, await recoveryFacts(deps, session), {
        verifySeconds: options.verifySeconds ?? bakeSeconds,
      });
      const note =
        situation.kind === 'system-rollback'
          ? `the service rolled back the failed ${situation.rollback.failed.operation} ${situation.rollback.failed.id} by itself (system rollback) at ${new Date(situation.rollback.failed.endedAt ?? clock.now()).toISOString()}; msfctl recorded it, and the plan applies the spec again`
          : undefined;
      const run = await recoverAndRecord(deps, session, recovery, ctx.live, note);
      const { outcome, live } = run;
      const report = {
        ...(bakeOutcome ? { bake: bakeOutcome } : {}),
        recovery: recoveryReport(recovery, outcome),
      };
      if (!recovery.deployFailed && outcome.ok)
        return { ok: true, live, report, completesDeploy: situation.kind === 'snapshot-impossible' };
      const what =
        situation.kind === 'crash-loop'
          ? 'the deployed version is crash-looping'
          : situation.kind === 'system-rollback'
            ? 'the service rolled the update back'
            : situation.kind === 'snapshot-impossible'
              ? 'the deploy without a snapshot did not complete'
              : 'an operation failed';
      const after = recoveryResultText(run);
      return { ok: false, live, report, message: `${what} (${after})` };
    },
  };
}
