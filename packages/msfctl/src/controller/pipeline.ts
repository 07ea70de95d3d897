/**
 * The one pipeline every verb runs through — apply, start, stop, restart, rollback, scale, destroy, snapshot:
 *
 *   observe → plan → preflight → record intent → execute → watch → recover → record
 *
 * under the application's lock and in one ledger entry. A verb supplies only what is its own: what to observe,
 * the pure decision from that observation to an action plan (engine/verbs.ts, engine/planner.ts), its preflight
 * checks and ledger records; everything else — the executor, the bake watch, the recovery and how the outcome
 * and the last good version are recorded — is the same for all of them.
 */
import type { Action } from '../model/actions.js';
import type { LiveApplication } from '../model/application.js';
import { MsfctlError } from '../model/errors.js';
import {
  goodVersion,
  type ArtifactRecord,
  type BakeRecord,
  type EntryKind,
  type LedgerEntry,
} from '../model/ledger.js';
import { systemClock } from '../ports/clock.js';
import type { RunContext } from './context.js';
import { executePlan, type ExecutionResult } from './executor.js';
import { progressPresenter } from './presenters.js';
import { withLockedSession, type LockedSession } from './session.js';
import { watchAndRecover, type Wanted, type WatchReport } from './watch.js';

/** A verb's decision: the actions to run, or why there is nothing to do. */
export type Decision =
  | {
      actions: Action[];
      /** Kept in the ledger entry (what the command was asked). */
      details?: Record<string, unknown>;
      /** More of the intent entry (apply: spec and artifact digests). */
      entry?: Partial<LedgerEntry>;
      /** The configuration the run wants, for a deploy the service may refuse (scenario 8). */
      wanted?: Wanted;
      /** The status the application should end in; reaching it after a good run records the last good version. */
      intended?: 'RUNNING' | 'READY';
      /** What this run deployed (apply), recorded with the last good version. */
      deployed?: { specDigest?: string; artifact?: ArtifactRecord };
      /** No action, but an interrupted run's bake to finish (apply after an interrupted apply). */
      resumeBake?: BakeRecord;
    }
  | { nothing: string };

export interface Verb<O extends { live: LiveApplication | undefined }> {
  kind: EntryKind;
  /** Reads what the verb decides from (the application, its snapshots, a version...). */
  observe(session: LockedSession): Promise<O>;
  /** The decision: pure, from the observation. Throws an MsfctlError to refuse. */
  plan(observation: O, session: LockedSession): Promise<Decision> | Decision;
  /** Checks that may amend or refuse the plan before anything changes (apply: state compatibility, snapshots). */
  preflight?(
    decision: Extract<Decision, { actions: Action[] }>,
    observation: O,
  ): Promise<Decision> | Decision;
  /** Last word before the intent is recorded, with the application as it is now (apply: approval, staleness). */
  beforeIntent?(
    decision: Extract<Decision, { actions: Action[] }>,
    basis: LiveApplication | undefined,
    observation: O,
  ): Promise<void>;
  /** With nothing to do: anything to record anyway (apply takes a matching service as its baseline). */
  nothing?(observation: O, session: LockedSession): Promise<void>;
  /** After the intent is recorded, before the first service call (apply: the JAR upload). */
  prepare?(session: LockedSession, decision: Extract<Decision, { actions: Action[] }>): Promise<void>;
  /** Ledger records of the verb's own (destroy: the final snapshot; snapshot create: the snapshot). */
  executed?(session: LockedSession, execution: ExecutionResult): Promise<void>;
  /** The verb (re)starts the job: watch it and recover as onFailure says (apply, start, restart, rollback, scale). */
  watch: boolean;
}

export interface RunResult {
  application: string;
  kind: EntryKind;
  ok: boolean;
  /** Set when there was nothing to do, saying why. */
  nothing?: string;
  actions: Action[];
  execution?: ExecutionResult;
  live: LiveApplication | undefined;
  error?: MsfctlError;
  /** What the watch phase saw and did (bake verdict, recovery). */
  watch?: WatchReport;
  /** What went wrong after the service operations (the watch phase), in sentences. */
  failures: string[];
}

export function requireLive(live: LiveApplication | undefined, application: string): LiveApplication {
  if (!live) {
    throw new MsfctlError('APP_NOT_FOUND', `Application ${application} does not exist.`, {
      hint: 'Check the name and the target (region, endpoint); `msfctl apply` creates it from the spec.',
    });
  }
  return live;
}

export async function runPipeline<O extends { live: LiveApplication | undefined }>(
  ctx: RunContext,
  verb: Verb<O>,
): Promise<RunResult> {
  const { gateway, host, application } = ctx;
  const clock = ctx.clock ?? systemClock;
  const { kind } = verb;
  return withLockedSession(
    {
      store: ctx.state,
      application,
      kind,
      summary: kind,
      host,
      ...(ctx.lock ? { lock: ctx.lock } : {}),
      ...(ctx.interrupts ? { interrupts: ctx.interrupts } : {}),
    },
    async (session): Promise<RunResult> => {
      // observe → plan → preflight
      const observation = await verb.observe(session);
      let decision = await verb.plan(observation, session);
      if (!('nothing' in decision) && verb.preflight) decision = await verb.preflight(decision, observation);
      if ('nothing' in decision) {
        await verb.nothing?.(observation, session);
        return {
          application,
          kind,
          ok: true,
          nothing: decision.nothing,
          actions: [],
          live: observation.live,
          failures: [],
        };
      }

      // record intent
      const basis = await gateway.describe(application);
      await verb.beforeIntent?.(decision, basis, observation);
      await session.begin({
        summary: decision.actions.map((a) => a.type).join(' + '),
        ...(basis ? { versionBefore: basis.versionId } : {}),
        ...(decision.details ? { details: decision.details } : {}),
        ...decision.entry,
      });
      await verb.prepare?.(session, decision);

      // execute
      const execution = await executePlan(decision.actions, {
        gateway,
        application,
        basis,
        presenter: progressPresenter(host, application),
        clock,
        ...(ctx.wait ? { wait: ctx.wait } : {}),
        onOperation: (op) => session.recordOperation(op),
        assertLockHeld: () => session.lock.assertHeld(),
        ...(ctx.exporter ? { exporter: ctx.exporter } : {}),
      });
      const deleted = decision.actions.some((a) => a.type === 'delete') && execution.ok;
      let live = deleted ? undefined : await gateway.describe(application);
      await session.recordExpected(live, kind);
      await verb.executed?.(session, execution);

      // watch → recover
      const watched = verb.watch
        ? await watchAndRecover({
            ctx,
            session,
            execution,
            live,
            ...(decision.wanted ? { wanted: decision.wanted } : {}),
            ...(decision.resumeBake ? { resumeBake: decision.resumeBake } : {}),
          })
        : undefined;
      if (watched && 'live' in watched) live = watched.live;

      // record
      // A refused operation that recovery then carried out another way (scenario 8) is not a failed run.
      const delivered = execution.ok || watched?.completesDeploy === true;
      const failures = watched && !watched.ok ? [watched.message ?? 'unhealthy'] : [];
      const ok = delivered && failures.length === 0;
      if (ok && verb.watch && decision.intended && live?.status === decision.intended) {
        const good = live;
        const at = new Date(clock.now()).toISOString();
        await session.ledger.update((l) => ({ ...l, lastGood: goodVersion(l, good, at, decision.deployed) }));
      }
      const error = runError(
        application,
        kind,
        delivered ? undefined : execution.failure?.error,
        failures,
        live,
      );
      await session.patch({
        outcome: ok ? 'succeeded' : 'failed',
        endedAt: new Date(clock.now()).toISOString(),
        ...(live ? { versionAfter: live.versionId } : {}),
        ...(error ? { error: error.message } : {}),
      });
      return {
        application,
        kind,
        ok,
        actions: decision.actions,
        execution,
        live,
        failures,
        ...(watched?.report ? { watch: watched.report } : {}),
        ...(error ? { error } : {}),
      };
    },
  );
}

/**
 * Why a run failed: the failed operation (its ErrorString), then what the watch phase found and did; the hint
 * says where the application is now, which recovery may have changed.
 */
function runError(
  application: string,
  kind: EntryKind,
  failed: MsfctlError | undefined,
  failures: string[],
  live: LiveApplication | undefined,
): MsfctlError | undefined {
  if (!failures.length) return failed;
  const where = live
    ? `${application} is now ${live.status} at version ${live.versionId}. `
    : `${application} no longer exists. `;
  const hint = `${where}Fix the cause, then run msfctl apply again (msfctl history shows every operation, recovery steps included; \`msfctl health\` the job's health).`;
  const then = failures.join('; ');
  return failed
    ? // The ErrorString's stack trace stays in the details (and the ledger), not in this sentence.
      new MsfctlError(
        failed.code,
        `${failed.message.split(' StackTrace:')[0]!.replace(/\.?$/, '.')} Then ${then}.`,
        { hint, ...(failed.details ? { details: failed.details } : {}), cause: failed },
      )
    : new MsfctlError('OPERATION_FAILED', `${application} after msfctl ${kind}: ${then}.`, { hint });
}
