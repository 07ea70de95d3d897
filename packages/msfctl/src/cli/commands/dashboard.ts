/**
 * `msfctl dashboard [DIR|-f SPEC] [--port P] [--host H --token T]`: the fleet and each application in a local,
 * read-only web page, updated live, until Ctrl-C. Bound to 127.0.0.1; any other address needs a token.
 */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DashboardConfigError, DEFAULT_ASSETS_DIR, isLoopback, serveDashboard } from 'msfctl-dashboard';
import { openTarget } from '../../adapters/targets/open-target.js';
import { resolveTarget } from '../../adapters/targets/target.js';
import { MsfctlError } from '../../model/errors.js';
import { findSpecFile } from '../../spec/load.js';
import { msfctlDashboardSource, type SpecFile } from '../dashboard-source.js';
import { loadSpecFrom, type GlobalOptions } from './context.js';
import { runCommand } from './run.js';

interface DashboardCliOptions extends GlobalOptions {
  port: number;
  host: string;
  token?: string;
  all?: boolean;
}

function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535)
    throw new MsfctlError('USAGE', `--port must be a port number from 0 to 65535 (got ${value}).`);
  return n;
}

export function registerDashboard(program: Command): void {
  program
    .command('dashboard')
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
    .action(async (_o, cmd: Command) => {
      const options = cmd.optsWithGlobals<DashboardCliOptions>();
      await runCommand(options, async (host) => {
        const token = options.token ?? process.env.MSFCTL_DASHBOARD_TOKEN;
        // Refused before anything is opened or bound.
        if (!isLoopback(options.host) && !token)
          throw new MsfctlError(
            'USAGE',
            `--host ${options.host} is not a loopback address: it needs --token.`,
            {
              hint: 'Give --token (at least 16 random characters) or MSFCTL_DASHBOARD_TOKEN, or keep the default 127.0.0.1.',
            },
          );
        if (!existsSync(path.join(DEFAULT_ASSETS_DIR, 'index.html')))
          host.notify({
            level: 'warn',
            code: 'MSF_DASHBOARD_W1001',
            text: `The dashboard's web app is not built (${DEFAULT_ASSETS_DIR}): pages answer 503 until it is.`,
          });
        const cwd = process.cwd();
        const specFile = options.file ?? options.tfvars ?? findSpecFile(cwd);
        const read = (): SpecFile[] => {
          if (!specFile) return [];
          try {
            return [{ file: specFile, loaded: loadSpecFrom(options) }];
          } catch (error) {
            return [{ file: specFile, error: error as Error }];
          }
        };
        const first = read()[0];
        const spec = first && 'loaded' in first ? first.loaded : undefined;
        const targetSpec = spec?.spec.target ?? (options.target ? { kind: options.target } : undefined);
        const resolved = resolveTarget(targetSpec, {
          ...(options.region ? { region: options.region } : {}),
          ...(options.profile ? { profile: options.profile } : {}),
          ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}),
        });
        const ports = await openTarget(resolved, host);
        const abort = new AbortController();
        const stop = () => abort.abort();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        try {
          const source = msfctlDashboardSource({
            ports,
            specFiles: read,
            baseDir: cwd,
            ...((options.state ?? process.env.MSFCTL_STATE)
              ? { stateLocation: options.state ?? process.env.MSFCTL_STATE }
              : {}),
            unmanaged: options.all === true || !specFile,
          });
          let dashboard;
          try {
            dashboard = await serveDashboard({
              source,
              host: options.host,
              port: options.port,
              ...(token ? { token } : {}),
              signal: abort.signal,
            });
          } catch (error) {
            if (error instanceof DashboardConfigError) throw new MsfctlError('USAGE', error.message);
            const e = error as NodeJS.ErrnoException;
            if (e.code === 'EADDRINUSE' || e.code === 'EACCES' || e.code === 'EADDRNOTAVAIL')
              throw new MsfctlError('USAGE', `Cannot listen on ${options.host}:${options.port}: ${e.code}.`, {
                hint: 'Choose another --port (0 picks a free one) or --host.',
              });
            throw error;
          }
          host.result(
            `msfctl dashboard of ${source.target}: ${dashboard.openUrl}\n(read-only; Ctrl-C to stop)`,
            { url: dashboard.url, target: source.target },
          );
          await new Promise<void>((resolve) =>
            abort.signal.addEventListener('abort', () => resolve(), { once: true }),
          );
          await dashboard.close();
        } finally {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          ports.close();
        }
      });
    });
}
