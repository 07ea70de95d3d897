/**
 * The dashboard over a target msfctl opened: msfctl's DashboardSource wired to that target's adapters (the
 * service, CloudWatch at chart periods, presigned Flink dashboard URLs, each spec's state store), and a request
 * handler another server can mount (the controller's --http serves these pages beside /metrics and /status).
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { createDashboardHandler, type DashboardHandler, type DashboardOptions } from 'msfctl-dashboard';
import { codeLocator } from '../adapters/artifacts/locate.js';
import { CloudWatchHealthFetcher } from '../adapters/aws/cloudwatch-fetcher.js';
import { PresignedFlinkDashboardLinks } from '../adapters/aws/flink-dashboard-links.js';
import { openStateStore } from '../adapters/state/open-state.js';
import type { OpenedTarget } from '../adapters/targets/open-target.js';
import type { ManagedSpec } from '../controller/dashboard/facts.js';
import { streamLogs } from '../controller/dashboard/logs.js';
import { MsfctlDashboardSource } from '../controller/dashboard/source.js';
import type { ObjectStore } from '../ports/object-store.js';
import type { LoadedSpec } from '../spec/load.js';

/** A spec file as a fleet gives it: loaded, or why not. */
export type SpecFile = { file: string; loaded: LoadedSpec } | { file: string; error: Error };

export interface DashboardWiring {
  ports: OpenedTarget;
  /** The specs, read on every call (a fleet read), so that edits show. */
  specFiles(): SpecFile[];
  /** Paths are shown relative to it. */
  baseDir: string;
  /** --state / MSFCTL_STATE: one state location for every application; else each spec's, else .msfctl. */
  stateLocation?: string;
  /** Also list the target's applications that no spec names. */
  unmanaged: boolean;
}

export function msfctlDashboardSource(wiring: DashboardWiring): MsfctlDashboardSource {
  const { ports } = wiring;
  const locate = codeLocator();
  const stores = new Map<string, ObjectStore>();
  const charts = new Map<number, CloudWatchHealthFetcher>();
  const stateFor = (_application: string, managed: ManagedSpec | undefined): ObjectStore => {
    const spec = managed as DashboardSpec | undefined;
    const location = wiring.stateLocation ?? spec?.stateLocation;
    const base = spec?.baseDir ?? wiring.baseDir;
    const key = `${base}\0${location ?? ''}`;
    let store = stores.get(key);
    if (!store) stores.set(key, (store = openStateStore(location, base, () => ports.clients.s3)));
    return store;
  };
  return new MsfctlDashboardSource({
    target: ports.target.description,
    gateway: ports.gateway,
    metrics: ports.metrics,
    chartMetrics: (periodSeconds) => {
      let fetcher = charts.get(periodSeconds);
      if (!fetcher)
        charts.set(
          periodSeconds,
          (fetcher = new CloudWatchHealthFetcher(ports.clients.cloudwatch, { periodSeconds })),
        );
      return fetcher;
    },
    exceptions: ports.exceptions,
    links: new PresignedFlinkDashboardLinks(ports.clients.msf),
    logs: streamLogs(ports.logs),
    stateFor,
    unmanaged: wiring.unmanaged,
    specs: async () =>
      Promise.all(
        wiring.specFiles().map(async (f): Promise<DashboardSpec> => {
          const file = path.relative(wiring.baseDir, f.file) || path.basename(f.file);
          if ('error' in f) return { file, application: nameFromFile(f.file), error: f.error.message };
          const { spec, baseDir } = f.loaded;
          const code = await locate(spec).catch(() => undefined);
          return {
            file,
            application: spec.application,
            spec,
            baseDir,
            ...(spec.state ? { stateLocation: spec.state } : {}),
            ...(code ? { code } : {}),
          };
        }),
      ),
  });
}

/** What the dashboard keeps of a spec: where its state lives besides what it compares. */
type DashboardSpec = ManagedSpec & { baseDir?: string; stateLocation?: string };

/** A spec that does not load names no application: its row is named after the file (msfctl.yaml: its directory). */
function nameFromFile(file: string): string {
  const stem = path.basename(file).replace(/\.(ya?ml|json)$/, '');
  const name = /^msfctl$/.test(stem) ? path.basename(path.dirname(file)) : stem;
  return name.replace(/[^a-zA-Z0-9_.-]/g, '-').slice(0, 128) || 'spec';
}

/** The dashboard's request handler over this wiring, for a server that serves other paths too. */
export function msfctlDashboardHandler(
  wiring: DashboardWiring,
  options: Omit<DashboardOptions, 'source'> = {},
): Promise<DashboardHandler & { source: MsfctlDashboardSource }> {
  const source = msfctlDashboardSource(wiring);
  return createDashboardHandler({ ...options, source }).then((handler) => Object.assign(handler, { source }));
}

/** `load()` again only when the files `list()` names, their sizes or modification times changed. */
export function reloadOnChange(list: () => string[], load: () => SpecFile[]): () => SpecFile[] {
  let last: { stamp: string; specs: SpecFile[] } | undefined;
  return () => {
    const stamp = list()
      .map((f) => {
        const s = statSync(f, { throwIfNoEntry: false });
        return `${f}:${s?.size ?? '-'}:${s?.mtimeMs ?? '-'}`;
      })
      .join('\n');
    if (last?.stamp !== stamp) last = { stamp, specs: load() };
    return last.specs;
  };
}
