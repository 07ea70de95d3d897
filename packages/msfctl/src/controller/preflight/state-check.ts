/**
 * The state-compatibility preflight: before every change that restarts the job with restored state and may
 * change its graph (code, runtime, properties — jobs build their graph from them —, parallelism, a restore from
 * a named snapshot), inspect the job the application runs (its JAR, fetched from S3 by its recorded location,
 * with its properties) and the new one (the new JAR with the new properties), compare their stateful operators
 * by OperatorID, and check the new JAR's Flink version against the target runtime. Each finding becomes a plan
 * finding:
 *
 *  - a stateful operator removed: refused unless AllowNonRestoredState is on for this update (spec
 *    restore.allowNonRestoredState, or --allow-non-restored-state), which then reaches that very update;
 *  - an operator whose uid or generated id changed ("state of X will not be restored"): refused unless the
 *    loss is accepted (--accept-state-loss, spec deploy.acceptStateLoss);
 *  - a JAR built for another Flink version than the target runtime: refused, naming both versions.
 *
 * Where the target can say what the newest snapshot really holds (msf-local), that refines which operators
 * carry state (the SnapshotStateSource port); nothing here depends on it.
 */
import path from 'node:path';
import { isSupportedRuntime } from 'msf-flink-runtime';
import type { Action, ActionOf } from '../../model/actions.js';
import type { AppConfig, LiveApplication, RestoreSettings } from '../../model/application.js';
import type { JarInspection, SnapshotState } from '../../model/inspection.js';
import type { Finding, Plan } from '../../model/plan.js';
import {
  compareStateCompatibility,
  type StateCompatibilityReport,
  type StateFinding,
} from '../../engine/preflight/state-compatibility.js';
import type { ArtifactStore } from '../../ports/artifacts.js';
import type { InspectJarOptions } from '../../ports/jar-inspector.js';
import type { SnapshotStateSource } from '../../ports/snapshot-state.js';
import type { PlanCheck, PlanCheckContext, PlanCheckOutcome } from './check.js';

export const STATE_CHECK = 'stateCompatibility';

/** What `plan --json` shows under preflight.stateCompatibility. */
export interface StateCheckReport {
  checked: boolean;
  /** The changes that made the check run: code, runtime, properties, parallelism, restore. */
  because?: StateCheckTrigger[];
  /** Why it was not checked, or what limited it. */
  note?: string;
  restoreFrom?: RestoreSettings['from'];
  allowNonRestoredState?: boolean;
  acceptStateLoss?: boolean;
  deployed?: InspectedJarSummary;
  candidate?: InspectedJarSummary;
  findings?: StateFinding[];
  restored?: StateCompatibilityReport['restored'];
  requiresAllowNonRestoredState?: boolean;
  basedOnSnapshot?: string;
}

export type StateCheckTrigger = 'code' | 'runtime' | 'properties' | 'parallelism' | 'restore';

/** The sections of an update that can change the job graph Flink restores into. */
const GRAPH_SECTIONS = ['code', 'runtime', 'properties', 'parallelism'] as const;

/**
 * Why this update needs the check: the graph-changing sections it sends, and a restore from a named snapshot
 * (state of other code, maybe). Empty: the job graph and the state it restores are the running job's.
 */
export function stateCheckTriggers(
  update: ActionOf<'update'>,
  restore: RestoreSettings,
): StateCheckTrigger[] {
  const because: StateCheckTrigger[] = GRAPH_SECTIONS.filter((s) => update.update[s] !== undefined);
  if (restore.from === 'snapshot') because.push('restore');
  return because;
}

export interface InspectedJarSummary {
  sha256: string;
  runtime: string;
  flinkVersion: string;
  operators: { name: string; uid: string | null; operatorId: string; state: string }[];
}

export interface StateCheckOptions {
  /** Where inspections are cached. @default the artifacts port's cache */
  cacheDir?: string;
  /** Seams for tests; by default the check context's ports. */
  inspect?: (options: InspectJarOptions) => Promise<JarInspection>;
  fetchJar?: ArtifactStore['fetchJar'];
  snapshotState?: SnapshotStateSource;
}

export function stateCompatibilityCheck(options: StateCheckOptions = {}): PlanCheck {
  return {
    name: STATE_CHECK,
    async run(ctx) {
      return runStateCheck(ctx, options);
    },
  };
}

async function runStateCheck(
  ctx: PlanCheckContext,
  options: StateCheckOptions,
): Promise<PlanCheckOutcome | undefined> {
  const { plan, host } = ctx;
  const live = ctx.observation.live;
  const update = plan.actions.find((a: Action): a is ActionOf<'update'> => a.type === 'update');
  if (!live || !update) return undefined;
  const desired = plan.desired.config;
  const restore = restoreOf(plan, update);
  const because = stateCheckTriggers(update, restore);
  // With restore "none" only the Flink version matters, and only a new JAR or runtime can change it.
  const versionOnly = restore.from === 'none';
  if (!because.some((t) => (versionOnly ? t === 'code' || t === 'runtime' : true))) return undefined;
  const skip = (note: string): PlanCheckOutcome => ({
    findings: [
      {
        severity: 'warning',
        code: 'STATE_CHECK_SKIPPED',
        message: `state compatibility not checked: ${note}`,
      },
    ],
    report: { checked: false, because, note } satisfies StateCheckReport,
  });
  const inspector = ctx.inspector;
  const inspect = options.inspect ?? inspector?.inspect.bind(inspector);
  if (!inspect) return skip('no JAR inspector on this target');
  for (const runtime of new Set([live.config.runtime, desired.runtime])) {
    if (!(inspector ? inspector.inspectable(runtime) : isSupportedRuntime(runtime)))
      return skip(`msfctl inspects JARs for FLINK-1_19, FLINK-1_20 and FLINK-2_2, not ${runtime}`);
  }

  const fetchJar = options.fetchJar ?? ((location, o) => ctx.artifacts.fetchJar(location, o));
  const progress = host.progress(
    `Checking state compatibility of ${plan.application} (${because.join(', ')} change): inspecting the running and the new job graph`,
  );
  let deployed: JarInspection;
  let candidate: JarInspection;
  try {
    const deployedJar = await fetchJar(live.config.code, {
      ...(plan.deployedArtifact?.sha256 ? { sha256: plan.deployedArtifact.sha256 } : {}),
    }).catch((error: unknown) => {
      throw new PreflightProblem(
        `the deployed JAR ${describe(live.config)} cannot be read: ${(error as Error).message}`,
      );
    });
    const candidatePath = !update.update.code
      ? deployedJar.path
      : plan.artifact?.localPath
        ? path.resolve(plan.artifact.localPath)
        : (
            await fetchJar(desired.code, {
              ...(plan.artifact?.sha256 ? { sha256: plan.artifact.sha256 } : {}),
            }).catch((error: unknown) => {
              throw new PreflightProblem(
                `the new JAR ${describe(desired)} cannot be read: ${(error as Error).message}`,
              );
            })
          ).path;
    // Inspections are cached where the inspector keeps them, unless told otherwise.
    const inspections = options.cacheDir;
    deployed = await inspect(
      inspectOptions(deployedJar.path, live.config, live.currentParallelism, inspections),
    ).catch((error: unknown) => {
      throw new PreflightProblem(`the deployed JAR could not be inspected: ${(error as Error).message}`);
    });
    candidate = await inspect(
      inspectOptions(candidatePath, desired, desired.parallelism.parallelism, inspections),
    ).catch((error: unknown) => {
      throw new PreflightProblem(
        `the new JAR could not be inspected: ${(error as Error).message}; if its main() fails here, it will fail on the service too`,
      );
    });
  } catch (error) {
    progress.done('State compatibility not checked', false);
    if (error instanceof PreflightProblem) return skip(error.message);
    throw error;
  }

  let snapshot: SnapshotState | undefined;
  let snapshotNote: string | undefined;
  const reader = options.snapshotState ?? ctx.snapshotState;
  if (reader && restore.from !== 'none') {
    snapshot = await reader.newestState(live, ctx.gateway).catch((error: unknown) => {
      snapshotNote = `the newest snapshot's state could not be read (${(error as Error).message}); compared the JARs only`;
      return undefined;
    });
  }
  const report = compareStateCompatibility(deployed, candidate, {
    targetRuntime: desired.runtime,
    ...(snapshot ? { snapshot } : {}),
  });
  progress.done(
    `Checked state compatibility of ${plan.application}${snapshot ? ` against snapshot state (${path.basename(snapshot.path)})` : ''}`,
  );

  const accepted = {
    allowNonRestoredState: restore.allowNonRestoredState,
    acceptStateLoss: ctx.deploy.acceptStateLoss,
  };
  // With restore "none" the job starts empty on purpose: only the Flink version matters.
  const relevant =
    restore.from === 'none' ? report.findings.filter((f) => f.operator === null) : report.findings;
  // Same JAR, other graph: say that the properties (or parallelism) are what changed it.
  const graphFrom = because.includes('code') ? undefined : because.filter((t) => t !== 'restore');
  const findings = relevant.map((f) => {
    const finding = toFinding(f, accepted);
    return graphFrom?.length && f.operator && finding.severity !== 'info'
      ? {
          ...finding,
          message: `${finding.message} (same JAR: the new ${graphFrom.join(' and ')} build this job graph)`,
        }
      : finding;
  });
  if (restore.from !== 'none') {
    const restored = report.restored.map((r) => r.deployed.uid ?? r.deployed.name ?? r.deployed.operatorId);
    if (restored.length)
      findings.push({
        severity: 'info',
        code: 'STATE_RESTORED',
        message: `state of ${restored.join(', ')} is restored (operators matched by OperatorID${snapshot ? ', against the state in the newest snapshot' : ''})`,
      });
    const unaccepted = relevant.some(
      (f) => f.severity === 'error' && f.acceptedBy !== null && !accepted[f.acceptedBy],
    );
    if (report.requiresAllowNonRestoredState && !accepted.allowNonRestoredState && !unaccepted) {
      findings.push(restoreWillFail(plan, report, live));
    }
  } else {
    findings.push({
      severity: 'info',
      code: 'STATE_RESTORE_NONE',
      message: 'restore is "none": the new job starts with empty state, so no state compatibility applies',
    });
  }
  if (snapshotNote) findings.push({ severity: 'info', code: 'STATE_SNAPSHOT_UNREAD', message: snapshotNote });

  return {
    findings,
    report: {
      checked: true,
      because,
      restoreFrom: restore.from,
      allowNonRestoredState: accepted.allowNonRestoredState,
      acceptStateLoss: accepted.acceptStateLoss,
      deployed: summary(deployed),
      candidate: summary(candidate),
      findings: report.findings,
      restored: report.restored,
      requiresAllowNonRestoredState: report.requiresAllowNonRestoredState,
      ...(snapshot ? { basedOnSnapshot: snapshot.path } : {}),
      ...(snapshotNote ? { note: snapshotNote } : {}),
    } satisfies StateCheckReport,
  };
}

/** A reason the check could not run; it becomes a warning, never a failed plan. */
class PreflightProblem extends Error {}

/** How the job this update (re)starts restores: the update's own run settings, else the start after it. */
function restoreOf(plan: Plan, update: ActionOf<'update'>): RestoreSettings {
  if (update.run) return update.run;
  const start = plan.actions.find((a: Action): a is ActionOf<'start'> => a.type === 'start');
  return start?.run ?? plan.desired.restore;
}

function inspectOptions(
  jarPath: string,
  config: AppConfig,
  parallelism: number,
  cacheDir: string | undefined,
): InspectJarOptions {
  return {
    jarPath,
    runtime: config.runtime,
    parallelism,
    properties: Object.entries(config.properties).map(([PropertyGroupId, PropertyMap]) => ({
      PropertyGroupId,
      PropertyMap,
    })),
    ...(cacheDir ? { cacheDir } : {}),
  };
}

function describe(config: AppConfig): string {
  return `s3://${config.code.bucket}/${config.code.key}`;
}

function subject(f: StateFinding): string {
  return f.operator?.uid ?? f.operator?.name ?? f.operator?.operatorId ?? 'an operator';
}

function toFinding(
  f: StateFinding,
  accepted: { allowNonRestoredState: boolean; acceptStateLoss: boolean },
): Finding {
  const code = f.kind.toUpperCase().replace(/-/g, '_');
  if (f.severity === 'warning') return { severity: 'warning', code, message: f.message };
  if (f.acceptedBy !== null && accepted[f.acceptedBy]) {
    const by =
      f.acceptedBy === 'allowNonRestoredState'
        ? 'AllowNonRestoredState is on for this update'
        : 'state loss accepted';
    return { severity: 'warning', code, message: `${f.message} (${by})` };
  }
  switch (f.kind) {
    case 'stateful-operator-removed':
      return {
        severity: 'refusal',
        code,
        message: f.message,
        hint: `To drop the state of ${subject(f)} with this update, set restore.allowNonRestoredState: true in the spec or pass --allow-non-restored-state; to keep it, keep that operator (same uid) in the new JAR.`,
      };
    case 'state-not-restored':
      return {
        severity: 'refusal',
        code,
        message: f.message,
        hint: `Keep uid "${f.operator?.uid ?? '…'}" on that operator to keep its state, or pass --accept-state-loss (spec: deploy.acceptStateLoss: true) to deploy anyway; Flink then also needs --allow-non-restored-state (restore.allowNonRestoredState) to start without that state.`,
      };
    case 'flink-version-mismatch':
      return {
        severity: 'refusal',
        code,
        message: f.message,
        hint: 'No flag accepts this: a JAR built against another Flink version fails at run time in ways no preflight can see.',
      };
    default:
      return { severity: 'refusal', code, message: f.message };
  }
}

/** Accepted state loss without AllowNonRestoredState: Flink refuses the restore, so the update fails. */
function restoreWillFail(plan: Plan, report: StateCompatibilityReport, live: LiveApplication): Finding {
  const lost = report.findings.filter((f) => f.requiresAllowNonRestoredState).map(subject);
  const rollback = plan.desired.config.systemRollback
    ? `; system rollback is on, so the service will roll ${plan.application} back to version ${live.versionId}'s configuration`
    : '';
  return {
    severity: 'warning',
    code: 'STATE_RESTORE_WILL_FAIL',
    message: `Flink will refuse to restore the snapshot: the state of ${lost.join(', ')} has no operator to go to and AllowNonRestoredState is off, so the update will fail${rollback}`,
    hint: 'Add --allow-non-restored-state (or restore.allowNonRestoredState: true) to drop that state and start the new JAR.',
  };
}

function summary(inspection: JarInspection): InspectedJarSummary {
  return {
    sha256: inspection.jarSha256,
    runtime: inspection.runtime,
    flinkVersion: inspection.flinkVersion.version,
    operators: inspection.operators.map((op) => ({
      name: op.name,
      uid: op.uid,
      operatorId: op.operatorId,
      state: op.state,
    })),
  };
}
