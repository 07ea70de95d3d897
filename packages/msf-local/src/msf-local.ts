/**
 * msf-local assembled: the control plane, S3, CloudWatch and Kinesis behind one loopback edge port, with
 * jobs on real Flink. `startMsfLocal` is what the CLI runs and what tests start in-process.
 */
import path from 'node:path';
import { KinesisAnalyticsV2Service } from './api/kinesisanalyticsv2/service.js';
import { iamService } from './api/iam/service.js';
import { kmsService } from './api/kms/service.js';
import { logsService } from './api/logs/service.js';
import { MsfLocalExtensionService } from './api/msf-local-extension/service.js';
import { stsService } from './api/sts/service.js';
import { CloudWatchService, MetricStore } from './cloudwatch/index.js';
import { ApplicationStore } from './control-plane/application-store.js';
import { ControlPlane } from './control-plane/control-plane.js';
import type { ControlPlaneOptions } from './control-plane/control-plane.js';
import type { JobLaunch, JobRuntime, PropertyGroup } from './control-plane/job-runtime.js';
import { FlinkJobRuntime } from './flink/index.js';
import type { FlinkJobRuntimeOptions } from './flink/index.js';
import { Iam } from './iam/iam.js';
import { Kms } from './kms/kms.js';
import { CloudWatchLogs, LogStore } from './logs/index.js';
import { Sts } from './sts/sts.js';
import { jobAwsEnvironment, jobPropertyGroups, KinesisLocal, KinesisProxyService } from './kinesis/index.js';
import { JobLogShipper, logDestinationsOf } from './monitoring/job-log-shipper.js';
import { MetricsPublisher } from './monitoring/metrics-publisher.js';
import { S3CodeSource } from './s3/code-source.js';
import { S3Store } from './s3/backend/object-store.js';
import { S3Service } from './s3/service.js';
import { S3SnapshotObjects } from './s3/snapshot-objects.js';
import { EdgeServer } from './server/edge-server.js';
import type { RequestLogEntry } from './server/edge-server.js';
import { ThrottledService, type ThrottleCounters, type ThrottleSettings } from './server/throttle.js';

/** The account every msf-local resource belongs to. */
const ACCOUNT = '000000000000';

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
  /** Start kinesis-local for the Kinesis API (default true). */
  kinesis?: boolean;
  /** How often running applications' metrics are published to CloudWatch. Default 5 s. */
  metricsIntervalMs?: number;
  /** Extra environment / system properties for job JVMs, merged over msf-local's own. */
  jobEnvironment?: Partial<Pick<JobLaunch, 'environment' | 'systemProperties'>>;
  /** Origins a browser may call msf-local from; requests with any other Origin are refused (403). */
  allowOrigins?: readonly string[];
  onRequest?: (entry: RequestLogEntry) => void;
  log?: (message: string) => void;
  /**
   * Test hook: throttle the Managed Flink API (a token bucket; ThrottlingException beyond it), as the service
   * does under load. Off by default; `MsfLocal.throttle()` changes it while running.
   */
  throttle?: ThrottleSettings;
}

export interface MsfLocal {
  url: string;
  host: string;
  port: number;
  dataDir: string;
  controlPlane: ControlPlane;
  s3: S3Store;
  metrics: MetricStore;
  logs: CloudWatchLogs;
  /** kinesis-local's own endpoint (also reachable through `url`), when started. */
  kinesisUrl?: string;
  /** Test hook: throttles the Managed Flink API from now on (undefined: no more); returns the counters so far. */
  throttle(settings: ThrottleSettings | undefined): ThrottleCounters;
  /** Requests throttled and served since the throttle was last set. */
  throttleCounters(): ThrottleCounters;
  close(): Promise<void>;
}

export async function startMsfLocal(options: MsfLocalOptions): Promise<MsfLocal> {
  const dataDir = path.resolve(options.dataDir);
  const region = options.region ?? 'us-east-1';
  const log = options.log ?? ((message: string) => process.stderr.write(`msf-local: ${message}\n`));
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const close of closers.reverse())
      await close().catch((error: Error) => log(`while closing: ${error.message}`));
  };
  try {
    const s3 = await S3Store.open(path.join(dataDir, 's3'), { defaultRegion: region, onWarning: log });
    const metrics = await MetricStore.open(path.join(dataDir, 'cloudwatch'), { onWarning: log });
    closers.push(() => metrics.close());
    const iam = await Iam.open(path.join(dataDir, 'iam'), { account: ACCOUNT });
    const sts = await Sts.open(path.join(dataDir, 'sts'), { iam });
    const kms = await Kms.open(path.join(dataDir, 'kms'), { account: ACCOUNT });
    const logs = new CloudWatchLogs(await LogStore.open(path.join(dataDir, 'logs')), {
      account: ACCOUNT,
      kmsKeyUsable: (arn) => kms.usable(arn),
    });
    // Log retention and scheduled key deletions come due with time, not with requests.
    const sweeper = setInterval(() => {
      void logs.expireAll().catch((e: Error) => log(`log retention: ${e.message}`));
      void kms.deleteDueKeys().catch((e: Error) => log(`KMS key deletion: ${e.message}`));
    }, 60_000);
    sweeper.unref();
    closers.push(async () => clearInterval(sweeper));

    const kinesis =
      options.kinesis === false
        ? undefined
        : new KinesisLocal({ dataDir: path.join(dataDir, 'kinesis'), region, log });
    const kinesisEndpoint = kinesis ? await kinesis.start() : undefined;
    if (kinesis) closers.push(() => kinesis.stop());

    // Flink jobs' logs reach CloudWatch Logs through the shipper's loopback intake (closed after the clusters
    // stop). The runtime needs the intake's address, and the control plane the runtime: both are built below.
    const built: { controlPlane?: ControlPlane; flink?: FlinkJobRuntime } = {};
    if (options.runtime === undefined) {
      const shipper = new JobLogShipper({
        destinations: (event) =>
          built.controlPlane &&
          logDestinationsOf(built.controlPlane, event.a, built.flink?.launchedVersion(event.j)),
        deliver: async (group, stream, events) => void (await logs.putLogEvents(group, stream, events)),
        log,
      });
      const logIntake = await shipper.listen();
      closers.push(() => shipper.close());
      built.flink = new FlinkJobRuntime({ log, logIntake, ...options.flink });
    }
    const runtime = options.runtime === undefined ? built.flink : (options.runtime ?? undefined);
    let edgeUrl = '';
    const controlPlane = new ControlPlane(new ApplicationStore(dataDir), new S3CodeSource(s3), {
      // A job whose cluster JVM died restarts after the same delay as Flink's own restarts.
      restartDelayMs: options.flink?.restartDelayMs,
      ...options.controlPlane,
      runtime,
      snapshotObjects: new S3SnapshotObjects(s3),
      runtimeUnavailable: 'msf-local was started without a job runtime, so it cannot run applications.',
      jobEnvironment: (groups: PropertyGroup[]) => {
        const aws = jobAwsEnvironment({ edgeUrl, region });
        return {
          environment: { ...aws.environment, ...options.jobEnvironment?.environment },
          systemProperties: { ...aws.systemProperties, ...options.jobEnvironment?.systemProperties },
          propertyGroups: jobPropertyGroups(groups, aws),
        };
      },
      log,
    });
    built.controlPlane = controlPlane;
    const msf = new ThrottledService(new KinesisAnalyticsV2Service(controlPlane, region));
    msf.set(options.throttle);
    const proxy = new KinesisProxyService({
      upstream: () => kinesisEndpoint?.url,
      durable: kinesis ? () => kinesis.durable() : undefined,
    });
    const server = new EdgeServer({
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 4577,
      // Order matters: target-addressed APIs first; S3 takes what nobody else claims.
      services: [
        msf,
        new MsfLocalExtensionService(controlPlane, region),
        proxy,
        new CloudWatchService(metrics),
        logsService(logs, region),
        kmsService(kms, region),
        iamService(iam),
        stsService(sts),
        new S3Service(s3),
      ],
      allowOrigins: options.allowOrigins,
      onRequest: options.onRequest,
    });
    const address = await server.listen();
    edgeUrl = address.url;
    closers.push(() => server.close());
    closers.push(() => controlPlane.close());
    await controlPlane.open();

    const publisher = runtime
      ? new MetricsPublisher(controlPlane, runtime, metrics, options.metricsIntervalMs ?? 5_000)
      : undefined;
    publisher?.start();
    if (publisher) closers.push(() => publisher.stop());

    return {
      url: address.url,
      host: address.host,
      port: address.port,
      dataDir,
      controlPlane,
      s3,
      metrics,
      logs,
      kinesisUrl: kinesisEndpoint?.url,
      throttle: (settings) => {
        const before = msf.counters;
        msf.set(settings);
        return before;
      },
      throttleCounters: () => ({ ...msf.counters }),
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
