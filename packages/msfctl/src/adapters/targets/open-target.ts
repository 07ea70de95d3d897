/**
 * A resolved target as the controller's ports: the MSF service, metrics, exceptions, artifacts, the JAR
 * inspector and what differs between AWS and msf-local (the Target port). The one place that asks which kind
 * a target is; a local target's msf-local is started here when nothing answers on its port.
 */
import { createClients, type AwsClients, type ClientOptions } from '../aws/clients.js';
import { CloudWatchHealthFetcher, periodFor } from '../aws/cloudwatch-fetcher.js';
import { FlinkDashboardExceptionSource } from '../aws/exception-source.js';
import { CloudWatchLogsReader } from '../aws/logs-reader.js';
import { LogExceptionSource } from '../aws/log-exception-source.js';
import { EnhancedSnapshotCalls } from '../aws/enhanced-snapshot-calls.js';
import { SdkMsfGateway } from '../aws/msf-gateway.js';
import { AwsSnapshotExporter } from '../aws/snapshot-exporter.js';
import { s3ArtifactStore } from '../artifacts/s3-artifact-store.js';
import { localJarInspector } from '../inspector/local-inspector.js';
import type { ArtifactStore } from '../../ports/artifacts.js';
import { firstAvailable, type ExceptionSource } from '../../ports/exceptions.js';
import type { IoHost } from '../../ports/io-host.js';
import type { JarInspector } from '../../ports/jar-inspector.js';
import type { LogReader } from '../../ports/logs.js';
import type { HealthFetcher } from '../../ports/metrics.js';
import type { MsfGateway } from '../../ports/msf.js';
import type { Target } from '../../ports/target.js';
import type { Rehearser } from '../../ports/rehearsal.js';
import type { SavepointFiles } from '../../ports/savepoint-files.js';
import { s3SavepointFiles } from '../aws/s3-savepoint-files.js';
import { msfLocalRehearser } from '../rehearsal/msf-local-rehearser.js';
import { localUp, probe } from './local/msf-local-process.js';
import { MsfctlError } from '../../model/errors.js';
import { localSnapshotExporter } from './local/snapshot-exporter.js';
import { exportedSnapshotState } from '../inspector/exported-snapshot-state.js';
import { describeTarget, type ResolvedTarget } from './target.js';

export interface OpenedTarget {
  target: Target;
  resolved: ResolvedTarget;
  clients: AwsClients;
  gateway: MsfGateway;
  metrics: HealthFetcher;
  exceptions: ExceptionSource;
  /** The application's log stream (CloudWatch Logs on AWS and on msf-local alike). */
  logs: LogReader;
  artifacts: ArtifactStore;
  inspector: JarInspector;
  /** The deploy rehearsal (msf-local's sandboxed real Flink) and the S3 files that bring it the state. */
  rehearser: Rehearser;
  savepointFiles: SavepointFiles;
  close(): void;
}

export interface OpenOptions {
  /**
   * Start msf-local when nothing answers on a local target's endpoint. @default true. A read-only command
   * (status, history, health, snapshot list) passes false: it never leaves a server running behind it.
   */
  startLocal?: boolean;
  /** SDK client settings (a fleet's attempts per call). */
  clients?: ClientOptions;
}

export async function openTarget(
  resolved: ResolvedTarget,
  host: IoHost,
  options: OpenOptions = {},
): Promise<OpenedTarget> {
  const local = resolved.kind === 'local' ? resolved.local : undefined;
  // msf-local, the embedded default: started in the background when nothing answers on its endpoint.
  if (local && options.startLocal !== false) await localUp({ ...local, endpoint: resolved.endpoint! }, host);
  else if (local && (await probe(resolved.endpoint!)) === undefined) {
    throw new MsfctlError(
      'LOCAL_RUNTIME',
      `msf-local is not running on ${resolved.endpoint} (data directory ${local.dataDir}); this command only reads, so msfctl does not start it.`,
      {
        hint: '`msfctl local up` starts it; apply and the commands that change an application start it when needed.',
      },
    );
  }
  const clients = createClients(resolved, options.clients);
  const enhancedExporter = new AwsSnapshotExporter(new EnhancedSnapshotCalls(clients.msf));
  // msf-local also exports application snapshots (its extension); AWS only enhanced ones.
  const localExporter = local
    ? localSnapshotExporter({
        endpoint: resolved.endpoint!,
        region: resolved.region!,
        enhanced: enhancedExporter,
      })
    : undefined;
  const savepointFiles = s3SavepointFiles(() => clients.s3);
  const target: Target = {
    kind: resolved.kind,
    description: describeTarget(resolved),
    planTarget: async () => ({
      kind: resolved.kind,
      ...(resolved.endpoint ? { endpoint: resolved.endpoint } : {}),
      region: await clients.region(),
    }),
    metricsPeriodSeconds: periodFor(resolved.kind),
    createsBuckets: resolved.kind === 'local',
    // msf-local's snapshots are read through its public export (both kinds); on AWS an export per plan would
    // cost minutes, so there the state check compares the JARs alone.
    ...(localExporter
      ? { snapshotState: exportedSnapshotState({ exporter: localExporter, files: savepointFiles }) }
      : {}),
    snapshotExporter: localExporter ?? enhancedExporter,
  };
  const gateway = new SdkMsfGateway(clients.msf);
  const logs = new CloudWatchLogsReader(() => clients.logs);
  return {
    target,
    resolved,
    clients,
    gateway,
    metrics: new CloudWatchHealthFetcher(clients.cloudwatch, { periodSeconds: target.metricsPeriodSeconds }),
    // The dashboard where the service hands out a URL that answers without a browser (msf-local), else the
    // application's log stream (AWS, where the URL needs a browser session).
    exceptions: firstAvailable(
      new FlinkDashboardExceptionSource(clients.msf),
      new LogExceptionSource(gateway, logs),
    ),
    logs,
    artifacts: s3ArtifactStore(() => clients.s3),
    inspector: localJarInspector(),
    rehearser: msfLocalRehearser(),
    savepointFiles,
    close: () => {
      localExporter?.close();
      clients.destroy();
    },
  };
}
