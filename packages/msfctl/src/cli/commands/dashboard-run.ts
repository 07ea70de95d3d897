/**
 * What `msfctl dashboard` runs (commands/dashboard.ts declares it): imported when the command runs, so the
 * dashboard server, the AWS SDK clients and the spec loader cost nothing at every other command's start-up.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  DashboardConfigError,
  DEFAULT_ASSETS_DIR,
  isLoopback,
  serveDashboard,
  type RunningDashboard,
} from 'msfctl-dashboard';
import { openTarget } from '../../adapters/targets/open-target.js';
import { describeTarget, resolveTarget, type TargetFlags } from '../../adapters/targets/target.js';
import { MsfctlError } from '../../model/errors.js';
import { findSpecFile, loadSpec } from '../../spec/load.js';
import { expandSources, loadSpecSet } from '../../spec/spec-set.js';
import { msfctlDashboardSource, reloadOnChange, type SpecFile } from '../dashboard-source.js';
import { isFleet, specLoadOptions, specOverrides, type GlobalOptions } from './context.js';
import { runCommand } from './run.js';

export interface DashboardCliOptions extends GlobalOptions {
  port: number;
  host: string;
  token?: string;
  all?: boolean;
}

export async function runDashboard(sources: string[], options: DashboardCliOptions): Promise<void> {
  await runCommand(options, async (host) => {
    const token = options.token ?? process.env.MSFCTL_DASHBOARD_TOKEN;
    // Refused before anything is opened or bound.
    if (!isLoopback(options.host) && !token)
      throw new MsfctlError('USAGE', `--host ${options.host} is not a loopback address: it needs --token.`, {
        hint: 'Give --token (at least 16 random characters) or MSFCTL_DASHBOARD_TOKEN, or keep the default 127.0.0.1.',
      });
    if (!existsSync(path.join(DEFAULT_ASSETS_DIR, 'index.html')))
      host.notify({
        level: 'warn',
        code: 'MSF_DASHBOARD_W1001',
        text: `The dashboard's web app is not built (${DEFAULT_ASSETS_DIR}): pages answer 503 until it is.`,
      });
    const cwd = process.cwd();
    const read = specReader(options, sources, cwd);
    const flags: TargetFlags = {
      ...(options.region ? { region: options.region } : {}),
      ...(options.profile ? { profile: options.profile } : {}),
      ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}),
    };
    // One target per dashboard: the first spec's (or the flags'); specs for another one say so in their row.
    const first = read().find((f) => 'loaded' in f);
    const targetSpec =
      (first && 'loaded' in first ? first.loaded.spec.target : undefined) ??
      (options.target ? { kind: options.target } : undefined);
    const resolved = resolveTarget(targetSpec, flags);
    const here = describeTarget(resolved);
    const onThisTarget = (): SpecFile[] =>
      read().map((f) => {
        if (!('loaded' in f)) return f;
        const theirs = describeTarget(resolveTarget(f.loaded.spec.target, flags));
        return theirs === here
          ? f
          : { file: f.file, error: new Error(`its target is ${theirs}; this dashboard shows ${here}`) };
      });
    const ports = await openTarget(resolved, host);
    const abort = new AbortController();
    const stop = () => abort.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      const state = options.state ?? process.env.MSFCTL_STATE;
      const source = msfctlDashboardSource({
        ports,
        specFiles: onThisTarget,
        baseDir: cwd,
        ...(state ? { stateLocation: state } : {}),
        unmanaged: options.all === true || read().length === 0,
      });
      const dashboard = await listen(() =>
        serveDashboard({
          source,
          host: options.host,
          port: options.port,
          ...(token ? { token } : {}),
          signal: abort.signal,
        }),
      );
      host.result(`msfctl dashboard of ${source.target}: ${dashboard.openUrl}\n(read-only; Ctrl-C to stop)`, {
        url: dashboard.url,
        target: source.target,
      });
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
}

/**
 * The specs to show, read again when a file changed: a spec set (positional sources and -f), else the spec
 * here. A refresh costs a glob and a stat per file, not a parse and validation of every spec.
 */
function specReader(options: DashboardCliOptions, sources: string[], cwd: string): () => SpecFile[] {
  const flagged = options.file ?? [];
  if (sources.length || isFleet(options)) {
    const all = [...sources, ...flagged];
    const load = () =>
      loadSpecSet({
        sources: all,
        cwd,
        ...(options.env ? { environment: options.env } : {}),
        overrides: specOverrides(options),
      }).members;
    return reloadOnChange(() => expandSources(all, cwd).files, load);
  }
  const named = flagged[0] ?? options.tfvars ?? findSpecFile(cwd);
  if (!named) return () => [];
  const file = path.resolve(cwd, named);
  return reloadOnChange(
    () => [file],
    () => {
      try {
        return [{ file, loaded: loadSpec(specLoadOptions(options)) }];
      } catch (error) {
        return [{ file, error: error as Error }];
      }
    },
  );
}

/** Starts the server; an address that cannot be used is the user's to change, said without a stack trace. */
async function listen(start: () => Promise<RunningDashboard>): Promise<RunningDashboard> {
  try {
    return await start();
  } catch (error) {
    if (error instanceof DashboardConfigError) throw new MsfctlError('USAGE', error.message);
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE' || e.code === 'EACCES' || e.code === 'EADDRNOTAVAIL')
      throw new MsfctlError('USAGE', `Cannot listen there: ${e.code} (${e.message}).`, {
        hint: 'Choose another --port (0 picks a free one) or --host.',
      });
    throw error;
  }
}
