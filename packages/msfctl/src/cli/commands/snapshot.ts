/** `msfctl snapshot create|list|delete|prune|export|import`, in both snapshot modes. */
import type { Command } from 'commander';
import { MsfctlError } from '../../model/errors.js';
import {
  createSnapshot,
  deleteEnhancedSnapshots,
  deleteSnapshots,
  exportSnapshot,
  importSnapshot,
  listAccountSnapshots,
  listSnapshots,
} from '../../controller/snapshots.js';
import { assertPrunePolicy, selectPrunable } from '../../engine/snapshots.js';
import { renderAccountSnapshots, renderPrune, renderSnapshots, snapshotJson } from '../views/views.js';
import { parseDuration } from '../../model/duration.js';
import { describeS3Prefix, parseS3Prefix, parseSnapshotRef } from '../../model/snapshot-refs.js';
import { openContext, type GlobalOptions } from './context.js';
import { finish, runContext } from './lifecycle-context.js';
import { positiveInt, runCommand, runWithContext } from './run.js';

const NAME_OR_ARN = '<name-or-arn>';

export function registerSnapshot(program: Command): void {
  const snapshot = program
    .command('snapshot')
    .description('create, list, delete, prune, export and import snapshots (application or enhanced)');

  snapshot
    .command('create')
    .argument('[name]', 'snapshot name (default msfctl-<timestamp>; enhanced mode: msfctl-<app>-<timestamp>)')
    .description('take a snapshot of the running job (an enhanced snapshot in enhanced mode)')
    .action(async (name: string | undefined, _o, cmd: Command) => {
      const options = cmd.optsWithGlobals<GlobalOptions>();
      await runWithContext(options, { spec: 'optional' }, async (ctx, host) => {
        const chosen = name === undefined ? undefined : parseSnapshotRef(name, 'snapshot name');
        const result = await createSnapshot(runContext(ctx), chosen);
        const taken = result.snapshot;
        const arn = taken?.enhanced ? ` (${taken.enhanced.arn})` : '';
        return finish(
          host,
          result,
          `Snapshot ${taken?.name ?? chosen} of ${ctx.application} is READY${arn}.`,
          undefined,
          {
            ...(taken ? { json: { snapshot: snapshotJson(taken) } } : {}),
          },
        );
      });
    });

  snapshot
    .command('list')
    .description(
      "list the application's snapshots, newest first (both kinds); --all: the account's enhanced snapshots",
    )
    .option('--all', 'every enhanced snapshot of the account in this Region, of any application or imported')
    .action(async (_o, cmd: Command) => {
      const options = cmd.optsWithGlobals<GlobalOptions & { all?: boolean }>();
      const needs = { spec: 'optional' as const, accountLevel: options.all === true, readOnly: true };
      await runWithContext(options, needs, async (ctx, host) => {
        if (options.all) {
          const all = await listAccountSnapshots(ctx.gateway);
          host.result(renderAccountSnapshots(all, host.style), {
            account: true,
            snapshots: all.map(snapshotJson),
          });
          return;
        }
        const snapshots = await listSnapshots(ctx);
        host.result(renderSnapshots(ctx.application, snapshots, host.style), {
          application: ctx.application,
          snapshots: snapshots.map(snapshotJson),
        });
      });
    });

  snapshot
    .command('delete')
    .argument('<name-or-arn...>', 'snapshot name(s) or enhanced snapshot ARN(s)')
    .description("delete snapshots: the application's (either kind), or with --all any enhanced snapshot")
    .option('--all', "look the names up among the account's enhanced snapshots (no application needed)")
    .action(async (refs: string[], _o, cmd: Command) => {
      const options = cmd.optsWithGlobals<GlobalOptions & { all?: boolean }>();
      const checked = refs.map((r) => parseSnapshotRef(r, 'snapshot'));
      const needs = { spec: 'optional' as const, accountLevel: options.all === true };
      await runWithContext(options, needs, async (ctx, host) => {
        const { deleted } = options.all
          ? await deleteEnhancedSnapshots({ gateway: ctx.gateway, host }, checked)
          : await deleteSnapshots(runContext(ctx), checked, 'snapshot delete');
        const of = options.all ? '' : ` of ${ctx.application}`;
        host.result(`Deleted ${deleted.length} snapshot${deleted.length === 1 ? '' : 's'}${of}.`, {
          ...(options.all ? { account: true } : { application: ctx.application }),
          deleted,
        });
      });
    });

  snapshot
    .command('prune')
    .description(
      'delete snapshots (both kinds) outside a retention policy; the newest READY snapshot is never deleted',
    )
    .option('--keep <n>', 'keep the newest N READY snapshots', positiveInt('--keep'))
    .option('--older-than <duration>', 'delete only snapshots older than this (e.g. 7d, 12h, 30m)')
    .option('--dry-run', 'show what would be deleted, delete nothing')
    .option('--auto-approve', 'do not ask before deleting (required when there is no terminal)')
    .action(async (_o, cmd: Command) => {
      const options = cmd.optsWithGlobals<
        GlobalOptions & { keep?: number; olderThan?: string; dryRun?: boolean; autoApprove?: boolean }
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
              ...(ctx.spec?.spec.snapshots.protect
                ? { protectPatterns: ctx.spec.spec.snapshots.protect }
                : {}),
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
          // Deleting snapshots loses state for good: asked like destroy, unless --auto-approve.
          if (!options.dryRun && selection.delete.length && !options.autoApprove) {
            const n = selection.delete.length;
            const yes = await host.confirm(
              `Delete ${n} snapshot${n === 1 ? '' : 's'} of ${ctx.application} (${selection.delete.map((s) => s.name).join(', ')})?`,
            );
            if (!yes) throw new MsfctlError('ABORTED', 'Prune cancelled: no snapshot was deleted.');
          }
          if (!options.dryRun && selection.delete.length) {
            deleted = (
              await deleteSnapshots(
                runContext(ctx),
                // An enhanced snapshot by its ARN: a name may be both an application and an enhanced snapshot's.
                selection.delete.map((s) => s.enhanced?.arn ?? s.name),
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

  snapshot
    .command('export')
    .argument(NAME_OR_ARN, 'the snapshot: a name, or an enhanced snapshot ARN')
    .requiredOption('--to <s3-prefix>', 'where to: s3://bucket/prefix/ (the savepoint lands in a sub-prefix)')
    .description(
      "export a snapshot's savepoint to S3 (enhanced snapshots; on msf-local application snapshots too); --role (global): the role the service assumes to write there, default the application's",
    )
    .action(async (ref: string, _o, cmd: Command) => {
      const options = cmd.optsWithGlobals<GlobalOptions & { to: string }>();
      const checked = parseSnapshotRef(ref, 'snapshot');
      const to = parseS3Prefix(options.to, '--to');
      await runWithContext(options, { spec: 'optional' }, async (ctx, host) => {
        const { snapshot: exported, exported: where } = await exportSnapshot(runContext(ctx), {
          snapshot: checked,
          to,
          ...(options.role ? { role: options.role } : {}),
        });
        const location = describeS3Prefix(where.location);
        host.result(
          `Exported snapshot ${exported.name} to ${location} (Flink savepoint: ${location}_metadata and its files).`,
          {
            application: ctx.application,
            snapshot: snapshotJson(exported),
            exportedTo: location,
            bucket: where.location.bucket,
            prefix: where.location.prefix,
            operation: where.operation,
            ...(where.operationId ? { operationId: where.operationId } : {}),
          },
        );
      });
    });

  snapshot
    .command('import')
    .argument('<s3-prefix>', 's3://bucket/prefix/ holding a Flink savepoint (its _metadata and files)')
    .requiredOption('--name <name>', 'the enhanced snapshot to create (unique in the account and Region)')
    .description(
      "import a Flink savepoint from S3 as an enhanced snapshot; --role (global): the role the service assumes to read it, default the spec's",
    )
    .action(async (url: string, _o, cmd: Command) => {
      const options = cmd.optsWithGlobals<GlobalOptions & { name: string }>();
      const from = parseS3Prefix(url, 'the source');
      const name = parseSnapshotRef(options.name, '--name');
      if (name.startsWith('arn:'))
        throw new MsfctlError(
          'USAGE',
          '--name takes a snapshot name, not an ARN (the service makes the ARN).',
        );
      await runWithContext(options, { spec: 'optional', accountLevel: true }, async (ctx, host) => {
        const role = options.role ?? ctx.spec?.spec.role ?? process.env.MSFCTL_ROLE_ARN;
        if (!role)
          throw new MsfctlError('USAGE', `Importing needs a role the service assumes to read ${url}.`, {
            hint: 'Pass --role arn:aws:iam::<account>:role/<name> (a role that may read the bucket), or run where a spec names one.',
          });
        const imported = await importSnapshot({ gateway: ctx.gateway, host }, { name, from, role });
        host.result(
          `Imported ${describeS3Prefix(from)} as enhanced snapshot ${imported.name} (${imported.enhanced?.arn}): start an enhanced-mode application from it with \`msfctl start --snapshot ${imported.enhanced?.arn}\`.`,
          { snapshot: snapshotJson(imported) },
        );
      });
    });
}
