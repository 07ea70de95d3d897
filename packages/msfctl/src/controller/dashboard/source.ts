/**
 * msfctl's DashboardSource: the dashboard's port implemented over msfctl's own ports — the service, CloudWatch,
 * the ledger and lock, the specs — the same for AWS and msf-local. The fleet is the applications the specs
 * name and, when asked, every other application on the target (shown as unmanaged).
 */
import type {
  ApplicationDetail,
  DashboardSource,
  FleetRow,
  FlinkDashboardLink,
  HealthSeries,
  LogExcerpt,
  SeriesRange,
} from 'msfctl-dashboard';
import pLimit from 'p-limit';
import type { LiveApplication } from '../../model/application.js';
import type { FlinkDashboardLinks } from '../../ports/flink-dashboard.js';
import type { HealthFetcher } from '../../ports/metrics.js';
import { readFacts, type FactPorts, type ManagedSpec } from './facts.js';
import { chartPeriodSeconds, chartSeries } from './series.js';
import { applicationDetail, fleetRow } from './views.js';

/** What the dashboard needs of the application's logs (CloudWatch Logs, where logging options exist). */
export interface DashboardLogs {
  /** Whether the application has logs (a CloudWatch logging option). */
  available(live: LiveApplication): boolean;
  /** The newest `limit` lines, oldest first. */
  latest(live: LiveApplication, limit: number, signal: AbortSignal): Promise<LogExcerpt>;
}

export interface MsfctlDashboardOptions extends Omit<FactPorts, 'hasLogs'> {
  /** For the page's header, e.g. "msf-local at http://127.0.0.1:4577". */
  target: string;
  /** The specs, read again on every fleet read so that edits show. */
  specs(): Promise<ManagedSpec[]>;
  /** Also list the target's applications that no spec names. */
  unmanaged: boolean;
  /** A fetcher at a chart's period (the health verdict reads at the target's own, `metrics`). */
  chartMetrics?(periodSeconds: number): HealthFetcher;
  links: FlinkDashboardLinks;
  logs?: DashboardLogs;
  /** Applications read at once. @default 8 */
  concurrency?: number;
}

export class MsfctlDashboardSource implements DashboardSource {
  readonly target: string;
  private readonly listeners = new Set<() => void>();
  private readonly ports: FactPorts;

  constructor(private readonly options: MsfctlDashboardOptions) {
    this.target = options.target;
    const logs = options.logs;
    this.ports = {
      ...options,
      healthMemo: new Map(),
      ...(logs ? { hasLogs: (live: LiveApplication) => logs.available(live) } : {}),
    };
  }

  async fleet(signal: AbortSignal): Promise<FleetRow[]> {
    signal.throwIfAborted();
    const specs = await this.options.specs();
    const managed = new Map(specs.map((s) => [s.application, s]));
    const others = this.options.unmanaged
      ? (await this.options.gateway.listApplications()).map((a) => a.name).filter((n) => !managed.has(n))
      : [];
    const names = [...managed.keys(), ...others].sort();
    const limit = pLimit(this.options.concurrency ?? 8);
    const rows = await Promise.all(
      names.map((name) =>
        limit(async () =>
          fleetRow(await readFacts(this.ports, name, managed.get(name), { page: false, signal })),
        ),
      ),
    );
    signal.throwIfAborted();
    return rows;
  }

  async application(name: string, signal: AbortSignal): Promise<ApplicationDetail | undefined> {
    const spec = await this.specOf(name, signal);
    const facts = await readFacts(this.ports, name, spec, { page: true, signal });
    if (!spec && !facts.live) return undefined;
    if (!spec && !this.options.unmanaged) return undefined;
    return applicationDetail(facts);
  }

  async series(name: string, range: SeriesRange, signal: AbortSignal): Promise<HealthSeries | undefined> {
    if (!(await this.known(name, signal))) return undefined;
    const period = chartPeriodSeconds(
      range.to.getTime() - range.from.getTime(),
      this.options.metrics.periodSeconds,
    );
    const fetcher = this.options.chartMetrics?.(period) ?? this.options.metrics;
    const observation = await fetcher.fetch(name, { start: range.from.getTime(), end: range.to.getTime() });
    signal.throwIfAborted();
    if (!observation.ok) throw new Error(`the metrics of ${name} could not be read: ${observation.reason}`);
    return chartSeries(observation.series, fetcher.periodSeconds, range);
  }

  async logs(name: string, limit: number, signal: AbortSignal): Promise<LogExcerpt | undefined> {
    const live = await this.known(name, signal);
    if (!live) return undefined;
    if (live === 'not-deployed' || !this.options.logs?.available(live)) return { lines: [] };
    return this.options.logs.latest(live, limit, signal);
  }

  async flinkDashboard(name: string, signal: AbortSignal): Promise<FlinkDashboardLink | undefined> {
    const live = await this.known(name, signal);
    if (!live) return undefined;
    if (live === 'not-deployed') return { unavailable: `${name} is not deployed.` };
    if (live.status !== 'RUNNING')
      return { unavailable: `${name} is ${live.status}: only a running job has a Flink dashboard.` };
    return this.options.links.link(name, signal);
  }

  subscribe(onChange: () => void): () => void {
    this.listeners.add(onChange);
    return () => this.listeners.delete(onChange);
  }

  /** Something changed (an operation ended, a reconcile ran): open pages update now, not at the next poll. */
  changed(): void {
    for (const listener of this.listeners) listener();
  }

  private async specOf(name: string, signal: AbortSignal): Promise<ManagedSpec | undefined> {
    signal.throwIfAborted();
    return (await this.options.specs()).find((s) => s.application === name);
  }

  /** The live application, 'not-deployed' for a spec without one, undefined for a name the fleet does not list. */
  private async known(
    name: string,
    signal: AbortSignal,
  ): Promise<LiveApplication | 'not-deployed' | undefined> {
    const spec = await this.specOf(name, signal);
    if (!spec && !this.options.unmanaged) return undefined;
    const live = await this.options.gateway.describe(name);
    signal.throwIfAborted();
    return live ?? (spec ? 'not-deployed' : undefined);
  }
}
