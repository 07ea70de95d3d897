/**
 * `msfctl controller DIR [--interval 60s] [--http 127.0.0.1:PORT]`: the long-running controller over a
 * directory of specs (controller/controller-loop.ts), its /metrics and /status (adapters/http), and a clean stop
 * on SIGTERM or SIGINT: the pass under way finishes, the leader lock is released, the process exits 0.
 */
import type { Command } from 'commander';
import { startControllerHttp, type ControllerHttp } from '../../adapters/http/controller-http.js';
import { openStateStore } from '../../adapters/state/open-state.js';
import { createClients } from '../../adapters/aws/clients.js';
import { resolveTarget } from '../../adapters/targets/target.js';
import { Controller } from '../../controller/controller-loop.js';
import type { ControlledApp } from '../../controller/reconciler.js';
import { parseDuration } from '../../model/duration.js';
import { MsfctlError } from '../../model/errors.js';
import type { GlobalOptions } from './context.js';
import { openFleet, type TargetCache } from './fleet-context.js';
import { positiveInt, runCommand } from './run.js';

interface ControllerOptions extends GlobalOptions {
  interval: number;
  lease: number;
  http?: { host: string; port: number };
  parallelism?: number;
  once?: boolean;
}

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
      await runCommand(options, async (host) => {
        const fleetOptions = { ...options, file: [dir] };
        const targets: TargetCache = new Map();
        // Specs are read again every pass (edits are picked up); targets stay open across passes.
        const load = () => {
          const fleet = openFleet(fleetOptions, host, targets);
          const apps: ControlledApp[] = fleet.members.map((m) => ({
            file: m.file,
            application: m.application,
            spec: m.spec,
            host: m.host,
            open: async () => {
              const { ports, state } = await m.open();
              return {
                state,
                ports: {
                  gateway: ports.gateway,
                  artifacts: ports.artifacts,
                  inspector: ports.inspector,
                  metrics: ports.metrics,
                  exceptions: ports.exceptions,
                  exporter: ports.target.snapshotExporter,
                  ...(ports.target.snapshotState ? { snapshotState: ports.target.snapshotState } : {}),
                  planTarget: () => ports.target.planTarget(),
                  createsBuckets: ports.target.createsBuckets,
                },
              };
            },
          }));
          return { apps, errors: fleet.set.errors.map((e) => ({ file: e.file, message: e.error.message })) };
        };
        const stateLocation = options.state ?? process.env.MSFCTL_STATE;
        const store = openStateStore(
          stateLocation,
          dir,
          () =>
            createClients(resolveTarget(undefined, { ...(options.region ? { region: options.region } : {}) }))
              .s3,
        );
        const log = (text: string) =>
          host.notify({
            level: 'info',
            code: 'MSF_CONTROLLER_I1000',
            text: `${new Date().toISOString()} ${text}`,
          });
        const controller = new Controller({
          load,
          store,
          intervalMs: options.interval,
          leaseMs: options.lease,
          ...(options.parallelism ? { parallelism: options.parallelism } : {}),
          log,
        });
        if (options.once) {
          const report = await controller.pass();
          await controller.release();
          for (const target of targets.values()) void target.then((t) => t.close()).catch(() => undefined);
          host.result(
            report.applications
              .map(
                (a) =>
                  `${a.application}: ${a.lastReconcile.result}${a.lastReconcile.message ? ` (${a.lastReconcile.message})` : ''}`,
              )
              .join('\n'),
            report,
          );
          const failed = report.applications.some((a) =>
            ['failed', 'error'].includes(a.lastReconcile.result),
          );
          return failed || report.errors.length ? 1 : 0;
        }
        let server: ControllerHttp | undefined;
        if (options.http) {
          server = await startControllerHttp({ ...options.http, report: () => controller.report });
          log(`serving ${server.url}/metrics and ${server.url}/status`);
        }
        const abort = new AbortController();
        const stop = (signal: string) => {
          if (abort.signal.aborted) return;
          log(`${signal}: finishing the pass under way, then stopping`);
          abort.abort();
        };
        const onTerm = () => stop('SIGTERM');
        const onInt = () => stop('SIGINT');
        process.on('SIGTERM', onTerm);
        process.on('SIGINT', onInt);
        log(`watching ${dir} every ${options.interval / 1000}s (lease ${options.lease / 1000}s)`);
        try {
          await controller.run(abort.signal);
        } finally {
          process.off('SIGTERM', onTerm);
          process.off('SIGINT', onInt);
          await server?.close();
          for (const target of targets.values()) await target.then((t) => t.close()).catch(() => undefined);
        }
        log('stopped');
        return 0;
      });
    });
}
