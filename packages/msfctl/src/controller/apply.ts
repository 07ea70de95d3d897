/**
 * apply: the spec's verb, through the one pipeline. Observe, plan and preflight are `makePlan` (or a saved plan,
 * refused when the application moved since); then the plan is shown, refused on a refusal finding, approved,
 * the JAR uploaded once, the intent recorded, the actions executed, watched and recovered like every verb's.
 */
import type { LiveApplication } from '../model/application.js';
import { MsfctlError } from '../model/errors.js';
import { recordArtifact, unfinishedBake, type ArtifactRecord } from '../model/ledger.js';
import { hasChanges, refusals, type Plan } from '../model/plan.js';
import type { DeploySettings } from '../model/deploy-settings.js';
import { hasDrift } from '../engine/drift.js';
import { assertPlanCurrent } from '../engine/plan-current.js';
import type { LoadedSpec } from '../spec/load.js';
import type { RunContext } from './context.js';
import { makePlan, rehearsalPorts } from './make-plan.js';
import { runPipeline, type RunResult } from './pipeline.js';
import type { CheckPorts, PlanCheck } from './preflight/checks.js';

export interface ApplyInput extends CheckPorts {
  spec: LoadedSpec | undefined;
  /** A saved plan; without one, apply plans afresh. */
  savedPlan?: Plan;
  /** Where the plan is made and applied (a saved plan made elsewhere is refused). */
  target: Plan['target'];
  autoApprove: boolean;
  kpuQuota?: number;
  /** Create the artifacts bucket when missing (local targets). */
  createBucket?: boolean;
  checks?: PlanCheck[];
  flags?: Record<string, unknown>;
  /** Safe-deploy settings of this run (flags over spec); a fresh plan records them. */
  deploy?: DeploySettings;
  /** Shows the plan before approval (the CLI renders it); a library caller may leave it out. */
  show?: (plan: Plan) => void;
}

export interface ApplyResult extends RunResult {
  plan: Plan;
  /** False when nothing needed doing. */
  changed: boolean;
  uploaded: boolean;
}

function artifactRecord(plan: Plan): ArtifactRecord | undefined {
  const artifact = plan.artifact;
  if (!artifact?.sha256) return undefined;
  return {
    sha256: artifact.sha256,
    bucket: artifact.bucket,
    key: artifact.key,
    ...(artifact.size !== undefined ? { size: artifact.size } : {}),
  };
}

export async function apply(ctx: RunContext, input: ApplyInput): Promise<ApplyResult> {
  const { gateway, host, application } = ctx;
  let plan: Plan | undefined;
  let uploaded = false;
  const result = await runPipeline(ctx, {
    kind: 'apply',
    watch: true,
    // observe → plan → preflight: makePlan (or the saved plan, still current).
    async observe(session) {
      if (input.savedPlan) {
        plan = input.savedPlan;
        if (plan.application !== application)
          throw new MsfctlError('PLAN_INVALID', `The plan is for ${plan.application}, not ${application}.`);
        assertPlanCurrent(plan, await gateway.describe(application), input.target);
      } else {
        if (!input.spec) throw new MsfctlError('USAGE', 'apply needs a spec (or a saved plan).');
        plan = (
          await makePlan({
            spec: input.spec,
            ledger: session.ledger.ledger,
            gateway,
            host,
            target: input.target,
            ...(input.kpuQuota !== undefined ? { kpuQuota: input.kpuQuota } : {}),
            checks: input.checks ?? [],
            flags: input.flags ?? {},
            ...(input.deploy ? { deploy: input.deploy } : {}),
            ...(ctx.clock ? { clock: ctx.clock } : {}),
            artifacts: input.artifacts,
            ...(input.inspector ? { inspector: input.inspector } : {}),
            ...(input.metrics ? { metrics: input.metrics } : {}),
            ...(input.exceptions ? { exceptions: input.exceptions } : {}),
            ...(input.snapshotState ? { snapshotState: input.snapshotState } : {}),
            ...rehearsalPorts(input),
          })
        ).plan;
      }
      input.show?.(plan);
      return { live: undefined as LiveApplication | undefined, plan };
    },
    plan({ plan }, session) {
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
        // An apply interrupted during its bake left a deploy nobody health-checked: finish that bake now.
        const basis = plan.basis.exists ? plan.basis : undefined;
        const resumeBake = unfinishedBake(session.ledger.ledger, basis);
        if (!resumeBake) return { nothing: `${application} matches the spec.` };
        host.notify({
          level: 'warn',
          code: 'MSF_APPLY_W1003',
          text: `${application} matches the spec, but the ${session.ledger.ledger.entries.at(-1)!.kind} that deployed version ${basis!.versionId} was interrupted during its health watch (begun ${resumeBake.startedAt}): msfctl finishes that watch now.`,
        });
        return {
          actions: [],
          resumeBake,
          entry: { summary: 'finish the health watch of an interrupted run' },
          details: { resumedBake: resumeBake },
          intended: 'RUNNING',
          wanted: { config: plan.desired.config, restore: plan.desired.restore },
        };
      }
      const artifact = artifactRecord(plan);
      return {
        actions: plan.actions,
        entry: {
          specDigest: plan.specDigest,
          ...(artifact ? { artifact } : {}),
          details: {
            changes: plan.changes.map((c) => c.field),
            drift: plan.drift.changes.map((c) => c.field),
          },
        },
        wanted: { config: plan.desired.config, restore: plan.desired.restore },
        intended: plan.desired.running ? 'RUNNING' : 'READY',
        deployed: { specDigest: plan.specDigest, ...(artifact ? { artifact } : {}) },
      };
    },
    // The service already matches the spec, drift or not (an interrupted apply that finished, a change by hand
    // that agrees with the spec): take it as the new baseline, as a refresh would, so the drift is not reported
    // again on every plan and status.
    async nothing({ plan }, session) {
      const live =
        hasDrift(plan.drift) || plan.drift.interrupted ? await gateway.describe(application) : undefined;
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
    },
    async beforeIntent(decision, basis, { plan }) {
      if (!input.autoApprove) {
        const n = decision.actions.length;
        const yes = await host.confirm(`Apply ${n} action${n === 1 ? '' : 's'} to ${application}?`);
        if (!yes) throw new MsfctlError('ABORTED', 'Apply cancelled: nothing was changed.');
      }
      if (input.savedPlan === undefined && plan.basis.exists) assertPlanCurrent(plan, basis, input.target);
    },
    async executed(session, execution) {
      // The spec manages the tags and the apply went through: they are what drift compares against from now on.
      if (execution.ok && plan!.desired.tags) await session.recordExpectedTags(plan!.desired.tags);
    },
    async prepare(session, decision) {
      // A new application (first, or again after a delete) owes nothing to an earlier one of the same name:
      // its versions start at 1, and recovery must never revert to the old one's "last good" configuration.
      if (!plan!.basis.exists && (session.ledger.ledger.lastGood || session.ledger.ledger.expected))
        await session.ledger.update((l) => ({
          ...l,
          lastGood: undefined,
          expected: undefined,
          deletedAt: undefined,
        }));
      const artifact = plan!.artifact;
      if (
        artifact?.localPath &&
        decision.actions.some((a) => a.type === 'create' || (a.type === 'update' && a.update.code))
      ) {
        uploaded = await input.artifacts.upload(artifact, host, {
          createBucket: input.createBucket ?? false,
        });
      }
      const record = artifactRecord(plan!);
      if (record) await session.ledger.update((l) => recordArtifact(l, record));
    },
  });
  return { ...result, plan: plan!, changed: !result.nothing, uploaded };
}
