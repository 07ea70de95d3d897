/**
 * Making a plan: resolve the artifact (build, digest), observe the live application, diff and plan (pure),
 * then run the preflight checks. Returns the plan value `apply` executes.
 */
import type { MsfGateway } from '../ports/msf.js';
import { waitUntilSteady } from './wait.js';
import { isSteady, kpusInUse } from '../model/application.js';
import { MsfctlError } from '../model/errors.js';
import { observe, type Observation } from './observe.js';
import type { IoHost } from '../ports/io-host.js';
import type { CheckPorts, PlanCheck } from './preflight/checks.js';
import { PLAN_FORMAT, type Finding, type Plan } from '../model/plan.js';
import type { DesiredApplication } from '../model/application.js';
import { resolveRestore } from '../engine/restore.js';
import { restoreCandidates } from './snapshot-lookup.js';
import { planChanges } from '../engine/planner.js';
import { deploySettings, type DeploySettings } from '../model/deploy-settings.js';
import { desiredFromSpec } from '../spec/desired.js';
import type { LoadedSpec } from '../spec/load.js';
import { artifactAt, type Ledger } from '../model/ledger.js';
import type { Clock } from '../ports/clock.js';

export const DEFAULT_KPU_QUOTA = 64;

export interface MakePlanInput extends CheckPorts {
  spec: LoadedSpec;
  ledger: Ledger;
  gateway: MsfGateway;
  host: IoHost;
  target: Plan['target'];
  /** --kpu-quota; else the spec's limits.kpus; else 64. */
  kpuQuota?: number;
  checks?: PlanCheck[];
  /** `--allow-non-restored-state` (sets the desired restore's AllowNonRestoredState for this run). */
  flags?: Record<string, unknown>;
  /** Safe-deploy settings of this run; default: the spec's deploy block. */
  deploy?: DeploySettings;
  clock?: Clock;
}

export async function makePlan(input: MakePlanInput): Promise<{ plan: Plan; observation: Observation }> {
  const { spec, ledger, gateway, host } = input;
  const { code, artifact } = await input.artifacts.resolve(spec.spec, host, {
    rebuild: input.flags?.rebuild === true,
  });
  const desired = desiredFromSpec(spec.spec, code, { region: input.target.region });
  // The flag reaches every start and update this plan makes, exactly as the spec field would.
  if (input.flags?.allowNonRestoredState === true) desired.restore.allowNonRestoredState = true;
  const deploy = input.deploy ?? deploySettings({}, spec.spec.deploy);
  const observeOptions = {
    restoreFrom: desired.restore.from,
    tags: desired.tags !== undefined,
    desired: { running: desired.running, snapshotMode: desired.config.snapshotMode },
  };
  let observation = await observe(gateway, desired.name, ledger, observeOptions);
  if (observation.live && !isSteady(observation.live.status) && observation.live.status !== 'DELETING') {
    // An operation is under way (maybe not ours): plan against where it ends, not against a moving target.
    const progress = host.progress(
      `${desired.name} is ${observation.live.status}: waiting for the operation in progress to finish before planning`,
    );
    const settled = await waitUntilSteady(gateway, desired.name, {
      progress,
      label: `Waiting for ${desired.name}`,
      ...(input.clock ? { clock: input.clock } : {}),
    });
    progress.done(`${desired.name} is ${settled?.status ?? 'gone'}`);
    observation = await observe(gateway, desired.name, ledger, observeOptions);
  }
  const live = observation.live;
  const restoreRefusal = await resolveEnhancedRestore(gateway, desired, live !== undefined);
  const kpuQuota = input.kpuQuota ?? spec.spec.limits?.kpus ?? DEFAULT_KPU_QUOTA;
  const planned = planChanges({
    desired,
    live,
    ...(observation.snapshots ? { snapshots: observation.snapshots } : {}),
    ...(observation.tags ? { tags: observation.tags } : {}),
    kpuQuota,
  });

  if (restoreRefusal) planned.findings.push(restoreRefusal);

  // A JAR the ledger knows under this key has a known digest even when given as code.s3.
  const known = artifactAt(ledger, artifact.bucket, artifact.key);
  const artifactRef =
    artifact.sha256 === undefined && known
      ? { ...artifact, sha256: known.sha256, ...(known.size !== undefined ? { size: known.size } : {}) }
      : artifact;

  const codeChanges = !live || planned.changes.some((c) => c.section === 'code');
  if (artifact.source === 's3' && codeChanges && planned.actions.length) {
    const exists = await input.artifacts.exists(code);
    if (!exists) {
      planned.findings.push({
        severity: 'refusal',
        code: 'CODE_MISSING',
        message: `code.s3 s3://${code.bucket}/${code.key} does not exist`,
        hint: 'Upload the JAR there first, or use code.jar / code.maven and let msfctl upload it.',
      });
    }
  }

  const plan: Plan = {
    format: PLAN_FORMAT,
    createdAt: new Date().toISOString(),
    application: desired.name,
    target: input.target,
    basis: live
      ? {
          exists: true,
          versionId: live.versionId,
          status: live.status,
          ...(live.conditionalToken ? { conditionalToken: live.conditionalToken } : {}),
        }
      : { exists: false },
    specDigest: spec.digest,
    artifact: artifactRef,
    ...(live
      ? {
          deployedArtifact: {
            bucket: live.config.code.bucket,
            key: live.config.code.key,
            ...withSha(artifactAt(ledger, live.config.code.bucket, live.config.code.key)?.sha256),
          },
          live: {
            status: live.status,
            versionId: live.versionId,
            runtime: live.config.runtime,
            parallelism: live.currentParallelism,
            kpus: kpusInUse(live),
          },
        }
      : {}),
    desired,
    changes: planned.changes,
    drift: observation.drift,
    actions: planned.actions,
    findings: planned.findings,
    kpus: planned.kpus,
    deploy,
  };
  for (const check of input.checks ?? []) {
    try {
      const outcome = await check.run({
        plan,
        observation,
        ledger,
        gateway,
        host,
        artifacts: input.artifacts,
        ...(input.inspector ? { inspector: input.inspector } : {}),
        ...(input.metrics ? { metrics: input.metrics } : {}),
        ...(input.exceptions ? { exceptions: input.exceptions } : {}),
        ...(input.snapshotState ? { snapshotState: input.snapshotState } : {}),
        ...rehearsalPorts(input),
        ...(input.clock ? { clock: input.clock } : {}),
        deploy,
        flags: input.flags ?? {},
      });
      if (outcome?.findings) plan.findings.push(...outcome.findings);
      if (outcome?.actions) plan.actions = outcome.actions;
      if (outcome?.report !== undefined) plan.preflight = { ...plan.preflight, [check.name]: outcome.report };
    } catch (error) {
      throw MsfctlError.is(error)
        ? error
        : new MsfctlError(
            'PLAN_REFUSED',
            `Preflight check ${check.name} failed: ${(error as Error).message}`,
            { cause: error },
          );
    }
  }
  return { plan, observation };
}

/**
 * In enhanced mode a named restore snapshot is sent by its ARN: resolved here (its name is unique in the account)
 * and checked; a refusal when it cannot be restored.
 */
async function resolveEnhancedRestore(
  gateway: MsfGateway,
  desired: DesiredApplication,
  exists: boolean,
): Promise<Finding | undefined> {
  if (desired.restore.from !== 'snapshot' || desired.config.snapshotMode !== 'enhanced') return undefined;
  const app = { name: desired.name, mode: desired.config.snapshotMode, runtime: desired.config.runtime };
  const candidates = await restoreCandidates(gateway, { ...app, exists }, desired.restore);
  try {
    desired.restore = resolveRestore(app, desired.restore, candidates);
    return undefined;
  } catch (error) {
    if (!MsfctlError.is(error, 'SNAPSHOT')) throw error;
    return {
      severity: 'refusal',
      code: 'SNAPSHOT_MISSING',
      message: `restore.snapshot: ${error.message}`,
      ...(error.hint ? { hint: error.hint } : {}),
    };
  }
}

/** The rehearsal's ports, where given. */
export function rehearsalPorts(
  ports: CheckPorts,
): Pick<CheckPorts, 'rehearser' | 'exporter' | 'savepointFiles'> {
  return {
    ...(ports.rehearser ? { rehearser: ports.rehearser } : {}),
    ...(ports.exporter ? { exporter: ports.exporter } : {}),
    ...(ports.savepointFiles ? { savepointFiles: ports.savepointFiles } : {}),
  };
}

function withSha(sha256: string | undefined): { sha256?: string } {
  return sha256 ? { sha256 } : {};
}
