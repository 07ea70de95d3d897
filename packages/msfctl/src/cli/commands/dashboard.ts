/**
 * `msfctl dashboard [DIR|GLOB|FILE...] [-f SPEC] [--port P] [--host H --token T]`: the fleet and each application
 * in a local, read-only web page, updated live, until Ctrl-C. Bound to 127.0.0.1; any other address needs a
 * token. The specs are read again on every refresh, so an edit shows as pending drift at once.
 */
import type { Command } from 'commander';
import { MsfctlError } from '../../model/errors.js';
import type { DashboardCliOptions } from './dashboard-run.js';

function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535)
    throw new MsfctlError('USAGE', `--port must be a port number from 0 to 65535 (got ${value}).`);
  return n;
}

export function registerDashboard(program: Command): void {
  program
    .command('dashboard')
    .argument('[sources...]', 'spec directories, globs or files (default: -f FILE, else the spec here)')
    .description(
      'a local, read-only web page of the fleet and each application: health, versions, operations, snapshots, drift, charts (until Ctrl-C)',
    )
    .option('--port <port>', 'port to listen on (0: a free one)', port, 0)
    .option('--host <address>', 'address to bind; anything but loopback needs --token', '127.0.0.1')
    .option(
      '--token <token>',
      'required on every request (at least 16 characters; or MSFCTL_DASHBOARD_TOKEN)',
    )
    .option('--all', "also show the target's applications that no spec names (the default without a spec)")
    .action(async (sources: string[], _o, cmd: Command) => {
      const options = cmd.optsWithGlobals<DashboardCliOptions>();
      const { runDashboard } = await import('./dashboard-run.js');
      await runDashboard(sources, options);
    });
}
