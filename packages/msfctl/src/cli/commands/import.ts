/** `msfctl import APP`: write a spec for an existing application and start tracking it. */
import { existsSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { MsfctlError } from '../../model/errors.js';
import { withLockedSession } from '../../controller/session.js';
import { openContext, type GlobalOptions } from './context.js';
import { runCommand } from './run.js';
import { processInterrupts } from '../../adapters/io/process-interrupts.js';

export function registerImport(program: Command): void {
  program
    .command('import')
    .argument('<app>', 'name of the existing application')
    .description('write a spec (msfctl.yaml) for an existing application; msfctl tracks drift from then on')
    .option('--out <file>', 'where to write the spec ("-" for stdout)', 'msfctl.yaml')
    .option('--force', 'overwrite an existing file')
    .action(async (app: string, _o, cmd: Command) => {
      const options = cmd.optsWithGlobals<GlobalOptions & { out: string; force?: boolean }>();
      await runCommand(options, async (host) => {
        if (options.out !== '-' && existsSync(options.out) && !options.force) {
          throw new MsfctlError('USAGE', `${options.out} exists.`, {
            hint: 'Use --force to overwrite it, or --out FILE.',
          });
        }
        const ctx = await openContext(options, { spec: 'optional', application: app }, host);
        try {
          const live = await ctx.gateway.describe(app);
          if (!live)
            throw new MsfctlError(
              'APP_NOT_FOUND',
              `Application ${app} does not exist (${ctx.resolved.endpoint ?? ctx.resolved.region ?? 'AWS'}).`,
            );
          // Imported on use (zod, yaml): start-up stays light for every other command.
          const [{ specFromLive, specYaml }, { applicationSpecSchema }] = await Promise.all([
            import('../import-spec.js'),
            import('../../spec/schema.js'),
          ]);
          const tags = await ctx.gateway.listTags(live.arn);
          const spec = specFromLive(live, ctx.resolved, tags);
          const check = applicationSpecSchema.safeParse(spec);
          const text = specYaml(
            spec,
            ` msfctl spec imported from ${app} version ${live.versionId} on ${new Date().toISOString()}.\n The code stays where it is (code.s3); switch to code.maven or code.jar to let msfctl build and upload it.`,
          );
          await withLockedSession(
            {
              store: ctx.state,
              application: app,
              kind: 'import',
              summary: `import at version ${live.versionId}`,
              host,
              interrupts: processInterrupts(),
            },
            async (session) => {
              await session.begin({ versionBefore: live.versionId, versionAfter: live.versionId });
              await session.recordExpected(live, 'import');
              await session.recordExpectedTags(
                Object.fromEntries(Object.entries(tags).filter(([key]) => !key.startsWith('aws:'))),
              );
            },
          );
          // With --json, stdout is one JSON document: the YAML goes inside it, not beside it.
          if (options.out === '-') {
            if (!host.json) process.stdout.write(text);
          } else writeFileSync(options.out, text);
          if (!check.success)
            host.notify({
              level: 'warn',
              code: 'MSF_IMPORT_W1001',
              text: `The imported spec needs edits before use: ${check.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
            });
          host.result(
            options.out === '-'
              ? ''
              : `Wrote ${options.out} for ${app} (version ${live.versionId}, ${live.status}). \`msfctl plan\` should now show no changes.`,
            {
              application: app,
              versionId: live.versionId,
              file: options.out,
              spec,
              ...(options.out === '-' ? { yaml: text } : {}),
            },
          );
        } finally {
          ctx.close();
        }
      });
    });
}
