/**
 * The bake watch after `msfctl start`, `restart` and `rollback`: when the command leaves the job RUNNING,
 * watch it for bakeSeconds. Healthy: the running version becomes the last good one. A crash loop is reported
 * with its evidence and the command fails; `onFailure` then says what happens: `stop` force-stops it, `rollback`
 * brings the last good version back (when the application runs something else — a start cannot be undone by
 * going back to the version it already runs), `none` leaves it. Every recovery step is printed and recorded.
 */
import type { ExecutionResult } from '../executor.js';
import type { MsfGateway } from '../../ports/msf.js';
import type { LiveApplication } from '../../model/application.js';
import type { HealthFetcher } from '../../ports/metrics.js';
import type { ExceptionSource } from '../../ports/exceptions.js';
import type { LockedSession } from '../session.js';
import type { IoHost } from '../../ports/io-host.js';
import { diffConfig } from '../../model/changes.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import {
  bake,
  bakeReport,
  markGood,
  recoverAndRecord,
  recoveryFacts,
  recoveryReport,
  recoveryResultText,
  type GuardDeps,
} from './guard.js';
import type { OnFailurePolicy } from '../../model/deploy-settings.js';
import { decideRecovery } from '../../engine/recovery/policy.js';

export interface LifecycleGuardInput {
  application: string;
  session: LockedSession;
  execution: ExecutionResult;
  /** The application after the command. */
  live: LiveApplication | undefined;
  gateway: MsfGateway;
  host: IoHost;
}

export interface LifecycleGuardResult {
  ok: boolean;
  live?: LiveApplication | undefined;
  message?: string;
  report?: unknown;
}

export type LifecycleGuard = (input: LifecycleGuardInput) => Promise<LifecycleGuardResult | undefined>;

export interface LifecycleGuardOptions {
  bakeSeconds: number;
  onFailure: OnFailurePolicy;
  fetcher: HealthFetcher;
  exceptions?: ExceptionSource;
  clock?: Clock;
  pollSeconds?: number;
}

export function lifecycleGuard(options: LifecycleGuardOptions): LifecycleGuard {
  return async ({ application, session, execution, live, gateway, host }) => {
    // A failed operation is the command's own error; a stopped application has nothing to watch.
    if (!execution.ok || live?.status !== 'RUNNING' || options.bakeSeconds === 0) return undefined;
    const clock = options.clock ?? systemClock;
    const deps: GuardDeps = {
      application,
      gateway,
      host,
      clock,
      fetcher: options.fetcher,
      ...(options.exceptions ? { exceptions: options.exceptions } : {}),
      ...(options.pollSeconds !== undefined ? { pollSeconds: options.pollSeconds } : {}),
    };
    const outcome = await bake(deps, options.bakeSeconds);
    const baked = bakeReport(outcome);
    if (outcome.result.status === 'healthy') await markGood(session, live, clock);
    if (outcome.result.status !== 'unhealthy') return { ok: true, report: { bake: baked } };

    const lastGood = session.ledger.ledger.lastGood;
    const onLastGood = lastGood !== undefined && diffConfig(live.config, lastGood.config).length === 0;
    if (options.onFailure === 'rollback' && (onLastGood || !lastGood)) {
      const why = lastGood
        ? `it runs the last good version's configuration, so there is nothing to roll back to`
        : 'msfctl knows no good version to roll back to';
      host.notify({
        level: 'error',
        code: 'MSF_RECOVERY_E4000',
        text: `${application} is crash-looping (${outcome.result.reason}); ${why}. Fix the cause, or stop it with \`msfctl stop --force\`.`,
      });
      return { ok: false, message: `crash loop (${why})`, report: { bake: baked } };
    }
    const recovery = decideRecovery(
      options.onFailure,
      { kind: 'crash-loop', health: outcome.result },
      await recoveryFacts(deps, session),
      { verifySeconds: options.bakeSeconds },
    );
    const run = await recoverAndRecord(deps, session, recovery, live);
    return {
      ok: false,
      live: run.live,
      message: `crash loop (${recoveryResultText(run)})`,
      report: {
        bake: baked,
        recovery: recoveryReport(recovery, run.outcome),
      },
    };
  };
}
