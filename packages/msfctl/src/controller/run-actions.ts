/**
 * The shape every imperative lifecycle command shares: lock, describe, decide the actions from the live
 * application (or decide there is nothing to do), record the intent, execute, record the outcome and the new
 * baseline for drift.
 */
import { executePlan, type ExecutionResult } from './executor.js';
import type { MsfGateway } from '../ports/msf.js';
import type { LiveApplication } from '../model/application.js';
import { MsfctlError } from '../model/errors.js';
import type { IoHost } from '../ports/io-host.js';
import type { PlannedAction } from '../model/plan.js';
import type { EntryKind } from '../model/ledger.js';
import type { LockOptions } from './state/lock.js';
import type { ObjectStore } from '../ports/object-store.js';
import type { Clock } from '../ports/clock.js';
import type { LifecycleGuard } from './recovery/lifecycle-guard.js';
import { withLockedSession, type LockedSession } from './session.js';

export interface LifecycleContext {
  gateway: MsfGateway;
  host: IoHost;
  state: ObjectStore;
  application: string;
  clock?: Clock;
  lock?: LockOptions;
  /** Runs after the command's operations, inside the lock (the bake watch of start, restart, rollback). */
  guard?: LifecycleGuard;
}

export type Decision = { actions: PlannedAction[]; details?: Record<string, unknown> } | { nothing: string };

export interface LifecycleResult {
  application: string;
  ok: boolean;
  /** Set when there was nothing to do, saying why. */
  nothing?: string;
  actions: PlannedAction[];
  execution?: ExecutionResult;
  live: LiveApplication | undefined;
  error?: MsfctlError;
  /** What the guard saw and did (bake verdict, recovery). */
  guard?: unknown;
}

export function requireLive(live: LiveApplication | undefined, application: string): LiveApplication {
  if (!live) {
    throw new MsfctlError('APP_NOT_FOUND', `Application ${application} does not exist.`, {
      hint: 'Check the name and the target (region, endpoint); `msfctl apply` creates it from the spec.',
    });
  }
  return live;
}

export async function runLifecycle(
  ctx: LifecycleContext,
  kind: EntryKind,
  decide: (live: LiveApplication | undefined) => Promise<Decision> | Decision,
  after?: (session: LockedSession, result: ExecutionResult) => Promise<void>,
): Promise<LifecycleResult> {
  const { gateway, host, application } = ctx;
  return withLockedSession(
    { store: ctx.state, application, kind, summary: kind, host, ...(ctx.lock ? { lock: ctx.lock } : {}) },
    async (session) => {
      const live = await gateway.describe(application);
      const decision = await decide(live);
      if ('nothing' in decision)
        return { application, ok: true, nothing: decision.nothing, actions: [], live };
      await session.begin({
        summary: decision.actions.map((a) => a.type).join(' + '),
        ...(live ? { versionBefore: live.versionId } : {}),
        ...(decision.details ? { details: decision.details } : {}),
      });
      const execution = await executePlan(decision.actions, {
        gateway,
        host,
        application,
        basis: live,
        ...(ctx.clock ? { clock: ctx.clock } : {}),
        onOperation: (op) => session.recordOperation(op),
        assertLockHeld: () => session.lock.assertHeld(),
      });
      let after_ =
        decision.actions.some((a) => a.type === 'delete') && execution.ok
          ? undefined
          : await gateway.describe(application);
      await session.recordExpected(after_, kind);
      if (after) await after(session, execution);
      const guarded = ctx.guard
        ? await ctx.guard({ application, session, execution, live: after_, gateway, host })
        : undefined;
      if (guarded && 'live' in guarded) after_ = guarded.live;
      const ok = execution.ok && (guarded?.ok ?? true);
      const error =
        execution.failure?.error ??
        (guarded && !guarded.ok
          ? new MsfctlError(
              'OPERATION_FAILED',
              `${application} after msfctl ${kind}: ${guarded.message ?? 'unhealthy'}.`,
              {
                hint: after_
                  ? `${application} is now ${after_.status} at version ${after_.versionId}. \`msfctl health\` shows its health, \`msfctl history\` every step.`
                  : undefined,
              },
            )
          : undefined);
      await session.patch({
        outcome: ok ? 'succeeded' : 'failed',
        endedAt: new Date().toISOString(),
        ...(after_ ? { versionAfter: after_.versionId } : {}),
        ...(error ? { error: error.message } : {}),
      });
      return {
        application,
        ok,
        actions: decision.actions,
        execution,
        live: after_,
        ...(error ? { error } : {}),
        ...(guarded?.report !== undefined ? { guard: guarded.report } : {}),
      };
    },
  );
}
