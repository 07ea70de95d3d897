/**
 * The safe-deploy after-apply step: bake, decide, recover, record. It plugs into apply's after-apply seam
 * (apply/after-apply.ts): after the executor, successful or not, inside the same lock and ledger entry.
 *
 *  - the executor failed: a refused snapshot (scenario 8) deploys the spec by force-stop, update, start from
 *    the latest good snapshot; a failed operation that names a system rollback (scenario 11) is recorded and
 *    checked; any other failed operation (scenario 3) is recovered as `onFailure` says;
 *  - the executor succeeded and left the job (re)started and RUNNING: the bake watch runs; a crash loop
 *    (scenario 7) is recovered as `onFailure` says.
 * Every recovery step is printed as it runs and recorded as an operation of the apply's ledger entry. The step
 * fails (apply exits non-zero) whenever the deploy failed, even when recovery succeeded.
 */
import type { AfterApplyContext, AfterApplyStep } from '../apply/after-apply.js';
import { bakeWatch, DEFAULT_BAKE_SECONDS, type BakeOutcome } from '../health/bake-watch.js';
import type { HealthFetcher } from '../health/cloudwatch-fetcher.js';
import type { ExceptionSource } from '../health/exception-source.js';
import { bakeMessages, bakeProgressText } from '../health/health-messages.js';
import { recoveryPortFor } from './gateway-port.js';
import { executeRecovery } from './recovery-executor.js';
import { recoveryOutcomeMessage, recoveryPlanMessages, stepEndMessage, stepStartMessage } from './recovery-messages.js';
import { DEFAULT_ON_FAILURE, type OnFailurePolicy } from './recovery-plan.js';
import { decideRecovery, type Situation } from './recovery-policy.js';
import { isSnapshotImpossible } from './snapshot-error.js';
import { detectSystemRollback } from './system-rollback.js';

export interface DeployGuardOptions {
  /** `--bake`, else the spec's deploy.bakeSeconds. @default 120 */
  bakeSeconds?: number;
  /** `--on-failure`, else the spec's deploy.onFailure. @default rollback */
  onFailure?: OnFailurePolicy;
  /** Bake of the recovered application. @default 60 */
  verifySeconds?: number;
  /** The target's metrics, e.g. `new CloudWatchHealthFetcher(ctx.clients.cloudwatch, { periodSeconds: periodFor(kind) })`. */
  fetcher: (ctx: AfterApplyContext) => HealthFetcher;
  /** The job's latest exception: `new FlinkDashboardExceptionSource(ctx.clients.msf)` on msf-local. */
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
      const { plan, execution, gateway, host, session, clock } = ctx;
      const application = plan.application;
      const onFailure = options.onFailure ?? DEFAULT_ON_FAILURE;
      const fetcher = options.fetcher(ctx);
      const exceptions = options.exceptions?.(ctx);
      const bake = async (seconds: number): Promise<BakeOutcome> => {
        const progress = host.progress(`baking ${application} for ${seconds}s`);
        const outcome = await bakeWatch({
          application,
          fetcher,
          clock,
          bakeSeconds: seconds,
          status: async (app) => (await gateway.describe(app))?.status,
          ...(exceptions ? { exceptions } : {}),
          ...(options.pollSeconds !== undefined ? { pollSeconds: options.pollSeconds } : {}),
          onProgress: (p) => progress.update(bakeProgressText(p)),
        });
        progress.done(`baked ${application}: ${outcome.result.status}`, outcome.result.status !== 'unhealthy');
        for (const message of bakeMessages(outcome)) host.notify(message);
        return outcome;
      };

      let situation: Situation;
      if (!execution.ok) {
        const failure = execution.failure!;
        if (isSnapshotImpossible(failure.error)) {
          situation = { kind: 'snapshot-impossible', desired: plan.desired.config, allowNonRestoredState: plan.desired.restore.allowNonRestoredState };
        } else {
          const rollback = failure.operation?.rollbackOperationId
            ? await detectSystemRollback(gateway, application, { operationId: failure.operation.id }).catch(() => undefined)
            : undefined;
          situation = rollback ? { kind: 'system-rollback', rollback } : { kind: 'operation-failed', ...(failure.operation ? { operation: failure.operation } : {}) };
        }
      } else {
        const restarted = execution.completed.some((a) => RESTARTING.has(a.type));
        if (!restarted || ctx.live?.status !== 'RUNNING') return undefined;
        const outcome = await bake(options.bakeSeconds ?? DEFAULT_BAKE_SECONDS);
        if (outcome.result.status !== 'unhealthy') return { ok: true };
        situation = { kind: 'crash-loop', health: outcome.result };
      }

      const ledger = session.ledger.ledger;
      const recovery = decideRecovery(
        onFailure,
        situation,
        {
          application,
          live: await gateway.describe(application),
          ...(ledger.lastGood ? { lastGood: { versionId: ledger.lastGood.versionId, config: ledger.lastGood.config } } : {}),
          snapshots: await gateway.listSnapshots(application).catch(() => []),
          deployStartedAt: Date.parse(session.entry.startedAt),
        },
        options.verifySeconds !== undefined ? { verifySeconds: options.verifySeconds } : {},
      );
      for (const message of recoveryPlanMessages(recovery)) host.notify(message);
      const outcome = await executeRecovery(
        recovery,
        recoveryPortFor(gateway, { wait: { clock }, verify: async (_app, seconds) => (await bake(seconds)).result }),
        {
          clock,
          onStepStart: (step, i) => host.notify(stepStartMessage(step, i)),
          onStepEnd: async (record, i) => {
            host.notify(stepEndMessage(record, i));
            await session.recordOperation({
              ...(record.operation?.id ? { id: record.operation.id } : {}),
              operation: `recovery: ${record.step.kind}${record.operation ? ` (${record.operation.operation})` : ''}`,
              status: record.ok ? (record.skipped ? 'SKIPPED' : 'SUCCESSFUL') : 'FAILED',
              ...(record.error ? { error: record.error } : {}),
            });
          },
        },
      );
      host.notify(recoveryOutcomeMessage(outcome));

      const live = recovery.steps.length ? await gateway.describe(application) : ctx.live;
      await session.patch({
        details: {
          ...session.entry.details,
          recovery: { situation: recovery.situation, policy: recovery.policy, summary: recovery.summary, ok: outcome.ok, steps: outcome.steps.map((s) => ({ kind: s.step.kind, ok: s.ok, ...(s.error ? { error: s.error } : {}) })) },
        },
      });
      if (recovery.steps.length) await session.recordExpected(live, 'recovery');
      const verified = outcome.steps.some((s) => s.step.kind === 'verify' && s.health?.status === 'healthy');
      if (outcome.ok && verified && live?.status === 'RUNNING') {
        // The recovered application is good: it is the baseline of the next recovery (its version id moved).
        await session.ledger.update((l) => ({ ...l, lastGood: { ...(l.lastGood ?? {}), versionId: live.versionId, config: live.config, at: new Date(clock.now()).toISOString() } }));
      }
      if (!recovery.deployFailed && outcome.ok) return { ok: true, live };
      const what = situation.kind === 'crash-loop' ? 'the deployed version is crash-looping' : situation.kind === 'system-rollback' ? 'the service rolled the update back' : situation.kind === 'snapshot-impossible' ? 'the deploy without a snapshot did not complete' : 'an operation failed';
      const after = recovery.steps.length === 0 ? 'no recovery attempted' : outcome.ok ? `recovered: ${application} ${live?.status ?? 'gone'} on version ${live?.versionId ?? '-'}` : `recovery stopped: ${outcome.failed?.error ?? 'unknown error'}`;
      return { ok: false, live, message: `${what} (${after})` };
    },
  };
}
