/**
 * msfctl's command line. Global options apply to every command; each command lives in commands/ and goes
 * parse → library → view.
 */
import { createRequire } from 'node:module';
import tab from '@bomb.sh/tab/commander';
import { Command, CommanderError, Option } from 'commander';
import { registerApply } from './commands/apply.js';
import { registerDashboard } from './commands/dashboard.js';
import { registerDestroy } from './commands/destroy.js';
import { registerForceUnlock } from './commands/force-unlock.js';
import { registerHealth } from './commands/health.js';
import { registerImport } from './commands/import.js';
import { registerController } from './commands/controller.js';
import { registerInit } from './commands/init.js';
import { registerList } from './commands/list.js';
import { registerLocal } from './commands/local.js';
import { registerLogs } from './commands/logs.js';
import { registerPlan } from './commands/plan.js';
import { registerScale } from './commands/scale.js';
import { registerSnapshot } from './commands/snapshot.js';
import { registerStartStop } from './commands/start-stop.js';
import { registerStatus } from './commands/status.js';
import { registerValidate } from './commands/validate.js';
import { reportError } from './commands/run.js';
import { MsfctlError } from '../model/errors.js';
import { createHost } from '../adapters/io/terminal-host.js';

// msfctl supports Node 20 (the repository's engine); the SDK's notice about its future Node 22 floor is
// noise on every command. Set the variable to "false" to see it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// package.json sits two levels above src/cli/main.ts and dist/cli/main.js alike.
const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

/** With --json, every error is one JSON document on stdout: commander's own usage errors included. */
const JSON_OUTPUT = process.argv.slice(2).includes('--json');

export function buildProgram(): Command {
  const program = new Command('msfctl')
    .description(
      'Lifecycle manager for Apache Flink applications on Amazon Managed Service for Apache Flink (and msf-local)',
    )
    .version(version)
    .option(
      '-f, --file <file>',
      'spec file (default msfctl.yaml / msfctl.yml / msfctl.json); plan, apply, status and health also take a directory or a glob, and -f repeated (a fleet)',
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .option('--tfvars <file>', "read the seed's terraform config.tfvars.json instead of a spec")
    .option('-e, --env <name>', 'environment of the spec to use (or MSFCTL_ENV)')
    .option('--app <name>', 'application name, for lifecycle commands without a spec')
    .option('--region <region>', 'AWS region (else the spec, AWS_REGION, the profile)')
    .option('--profile <profile>', 'AWS profile (else the spec, AWS_PROFILE)')
    .option('--endpoint-url <url>', 'service endpoint (else the spec, AWS_ENDPOINT_URL)')
    .addOption(
      new Option(
        '--target <kind>',
        'aws, or local: msf-local on this machine, started when not running',
      ).choices(['aws', 'local']),
    )
    .option('--role <arn>', 'service execution role (else the spec, MSFCTL_ROLE_ARN)')
    .option(
      '--state <location>',
      'ledger and lock location: a directory or s3://bucket/prefix (default .msfctl)',
    )
    .option('--json', 'machine-readable output on stdout (messages go to stderr)')
    .option('--no-color', 'no colours')
    .showHelpAfterError(
      '(`msfctl --help`: commands and global options; `msfctl COMMAND --help`: the options of a command)',
    )
    .enablePositionalOptions(false);
  if (JSON_OUTPUT) {
    // Set before the commands are added, which copy these settings: commander throws instead of printing.
    program.exitOverride().configureOutput({ outputError: () => undefined, writeErr: () => undefined });
  }
  registerInit(program);
  registerValidate(program);
  registerPlan(program);
  registerApply(program);
  registerStatus(program);
  registerList(program);
  registerController(program);
  registerHealth(program);
  registerLogs(program);
  registerStartStop(program);
  registerSnapshot(program);
  registerScale(program);
  registerDestroy(program);
  registerImport(program);
  registerForceUnlock(program);
  registerLocal(program);
  registerDashboard(program);
  // `msfctl completion bash|zsh|fish|powershell` prints a script for the shell; at each TAB the script asks
  // msfctl itself (a hidden `complete` command) for the commands and options of the words typed so far.
  tab(program, { completionCommandName: 'completion' });
  return program;
}

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Only with --json (exitOverride): help and version printed as asked; a usage error as a JSON document.
    if (error.exitCode === 0 || error.code === 'commander.helpDisplayed') {
      process.exitCode = error.exitCode;
    } else {
      reportError(
        createHost({ json: true }),
        new MsfctlError('USAGE', error.message.replace(/^error: /, ''), {
          hint: '`msfctl --help`: commands and global options; `msfctl COMMAND --help`: the options of a command',
        }),
      );
      process.exitCode = 1;
    }
  } else {
    reportUsage(error);
  }
}

function reportUsage(error: unknown): void {
  // Option parsers (--parallelism 0, --bake soon, --on-failure maybe) throw while commander parses, before any
  // command's own error handling runs: report them like every other error, without a stack trace.
  const noColor = process.argv.slice(2).includes('--no-color');
  reportError(createHost({ json: JSON_OUTPUT, ...(noColor ? { color: false } : {}) }), error);
  process.exitCode = 1;
}
