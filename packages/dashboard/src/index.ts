/** msfctl-dashboard: the dashboard's server, its JSON contract, and the source port it reads through. */
export * from './contract.js';
export type { DashboardSource, FlinkDashboardLink, SeriesRange } from './source.js';
export { MemoryDashboardSource, type MemoryApplication } from './memory-source.js';
export {
  createDashboardHandler,
  serveDashboard,
  type DashboardHandler,
  type DashboardOptions,
  type NextHandler,
  type RunningDashboard,
} from './server.js';
export { DashboardConfigError, isLoopback } from './security.js';
export { DEFAULT_ASSETS_DIR } from './static-assets.js';
