/**
 * One reconcile pass of the controller over one application, through the same verbs as the command line:
 *   plan (makePlan) → apply when the spec says `reconcile: auto`, else report pending changes and drift;
 *   health (checkHealth) → the spec's recovery policy (deploy.onFailure) on an unhealthy job;
 *   scheduled snapshot (createSnapshot) when due and outside blackout windows → retention (deleteSnapshots).
 * Every change goes through the one pipeline, under the application's lock. A spec whose apply failed, or that
 * recovery undid, is not applied again until the file changes: the controller never loops on a bad deploy.
 */
import type { LiveApplication, SnapshotInfo } from '../model/application.js';
import type { DeploySettings } from '../model/deploy-settings.js';
import { deploySettings } from '../model/deploy-settings.js';
import type { MsfctlError } from '../model/errors.js';
import { hasChanges, refusals, type Plan } from '../model/plan.js';
import { inBlackout, nextDue, parseSchedule } from '../model/schedule.js';
import { parseDuration } from '../model/duration.js';
import { hasDrift } from '../engine/drift.js';
import { selectPrunable } from '../engine/snapshots.js';
import { currentJobBaseline } from '../engine/health/current-job.js';
import type { AppReport } from '../model/controller-report.js';
import type { Clock } from '../ports/clock.js';
import { systemClock } from '../ports/clock.js';
import type { IoHost } from '../ports/io-host.js';
import type { MsfGateway } from '../ports/msf.js';
import type { ObjectStore } from '../ports/object-store.js';
import type { SnapshotExporter } from '../ports/snapshot-export.js';
import type { LoadedSpec } from '../spec/load.js';
import { apply } from './apply.js';
import type { RunContext } from './context.js';
import { checkHealth } from './health/health-check.js';
import { makePlan } from './make-plan.js';
import { defaultPlanChecks, type CheckPorts } from './preflight/checks.js';
import { readLedger } from './state/ledger-store.js';
import { createSnapshot, deleteSnapshots } from './snapshots.js';
import { rollbackApplication, stopApplication } from './verbs.js';

/** An application's target as the controller needs it (the CLI builds it from the opened target). */
export interface AppPorts extends CheckPorts {
  gateway: MsfGateway;
  exporter?: SnapshotExporter;
  planTarget(): Promise<Plan['target']>;
  createsBuckets: boolean;
}

export interface ControlledApp {
  file: string;
  application: string;
  spec: LoadedSpec;
  host: IoHost;
  open(): Promise<{ ports: AppPorts; state: ObjectStore }>;
}

/** What the controller remembers between passes about one application (in memory: a restart plans afresh). */
export interface AppMemory {
  /** Spec digest not to apply again: its apply failed, or recovery undid it. */
  held?: string;
  /** When the last scheduled snapshot was taken by this controller. */
  lastScheduled?: number;
}

export interface ReconcileOptions {
  clock?: Clock;
  /** When the controller started: a cron schedule counts from here when there is no snapshot yet. */
  since: number;
  /** Health window, seconds (default: the health check's). */
  healthWindowSeconds?: number;
  /** Poll timing of the waiters (tests). */
  wait?: RunContext['wait'];
}

export async function reconcileApp(
  app: ControlledApp,
  memory: AppMemory,
  options: ReconcileOptions,
): Promise<AppReport> {
  const clock = options.clock ?? systemClock;
  const { ports, state } = await app.open();
  const spec = app.spec.spec;
  const deploy: DeploySettings = deploySettings({}, spec.deploy);
  const ctx: RunContext = {
    application: app.application,
    gateway: ports.gateway,
    host: app.host,
    state,
    clock,
    ...(ports.metrics ? { metrics: ports.metrics } : {}),
    ...(ports.exceptions ? { exceptions: ports.exceptions } : {}),
    ...(ports.exporter ? { exporter: ports.exporter } : {}),
    ...(options.wait ? { wait: options.wait } : {}),
    deploy,
  };
  const checkPorts: CheckPorts = {
    artifacts: ports.artifacts,
    ...(ports.inspector ? { inspector: ports.inspector } : {}),
    ...(ports.metrics ? { metrics: ports.metrics } : {}),
    ...(ports.exceptions ? { exceptions: ports.exceptions } : {}),
    ...(ports.snapshotState ? { snapshotState: ports.snapshotState } : {}),
  };
  const at = () => new Date(clock.now()).toISOString();
  const did: string[] = [];
  const target = await ports.planTarget();

  // plan → apply (auto) or report
  const { ledger } = await readLedger(state, app.application);
  const { plan } = await makePlan({
    spec: app.spec,
    ledger,
    gateway: ports.gateway,
    host: app.host,
    target,
    checks: defaultPlanChecks(),
    deploy,
    clock,
    ...checkPorts,
  });
  const drift = hasDrift(plan.drift);
  let live: LiveApplication | undefined = plan.basis.exists
    ? ((await ports.gateway.describe(app.application)) ?? undefined)
    : undefined;
  let reconcile: AppReport['lastReconcile'];
  let pending = 0;
  if (refusals(plan).length) {
    reconcile = {
      at: at(),
      result: 'error',
      message: refusals(plan)
        .map((f) => f.message)
        .join('; '),
    };
  } else if (!hasChanges(plan)) {
    reconcile = { at: at(), result: 'in sync' };
    if (memory.held === app.spec.digest) delete memory.held;
  } else if (spec.reconcile !== 'auto') {
    pending = plan.actions.length;
    reconcile = { at: at(), result: 'pending', message: 'reconcile: manual — run msfctl apply' };
  } else if (memory.held === app.spec.digest) {
    pending = plan.actions.length;
    reconcile = { at: at(), result: 'held', message: 'the last apply of this spec failed; edit the spec' };
  } else {
    const result = await apply(ctx, {
      spec: app.spec,
      target,
      autoApprove: true,
      createBucket: ports.createsBuckets,
      checks: defaultPlanChecks(),
      deploy,
      ...checkPorts,
    });
    live = result.live ?? live;
    if (result.ok) {
      reconcile = { at: at(), result: 'applied' };
      did.push(`applied: ${result.actions.map((a) => a.type).join(' + ')}`);
    } else {
      memory.held = app.spec.digest;
      reconcile = { at: at(), result: 'failed', message: result.error?.message ?? 'apply failed' };
      did.push(`apply failed: ${reconcile.message}`);
    }
  }

  // health → recovery policy
  let health: AppReport['health'];
  let healthReason: string | undefined;
  let restarts: number | undefined;
  if (live?.status === 'RUNNING' && ports.metrics) {
    const check = await checkHealth({
      application: app.application,
      fetcher: ports.metrics,
      clock,
      ...(ports.exceptions ? { exceptions: ports.exceptions } : {}),
      ...(options.healthWindowSeconds ? { windowSeconds: options.healthWindowSeconds } : {}),
      baseline: async (now, windowMs) =>
        currentJobBaseline(
          await ports.gateway.listOperations(app.application, 10).catch(() => []),
          now,
          windowMs,
        ),
    });
    health = check.result.status;
    healthReason = check.result.reason;
    restarts = check.result.facts?.restarts;
    if (health === 'unhealthy' && deploy.onFailure !== 'none') {
      const recovered =
        deploy.onFailure === 'rollback' && live.versionId > 1
          ? await rollbackApplication(ctx)
          : await stopApplication(ctx, false);
      memory.held = app.spec.digest;
      did.push(
        `unhealthy (${healthReason}): ${recovered.kind} ${recovered.ok ? 'done' : `failed: ${recovered.error?.message}`}`,
      );
      live = recovered.live ?? live;
    }
  }

  // scheduled snapshot → retention
  let snapshots: SnapshotInfo[] = live ? await ports.gateway.listSnapshots(app.application, live) : [];
  const schedule = spec.snapshots.schedule;
  if (schedule && live?.status === 'RUNNING' && live.config.snapshotsEnabled) {
    const now = clock.now();
    const newest = snapshots.find((s) => s.status === 'READY')?.createdAt;
    const last = memory.lastScheduled ?? newest;
    if (
      now >= nextDue(parseSchedule(schedule), last, options.since) &&
      !inBlackout(spec.snapshots.blackout, now)
    ) {
      const taken = await createSnapshot(ctx, undefined, 'controller: scheduled snapshot');
      memory.lastScheduled = now;
      did.push(
        taken.ok
          ? `snapshot ${taken.snapshot?.name ?? ''} taken`
          : `snapshot failed: ${taken.error?.message}`,
      );
      snapshots = await ports.gateway.listSnapshots(app.application, live);
    }
  }
  const retention = spec.snapshots.retention;
  if (retention && live && snapshots.length > 1) {
    const selection = selectPrunable(
      snapshots,
      {
        ...(retention.keep !== undefined ? { keep: retention.keep } : {}),
        ...(retention.olderThan !== undefined ? { olderThanMs: parseDuration(retention.olderThan)! } : {}),
        protect: spec.restore.snapshot ? [spec.restore.snapshot] : [],
      },
      clock.now(),
    );
    if (selection.delete.length) {
      const { deleted } = await deleteSnapshots(
        ctx,
        selection.delete.map((s) => s.enhanced?.arn ?? s.name),
        'controller: snapshot retention',
      );
      did.push(`pruned ${deleted.length} snapshot${deleted.length === 1 ? '' : 's'}`);
      snapshots = snapshots.filter((s) => !selection.delete.includes(s));
    }
  }
  const newest = snapshots.find((s) => s.status === 'READY');
  return {
    application: app.application,
    file: app.file,
    ...(live ? { status: live.status, versionId: live.versionId } : { status: 'MISSING' }),
    ...(health ? { health } : {}),
    ...(healthReason ? { healthReason } : {}),
    ...(restarts !== undefined ? { restarts } : {}),
    drift,
    pending,
    lastReconcile: reconcile,
    ...(newest
      ? { lastSnapshot: { name: newest.name, createdAt: new Date(newest.createdAt).toISOString() } }
      : {}),
    did,
  };
}

/** A pass that threw still reports its application. */
export function errorReport(
  app: { application: string; file: string },
  error: MsfctlError,
  now: number,
): AppReport {
  return {
    application: app.application,
    file: app.file,
    drift: false,
    pending: 0,
    lastReconcile: { at: new Date(now).toISOString(), result: 'error', message: error.message },
    did: [],
  };
}
