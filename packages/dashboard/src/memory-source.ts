/**
 * A DashboardSource over values held in memory: what tests, demos and the benchmark serve. `set` replaces an
 * application's data and tells subscribers, as a controller does when an operation ends.
 */
import type { ApplicationDetail, FleetRow, HealthSeries, LogExcerpt } from './contract.js';
import type { DashboardSource, FlinkDashboardLink, SeriesRange } from './source.js';

export interface MemoryApplication {
  detail: ApplicationDetail;
  series?: HealthSeries;
  logs?: LogExcerpt;
  flinkDashboardUrl?: string;
}

export class MemoryDashboardSource implements DashboardSource {
  private readonly applications = new Map<string, MemoryApplication>();
  private readonly listeners = new Set<() => void>();
  /** When set, every read fails with it (to show the pages' error states). */
  failure: Error | undefined;

  constructor(
    applications: readonly MemoryApplication[] = [],
    readonly target?: string,
  ) {
    for (const a of applications) this.applications.set(a.detail.row.name, a);
  }

  set(application: MemoryApplication): void {
    this.applications.set(application.detail.row.name, application);
    this.changed();
  }

  /** Changes one application with `change`, which gets a copy to edit. */
  update(name: string, change: (application: MemoryApplication) => void): void {
    const current = this.applications.get(name);
    if (!current) throw new Error(`MemoryDashboardSource has no application ${name}`);
    const copy = structuredClone(current);
    change(copy);
    this.set(copy);
  }

  delete(name: string): void {
    this.applications.delete(name);
    this.changed();
  }

  get(name: string): MemoryApplication | undefined {
    const a = this.applications.get(name);
    return a && structuredClone(a);
  }

  async fleet(signal: AbortSignal): Promise<FleetRow[]> {
    this.check(signal);
    return [...this.applications.values()].map((a) => structuredClone(a.detail.row));
  }

  async application(name: string, signal: AbortSignal): Promise<ApplicationDetail | undefined> {
    this.check(signal);
    const a = this.applications.get(name);
    return a && structuredClone(a.detail);
  }

  async series(name: string, range: SeriesRange, signal: AbortSignal): Promise<HealthSeries | undefined> {
    this.check(signal);
    const a = this.applications.get(name);
    if (!a) return undefined;
    const columns = a.series?.columns;
    const from = range.from.getTime();
    const to = range.to.getTime();
    // The points inside the range, every column cut the same way.
    const keep = (columns?.at ?? []).flatMap((at, i) => (at >= from && at <= to ? [i] : []));
    const cut = <T>(column: readonly T[] | undefined): T[] => keep.map((i) => column![i]!);
    return {
      periodSeconds: a.series?.periodSeconds ?? 60,
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      columns: {
        at: cut(columns?.at),
        restarts: cut(columns?.restarts),
        uptimeMs: cut(columns?.uptimeMs),
        completedCheckpoints: cut(columns?.completedCheckpoints),
        failedCheckpoints: cut(columns?.failedCheckpoints),
        recordsInPerSecond: cut(columns?.recordsInPerSecond),
        recordsOutPerSecond: cut(columns?.recordsOutPerSecond),
      },
    };
  }

  async logs(name: string, limit: number, signal: AbortSignal): Promise<LogExcerpt | undefined> {
    this.check(signal);
    const a = this.applications.get(name);
    if (!a) return undefined;
    const logs = a.logs ?? { lines: [] };
    return { ...structuredClone(logs), lines: logs.lines.slice(-limit) };
  }

  async flinkDashboard(name: string, signal: AbortSignal): Promise<FlinkDashboardLink | undefined> {
    this.check(signal);
    const a = this.applications.get(name);
    if (!a) return undefined;
    return a.flinkDashboardUrl
      ? { url: a.flinkDashboardUrl }
      : { unavailable: a.detail.flinkDashboard.reason ?? `${name} has no Flink dashboard now.` };
  }

  subscribe(onChange: () => void): () => void {
    this.listeners.add(onChange);
    return () => this.listeners.delete(onChange);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  private check(signal: AbortSignal): void {
    signal.throwIfAborted();
    if (this.failure) throw this.failure;
  }
}
