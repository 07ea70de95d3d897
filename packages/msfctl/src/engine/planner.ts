/**
 * The planner: desired application + observed application → ordered actions, each with its effect on the
 * running job. Pure: everything it needs is in its input, and it performs no I/O.
 */
import {
  isSteady,
  kpusFor,
  kpusInUse,
  type DesiredApplication,
  type LiveApplication,
  type SnapshotInfo,
  type Tags,
} from '../model/application.js';
import { MsfctlError } from '../model/errors.js';
import {
  createEffect,
  newestReady,
  startEffect,
  stopEffect,
  updateReadyEffect,
  updateRunningEffect,
} from './effects.js';
import { diffConfig, diffTags, type ChangeKind, type FieldChange } from '../model/changes.js';
import { loggingActions, tagsAction } from './logging.js';
import { configUpdateBetween } from './updates.js';
import type { Finding } from '../model/plan.js';
import type { Action } from '../model/actions.js';
import { snapshotModeFindings } from './snapshot-mode.js';

export interface PlannerInput {
  desired: DesiredApplication;
  live: LiveApplication | undefined;
  /** The application's snapshots, when listed (used to say what a start restores). */
  snapshots?: readonly SnapshotInfo[];
  /** KPUs allowed per application (service default 64). */
  kpuQuota: number;
  /** The live application's tags, when listed (listed when the spec manages them). */
  tags?: Tags;
}

export interface PlannerOutput {
  changes: FieldChange[];
  actions: Action[];
  findings: Finding[];
  kpus: { before: number; after: number; quota: number };
}

const KIND_ORDER: ChangeKind[] = ['runtime', 'code', 'scale', 'config'];

export function planChanges(input: PlannerInput): PlannerOutput {
  const { desired, live, kpuQuota } = input;
  const findings: Finding[] = [];
  const kpusWanted = kpusFor(desired.config.parallelism.parallelism, desired.config.parallelism.perKpu);
  const kpus = { before: kpusInUse(live), after: desired.running ? kpusWanted : 0, quota: kpuQuota };

  if (kpusWanted > kpuQuota) {
    const p = desired.config.parallelism;
    findings.push({
      severity: 'refusal',
      code: 'QUOTA_EXCEEDED',
      message: `parallelism ${p.parallelism} at ${p.perKpu} per KPU needs ⌈${p.parallelism} ÷ ${p.perKpu}⌉ = ${kpusWanted} KPUs, over the quota of ${kpuQuota} KPUs per application`,
      hint: `Lower parallelism to at most ${kpuQuota * p.perKpu}, raise parallelism.perKpu (up to 8), or, if your account's quota is higher, set limits.kpus in the spec (or --kpu-quota).`,
    });
  }
  findings.push(...snapshotModeFindings(desired, live, input.snapshots));
  // In enhanced mode the restore was resolved to an ARN, and checked, when observed (controller/make-plan.ts).
  if (
    desired.restore.from === 'snapshot' &&
    desired.config.snapshotMode === 'legacy' &&
    input.snapshots &&
    live
  ) {
    const named = input.snapshots.find((s) => !s.enhanced && s.name === desired.restore.snapshot);
    if (!named || named.status !== 'READY') {
      findings.push({
        severity: 'refusal',
        code: 'SNAPSHOT_MISSING',
        message: `restore.snapshot "${desired.restore.snapshot}" ${named ? `is ${named.status}, not READY` : 'does not exist'}`,
        hint: 'Pick one from `msfctl snapshot list`, or set restore.from to latest.',
      });
    }
  }

  if (!live) {
    const actions: Action[] = [
      {
        type: 'create',
        config: desired.config,
        ...(desired.description ? { description: desired.description } : {}),
        ...(desired.tags && Object.keys(desired.tags).length ? { tags: desired.tags } : {}),
        effect: createEffect(),
      },
    ];
    if (desired.running) {
      actions.push({
        type: 'start',
        run: desired.restore,
        reason: 'running: true',
        effect: startEffect(desired.restore, { known: true }, kpusWanted, true),
      });
    }
    return { changes: [], actions, findings, kpus };
  }

  if (!isSteady(live.status)) {
    throw new MsfctlError(
      'APP_BUSY',
      `Application ${live.name} is ${live.status}: msfctl plans only from READY or RUNNING.`,
      {
        hint:
          live.status === 'DELETING'
            ? 'It is being deleted.'
            : 'Wait for the current operation (msfctl status shows it). If it is stuck, `msfctl stop --force` brings it to READY.',
        details: { status: live.status },
      },
    );
  }

  const changes = [
    ...diffConfig(live.config, desired.config),
    ...(desired.tags && input.tags ? diffTags(input.tags, desired.tags) : []),
  ];
  // Logging options and tags have calls of their own; the rest is one UpdateApplication.
  const updateChanges = changes.filter((c) => c.section !== 'logging' && c.section !== 'tags');
  const update = updateChanges.length ? configUpdateBetween(live.config, desired.config).update : undefined;
  const kinds = KIND_ORDER.filter((k) => updateChanges.some((c) => c.kind === k));
  const logging = loggingActions(live, desired.config.logStream);
  // After a stop they change a READY application.
  const loggingAfterStop = loggingActions({ ...live, status: 'READY' }, desired.config.logStream);
  const tagging = input.tags ? tagsAction(live, input.tags, desired.tags) : [];
  const newest = newestReady(input.snapshots);
  const actions: Action[] = [];
  const liveKpus = kpusInUse(live);

  if (live.status === 'RUNNING') {
    if (!desired.running) {
      // Stop first: the update then needs no restart of its own.
      actions.push({
        type: 'stop',
        reason: 'running: false',
        effect: stopEffect(live.config.snapshotsEnabled, false, liveKpus),
      });
      actions.push(...loggingAfterStop);
      if (update)
        actions.push({ type: 'update', kinds, changes: updateChanges, update, effect: updateReadyEffect() });
    } else {
      actions.push(...logging);
    }
    if (desired.running && update) {
      actions.push({
        type: 'update',
        kinds,
        changes: updateChanges,
        update,
        run: desired.restore,
        effect: updateRunningEffect(live.config.snapshotsEnabled, desired.restore, {
          before: liveKpus,
          after: kpusWanted,
        }),
      });
    }
  } else {
    actions.push(...logging);
    if (update)
      actions.push({ type: 'update', kinds, changes: updateChanges, update, effect: updateReadyEffect() });
    if (desired.running) {
      actions.push({
        type: 'start',
        run: desired.restore,
        reason: 'running: true',
        effect: startEffect(desired.restore, newest, kpusWanted, false),
      });
    }
  }
  actions.push(...tagging);
  return { changes, actions, findings, kpus };
}
