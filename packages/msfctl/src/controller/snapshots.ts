/**
 * Snapshot housekeeping, in both snapshot modes: create (through the one pipeline), list (the application's,
 * or the account's enhanced snapshots), delete and export (under the application's lock, recorded in its
 * ledger), and import (an account-level operation: no application's lock or ledger).
 */
import type { S3Prefix, SnapshotInfo } from '../model/application.js';
import { MsfctlError } from '../model/errors.js';
import { recordSnapshot } from '../model/ledger.js';
import { describeS3Prefix, snapshotKey } from '../model/snapshot-refs.js';
import { defaultSnapshotName } from '../engine/snapshots.js';
import { snapshotDecision } from '../engine/verbs.js';
import type { MsfGateway } from '../ports/msf.js';
import type { ExportedSnapshot } from '../ports/snapshot-export.js';
import type { RunContext } from './context.js';
import { requireLive, runPipeline, type RunResult } from './pipeline.js';
import { withLockedSession } from './session.js';
import { lookupSnapshot } from './snapshot-lookup.js';
import { waitForSnapshotGone, waitForSnapshotOperation } from './wait.js';

const LIST_HINT = '`msfctl snapshot list` shows the snapshots (`--all`: every enhanced snapshot).';

/**
 * Takes a snapshot of the running job: an application snapshot, or an enhanced one in enhanced mode. Without a
 * name, msfctl-<time> (enhanced: msfctl-<application>-<time>, the name being unique in the account).
 */
export async function createSnapshot(
  ctx: RunContext,
  name?: string,
  reason = 'msfctl snapshot create',
): Promise<RunResult & { snapshot?: SnapshotInfo }> {
  let taken: SnapshotInfo | undefined;
  const result = await runPipeline(ctx, {
    kind: 'snapshot',
    watch: false,
    observe: async () => ({ live: await ctx.gateway.describe(ctx.application) }),
    plan: (o) => {
      const live = requireLive(o.live, ctx.application);
      const chosen =
        name ?? defaultSnapshotName(new Date(), { application: live.name, mode: live.config.snapshotMode });
      return snapshotDecision(live, chosen);
    },
    executed: async (session, execution) => {
      taken = execution.records.find((r) => r.action.type === 'snapshot' && r.ok)?.snapshot;
      if (!execution.ok || !taken) return;
      const snapshot = taken;
      await session.ledger.update((l) =>
        recordSnapshot(l, {
          name: snapshot.name,
          takenAt: new Date(snapshot.createdAt).toISOString(),
          versionId: snapshot.versionId,
          reason,
          ...(snapshot.enhanced ? { arn: snapshot.enhanced.arn } : {}),
        }),
      );
    },
  });
  return { ...result, ...(taken ? { snapshot: taken } : {}) };
}

/** The application's snapshots, newest first: application snapshots and (enhanced mode) its enhanced ones. */
export function listSnapshots(ctx: Pick<RunContext, 'gateway' | 'application'>): Promise<SnapshotInfo[]> {
  return ctx.gateway.listSnapshots(ctx.application);
}

/** Every enhanced snapshot of the account in this Region, newest first. */
export function listAccountSnapshots(gateway: MsfGateway): Promise<SnapshotInfo[]> {
  return gateway.listEnhancedSnapshots();
}

async function requireSnapshot(ctx: RunContext, ref: string): Promise<SnapshotInfo> {
  const snapshot = await lookupSnapshot(ctx.gateway, ctx.application, ref);
  if (!snapshot)
    throw new MsfctlError('SNAPSHOT', `Snapshot ${ref} of ${ctx.application} does not exist.`, {
      hint: LIST_HINT,
    });
  return snapshot;
}

function session(ctx: RunContext, summary: string) {
  return {
    store: ctx.state,
    application: ctx.application,
    kind: 'snapshot' as const,
    summary,
    host: ctx.host,
    ...(ctx.lock ? { lock: ctx.lock } : {}),
    ...(ctx.interrupts ? { interrupts: ctx.interrupts } : {}),
  };
}

/**
 * Snapshot housekeeping (delete, prune): one delete after another, under the lock. A reference is a name or an
 * ARN: one of the application's snapshots, or an enhanced snapshot of the account (one that outlived its
 * application can be deleted in the name of that application).
 */
export async function deleteSnapshots(
  ctx: RunContext,
  refs: string[],
  reason: string,
): Promise<{ deleted: string[] }> {
  return withLockedSession(session(ctx, reason), async (locked) => {
    const targets: SnapshotInfo[] = [];
    for (const ref of refs) {
      const found = await requireSnapshot(ctx, ref);
      if (!targets.some((t) => snapshotKey(t) === snapshotKey(found))) targets.push(found);
    }
    await locked.begin({ summary: `${reason}: ${refs.join(', ')}`, details: { delete: refs } });
    return deleteEach(ctx, targets, (s) =>
      locked.recordOperation({
        operation: s.enhanced ? 'DeleteSnapshot' : 'DeleteApplicationSnapshot',
        status: 'SUCCESSFUL',
      }),
    );
  });
}

/**
 * Deletes enhanced snapshots of the account by name or ARN, whatever application they came from (or none:
 * imported). They belong to no application, so no application's lock or ledger is involved.
 */
export async function deleteEnhancedSnapshots(
  ctx: Pick<RunContext, 'gateway' | 'host' | 'clock' | 'wait'>,
  refs: string[],
): Promise<{ deleted: string[] }> {
  const targets: SnapshotInfo[] = [];
  for (const ref of refs) {
    const found = await lookupSnapshot(ctx.gateway, undefined, ref);
    if (!found)
      throw new MsfctlError('SNAPSHOT', `There is no enhanced snapshot ${ref} in this account and Region.`, {
        hint: '`msfctl snapshot list --all` shows them.',
      });
    if (!targets.some((t) => snapshotKey(t) === snapshotKey(found))) targets.push(found);
  }
  return deleteEach(ctx, targets, async () => undefined);
}

async function deleteEach(
  ctx: Pick<RunContext, 'gateway' | 'host' | 'clock' | 'wait'> & { application?: string },
  targets: SnapshotInfo[],
  recorded: (s: SnapshotInfo) => Promise<void>,
): Promise<{ deleted: string[] }> {
  const deleted: string[] = [];
  const application = ctx.application ?? '';
  for (const s of targets) {
    const progress = ctx.host.progress(`Deleting snapshot ${s.name}`);
    try {
      await ctx.gateway.deleteSnapshot(application, s);
      // Deletion is asynchronous (DELETING → gone).
      await waitForSnapshotGone(ctx.gateway, application, s, {
        ...ctx.wait,
        ...(ctx.clock ? { clock: ctx.clock } : {}),
        progress,
        label: `Deleting snapshot ${s.name}`,
      });
    } catch (error) {
      progress.done(`Deleting snapshot ${s.name} failed`, false);
      throw error;
    }
    await recorded(s);
    progress.done(`Deleted snapshot ${s.name}`);
    deleted.push(s.name);
  }
  return { deleted };
}

/**
 * Exports a snapshot's savepoint under `to` (where the target can: enhanced snapshots, and on msf-local
 * application snapshots too). The role defaults to the application's service execution role.
 */
export async function exportSnapshot(
  ctx: RunContext,
  request: { snapshot: string; to: S3Prefix; role?: string },
): Promise<{ snapshot: SnapshotInfo; exported: ExportedSnapshot }> {
  const exporter = ctx.exporter;
  if (!exporter) throw new MsfctlError('SNAPSHOT', 'This target offers no snapshot export.');
  return withLockedSession(session(ctx, 'snapshot export'), async (locked) => {
    const snapshot = await requireSnapshot(ctx, request.snapshot);
    const why = exporter.cannotExport(snapshot);
    if (why)
      throw new MsfctlError(
        'SNAPSHOT',
        `Cannot export snapshot ${snapshot.name} of ${ctx.application}: ${why}`,
      );
    if (snapshot.status !== 'READY')
      throw new MsfctlError(
        'SNAPSHOT',
        `Snapshot ${snapshot.name} is ${snapshot.status}: only a READY one exports.`,
      );
    const role = request.role ?? (await ctx.gateway.describe(ctx.application))?.config.role;
    if (!role)
      throw new MsfctlError(
        'USAGE',
        `Exporting ${snapshot.name} needs a role the service assumes to write to S3.`,
        {
          hint: 'Pass --role arn:aws:iam::<account>:role/<name> (a role that may write to the bucket).',
        },
      );
    await locked.begin({
      summary: `snapshot export ${snapshot.name} to ${describeS3Prefix(request.to)}`,
      details: { snapshot: snapshot.name, to: describeS3Prefix(request.to) },
    });
    const progress = ctx.host.progress(`Exporting snapshot ${snapshot.name}`);
    let exported: ExportedSnapshot;
    try {
      exported = await exporter.export({
        application: ctx.application,
        snapshot,
        to: request.to,
        role,
        progress,
      });
    } catch (error) {
      progress.done(`Exporting snapshot ${snapshot.name} failed`, false);
      throw error;
    }
    progress.done(`Exported snapshot ${snapshot.name} to ${describeS3Prefix(exported.location)}`);
    await locked.recordOperation({
      ...(exported.operationId ? { id: exported.operationId } : {}),
      operation: exported.operation,
      status: 'SUCCESSFUL',
    });
    if (!snapshot.enhanced || snapshot.enhanced.sourceApplication === ctx.application) {
      await locked.ledger.update((l) => {
        const known = l.snapshots.find((s) => s.name === snapshot.name);
        return recordSnapshot(l, {
          name: snapshot.name,
          takenAt: known?.takenAt ?? new Date(snapshot.createdAt).toISOString(),
          versionId: snapshot.versionId,
          reason: known?.reason ?? 'taken outside msfctl',
          ...(snapshot.enhanced ? { arn: snapshot.enhanced.arn } : {}),
          exportedTo: describeS3Prefix(exported.location),
        });
      });
    }
    return { snapshot, exported };
  });
}

/**
 * ImportSnapshot: the Flink savepoint under `from` becomes the enhanced snapshot `name`; waits for the snapshot
 * operation and fails with the service's reason when the prefix holds no restorable savepoint.
 */
export async function importSnapshot(
  ctx: Pick<RunContext, 'gateway' | 'host' | 'clock' | 'wait'>,
  request: { name: string; from: S3Prefix; role: string },
): Promise<SnapshotInfo> {
  const { gateway, host } = ctx;
  const progress = host.progress(`Importing ${describeS3Prefix(request.from)} as snapshot ${request.name}`);
  try {
    const started = await gateway.importSnapshot(request.name, request.from, request.role);
    const operation = await waitForSnapshotOperation(gateway, request.name, started.operationId, {
      ...ctx.wait,
      ...(ctx.clock ? { clock: ctx.clock } : {}),
      progress,
      label: `Importing snapshot ${request.name}`,
    });
    if (operation.status !== 'SUCCESSFUL') {
      const reason = operation.error
        ? `: ${[operation.error.code, operation.error.message].filter(Boolean).join(': ')}`
        : '';
      throw new MsfctlError(
        'SNAPSHOT',
        `Import of ${describeS3Prefix(request.from)} as snapshot ${request.name} ${operation.status}${reason}.`,
        {
          hint: `The prefix must hold a Flink savepoint (its _metadata and the files it names), as \`msfctl snapshot export\` writes one. The name ${request.name} stays taken by the FAILED snapshot until \`msfctl snapshot delete --all ${request.name}\`.`,
          details: { operationId: operation.id, error: operation.error },
        },
      );
    }
    const snapshot = await gateway.describeEnhancedSnapshot(request.name);
    if (!snapshot) throw new MsfctlError('SNAPSHOT', `Imported snapshot ${request.name} is gone.`);
    progress.done(`Imported snapshot ${request.name} (${snapshot.enhanced?.arn})`);
    return snapshot;
  } catch (error) {
    progress.done(`Importing snapshot ${request.name} failed`, false);
    throw error;
  }
}
