/**
 * The controller's HTTP face on loopback: `/metrics` in the Prometheus text format (prom-client, built from the
 * latest report on each scrape) and `/status` as JSON. Read-only: nothing here changes anything.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Registry } from 'prom-client';
import type { ControllerReport } from '../../model/controller-report.js';

const STATUSES = [
  'READY',
  'STARTING',
  'RUNNING',
  'UPDATING',
  'STOPPING',
  'AUTOSCALING',
  'FORCE_STOPPING',
  'ROLLING_BACK',
  'MAINTENANCE',
  'DELETING',
  'MISSING',
];
const HEALTH = ['healthy', 'unhealthy', 'unknown'];
const RESULTS = ['in sync', 'applied', 'pending', 'held', 'failed', 'error'];

export function metricsRegistry(report: ControllerReport, now: number): Registry {
  const registry = new Registry();
  const gauge = (name: string, help: string, labelNames: string[] = []) =>
    new Gauge({ name, help, labelNames, registers: [registry] });
  gauge('msfctl_controller_leader', '1 while this controller holds the leader lock and acts').set(
    report.leader ? 1 : 0,
  );
  new Counter({
    name: 'msfctl_controller_passes_total',
    help: 'reconcile passes run',
    registers: [registry],
  }).inc(report.passes);
  gauge('msfctl_controller_spec_errors', 'spec files that did not load').set(report.errors.length);
  const status = gauge('msfctl_application_status', 'the application status (1 for the current one)', [
    'application',
    'status',
  ]);
  const health = gauge('msfctl_application_health', 'the job health (1 for the current verdict)', [
    'application',
    'health',
  ]);
  const restarts = gauge('msfctl_application_restarts', 'job restarts in the health window', ['application']);
  const snapshotAge = gauge(
    'msfctl_application_last_snapshot_age_seconds',
    'age of the newest READY snapshot',
    ['application'],
  );
  const reconcile = gauge(
    'msfctl_application_last_reconcile',
    'result of the last reconcile (1 for the current one)',
    ['application', 'result'],
  );
  const reconciledAt = gauge(
    'msfctl_application_last_reconcile_timestamp_seconds',
    'when the last reconcile ended',
    ['application'],
  );
  const drift = gauge('msfctl_application_drift', '1 when the service changed outside msfctl', [
    'application',
  ]);
  const pending = gauge(
    'msfctl_application_pending_actions',
    'planned actions not applied (manual or held)',
    ['application'],
  );
  for (const a of report.applications) {
    const application = a.application;
    for (const s of new Set([...STATUSES, a.status ?? 'MISSING']))
      status.set({ application, status: s }, s === (a.status ?? 'MISSING') ? 1 : 0);
    if (a.health) for (const h of HEALTH) health.set({ application, health: h }, h === a.health ? 1 : 0);
    if (a.restarts !== undefined) restarts.set({ application }, a.restarts);
    if (a.lastSnapshot)
      snapshotAge.set({ application }, Math.max(0, (now - Date.parse(a.lastSnapshot.createdAt)) / 1000));
    for (const r of RESULTS) reconcile.set({ application, result: r }, r === a.lastReconcile.result ? 1 : 0);
    reconciledAt.set({ application }, Date.parse(a.lastReconcile.at) / 1000);
    drift.set({ application }, a.drift ? 1 : 0);
    pending.set({ application }, a.pending);
  }
  return registry;
}

export interface ControllerHttp {
  url: string;
  close(): Promise<void>;
}

export async function startControllerHttp(options: {
  host: string;
  port: number;
  report: () => ControllerReport;
  now?: () => number;
}): Promise<ControllerHttp> {
  const now = options.now ?? Date.now;
  const server = http.createServer((req, res) => {
    void (async () => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method !== 'GET') {
        res.writeHead(405, { allow: 'GET' }).end();
      } else if (path === '/metrics') {
        const registry = metricsRegistry(options.report(), now());
        res.writeHead(200, { 'content-type': registry.contentType }).end(await registry.metrics());
      } else if (path === '/status') {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify(options.report(), null, 2));
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: /metrics, /status\n');
      }
    })().catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
