/**
 * `msf-local` command line: `start` runs the server in the foreground; `prepare-runtimes` fetches the Flink
 * runtimes ahead of time (CI, offline use).
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { FLINK_RUNTIMES } from 'msf-flink-runtime';

// package.json sits one level above src/cli.ts and dist/cli.js alike.
const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

function integer(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new InvalidArgumentError('must be a non-negative integer');
  return parsed;
}

const program = new Command('msf-local')
  .description('A local Amazon Managed Service for Apache Flink that runs applications on real Apache Flink')
  .version(version)
  .showHelpAfterError();

program
  .command('start')
  .description('run msf-local in the foreground (Ctrl-C stops it and every Flink cluster it started)')
  .option('--port <port>', 'port of the single endpoint serving every API', integer, 4577)
  .option('--host <host>', 'address to bind', '127.0.0.1')
  .option(
    '--data-dir <dir>',
    'where applications, S3 objects, metrics and snapshots are kept',
    defaultDataDir(),
  )
  .option('--region <region>', 'region for unsigned requests and new resources', 'us-east-1')
  .option(
    '--restart-delay <ms>',
    'fixed delay between restarts of a failing job (MSF: 10000)',
    integer,
    10_000,
  )
  .option(
    '--allow-origin <origin>',
    'let web pages from this origin (e.g. http://localhost:3000) call msf-local; repeatable. Without it, ' +
      'any request a browser marks with an Origin is refused',
    (value: string, previous: string[]) => [...previous, value],
    [] as string[],
  )
  .option('--quiet', 'do not log requests')
  .option(
    '--background',
    'keep running after the process that started it exits (msfctl local up); by default msf-local stops with its launcher',
  )
  .action(async (options) => {
    if (!LOOPBACK.has(options.host)) {
      process.stderr.write(
        `msf-local: WARNING: binding ${options.host}, which is not a loopback address: anyone who can reach it ` +
          `can control your applications and read your data.\n`,
      );
    }
    // The server (and the AWS SDK and the Flink driver with it) is imported here: `--version` needs none of it.
    const { startMsfLocal } = await import('./msf-local.js');
    const server = await startMsfLocal({
      dataDir: options.dataDir,
      host: options.host,
      port: options.port,
      region: options.region,
      flink: { restartDelayMs: options.restartDelay },
      allowOrigins: options.allowOrigin,
      onRequest: options.quiet
        ? undefined
        : (e) =>
            process.stderr.write(
              `${new Date().toISOString()} ${e.service} ${e.operation ?? `${e.method} ${e.path}`} ${e.status} ${e.ms.toFixed(0)}ms\n`,
            ),
    });
    process.stdout.write(`msf-local listening on ${server.url}\n`);
    process.stdout.write(`data dir: ${server.dataDir}\n`);
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      process.stderr.write(`msf-local: ${signal}: stopping Flink clusters and the server...\n`);
      await server.close();
      process.exit(0);
    };
    process.on('SIGINT', () => void stop('SIGINT'));
    process.on('SIGTERM', () => void stop('SIGTERM'));
    if (!options.background) exitWithLauncher(() => void stop('its launcher exited'));
  });

program
  .command('prepare-runtimes')
  .description('download and build the Flink runtimes now, so later starts work offline')
  .argument('[runtimes...]', `runtime environments (default: ${Object.keys(FLINK_RUNTIMES).join(' ')})`)
  .action(async (runtimes: string[]) => {
    const wanted = runtimes.length > 0 ? runtimes : Object.keys(FLINK_RUNTIMES);
    const { prepareRuntimes } = await import('./flink/index.js');
    for (const prepared of await prepareRuntimes(wanted)) {
      process.stdout.write(`${prepared.spec.runtimeEnvironment}: ready\n`);
    }
  });

/**
 * `npx msf-local start` runs this process under npx (and a shell): killing npx leaves it behind, reparented, still
 * holding the port. So it watches its parent, and stops — its Flink clusters and kinesis-local with it — as soon
 * as the parent it was started by is gone (its parent PID changes). A process started by init (a service) has
 * nothing to watch.
 */
function exitWithLauncher(stop: () => void): void {
  const launcher = process.ppid;
  if (launcher <= 1) return;
  const watch = setInterval(() => {
    if (process.ppid === launcher) return;
    clearInterval(watch);
    stop();
  }, 500);
  watch.unref();
}

function defaultDataDir(): string {
  return process.env.MSF_LOCAL_DATA_DIR ?? path.join(os.homedir(), '.msf-local');
}

await program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`msf-local: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
