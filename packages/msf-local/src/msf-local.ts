/**
 * msf-local assembled: the control plane, S3, CloudWatch and Kinesis behind one loopback edge port, with
 * jobs on real Flink. `startMsfLocal` is what the CLI runs and what tests start in-process.
 */
import path from 'node:path';
import { KinesisAnalyticsV2Service } from './api/kinesisanalyticsv2/service.js';
import { ApplicationStore } from './control-plane/application-store.js';
import { ControlPlane } from './control-plane/control-plane.js';
import type { ControlPlaneOptions } from './control-plane/control-plane.js';
import type { JobLaunch, JobRuntime } from './control-plane/job-runtime.js';
import { FlinkJobRuntime } from './flink/index.js';
import type { FlinkJobRuntimeOptions } from './flink/index.js';
import { S3CodeSource } from './s3/code-source.js';
import { S3Store } from './s3/object-store.js';
import { S3Service } from './s3/s3-service.js';
import { EdgeServer } from './server/edge-server.js';
import type { RequestLogEntry } from './server/edge-server.js';
import type { Service } from './server/service.js';

export interface MsfLocalOptions {
  dataDir: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 4577; 0 picks a free port. */
  port?: number;
  /** Region used when a request is not signed. Default us-east-1. */
  region?: string;
  /**
   * What runs the jobs. Default: real Flink (`FlinkJobRuntime`). `null` runs none: every start then fails
   * with a clear error (msf-local never silently fakes a job).
   */
  runtime?: JobRuntime | null;
  flink?: FlinkJobRuntimeOptions;
  controlPlane?: Omit<ControlPlaneOptions, 'runtime' | 'jobEnvironment'>;
  /** Extra environment for job JVMs, merged over msf-local's own. */
  jobEnvironment?: Partial<Pick<JobLaunch, 'environment' | 'systemProperties'>>;
  onRequest?: (entry: RequestLogEntry) => void;
  log?: (message: string) => void;
}

export interface MsfLocal {
  url: string;
  host: string;
  port: number;
  dataDir: string;
  controlPlane: ControlPlane;
  s3: S3Store;
  close(): Promise<void>;
}

export async function startMsfLocal(options: MsfLocalOptions): Promise<MsfLocal> {
  const dataDir = path.resolve(options.dataDir);
  const region = options.region ?? 'us-east-1';
  const log = options.log ?? ((message: string) => process.stderr.write(`msf-local: ${message}\n`));
  const s3 = await S3Store.open(path.join(dataDir, 's3'), { defaultRegion: region, onWarning: log });
  const runtime =
    options.runtime === undefined
      ? new FlinkJobRuntime({ log, ...options.flink })
      : (options.runtime ?? undefined);
  let endpoint = '';
  const controlPlane = new ControlPlane(new ApplicationStore(dataDir), new S3CodeSource(s3), {
    ...options.controlPlane,
    runtime,
    runtimeUnavailable: 'msf-local was started without a job runtime, so it cannot run applications.',
    jobEnvironment: () => jobAwsEnvironment(endpoint, region, options.jobEnvironment),
    log,
  });
  const services: Service[] = [new KinesisAnalyticsV2Service(controlPlane, region), new S3Service(s3)];
  const server = new EdgeServer({
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 4577,
    services,
    onRequest: options.onRequest,
  });
  const address = await server.listen();
  endpoint = address.url;
  try {
    await controlPlane.open();
  } catch (error) {
    await server.close();
    throw error;
  }
  return {
    url: address.url,
    host: address.host,
    port: address.port,
    dataDir,
    controlPlane,
    s3,
    async close() {
      await server.close();
      await controlPlane.close();
    },
  };
}

/** How a job's AWS clients reach msf-local with no change to their code or configuration. */
function jobAwsEnvironment(
  endpoint: string,
  region: string,
  extra: MsfLocalOptions['jobEnvironment'],
): Pick<JobLaunch, 'environment' | 'systemProperties'> {
  return {
    environment: {
      AWS_REGION: region,
      AWS_ACCESS_KEY_ID: 'msf-local',
      AWS_SECRET_ACCESS_KEY: 'msf-local',
      AWS_ENDPOINT_URL: endpoint,
      ...extra?.environment,
    },
    systemProperties: { ...extra?.systemProperties },
  };
}
