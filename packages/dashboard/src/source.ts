/**
 * The port the dashboard reads through. msfctl's controller implements it over the service, CloudWatch, the
 * ledger and the specs; MemoryDashboardSource (memory-source.ts) holds values given to it, for tests and demos.
 * Every method is a read. `undefined` means "no such application"; a thrown error becomes a JSON error
 * (502) with its message, so messages must be fit for people and hold no secrets.
 */
import type { ApplicationDetail, FleetRow, HealthSeries, LogExcerpt } from './contract.js';

export interface SeriesRange {
  from: Date;
  to: Date;
}

export type FlinkDashboardLink = { url: string } | { unavailable: string };

export interface DashboardSource {
  /** What the dashboard looks at, shown in its header (e.g. "msf-local http://127.0.0.1:4577"). */
  readonly target?: string;
  /** Every application: managed ones (with a spec) and, where the source knows them, the others. */
  fleet(signal: AbortSignal): Promise<FleetRow[]>;
  application(name: string, signal: AbortSignal): Promise<ApplicationDetail | undefined>;
  series(name: string, range: SeriesRange, signal: AbortSignal): Promise<HealthSeries | undefined>;
  /** The newest `limit` lines, oldest first; an empty excerpt when the application has no logs. */
  logs(name: string, limit: number, signal: AbortSignal): Promise<LogExcerpt | undefined>;
  /**
   * A fresh presigned URL of the application's Flink dashboard (CreateApplicationPresignedUrl), or why there is
   * none now (e.g. the job does not run).
   */
  flinkDashboard(name: string, signal: AbortSignal): Promise<FlinkDashboardLink | undefined>;
  /**
   * Optional: call `onChange` when something may have changed (an operation ended, a reconcile ran), so the
   * page updates at once instead of at the next poll. Returns the unsubscribe function.
   */
  subscribe?(onChange: () => void): () => void;
}
