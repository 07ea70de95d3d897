/**
 * What the after-apply guard and the lifecycle guard (start, restart, rollback) share: a bake watch that prints
 * its progress and verdict, and a recovery that is printed before it runs, printed and recorded in the ledger
 * step by step, and leaves the ledger's baseline (expected state, last good version) matching the service.
 */
import type { MsfGateway } from '../../ports/msf.js';
import type { LiveApplication } from '../../model/application.js';
import { bakeWatch, type BakeOutcome } from '../health/bake-watch.js';
import type { HealthFetcher } from '../../ports/metrics.js';
import type { ExceptionSource } from '../../ports/exceptions.js';
import { bakeMessages, bakeProgressText } from '../../engine/health/messages.js';
import type { LockedSession } from '../session.js';
import type { IoHost } from '../../ports/io-host.js';
import type { Clock } from '../../ports/clock.js';
import { recoveryPortFor } from './gateway-port.js';
import { executeRecovery, type RecoveryOutcome } from './recovery-executor.js';
import {
  recoveryOutcomeMessage,
  recoveryPlanMessages,
  stepEndMessage,
  stepStartMessage,
} from '../../engine/recovery/messages.js';
import type { RecoveryPlan } from '../../model/recovery.js';
import type { RecoveryFacts } from '../../engine/recovery/policy.js';

export interface GuardDeps {
  application: string;
  gateway: MsfGateway;
  host: IoHost;
  clock: Clock;
  fetcher: HealthFetcher;
  exceptions?: ExceptionSource;
  /** Seconds between metric reads (tests). */
  pollSeconds?: number;
}

/** The bake watch with a progress line and the verdict (with its evidence) printed. */
export async function bake(deps: GuardDeps, seconds: number): Promise<BakeOutcome> {
  const { application, host, gateway } = deps;
  const progress = host.progress(`baking ${application} for ${seconds}s`);
  let lastRestarts: number | undefined;
  let lastUpdate = deps.clock.now();
  const outcome = await bakeWatch({
    application,
    fetcher: deps.fetcher,
    clock: deps.clock,
    bakeSeconds: seconds,
    status: async (app) => (await gateway.describe(app))?.status,
    ...(deps.exceptions ? { exceptions: deps.exceptions } : {}),
    ...(deps.pollSeconds !== undefined ? { pollSeconds: deps.pollSeconds } : {}),
    onProgress: (p) => {
      // A new line for a plain (CI) log only when the verdict moves, or every 15 s: not one per poll.
      const restarts = p.result.facts?.restarts;
      if (restarts !== lastRestarts || deps.clock.now() - lastUpdate >= 15_000) {
        progress.update(bakeProgressText(p));
        lastRestarts = restarts;
        lastUpdate = deps.clock.now();
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
  /** The application after recovery (re-described when any step ran). */
  live: LiveApplication | undefined;
  /** A verify step confirmed it healthy. */
  verified: boolean;
}

/**
 * Prints the plan, runs it (each step printed and recorded as an operation of the session's ledger entry),
 * records the recovery in the entry's details, and makes the ledger match the service: expected state, and
 * the last good version when a verify step confirmed the result healthy.
 */
export async function recoverAndRecord(
  deps: GuardDeps,
  session: LockedSession,
  recovery: RecoveryPlan,
  fallbackLive: LiveApplication | undefined,
  /** What the next plan says about the change (default: "msfctl recovery changed the application"). */
  expectedNote?: string,
): Promise<RecoveryRun> {
  const { application, gateway, host, clock } = deps;
  for (const message of recoveryPlanMessages(recovery)) host.notify(message);
  const outcome = await executeRecovery(
    recovery,
    recoveryPortFor(gateway, {
      wait: { clock },
      verify: async (_app, seconds) => (await bake(deps, seconds)).result,
    }),
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

  const live = recovery.steps.length ? await gateway.describe(application) : fallbackLive;
  await session.patch({
    details: {
      ...session.entry.details,
      recovery: recoveryReport(recovery, outcome),
    },
  });
  if (recovery.steps.length) await session.recordExpected(live, 'recovery', expectedNote);
  const verified = outcome.steps.some((s) => s.step.kind === 'verify' && s.health?.status === 'healthy');
  if (outcome.ok && verified && live?.status === 'RUNNING') await markGood(session, live, clock);
  return { outcome, live, verified };
}

/** What a recovery decision needs, read now: the application, the ledger's last good version, the snapshots. */
export async function recoveryFacts(deps: GuardDeps, session: LockedSession): Promise<RecoveryFacts> {
  const { application, gateway } = deps;
  const lastGood = session.ledger.ledger.lastGood;
  return {
    application,
    live: await gateway.describe(application),
    ...(lastGood ? { lastGood: { versionId: lastGood.versionId, config: lastGood.config } } : {}),
    snapshots: await gateway.listSnapshots(application).catch(() => []),
    deployStartedAt: Date.parse(session.entry.startedAt),
  };
}

/** How a recovery ended, for the command's failure message. */
export function recoveryResultText(run: RecoveryRun): string {
  if (run.outcome.plan.steps.length === 0) return 'no recovery attempted';
  return run.outcome.ok
    ? `recovered: ${run.outcome.plan.application} ${run.live?.status ?? 'gone'} on version ${run.live?.versionId ?? '-'}`
    : `recovery stopped: ${run.outcome.failed?.error ?? 'unknown error'}`;
}

/** The application is good: the baseline of the next recovery (its version id may have moved). */
export async function markGood(session: LockedSession, live: LiveApplication, clock: Clock): Promise<void> {
  await session.ledger.update((l) => ({
    ...l,
    lastGood: {
      ...(l.lastGood ?? {}),
      versionId: live.versionId,
      config: live.config,
      at: new Date(clock.now()).toISOString(),
    },
  }));
}

/** What a recovery did, for the ledger and for `--json`: the decision and each step with its outcome. */
export function recoveryReport(recovery: RecoveryPlan, outcome: RecoveryOutcome) {
  return {
    situation: recovery.situation,
    policy: recovery.policy,
    summary: recovery.summary,
    ok: outcome.ok,
    steps: outcome.steps.map((s) => ({
      kind: s.step.kind,
      description: s.step.description,
      ok: s.ok,
      ...(s.skipped ? { skipped: s.skipped } : {}),
      ...(s.error ? { error: s.error } : {}),
      tookMs: s.endedAt - s.startedAt,
    })),
  };
}
