/**
 * Starting the real dashboard server for a test, over any DashboardSource: the in-memory one today, msfctl's
 * controller against msf-local later (swap the source, keep the tests).
 */
import { serveDashboard, type DashboardOptions, type RunningDashboard } from '../../src/server.js';
import type { DashboardSource } from '../../src/source.js';

export async function startDashboard(
  source: DashboardSource,
  options: Partial<DashboardOptions> = {},
): Promise<RunningDashboard> {
  // A short refresh so live updates show within a test's patience; the default is 5 s.
  return serveDashboard({ source, port: 0, refreshMs: 250, ...options });
}
