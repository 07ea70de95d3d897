/** A target's health metrics of one application, read as a series (CloudWatch on AWS and on msf-local). */
import type { HealthSeries } from '../model/health-series.js';

export type HealthObservation =
  { ok: true; series: HealthSeries; fetchedAt: number } | { ok: false; reason: string; fetchedAt: number };

export interface HealthFetcher {
  /** Resolution of the series this fetcher returns. */
  readonly periodSeconds: number;
  /** Datapoints of `application` in [start, end] (epoch ms). Never rejects. */
  fetch(application: string, window: { start: number; end: number }): Promise<HealthObservation>;
}
