/** `msfctl validate`: checks the spec (every environment) or a tfvars file, without touching AWS. */
import type { Command } from 'commander';
import { MsfctlError } from '../../model/errors.js';
import { renderMapping } from '../views/views.js';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type * as SpecLoad from '../../spec/load.js';
import { DEFAULT_DEPLOY } from '../../model/deploy-settings.js';
import { readTfvars, type TfvarsMappingEntry } from '../../spec/tfvars.js';
import { singleSpecFile, specOverrides, type GlobalOptions } from './context.js';
import { runCommand } from './run.js';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description(
      'check the spec (all environments) or a tfvars file; with --tfvars, show which spec field each variable became',
    )
    .option('--jar <file>', 'with --tfvars: the JAR that replaces s3_file_key')
    .option('--maven <dir>', 'with --tfvars: the Maven project that replaces s3_file_key')
    .action(async (_opts, cmd: Command) => {
      const options = cmd.optsWithGlobals<GlobalOptions>();
      await runCommand(options, async (host) => {
        if (options.tfvars) {
          // The mapping is shown even when the variables have problems: it is what explains them.
          const mapping = tfvarsMapping(options);
          if (mapping && !host.json) {
            host.notify({
              level: 'info',
              code: 'MSF_TFVARS_I1001',
              text: `${host.style.bold(`${options.tfvars}: variable → spec field`)}\n${renderMapping(mapping, host.style)}\n`,
            });
            // Terraform has no safe deploys: no variable maps to them, and the spec's defaults apply.
            host.notify({
              level: 'info',
              code: 'MSF_TFVARS_I1002',
              text: host.style.dim(
                `No variable sets deploy.*: msfctl's safe-deploy defaults apply (deploy.bakeSeconds ${DEFAULT_DEPLOY.bakeSeconds}, deploy.onFailure ${DEFAULT_DEPLOY.onFailure}, deploy.acceptStateLoss ${DEFAULT_DEPLOY.acceptStateLoss}); per run: --bake, --on-failure, --accept-state-loss.\n`,
              ),
            });
          }
        }
        // Imported on use (zod, yaml): start-up stays light for every other command.
        const { loadAllEnvironments } = await import('../../spec/load.js');
        let results: ReturnType<typeof SpecLoad.loadAllEnvironments>;
        try {
          const file = singleSpecFile(options);
          results = loadAllEnvironments({
            ...(file ? { file } : {}),
            ...(options.tfvars ? { tfvars: options.tfvars } : {}),
            overrides: specOverrides(options),
          });
        } catch (error) {
          if (!MsfctlError.is(error)) throw error;
          results = [{ name: undefined, result: error }];
        }
        const failures = results.filter((r) => MsfctlError.is(r.result));
        const first = results.find((r) => !MsfctlError.is(r.result))?.result;
        const loaded = first && !MsfctlError.is(first) ? first : undefined;
        const out: string[] = [];
        if (loaded?.tfvarsMapping) {
          if (!loaded.spec.role || loaded.spec.role.includes(':role/msf-local')) {
            out.push(
              host.style.dim(
                'The seed creates the execution role in Terraform; give it with --role ARN or MSFCTL_ROLE_ARN (any placeholder works against msf-local).',
              ),
              '',
            );
          }
        }
        // Files the spec names are checked too (plan and apply need them), as warnings: CI may build the JAR later.
        const warnings = [...(loaded?.warnings ?? []), ...codeWarnings(results)];
        for (const warning of warnings) host.notify({ level: 'warn', code: 'MSF_SPEC_W1001', text: warning });
        for (const r of results) {
          const name = r.name
            ? `environment ${r.name}`
            : results.length > 1
              ? 'spec without --env (what plan and apply use by default)'
              : 'spec';
          if (MsfctlError.is(r.result)) out.push(`${host.style.red('✗')} ${name}: ${r.result.message}`);
          else
            out.push(
              `${host.style.green('✓')} ${name}: ${r.result.spec.application} (${r.result.spec.runtime}, target ${r.result.spec.target.kind}) is valid`,
            );
        }
        host.result(out.join('\n'), {
          ok: failures.length === 0,
          environments: results.map((r) => ({
            name: r.name ?? null,
            ok: !MsfctlError.is(r.result),
            ...(MsfctlError.is(r.result)
              ? { error: r.result.toJSON() }
              : { spec: r.result.spec, digest: r.result.digest }),
          })),
          ...(loaded?.tfvarsMapping ? { mapping: loaded.tfvarsMapping } : {}),
          warnings,
        });
        return failures.length ? 1 : 0;
      });
    });
}

function codeWarnings(results: ReturnType<typeof SpecLoad.loadAllEnvironments>): string[] {
  const out = new Set<string>();
  for (const { name, result } of results) {
    if (MsfctlError.is(result)) continue;
    const where = name ? ` (environment ${name})` : '';
    const code = result.spec.code;
    if (code.jar && !existsSync(code.jar))
      out.add(
        `code.jar ${code.jar}${where} does not exist yet: plan and apply need it (build it first, or use code.maven).`,
      );
    const maven = typeof code.maven === 'string' ? code.maven : code.maven?.dir;
    if (maven && !existsSync(path.join(maven, 'pom.xml')))
      out.add(`code.maven ${maven}${where} has no pom.xml: plan and apply cannot build it.`);
  }
  return [...out];
}

function tfvarsMapping(options: GlobalOptions): TfvarsMappingEntry[] | undefined {
  try {
    const json = JSON.parse(readFileSync(path.resolve(options.tfvars!), 'utf8')) as unknown;
    const code = options.jar ? { jar: options.jar } : options.maven ? { maven: options.maven } : undefined;
    return readTfvars(json, code ? { codeOverride: code } : {}).mapping;
  } catch {
    return undefined; // unreadable: loadAllEnvironments reports why
  }
}
