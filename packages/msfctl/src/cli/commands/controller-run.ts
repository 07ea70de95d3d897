/**
 * What `msfctl controller` runs (commands/controller.ts declares it): imported when the command runs, so the
 * controller loop, its HTTP endpoints and the AWS SDK clients cost nothing at every other command's start-up.
 */
import { startControllerHttp, type ControllerHttp } from '../../adapters/http/controller-http.js';
import { openStateStore } from '../../adapters/state/open-state.js';
import { createClients } from '../../adapters/aws/clients.js';
import { resolveTarget } from '../../adapters/targets/target.js';
import { Controller } from '../../controller/controller-loop.js';
import type { ControlledApp } from '../../controller/reconciler.js';
import type { GlobalOptions } from './context.js';
import { openFleet, type TargetCache } from './fleet-context.js';
import { runCommand } from './run.js';

export interface ControllerOptions extends GlobalOptions {
  interval: number;
  lease: number;
  http?: { host: string; port: number };
  parallelism?: number;
  once?: boolean;
}

export async function runController(dir: string, options: ControllerOptions): Promise<void> {
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
        createClients(resolveTarget(undefined, { ...(options.region ? { region: options.region } : {}) })).s3,
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
      const failed = report.applications.some((a) => ['failed', 'error'].includes(a.lastReconcile.result));
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
}
