/**
 * The one post-execution phase of every verb that (re)starts the job (apply, start, restart, rollback,
 * scale): watch, decide, recover, record. After the executor, successful or not, inside the same lock and
 * ledger entry:
 *  - an action failed: a refused snapshot (scenario 8, when the plan could not foresee it) deploys by
 *    force-stop, update, start from a good snapshot — and that completes the run; a failed operation that
 *    names a system rollback (scenario 11) is recorded and checked; any other (scenario 3) is recovered as
 *    `onFailure` says;
 *  - the plan left the job (re)started and RUNNING: the bake watch runs; a crash loop (scenario 7) is
 *    recovered as `onFailure` says.
 * The decision is the pure recovery policy's; the recovery is an ordinary action plan run by the one executor,
 * every step printed and recorded as an operation of the run's ledger entry.
 */
import { RESTARTING_ACTIONS } from '../model/actions.js';
import type { AppConfig, LiveApplication, RestoreSettings } from '../model/application.js';
import { DEFAULT_BAKE_SECONDS, DEFAULT_ON_FAILURE } from '../model/deploy-settings.js';
import { goodVersion, type BakeRecord } from '../model/ledger.js';
import type { RecoveryOutcome, RecoveryPlan } from '../model/recovery.js';
import { bakeMessages, bakeProgressText } from '../engine/health/messages.js';
import { recoveryOutcomeMessage, recoveryPlanMessages } from '../engine/recovery/messages.js';
import { decideRecovery, type RecoveryFacts, type Situation } from '../engine/recovery/policy.js';
import { isSnapshotImpossible } from '../engine/recovery/snapshot-error.js';
import { findSystemRollback, type SystemRollback } from '../engine/recovery/system-rollback.js';
import { systemClock, type Clock } from '../ports/clock.js';
import type { MsfGateway } from '../ports/msf.js';
import type { RunContext } from './context.js';
import { executePlan, type ExecutionResult } from './executor.js';
import { bakeWatch } from './health/bake-watch.js';
import { type BakeOutcome, type HealthBaseline } from '../model/health.js';
import { recoveryPresenter } from './presenters.js';
import type { LockedSession } from './session.js';

/** The configuration and restore settings the run wanted, for the deploy the service may refuse (scenario 8). */
export interface Wanted {
  config: AppConfig;
  restore: RestoreSettings;
}

export interface WatchInput {
  ctx: RunContext;
  session: LockedSession;
  execution: ExecutionResult;
  /** The application after the executor (re-described). */
  live: LiveApplication | undefined;
  wanted?: Wanted;
  /** An interrupted run's bake to finish (nothing was restarted by this run): baseline its start. */
  resumeBake?: BakeRecord;
}

/** What the watch phase saw and did: `--json` shows it, the ledger keeps the recovery. */
export interface WatchReport {
  bake?: ReturnType<typeof bakeReport> | string;
  recovery?: ReturnType<typeof recoveryReport>;
}

export interface WatchOutcome {
  /** False: the run failed (even when recovery succeeded). */
  ok: boolean;
  /** The application after recovery, when recovery ran. */
  live?: LiveApplication | undefined;
  /** What went wrong, and how recovery ended, for the run's error. */
  message?: string;
  report?: WatchReport;
  /** Recovery carried out what the plan meant after the executor failed (the deploy without a snapshot). */
  completesDeploy?: boolean;
}

/** Undefined when there was nothing to watch (the job was not restarted, or is not running). */
export async function watchAndRecover(input: WatchInput): Promise<WatchOutcome | undefined> {
  const { ctx, session, execution } = input;
  const { application, gateway } = ctx;
  const clock = ctx.clock ?? systemClock;
  const bakeSeconds = ctx.deploy?.bakeSeconds ?? DEFAULT_BAKE_SECONDS;
  const onFailure = ctx.deploy?.onFailure ?? DEFAULT_ON_FAILURE;

  let situation: Situation;
  let baked: ReturnType<typeof bakeReport> | undefined;
  if (!execution.ok) {
    const failure = execution.failure!;
    if (isSnapshotImpossible(failure.error) && input.wanted) {
      situation = {
        kind: 'snapshot-impossible',
        desired: input.wanted.config,
        restore: input.wanted.restore,
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
    const restarted = execution.completed.some((a) => RESTARTING_ACTIONS.has(a.type));
    const resume = input.resumeBake;
    if ((!restarted && !resume) || input.live?.status !== 'RUNNING') return undefined;
    const seconds = resume ? resume.bakeSeconds : bakeSeconds;
    if (seconds === 0) return { ok: true, report: { bake: 'skipped (bake 0 s)' } };
    if (!ctx.metrics) return undefined;
    // Intent first: a run interrupted from here on left a deploy unchecked, and the next apply finishes it.
    const intent: BakeRecord = {
      startedAt: resume?.startedAt ?? new Date(clock.now()).toISOString(),
      bakeSeconds: seconds,
      ...(input.live ? { versionId: input.live.versionId } : {}),
    };
    await session.patch({ bake: intent });
    // Resuming: count from the interrupted bake's start (never after now: another machine's clock may run ahead).
    const from = resume ? Math.min(Date.parse(resume.startedAt), clock.now()) : undefined;
    const outcome = await bake(
      ctx,
      clock,
      from !== undefined ? Math.max(0, from + seconds * 1000 - clock.now()) / 1000 : seconds,
      from !== undefined ? { at: from, freshJob: true } : undefined,
    );
    await session.patch({
      bake: { ...intent, endedAt: new Date(outcome.endedAt).toISOString(), status: outcome.result.status },
    });
    baked = bakeReport(outcome);
    if (outcome.result.status !== 'unhealthy') return { ok: true, report: { bake: baked } };
    situation = { kind: 'crash-loop', health: outcome.result };
  }

  const recovery = decideRecovery(onFailure, situation, await recoveryFacts(gateway, application, session), {
    verifySeconds: ctx.verifySeconds ?? bakeSeconds,
  });
  const note =
    situation.kind === 'system-rollback'
      ? `the service rolled back the failed ${situation.rollback.failed.operation} ${situation.rollback.failed.id} by itself (system rollback) at ${new Date(situation.rollback.failed.endedAt ?? clock.now()).toISOString()}; msfctl recorded it, and the plan applies the spec again`
      : undefined;
  const run = await recoverAndRecord(ctx, clock, session, recovery, input.live, note);
  const report: WatchReport = {
    ...(baked ? { bake: baked } : {}),
    recovery: recoveryReport(recovery, run.outcome),
  };
  if (!recovery.deployFailed && run.outcome.ok)
    return { ok: true, live: run.live, report, completesDeploy: situation.kind === 'snapshot-impossible' };
  const what = {
    'crash-loop': 'the job is crash-looping',
    'system-rollback': 'the service rolled the update back',
    'snapshot-impossible': 'the deploy without a snapshot did not complete',
    'operation-failed': 'an operation failed',
  }[situation.kind];
  return { ok: false, live: run.live, report, message: `${what} (${recoveryResultText(run)})` };
}

/** The bake watch with a progress line and the verdict (with its evidence) printed. */
export async function bake(
  ctx: RunContext,
  clock: Clock,
  seconds: number,
  baseline?: HealthBaseline,
): Promise<BakeOutcome> {
  const { application, host, gateway } = ctx;
  const progress = host.progress(
    baseline
      ? `baking ${application}: finishing the bake an interrupted run began at ${new Date(baseline.at).toISOString()}`
      : `baking ${application} for ${seconds}s`,
  );
  let lastRestarts: number | undefined;
  let lastUpdate = clock.now();
  const outcome = await bakeWatch({
    application,
    fetcher: ctx.metrics!,
    clock,
    bakeSeconds: seconds,
    ...(baseline ? { baseline } : {}),
    status: async (app) => (await gateway.describe(app))?.status,
    ...(ctx.exceptions ? { exceptions: ctx.exceptions } : {}),
    ...(ctx.pollSeconds !== undefined ? { pollSeconds: ctx.pollSeconds } : {}),
    onProgress: (p) => {
      // A new line for a plain (CI) log only when the verdict moves, or every 15 s: not one per poll.
      const restarts = p.result.facts?.restarts;
      if (restarts !== lastRestarts || clock.now() - lastUpdate >= 15_000) {
        progress.update(bakeProgressText(p));
        lastRestarts = restarts;
        lastUpdate = clock.now();
      }
    },
  });
  progress.done(`baked ${application}: ${outcome.result.status}`, outcome.result.status !== 'unhealthy');
  for (const message of bakeMessages(outcome)) host.notify(message);
  return outcome;
}

/** The bake as plain data, for `--json` results and the ledger. */
export function bakeReport(outcome: BakeOutcome) {
  return {
    status: outcome.result.status,
    reason: outcome.result.reason,
    evidence: outcome.result.evidence,
    ...(outcome.result.facts ? { facts: outcome.result.facts } : {}),
    startedAt: new Date(outcome.startedAt).toISOString(),
    endedAt: new Date(outcome.endedAt).toISOString(),
    ...(outcome.detectedAt !== undefined
      ? {
          detectedAt: new Date(outcome.detectedAt).toISOString(),
          detectedAfterMs: outcome.detectedAt - outcome.startedAt,
        }
      : {}),
    polls: outcome.polls,
    ...(outcome.exception ? { exception: outcome.exception } : {}),
  };
}

export interface RecoveryRun {
  outcome: RecoveryOutcome;
  /** The application after recovery (re-described when any action ran). */
  live: LiveApplication | undefined;
  /** A verify action confirmed it healthy. */
  verified: boolean;
}

/**
 * Prints the recovery plan, runs it with the one executor (each action printed and recorded as an operation of
 * the session's ledger entry, verify actions as bake watches), records the recovery in the entry's details, and
 * makes the ledger match the service: expected state, and the last good version when a verify action confirmed
 * the result healthy.
 */
export async function recoverAndRecord(
  ctx: RunContext,
  clock: Clock,
  session: LockedSession,
  recovery: RecoveryPlan,
  fallbackLive: LiveApplication | undefined,
  /** What the next plan says about the change (default: "msfctl recovery changed the application"). */
  expectedNote?: string,
): Promise<RecoveryRun> {
  const { application, gateway, host } = ctx;
  for (const message of recoveryPlanMessages(recovery)) host.notify(message);
  const basis = recovery.actions.length ? await gateway.describe(application) : fallbackLive;
  const execution = await executePlan(recovery.actions, {
    gateway,
    application,
    basis,
    presenter: recoveryPresenter(host),
    clock,
    ...(ctx.wait ? { wait: ctx.wait } : {}),
    ...(ctx.metrics ? { verify: async (_app, seconds) => (await bake(ctx, clock, seconds)).result } : {}),
    onOperation: (op) => session.recordOperation(op),
    assertLockHeld: () => session.lock.assertHeld(),
  });
  const outcome: RecoveryOutcome = {
    plan: recovery,
    ok: execution.ok,
    records: execution.records,
    live: execution.records.length ? execution.live : undefined,
    ...(execution.ok ? {} : { failed: execution.records.at(-1)! }),
  };
  host.notify(recoveryOutcomeMessage(outcome));

  const live = recovery.actions.length ? await gateway.describe(application) : fallbackLive;
  await session.patch({
    details: { ...session.entry.details, recovery: recoveryReport(recovery, outcome) },
  });
  if (recovery.actions.length) await session.recordExpected(live, 'recovery', expectedNote);
  const verified = outcome.records.some((r) => r.action.type === 'verify' && r.health?.status === 'healthy');
  if (outcome.ok && verified && live?.status === 'RUNNING') {
    const at = new Date(clock.now()).toISOString();
    await session.ledger.update((l) => ({ ...l, lastGood: goodVersion(l, live, at) }));
  }
  return { outcome, live, verified };
}

/** What a recovery decision needs, read now: the application, the ledger's last good version, the snapshots. */
export async function recoveryFacts(
  gateway: MsfGateway,
  application: string,
  session: LockedSession,
): Promise<RecoveryFacts> {
  const lastGood = session.ledger.ledger.lastGood;
  return {
    application,
    live: await gateway.describe(application),
    ...(lastGood ? { lastGood: { versionId: lastGood.versionId, config: lastGood.config } } : {}),
    snapshots: await gateway.listSnapshots(application).catch(() => []),
    deployStartedAt: Date.parse(session.entry.startedAt),
  };
}

/** How a recovery ended, for the run's failure message. */
export function recoveryResultText(run: RecoveryRun): string {
  if (run.outcome.plan.actions.length === 0) return 'no recovery attempted';
  const configOf = run.outcome.plan.target?.configOf;
  const sameAs =
    run.live && configOf !== undefined && configOf !== run.live.versionId
      ? ` with version ${configOf}'s configuration`
      : '';
  return run.outcome.ok
    ? `recovered: ${run.outcome.plan.application} ${run.live?.status ?? 'gone'} on version ${run.live?.versionId ?? '-'}${sameAs}`
    : `recovery stopped: ${run.outcome.failed?.error ?? 'unknown error'}`;
}

/** What a recovery did, for the ledger and for `--json`: the decision and each action with its outcome. */
export function recoveryReport(recovery: RecoveryPlan, outcome: RecoveryOutcome) {
  return {
    situation: recovery.situation,
    policy: recovery.policy,
    summary: recovery.summary,
    ok: outcome.ok,
    steps: outcome.records.map((r) => ({
      kind: r.action.type,
      description: r.action.title ?? r.action.type,
      ok: r.ok,
      ...(r.skipped ? { skipped: r.skipped } : {}),
      ...(r.error ? { error: r.error } : {}),
      tookMs: r.endedAt - r.startedAt,
    })),
  };
}

/**
 * Scenario 11: the service rolled a failed update back by itself. The failed operation names the rollback in
 * OperationFailureDetails.RollbackOperationId, which only DescribeApplicationOperation returns: lists recent
 * operations, describes the failed ones (at most `maxDescribe`), and the rollback the newest of them points at.
 */
export async function detectSystemRollback(
  gateway: Pick<MsfGateway, 'listOperations' | 'describeOperation'>,
  application: string,
  query: { since?: number; operationId?: string; limit?: number; maxDescribe?: number } = {},
): Promise<SystemRollback | undefined> {
  const listed = await gateway.listOperations(application, query.limit ?? 20);
  const candidates = listed
    .filter((op) => op.status === 'FAILED' && op.operation !== 'RollbackApplication')
    .filter((op) => (query.operationId ? op.id === query.operationId : true))
    .filter((op) => (query.since === undefined ? true : (op.startedAt ?? 0) >= query.since))
    .slice(0, query.maxDescribe ?? 3);
  const described = await Promise.all(
    candidates.map((op) => (op.rollbackOperationId ? op : gateway.describeOperation(application, op.id))),
  );
  const pointing = described.filter((op) => op.rollbackOperationId);
  const rollbackIds = new Set(pointing.map((op) => op.rollbackOperationId!));
  const rollbacks = await Promise.all(
    [...rollbackIds].map(
      (id) =>
        listed.find((op) => op.id === id && op.status !== 'IN_PROGRESS') ??
        gateway.describeOperation(application, id),
    ),
  );
  return findSystemRollback([...pointing, ...rollbacks], query);
}
