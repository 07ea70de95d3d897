/** `msfctl init`: write a first, commented spec for a JAR, a Maven project, or the seed's tfvars file. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { MsfctlError } from '../../model/errors.js';
import type { GlobalOptions } from './context.js';
import { runCommand } from './run.js';

interface InitOptions extends GlobalOptions {
  jar?: string;
  maven?: string;
  runtime?: string;
  out: string;
  force?: boolean;
}

const DEFAULT_RUNTIME = 'FLINK-1_20';

export function registerInit(program: Command): void {
  program
    .command('init')
    .description(
      "write a commented spec (msfctl.yaml) for a JAR (--jar), a Maven project (--maven) or the seed's tfvars (--tfvars)",
    )
    .option('--jar <file>', 'the application JAR')
    .option('--maven <dir>', 'a Maven project msfctl builds (mvn package) on each plan and apply')
    .option(
      '--runtime <runtime>',
      `Flink runtime (default: the tfvars', the Maven project's Flink, else ${DEFAULT_RUNTIME})`,
    )
    .option('--out <file>', 'where to write the spec ("-" for stdout)', 'msfctl.yaml')
    .option('--force', 'overwrite an existing file')
    .action(async (_o, cmd: Command) => {
      const options = cmd.optsWithGlobals<InitOptions>();
      await runCommand(options, async (host) => {
        // Imported on use (zod, yaml): start-up stays light for every other command.
        const [{ initSpecYaml }, { RUNTIMES }] = await Promise.all([
          import('../../spec/init.js'),
          import('../../spec/schema.js'),
        ]);
        if (options.out !== '-' && existsSync(options.out) && !options.force) {
          throw new MsfctlError('USAGE', `${options.out} exists.`, {
            hint: 'Use --force to overwrite it, or --out FILE.',
          });
        }
        if (options.jar && options.maven) {
          throw new MsfctlError('USAGE', 'init takes --jar or --maven, not both.');
        }
        if (!options.jar && !options.maven && !options.tfvars) {
          throw new MsfctlError('USAGE', 'init needs the code: --jar FILE, --maven DIR, or --tfvars FILE.', {
            hint: 'e.g. msfctl init --maven . (a Maven project here) or msfctl init --jar target/app.jar',
          });
        }
        // Paths in a spec are relative to the spec's directory.
        const specDir = path.resolve(options.out === '-' ? '.' : path.dirname(options.out));
        const relative = (p: string) => {
          const from = path.relative(specDir, path.resolve(p)) || '.';
          return from.startsWith('..') ? path.resolve(p) : from;
        };
        const code = options.jar
          ? { jar: relative(options.jar) }
          : options.maven
            ? { maven: relative(options.maven) }
            : undefined;
        const pom = options.maven ? readPom(options.maven, RUNTIMES) : undefined;
        const fromTfvars = options.tfvars ? await tfvarsDocument(options.tfvars, options) : undefined;
        const application =
          options.app ??
          (fromTfvars?.application as string | undefined) ??
          pom?.artifactId ??
          (options.jar ? jarName(options.jar) : 'my-flink-app');
        const runtime =
          options.runtime ?? (fromTfvars?.runtime as string | undefined) ?? pom?.runtime ?? DEFAULT_RUNTIME;
        if (!(RUNTIMES as readonly string[]).includes(runtime)) {
          throw new MsfctlError(
            'USAGE',
            `--runtime ${runtime} is not a runtime MSF has: ${RUNTIMES.join(', ')}.`,
          );
        }
        const tfvarsCode = fromTfvars?.code as { jar: string } | { maven: string } | undefined;
        const text = initSpecYaml(
          {
            application,
            runtime,
            ...(options.role ? { role: options.role } : {}),
            code: code ?? tfvarsCode ?? { jar: 'app.jar' },
            ...(fromTfvars ? { fromTfvars } : {}),
          },
          options.tfvars
            ? `msfctl spec from ${options.tfvars}: its values, commented. Check it with msfctl validate.`
            : 'msfctl spec: msfctl validate checks it, msfctl plan shows what apply would do.',
        );
        if (options.out === '-') process.stdout.write(text);
        else writeFileSync(options.out, text);
        host.result(
          options.out === '-'
            ? ''
            : `Wrote ${options.out} for ${application} (${runtime}). Next: msfctl validate; msfctl -e local apply runs it on msf-local.`,
          { file: options.out, application, runtime },
        );
      });
    });
}

/** The seed's tfvars as a spec document; its problems are errors naming the variable. */
async function tfvarsDocument(file: string, options: InitOptions): Promise<Record<string, unknown>> {
  const { readTfvars } = await import('../../spec/tfvars.js');
  let vars: unknown;
  try {
    vars = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new MsfctlError('USAGE', `cannot read ${file} as JSON: ${(error as Error).message}`);
  }
  const codeOverride = options.jar
    ? { jar: options.jar }
    : options.maven
      ? { maven: options.maven }
      : undefined;
  const result = readTfvars(vars, codeOverride ? { codeOverride } : {});
  if (result.problems.length) {
    throw new MsfctlError(
      'USAGE',
      `${file}: ${result.problems.map((p) => `${p.variable} ${p.message}`).join('; ')}`,
      codeOverride
        ? {}
        : { hint: 'Without s3_file_key in the file, give the code: --jar FILE or --maven DIR.' },
    );
  }
  return result.document;
}

/** The project's artifactId (its own, not its parent's) and the Flink runtime its flink.version names. */
function readPom(dir: string, runtimes: readonly string[]): { artifactId?: string; runtime?: string } {
  const file = path.join(dir, 'pom.xml');
  if (!existsSync(file)) {
    throw new MsfctlError('USAGE', `--maven ${dir}: no pom.xml there.`);
  }
  const pom = readFileSync(file, 'utf8').replace(/<parent>[\s\S]*?<\/parent>/, '');
  const artifactId = /<artifactId>\s*([^<\s]+)\s*<\/artifactId>/.exec(pom)?.[1];
  const flink = /<flink\.version>\s*(\d+)\.(\d+)/.exec(pom);
  const runtime = flink ? `FLINK-${flink[1]}_${flink[2]}` : undefined;
  return {
    ...(artifactId ? { artifactId } : {}),
    ...(runtime && runtimes.includes(runtime) ? { runtime } : {}),
  };
}

/** `stock-prices-1.0.jar` → `stock-prices`. */
function jarName(jar: string): string {
  return path.basename(jar, '.jar').replace(/-\d+(\.\d+)*(-SNAPSHOT)?$/, '') || 'my-flink-app';
}
