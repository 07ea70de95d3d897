/** `msfctl snapshot create|list|delete|prune`. */
import type { Command } from 'commander';
import { MsfctlError } from '../../model/errors.js';
import { createSnapshot, deleteSnapshots, listSnapshots } from '../../controller/verbs.js';
import { assertPrunePolicy, defaultSnapshotName, selectPrunable } from '../../engine/snapshots.js';
import { renderPrune, renderSnapshots } from '../views/views.js';
import { parseDuration } from '../../model/duration.js';
import { openContext, type GlobalOptions } from './context.js';
import { finish, runContext } from './lifecycle-context.js';
import { positiveInt, runCommand, runWithContext } from './run.js';

export function registerSnapshot(program: Command): void {
  const snapshot = program.command('snapshot').description('create, list, delete and prune snapshots');

  snapshot
    .command('create')
    .argument('[name]', 'snapshot name (default msfctl-<timestamp>)')
    .description('take a snapshot of the running job')
    .action(async (name: string | undefined, _o, cmd: Command) => {
      const options = cmd.optsWithGlobals<GlobalOptions>();
      await runWithContext(options, { spec: 'optional' }, async (ctx, host) => {
        const snapshotName = name ?? defaultSnapshotName();
        const result = await createSnapshot(runContext(ctx), snapshotName);
        return finish(host, result, `Snapshot ${snapshotName} of ${ctx.application} is READY.`);
      });
    });

  snapshot
    .command('list')
    .description('list snapshots, newest first')
    .action(async (_o, cmd: Command) => {
      const options = cmd.optsWithGlobals<GlobalOptions>();
      await runWithContext(options, { spec: 'optional' }, async (ctx, host) => {
        const snapshots = await listSnapshots(ctx);
        host.result(renderSnapshots(ctx.application, snapshots, host.style), {
          application: ctx.application,
          snapshots: snapshots.map((s) => ({ ...s, createdAt: new Date(s.createdAt).toISOString() })),
        });
      });
    });

  snapshot
    .command('delete')
    .argument('<name...>', 'snapshot name(s)')
    .description('delete snapshots by name')
    .action(async (names: string[], _o, cmd: Command) => {
      const options = cmd.optsWithGlobals<GlobalOptions>();
      await runWithContext(options, { spec: 'optional' }, async (ctx, host) => {
        const { deleted } = await deleteSnapshots(runContext(ctx), names, 'snapshot delete');
        host.result(
          `Deleted ${deleted.length} snapshot${deleted.length === 1 ? '' : 's'} of ${ctx.application}.`,
          { application: ctx.application, deleted },
        );
      });
    });

  snapshot
    .command('prune')
    .description('delete snapshots outside a retention policy; the newest READY snapshot is never deleted')
    .option('--keep <n>', 'keep the newest N READY snapshots', positiveInt('--keep'))
    .option('--older-than <duration>', 'delete only snapshots older than this (e.g. 7d, 12h, 30m)')
    .option('--dry-run', 'show what would be deleted, delete nothing')
    .action(async (_o, cmd: Command) => {
      const options = cmd.optsWithGlobals<
        GlobalOptions & { keep?: number; olderThan?: string; dryRun?: boolean }
      >();
      await runCommand(options, async (host) => {
        const olderThanMs = options.olderThan === undefined ? undefined : parseDuration(options.olderThan);
        if (options.olderThan !== undefined && olderThanMs === undefined) {
          throw new MsfctlError('USAGE', `--older-than ${options.olderThan} is not a duration.`, {
            hint: 'Use forms like 90s, 30m, 12h, 7d, 2w or 1d12h.',
          });
        }
        assertPrunePolicy({
          ...(options.keep !== undefined ? { keep: options.keep } : {}),
          ...(olderThanMs !== undefined ? { olderThanMs } : {}),
        });
        const ctx = await openContext(options, { spec: 'optional' }, host);
        try {
          const snapshots = await listSnapshots(ctx);
          const protect = ctx.spec?.spec.restore.snapshot ? [ctx.spec.spec.restore.snapshot] : [];
          const selection = selectPrunable(
            snapshots,
            {
              ...(options.keep !== undefined ? { keep: options.keep } : {}),
              ...(olderThanMs !== undefined ? { olderThanMs } : {}),
              protect,
            },
            Date.now(),
          );
          if (!host.json)
            host.notify({
              level: 'info',
              code: 'MSF_PRUNE_I1001',
              text: renderPrune(selection, host.style, options.dryRun ?? false),
            });
          let deleted: string[] = [];
          if (!options.dryRun && selection.delete.length) {
            deleted = (
              await deleteSnapshots(
                runContext(ctx),
                selection.delete.map((s) => s.name),
                'snapshot prune',
              )
            ).deleted;
          }
          host.result(
            options.dryRun
              ? 'Dry run: nothing deleted.'
              : `Pruned ${deleted.length} snapshot${deleted.length === 1 ? '' : 's'}; ${selection.keep.length} kept.`,
            {
              application: ctx.application,
              dryRun: options.dryRun ?? false,
              deleted: options.dryRun ? [] : deleted,
              wouldDelete: selection.delete.map((s) => s.name),
              kept: selection.keep.map((k) => ({ name: k.snapshot.name, reason: k.reason })),
            },
          );
        } finally {
          ctx.close();
        }
      });
    });
}
