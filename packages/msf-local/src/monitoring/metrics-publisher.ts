/**
 * Publishes each running application's Flink metrics to CloudWatch the way MSF does: namespace
 * AWS/KinesisAnalytics, dimension Application=<name>, MSF's metric names and units. Stopped applications
 * publish nothing. MSF publishes every minute; msf-local publishes every few seconds so that health checks
 * on a laptop see a crash loop within a restart cycle (CloudWatch periods aggregate them as usual).
 */
import { allocatedKpus } from '../control-plane/configuration.js';
import type { ControlPlane } from '../control-plane/control-plane.js';
import type { JobMetrics, JobRuntime } from '../control-plane/job-runtime.js';
import { currentVersion } from '../control-plane/model.js';

export const MSF_NAMESPACE = 'AWS/KinesisAnalytics';

/** Where datapoints go (msf-local's CloudWatch metric store). */
export interface MetricSink {
  put(datapoint: {
    namespace: string;
    metricName: string;
    dimensions: { Name: string; Value: string }[];
    timestamp: number;
    value: number;
    unit: string;
  }): void | Promise<void>;
}

const UNITS: Record<keyof JobMetrics, string> = {
  uptime: 'Milliseconds',
  downtime: 'Milliseconds',
  numRestarts: 'Count',
  fullRestarts: 'Count',
  numberOfFailedCheckpoints: 'Count',
  numberOfCompletedCheckpoints: 'Count',
  lastCheckpointDuration: 'Milliseconds',
  lastCheckpointSize: 'Bytes',
  numRecordsIn: 'Count',
  numRecordsOut: 'Count',
  numRecordsInPerSecond: 'Count/Second',
  numRecordsOutPerSecond: 'Count/Second',
  runningTime: 'Milliseconds',
  restartingTime: 'Milliseconds',
  failingTime: 'Milliseconds',
  cancellingTime: 'Milliseconds',
};

export class MetricsPublisher {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly controlPlane: ControlPlane,
    private readonly runtime: JobRuntime,
    private readonly sink: MetricSink,
    private readonly intervalMs = 5_000,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (!this.running) this.running = this.publishOnce().finally(() => (this.running = undefined));
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One round: a datapoint per metric per running application. A failed read skips that application. */
  async publishOnce(): Promise<void> {
    const timestamp = this.now();
    for (const app of this.controlPlane.runningApplications()) {
      let metrics: JobMetrics | undefined;
      try {
        metrics = await this.runtime.metrics(app.name);
      } catch {
        continue; // a flaky read is not an outage; the next round tries again
      }
      if (!metrics) continue;
      const dimensions = [{ Name: 'Application', Value: app.name }];
      for (const [name, value] of Object.entries(metrics) as [keyof JobMetrics, number | undefined][]) {
        if (value === undefined || !Number.isFinite(value)) continue;
        await this.sink.put({
          namespace: MSF_NAMESPACE,
          metricName: name,
          dimensions,
          timestamp,
          value,
          unit: UNITS[name],
        });
      }
      // KPUs in use, including MSF's one orchestration KPU.
      const kpus = allocatedKpus(currentVersion(app).config.parallelism) + 1;
      await this.sink.put({
        namespace: MSF_NAMESPACE,
        metricName: 'KPUs',
        dimensions,
        timestamp,
        value: kpus,
        unit: 'Count',
      });
    }
  }
}
