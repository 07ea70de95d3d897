/**
 * The fetcher (FKO's ClusterHealthObserver): reads one application's health metrics from CloudWatch with one
 * GetMetricData call per poll. It never throws: a failed, slow or partial read is an observation that says
 * so, and the bake watch carries on with the next poll.
 *
 * Period. Real MSF publishes 1-minute datapoints (standard resolution: the period must be a multiple of 60);
 * msf-local publishes every few seconds and answers any period. `periodFor('aws' | 'local')` picks 60 s and
 * 1 s; with 1 s and msf-local's 5 s publishing every period holds at most one sample, so nothing is averaged
 * away.
 */
import {
  GetMetricDataCommand,
  type GetMetricDataCommandOutput,
  type MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import { HEALTH_QUERIES, MSF_NAMESPACE, seriesFromMetricData } from './cloudwatch-series.js';
import type { HealthFetcher, HealthObservation } from '../../ports/metrics.js';

/** What the fetcher needs of a CloudWatchClient (so tests can pass a stub and msfctl its factory's client). */
export interface CloudWatchLike {
  send(
    command: GetMetricDataCommand,
    options?: { abortSignal?: AbortSignal },
  ): Promise<GetMetricDataCommandOutput>;
}

export interface CloudWatchFetcherOptions {
  /** @default 60 (what MSF publishes); use periodFor('local') against msf-local. */
  periodSeconds?: number;
  /** Give up on one read after this long. @default 10 000 */
  timeoutMs?: number;
  namespace?: string;
  /** Pages followed per read (NextToken) before the read counts as partial. @default 10 */
  maxPages?: number;
  now?: () => number;
}

/** The period that matches how often the target publishes. */
export function periodFor(target: 'aws' | 'local'): number {
  return target === 'aws' ? 60 : 1;
}

const VALID_SHORT_PERIODS = [1, 5, 10, 20, 30];

export class CloudWatchHealthFetcher implements HealthFetcher {
  readonly periodSeconds: number;
  private readonly timeoutMs: number;
  private readonly namespace: string;
  private readonly maxPages: number;
  private readonly now: () => number;

  constructor(
    private readonly client: CloudWatchLike,
    options: CloudWatchFetcherOptions = {},
  ) {
    this.periodSeconds = options.periodSeconds ?? 60;
    if (!(
      VALID_SHORT_PERIODS.includes(this.periodSeconds) ||
      (this.periodSeconds >= 60 && this.periodSeconds % 60 === 0)
    )) {
      throw new RangeError(
        `CloudWatch periods are 1, 5, 10, 20, 30 or a multiple of 60 seconds, not ${this.periodSeconds}.`,
      );
    }
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.namespace = options.namespace ?? MSF_NAMESPACE;
    this.maxPages = options.maxPages ?? 10;
    this.now = options.now ?? Date.now;
  }

  async fetch(application: string, window: { start: number; end: number }): Promise<HealthObservation> {
    const periodMs = this.periodSeconds * 1000;
    // Whole periods: CloudWatch aligns the start down anyway, and the period being filled right now is wanted.
    const start = Math.floor(window.start / periodMs) * periodMs;
    const end = Math.max(start + periodMs, Math.ceil((window.end + 1) / periodMs) * periodMs);
    const dimensions = [{ Name: 'Application', Value: application }];
    const queries = HEALTH_QUERIES.map((q) => ({
      Id: q.id,
      MetricStat: {
        Metric: { Namespace: this.namespace, MetricName: q.metric, Dimensions: dimensions },
        Period: this.periodSeconds,
        Stat: q.stat,
      },
      ReturnData: true,
    }));
    const results: MetricDataResult[] = [];
    let token: string | undefined;
    try {
      for (let page = 0; ; page++) {
        if (page >= this.maxPages)
          return this.failed(`GetMetricData for ${application} needed more than ${this.maxPages} pages`);
        const out = await this.send(
          new GetMetricDataCommand({
            StartTime: new Date(start),
            EndTime: new Date(end),
            MetricDataQueries: queries,
            ScanBy: 'TimestampAscending',
            ...(token ? { NextToken: token } : {}),
          }),
        );
        const broken = (out.MetricDataResults ?? []).find(
          (r) => r.StatusCode === 'InternalError' || r.StatusCode === 'Forbidden',
        );
        if (broken) {
          const why = broken.Messages?.map((m) => m.Value)
            .filter(Boolean)
            .join('; ');
          return this.failed(
            `GetMetricData for ${application}: ${broken.Id} ${broken.StatusCode}${why ? ` (${why})` : ''}`,
          );
        }
        results.push(...(out.MetricDataResults ?? []));
        token = out.NextToken;
        if (!token) break;
      }
    } catch (error) {
      const e = error as { name?: string; message?: string };
      const what =
        e.name === 'AbortError' || e.name === 'TimeoutError'
          ? `timed out after ${this.timeoutMs} ms`
          : `${e.name ?? 'Error'}: ${e.message ?? String(error)}`;
      return this.failed(`GetMetricData for ${application} ${what}`);
    }
    return {
      ok: true,
      series: seriesFromMetricData(application, this.periodSeconds, results),
      fetchedAt: this.now(),
    };
  }

  private async send(command: GetMetricDataCommand): Promise<GetMetricDataCommandOutput> {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), this.timeoutMs);
    try {
      return await this.client.send(command, { abortSignal: abort.signal });
    } finally {
      clearTimeout(timer);
    }
  }

  private failed(reason: string): HealthObservation {
    return { ok: false, reason, fetchedAt: this.now() };
  }
}
