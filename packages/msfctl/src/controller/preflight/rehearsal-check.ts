/**
 * The deploy rehearsal as a plan check (issue 14): when the plan restarts the job with restored state, restore
 * the new job (new JAR, new properties, the deploy's parallelism and AllowNonRestoredState) from that very state
 * on a local real Flink of the target runtime, before the service is touched. A failed rehearsal is a refusal
 * (apply stops before any UpdateApplication; `plan --detailed-exitcode` exits 1). The same path for AWS and
 * msf-local: only where the state comes from differs (the target's exporter).
 */
import path from 'node:path';
import { formatDuration } from '../../model/duration.js';
import { MsfctlError } from '../../model/errors.js';
import type { Finding } from '../../model/plan.js';
import type { RehearsalFailureReport, RehearsalReport, RehearsalSettings } from '../../model/rehearsal.js';
import { decideRehearsal } from '../../engine/preflight/rehearsal-decision.js';
import type { RehearsalOutcome } from '../../ports/rehearsal.js';
import type { PlanCheck, PlanCheckContext, PlanCheckOutcome } from './check.js';
import { cannotFetch, fetchRehearsalState, sweepStale } from './rehearsal-state.js';
import { STATE_CHECK, type StateCheckReport } from './state-check.js';

export const REHEARSAL_CHECK = 'rehearsal';

export function rehearsalCheck(settings: RehearsalSettings): PlanCheck {
  return { name: REHEARSAL_CHECK, run: (ctx) => runRehearsal(ctx, settings) };
}

async function runRehearsal(ctx: PlanCheckContext, settings: RehearsalSettings): Promise<PlanCheckOutcome> {
  const { plan, host } = ctx;
  const live = ctx.observation.live;
  const base = { mode: settings.mode, windowSeconds: settings.windowSeconds };
  const decision = decideRehearsal(plan, live, ctx.observation.snapshots, settings);
  if (!decision.rehearse) return { report: { rehearsed: false, ...base, note: decision.why } };
  const { rehearser, exporter, savepointFiles } = ctx;
  const desired = plan.desired.config;
  const cannot = (why: string, hint?: string): PlanCheckOutcome => ({
    findings: [
      settings.mode === 'required'
        ? {
            severity: 'refusal',
            code: 'REHEARSAL_IMPOSSIBLE',
            message: `the deploy cannot be rehearsed: ${why}`,
            hint: `${hint ? `${hint} ` : ''}Rehearsal is required (${settings.explicit ? '--rehearse' : 'deploy.rehearse: required'}); --no-rehearse deploys without one.`,
          }
        : {
            severity: 'warning',
            code: 'REHEARSAL_SKIPPED',
            message: `not rehearsed: ${why}`,
            ...(hint ? { hint } : {}),
          },
    ],
    report: { rehearsed: false, ...base, note: why },
  });
  if (!rehearser || !exporter || !savepointFiles || !live) return cannot('this target offers no rehearsal');
  if (!rehearser.rehearsable(desired.runtime))
    return cannot(`msfctl rehearses FLINK-1_19, FLINK-1_20 and FLINK-2_2, not ${desired.runtime}`);
  const enhanced =
    decision.state.source === 'fresh' ? live.config.snapshotMode === 'enhanced' : decision.state.enhanced;
  const why = cannotFetch(exporter, enhanced);
  if (why)
    return cannot(
      `the state cannot be brought here: ${why}`,
      'Switch to enhanced snapshots (spec snapshots.mode: enhanced, runtime FLINK-1_20 or later; the switch is one-way) to let msfctl export the state and rehearse.',
    );

  const progress = host.progress(`Rehearsing the deploy of ${plan.application} on a local Flink`);
  let jarPath: string;
  try {
    jarPath = plan.artifact?.localPath
      ? path.resolve(plan.artifact.localPath)
      : (
          await ctx.artifacts.fetchJar(
            desired.code,
            plan.artifact?.sha256 ? { sha256: plan.artifact.sha256 } : {},
          )
        ).path;
  } catch (error) {
    progress.done('Rehearsal not run', false);
    return cannot(`the new JAR cannot be read: ${(error as Error).message}`);
  }
  const bucket = plan.artifact?.bucket ?? desired.code.bucket;
  const stamp = new Date().toISOString().replace(/[-:.]/g, '');
  const scratchRoot = { bucket, prefix: `msfctl/rehearsals/${plan.application}/` };
  const scratch = { bucket, prefix: `${scratchRoot.prefix}${stamp}/` };
  const swept = await sweepStale(
    { gateway: ctx.gateway, files: savepointFiles },
    live.name,
    scratchRoot,
  ).catch(() => []);
  const fetch = fetchRehearsalState(
    { gateway: ctx.gateway, exporter, files: savepointFiles, ...(ctx.clock ? { clock: ctx.clock } : {}) },
    live,
    decision.state,
    scratch,
  );
  const run = decision.run;
  let outcome: RehearsalOutcome | undefined;
  let failed: Error | undefined;
  let cleanedUp: string[] = [];
  try {
    // The sandbox boots while the state is snapshotted, exported and downloaded.
    outcome = await rehearser.rehearse({
      runtime: desired.runtime,
      jarPath,
      savepoint: fetch.savepoint,
      properties: Object.entries(desired.properties).map(([PropertyGroupId, PropertyMap]) => ({
        PropertyGroupId,
        PropertyMap,
      })),
      parallelism: desired.parallelism.parallelism,
      parallelismPerKpu: desired.parallelism.perKpu,
      allowNonRestoredState: run.allowNonRestoredState,
      windowSeconds: settings.windowSeconds,
      onProgress: (message) => progress.update(`rehearsal: ${message}`),
    });
  } catch (error) {
    // The state's own error says more than the sandbox's "no savepoint".
    failed =
      (await fetch.savepoint.then(
        () => undefined,
        (e: unknown) => e as Error,
      )) ?? (error as Error);
  } finally {
    cleanedUp = [
      ...swept,
      ...(await fetch.cleanup().catch((error: unknown) => [`cleanup failed: ${(error as Error).message}`])),
    ];
  }
  if (!outcome) {
    progress.done('Rehearsal not run', false);
    if (failed && !MsfctlError.is(failed)) throw failed;
    return cannot(failed?.message ?? 'unknown');
  }
  const report: RehearsalReport = {
    rehearsed: true,
    ...base,
    passed: outcome.passed,
    state: fetch.state,
    runtime: desired.runtime,
    flinkVersion: outcome.flinkVersion,
    parallelism: desired.parallelism.parallelism,
    allowNonRestoredState: run.allowNonRestoredState,
    checkpointsCompleted: outcome.checkpointsCompleted,
    restarts: outcome.restarts,
    durationMs: outcome.durationMs,
    timings: outcome.timings,
    blockedConnections: outcome.blockedConnections,
    cleanedUp,
    ...(outcome.failure ? { failure: failureReport(outcome.failure, ctx) } : {}),
  };
  progress.done(
    outcome.passed ? `Rehearsal passed (${formatDuration(outcome.durationMs)})` : 'Rehearsal failed',
    outcome.passed,
  );
  return { findings: [rehearsalFinding(report)], report };
}

/** The failure, its operator named by uid and name where the inspected graphs know its OperatorID. */
function failureReport(
  failure: NonNullable<RehearsalOutcome['failure']>,
  ctx: PlanCheckContext,
): RehearsalFailureReport {
  const graphs = ctx.plan.preflight?.[STATE_CHECK] as StateCheckReport | undefined;
  const operators = [...(graphs?.candidate?.operators ?? []), ...(graphs?.deployed?.operators ?? [])];
  const ids = [failure.operator?.operatorId, failure.operator?.vertexId].filter(Boolean);
  const known = ids.map((id) => operators.find((o) => o.operatorId === id)).find(Boolean);
  const name = known?.name ?? failure.operator?.vertexName ?? failure.operator?.taskName;
  const operatorId = failure.operator?.operatorId ?? failure.operator?.vertexId;
  const operator = {
    ...(known?.uid ? { uid: known.uid } : {}),
    ...(name ? { name } : {}),
    ...(operatorId ? { operatorId } : {}),
    ...(failure.operator?.vertexName ? { vertexName: failure.operator.vertexName } : {}),
  };
  return {
    kind: failure.kind,
    message: failure.message,
    phase: failure.phase,
    ...(failure.rootCause ? { rootCause: failure.rootCause } : {}),
    ...(Object.keys(operator).length ? { operator } : {}),
  };
}

const KIND: Record<string, string> = {
  'missing-operator': 'state with no operator to go to',
  'serializer-incompatible': 'serializer incompatibility',
  'max-parallelism': 'max parallelism change',
  'class-not-found': 'class not found',
  'job-failed-to-start': 'the job does not start',
  'no-checkpoint': 'no checkpoint completes',
  timeout: 'timeout',
  other: 'failure',
};

const FIX: Record<string, string> = {
  'missing-operator':
    'Keep that operator (same uid) in the new job, or drop its state with restore.allowNonRestoredState / --allow-non-restored-state.',
  'serializer-incompatible':
    "Keep the state's type (or migrate it: a new state name or uid, with the loss of the old state accepted).",
  'max-parallelism': "Keep the operator's max parallelism as it was when the state was taken.",
  'class-not-found': 'Put the missing class back in the JAR (state serializers name their classes).',
};

/** "rehearsal passed: …" (info) or "rehearsal failed: …" (refusal), with the operator and Flink's root cause. */
export function rehearsalFinding(report: RehearsalReport): Finding {
  const state = report.state!;
  const what = `${state.source === 'fresh' ? 'a fresh snapshot' : 'snapshot'} ${state.snapshot}${state.sizeBytes !== undefined ? ` (${state.sizeBytes} bytes)` : ''}`;
  if (report.passed)
    return {
      severity: 'info',
      code: 'REHEARSAL_PASSED',
      message: `rehearsal passed: the new job restored ${what} on Flink ${report.flinkVersion}, every task ran, ${report.checkpointsCompleted} checkpoint${report.checkpointsCompleted === 1 ? '' : 's'} completed, no restart in ${report.windowSeconds}s (rehearsal took ${formatDuration(report.durationMs ?? 0)})`,
    };
  const f = report.failure!;
  const op = f.operator;
  const subject = op?.uid
    ? `operator ${op.uid}${op.name && op.name !== op.uid ? ` (${op.name})` : ''}`
    : op?.name
      ? `operator ${op.name}`
      : op?.operatorId
        ? `operator ${op.operatorId}`
        : 'the job';
  const root = f.rootCause?.split(' StackTrace: ')[0];
  return {
    severity: 'refusal',
    code: 'REHEARSAL_FAILED',
    message: `rehearsal failed (${KIND[f.kind] ?? f.kind}) at ${subject} while restoring ${what}: ${f.message}`,
    hint: `${root ? `Flink: ${root}. ` : ''}The running job is untouched. ${FIX[f.kind] ?? 'Fix the new job so it restores this state.'} --no-rehearse deploys without a rehearsal, at your own risk.`,
  };
}
