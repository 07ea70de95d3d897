/**
 * The lifecycle commands, each an observation and a pure decision (engine/verbs.ts, engine/destroy.ts) run
 * through the one pipeline: start, stop [--force], restart (from the latest snapshot, a named one — an enhanced
 * one by ARN, any application's — or none), rollback, scale, destroy. Those that (re)start the job get the
 * pipeline's watch and recovery. Snapshot housekeeping is in controller/snapshots.ts.
 */
import type { LiveApplication, RestoreSettings, S3Prefix, SnapshotInfo } from '../model/application.js';
import { MsfctlError } from '../model/errors.js';
import { recordSnapshot } from '../model/ledger.js';
import type { Action } from '../model/actions.js';
import { describeS3Prefix } from '../model/snapshot-refs.js';
import {
  restartDecision,
  rollbackDecision,
  rollbackTarget,
  scaleDecision,
  scaledParallelism,
  startDecision,
  stopDecision,
  type ScaleRequest,
} from '../engine/verbs.js';
import { defaultExportLocation, destroyDecision, type DestroyInput } from '../engine/destroy.js';
import { defaultSnapshotName } from '../engine/snapshots.js';
import type { RunContext } from './context.js';
import { requireLive, runPipeline, type RunResult } from './pipeline.js';
import { restoreCandidates } from './snapshot-lookup.js';

export type { ScaleRequest } from '../engine/verbs.js';

interface Seen {
  live: LiveApplication | undefined;
  snapshots: SnapshotInfo[];
}

const seen = (ctx: RunContext, snapshots: boolean) => async (): Promise<Seen> => {
  const live = await ctx.gateway.describe(ctx.application);
  return { live, snapshots: live && snapshots ? await ctx.gateway.listSnapshots(ctx.application) : [] };
};

/** The application, and what a restore as asked may choose from (engine/restore.ts). */
const seenForRestore = (ctx: RunContext, run: RestoreSettings) => async (): Promise<Seen> => {
  const live = await ctx.gateway.describe(ctx.application);
  if (!live) return { live, snapshots: [] };
  const application = { name: live.name, mode: live.config.snapshotMode, exists: true };
  return { live, snapshots: await restoreCandidates(ctx.gateway, application, run) };
};

export function startApplication(ctx: RunContext, run: RestoreSettings): Promise<RunResult> {
  return runPipeline(ctx, {
    kind: 'start',
    watch: true,
    observe: seenForRestore(ctx, run),
    plan: (o) => startDecision(requireLive(o.live, ctx.application), run, o.snapshots),
  });
}

export function stopApplication(ctx: RunContext, force: boolean): Promise<RunResult> {
  return runPipeline(ctx, {
    kind: 'stop',
    watch: false,
    observe: seen(ctx, false),
    plan: (o) => stopDecision(requireLive(o.live, ctx.application), force),
  });
}

/** Stops (with a snapshot, when enabled) and starts again, restoring as told. */
export function restartApplication(ctx: RunContext, run: RestoreSettings): Promise<RunResult> {
  return runPipeline(ctx, {
    kind: 'restart',
    watch: true,
    observe: seenForRestore(ctx, run),
    plan: (o) => restartDecision(requireLive(o.live, ctx.application), run, o.snapshots),
  });
}

/** RollbackApplication: the previous version, with state from the latest snapshot. */
export function rollbackApplication(ctx: RunContext): Promise<RunResult> {
  return runPipeline(ctx, {
    kind: 'rollback',
    watch: true,
    observe: async () => {
      const o = await seen(ctx, true)();
      const previous =
        o.live && o.live.versionId > 1
          ? await ctx.gateway.describeVersion(ctx.application, rollbackTarget(o.live)).catch(() => undefined)
          : undefined;
      return { ...o, previous };
    },
    plan: (o) => rollbackDecision(requireLive(o.live, ctx.application), o.snapshots, o.previous),
  });
}

/** Changes parallelism (and per-KPU, autoscaling) without touching the rest of the configuration. */
export function scaleApplication(ctx: RunContext, request: ScaleRequest): Promise<RunResult> {
  return runPipeline(ctx, {
    kind: 'scale',
    watch: true,
    observe: seen(ctx, false),
    plan: (o) => {
      const live = requireLive(o.live, ctx.application);
      const d = scaleDecision(live, request);
      if ('nothing' in d) return d;
      // What the run wants, should the service refuse the update's snapshot (a crash-looping job).
      const wanted = {
        config: { ...live.config, parallelism: scaledParallelism(live, request) },
        restore: request.restore,
      };
      return { ...d, wanted };
    },
  });
}

export interface DestroyOptions {
  skipSnapshot: boolean;
  /**
   * Where a legacy application's last snapshot is exported before its snapshots are deleted with it: a prefix,
   * false for no export (--no-export), or undefined for the default location in `defaultBucket`.
   */
  exportTo?: S3Prefix | false;
  /** The bucket of the default export location (the spec's artifacts bucket); else the application's code bucket. */
  defaultBucket?: string;
  /** Asked with the actions and what happens to the snapshots; must resolve true to go on. */
  approve: (actions: Action[], fate: string[]) => Promise<boolean>;
  now?: Date;
}

export interface DestroyResult extends RunResult {
  finalSnapshot?: string;
  /** What happened to the snapshots, in sentences. */
  fate: string[];
  /** Enhanced snapshots that outlive the application. */
  kept: { name: string; arn: string }[];
  /** Where the legacy application's last snapshot was exported. */
  exported?: { snapshot: string; to: S3Prefix };
}

/**
 * Takes a final snapshot of a running job (unless skipped), keeps the state as the snapshot mode allows (legacy:
 * export to S3; enhanced: the snapshots stay), stops it, deletes the application. The ledger keeps its history,
 * the final snapshot, where it went, and when the application was deleted.
 */
export async function destroyApplication(ctx: RunContext, options: DestroyOptions): Promise<DestroyResult> {
  let decided: ReturnType<typeof destroyDecision> | undefined;
  let before: SnapshotInfo[] = [];
  const result = await runPipeline(ctx, {
    kind: 'destroy',
    watch: false,
    observe: seen(ctx, true),
    plan: (o) => {
      const live = requireLive(o.live, ctx.application);
      before = o.snapshots;
      const wanted = options.skipSnapshot
        ? undefined
        : `${defaultSnapshotName(options.now, { application: live.name, mode: live.config.snapshotMode })}-final`;
      decided = destroyDecision({
        live,
        snapshots: o.snapshots,
        finalSnapshot: wanted,
        export: exportChoice(ctx, live, options),
      });
      return decided;
    },
    beforeIntent: async (d) => {
      if (!(await options.approve(d.actions, decided?.fate ?? [])))
        throw new MsfctlError('ABORTED', 'Destroy cancelled: nothing was changed.');
    },
    executed: async (session, execution) => {
      const records = execution.records;
      const taken = records.find((r) => r.action.type === 'snapshot' && r.ok)?.snapshot;
      const exported = records.find((r) => r.action.type === 'export' && r.ok);
      await session.ledger.update((l) => {
        let next = l;
        if (taken)
          next = recordSnapshot(next, {
            name: taken.name,
            takenAt: new Date(taken.createdAt).toISOString(),
            versionId: taken.versionId,
            reason: 'destroy: final snapshot',
            ...(taken.enhanced ? { arn: taken.enhanced.arn } : {}),
          });
        if (exported?.exported && exported.action.type === 'export') {
          const name = exported.action.snapshot;
          const known = next.snapshots.find((s) => s.name === name);
          next = recordSnapshot(next, {
            name,
            takenAt: known?.takenAt ?? new Date().toISOString(),
            reason: known?.reason ?? 'destroy: newest snapshot, exported',
            ...(known?.versionId !== undefined ? { versionId: known.versionId } : {}),
            exportedTo: describeS3Prefix(exported.exported),
          });
        }
        return {
          ...next,
          // The history stays; what described the deleted application (baseline, last good version) goes.
          ...(execution.ok
            ? { deletedAt: new Date().toISOString(), expected: undefined, lastGood: undefined }
            : {}),
        };
      });
    },
  });
  const fate = decided?.fate ?? [];
  const records = result.execution?.records ?? [];
  const taken = records.find((r) => r.action.type === 'snapshot' && r.ok)?.snapshot;
  const exportRecord = records.find((r) => r.action.type === 'export' && r.ok);
  const kept = [...(taken ? [taken] : []), ...before]
    .filter((s) => s.enhanced && s.status === 'READY')
    .map((s) => ({ name: s.name, arn: s.enhanced!.arn }));
  return {
    ...result,
    fate,
    kept: result.ok ? kept : [],
    ...(taken ? { finalSnapshot: taken.name } : {}),
    ...(exportRecord?.exported && exportRecord.action.type === 'export'
      ? { exported: { snapshot: exportRecord.action.snapshot, to: exportRecord.exported } }
      : {}),
  };
}

/** Where a legacy application's last snapshot goes, or why it cannot be kept. */
function exportChoice(
  ctx: RunContext,
  live: LiveApplication,
  options: DestroyOptions,
): DestroyInput['export'] {
  if (live.config.snapshotMode === 'enhanced') return { none: 'enhanced snapshots stay' };
  if (options.exportTo === false) return { none: 'export turned off (--no-export)' };
  if (!ctx.exporter) return { none: 'this target offers no snapshot export' };
  const why = ctx.exporter.cannotExport({});
  if (why) return { none: `this target cannot export them: ${why}` };
  const to =
    options.exportTo ?? defaultExportLocation(options.defaultBucket ?? live.config.code.bucket, live.name);
  return { to, role: live.config.role };
}
