/**
 * `msfctl controller DIR [--interval 60s] [--http 127.0.0.1:PORT]`: the long-running controller over a
 * directory of specs (controller/controller-loop.ts), its /metrics and /status (adapters/http), and a clean stop
 * on SIGTERM or SIGINT: the pass under way finishes, the leader lock is released, the process exits 0.
 */
import type { Command } from 'commander';
import { parseDuration } from '../../model/duration.js';
import { MsfctlError } from '../../model/errors.js';
import type { ControllerOptions } from './controller-run.js';
import { positiveInt } from './run.js';

function duration(name: string, minMs: number) {
  return (value: string): number => {
    const ms = parseDuration(value);
    if (ms === undefined || ms < minMs)
      throw new MsfctlError(
        'USAGE',
        `${name} must be a duration of ${minMs / 1000}s or more, such as 30s or 5m (got ${value}).`,
      );
    return ms;
  };
}

/** Loopback only: the controller's endpoints change nothing, but they say a lot about the fleet. */
function listenAddress(value: string): { host: string; port: number } {
  const m = /^(127\.0\.0\.1|localhost|\[::1\]):(\d{1,5})$/.exec(value);
  const port = m ? Number(m[2]) : NaN;
  if (!m || port > 65535)
    throw new MsfctlError(
      'USAGE',
      `--http must be 127.0.0.1:PORT (loopback; 0 picks a free port), got ${value}.`,
    );
  return { host: m[1] === '[::1]' ? '::1' : m[1] === 'localhost' ? '127.0.0.1' : m[1]!, port };
}

export function registerController(program: Command): void {
  program
    .command('controller')
    .argument('<dir>', 'directory of specs (one application per file)')
    .description(
      'reconcile a directory of specs continuously: plan (apply with reconcile: auto), health and recovery, scheduled snapshots and retention; one leader per state',
    )
    .option('--interval <duration>', 'time between passes', duration('--interval', 1_000), 60_000)
    .option(
      '--lease <duration>',
      'leader lock lease: a standby takes over this long after the leader stops renewing',
      duration('--lease', 1_000),
      60_000,
    )
    .option('--http <address>', 'serve /metrics and /status on 127.0.0.1:PORT', listenAddress)
    .option('--parallelism <n>', 'applications at a time (default 8)', positiveInt('--parallelism'))
    .option('--once', 'one pass, then exit (1 if any application failed to reconcile)')
    .action(async (dir: string, _o, cmd: Command) => {
      const options = cmd.optsWithGlobals<ControllerOptions>();
      const { runController } = await import('./controller-run.js');
      await runController(dir, options);
    });
}
