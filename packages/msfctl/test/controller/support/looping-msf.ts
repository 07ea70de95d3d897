/**
 * The in-memory MSF with a crash loop: the "no-such-stream" configuration loops while RUNNING (and, as on MSF,
 * the service then refuses the snapshot an update needs), any other is healthy; and metrics that follow it.
 */
import { translateAwsError } from '../../../src/adapters/aws/aws-errors.js';
import type { RestoreSettings } from '../../../src/model/application.js';
import type { HealthFetcher, HealthObservation } from '../../../src/ports/metrics.js';
import type { HealthPoint } from '../../../src/model/health-series.js';
import type { ConfigUpdate } from '../../../src/model/application.js';
import type { LoadedSpec } from '../../../src/spec/load.js';
import { applicationSpecSchema } from '../../../src/spec/schema.js';
import { FakeMsf, type FakeOptions } from '../../fakes/fake-msf.js';

export const BROKEN = 'no-such-stream';

/** The spec of application "app" writing to `stream` (BROKEN: the configuration that loops). */
export function spec(stream: string): LoadedSpec {
  const parsed = applicationSpecSchema.parse({
    application: 'app',
    runtime: 'FLINK-1_19',
    role: 'arn:aws:iam::123456789012:role/r',
    code: { s3: { bucket: 'code', key: 'v1.jar' } },
    properties: { OutputStream0: { 'stream.name': stream, 'aws.region': 'us-east-1' } },
  });
  return {
    spec: parsed,
    source: { kind: 'spec', path: 'msfctl.yaml' },
    baseDir: '/tmp',
    warnings: [],
    digest: `digest-${stream}`,
  };
}

/** The fake MSF, refusing snapshots (as MSF does) while the running job crash-loops. */
export class LoopingMsf extends FakeMsf {
  constructor(
    private readonly app_ = 'app',
    options: FakeOptions = {},
  ) {
    super(options);
  }

  looping(): boolean {
    const live = this.apps.get(this.app_)?.live;
    return live?.status === 'RUNNING' && live.config.properties.OutputStream0?.['stream.name'] === BROKEN;
  }
  override async update(
    name: string,
    basis: { conditionalToken?: string; versionId: number },
    update: ConfigUpdate,
    run?: RestoreSettings,
  ) {
    if (this.looping()) {
      const refused = Object.assign(
        new Error(
          `Failed to take snapshot for the application ${name} at this moment. The application is currently experiencing downtime.`,
        ),
        { name: 'InvalidApplicationConfigurationException' },
      );
      throw translateAwsError(refused, `UpdateApplication ${name}`);
    }
    return super.update(name, basis, update, run);
  }
}

/** Metrics that follow the fake's configuration: a loop (a restart every 10 s) or a healthy job. */
export function metrics(msf: LoopingMsf): HealthFetcher {
  return {
    periodSeconds: 1,
    async fetch(application, window): Promise<HealthObservation> {
      const points: HealthPoint[] = [];
      const looping = msf.looping();
      for (let t = Math.ceil(window.start / 1000) * 1000; t <= window.end; t += 1000) {
        const s = (t - window.start) / 1000;
        points.push(
          looping
            ? { at: t, restarts: 1 + Math.floor(s / 10), uptimeMin: 0, uptimeMax: 0, down: 1000 }
            : { at: t, restarts: 0, uptimeMin: s * 1000, uptimeMax: s * 1000, down: 0 },
        );
      }
      return {
        ok: true,
        series: {
          application,
          periodSeconds: 1,
          points,
          sources: { restarts: 'numRestarts', uptime: 'uptime', down: ['downtime'] },
        },
        fetchedAt: window.end,
      };
    },
  };
}
