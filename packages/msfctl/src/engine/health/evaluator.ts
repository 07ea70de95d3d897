/**
 * The evaluator (FKO's ClusterHealthEvaluator): pure, no I/O. Given the series observed since a baseline and
 * the time from an injected clock, it says healthy, unhealthy (with the evidence) or not yet known.
 *
 * The rule, in order:
 *  1. Only periods that start at or after the baseline count. A period that straddles the deploy would mix the
 *     old job's values with the new one's (on MSF's 1-minute periods, a crash-looping old job would make a good
 *     fix look bad), so it is left out: on MSF the first usable datapoint is the first whole minute after it.
 *  2. Restarts since the baseline: the rise of the restart counter (numRestarts, else fullRestarts), counting
 *     from 0 when the job was freshly submitted at the baseline (a deploy, start or rollback) and from the
 *     first datapoint otherwise; a counter that goes down was reset by a new job and counts from 0 again.
 *     Uptime resets (uptime, else runningTime, dropping to 0 or by more than a second) count too, and are all
 *     there is where no counter is published; the larger of the two counts.
 *  3. Unhealthy when restarts > maxRestarts (default 1), when an outage (the largest of downtime,
 *     restartingTime, failingTime) reaches maxOutageMs (default 60 s: a job that stays down without cycling),
 *     or when failed checkpoints > maxFailedCheckpoints (default 1).
 *  4. Otherwise not yet known when there is no datapoint, when the newest one is stale, or when the job is down
 *     at the newest one (restarting or not yet running); else healthy.
 *
 * One restart is tolerated on purpose: a healthy job may restart once (a dependency that comes up late, a lost
 * TaskManager, service maintenance), and one restart cannot be told from a loop's first. A loop restarts again
 * one restart delay later, so it is declared at its second restart: within two restart cycles of its start.
 */
import { formatDuration } from '../../model/duration.js';
import type { HealthPoint, HealthSeries } from '../../model/health-series.js';
import {
  healthy,
  unhealthy,
  unknown,
  type HealthEvidence,
  type HealthFacts,
  type DataFlow,
  type HealthResult,
  type HealthBaseline,
} from '../../model/health.js';

export interface HealthRules {
  /** Restarts tolerated since the baseline; one more is a crash loop. @default 1 */
  maxRestarts: number;
  /** An outage this long without recovering is unhealthy. @default 60 000 */
  maxOutageMs: number;
  /** Failed checkpoints tolerated since the baseline. @default 1 */
  maxFailedCheckpoints: number;
  /** A newest datapoint older than this makes the verdict unknown. @default max(5 periods, 30 s) */
  staleAfterMs?: number;
}

export const DEFAULT_HEALTH_RULES: HealthRules = {
  maxRestarts: 1,
  maxOutageMs: 60_000,
  maxFailedCheckpoints: 1,
};

export interface Clockish {
  now(): number;
}

/**
 * How far a counter rose over the points. A drop to 0, or by more than one, is a new job (its counter starts
 * at 0, so its value is all rise); a drop by one is read jitter and ignored, which can only undercount.
 */
function counterRise(
  points: HealthPoint[],
  read: (p: HealthPoint) => number | undefined,
  fresh: boolean,
): { rise: number; from?: number; to?: number; rises: HealthPoint[] } {
  const values = points.filter((p) => read(p) !== undefined);
  if (values.length === 0) return { rise: 0, rises: [] };
  let prev = fresh ? 0 : read(values[0]!)!;
  const from = prev;
  let last = prev;
  let rise = 0;
  const rises: HealthPoint[] = [];
  for (const p of fresh ? values : values.slice(1)) {
    const v = read(p)!;
    last = v;
    if (v < prev && v !== 0 && prev - v <= 1) continue;
    const step = v >= prev ? v - prev : v;
    if (step > 0) {
      rise += step;
      rises.push(p);
    }
    prev = v;
  }
  return { rise, from, to: last, rises };
}

/**
 * Uptime going down means the job restarted: to 0 (the job is down) or by more than a second. Smaller drops are
 * read jitter (msf-local recorded 22 786 → 22 785 ms on a healthy job); a job that ran less than a second and
 * failed shows as uptime 0 at the next sample, or in the restart counter.
 */
const UPTIME_JITTER_MS = 1000;

function uptimeResets(points: HealthPoint[]): HealthPoint[] {
  const resets: HealthPoint[] = [];
  let prevMax: number | undefined;
  for (const p of points) {
    if (p.uptimeMin === undefined && p.uptimeMax === undefined) continue;
    const min = p.uptimeMin ?? p.uptimeMax!;
    if (prevMax !== undefined && prevMax > 0 && (min <= 0 || prevMax - min > UPTIME_JITTER_MS))
      resets.push(p);
    prevMax = p.uptimeMax ?? min;
  }
  return resets;
}

const FLOW_KEYS = [
  'recordsInPerSecond',
  'recordsOutPerSecond',
  'backPressuredMsPerSecond',
  'millisBehindLatest',
] as const;

/** The newest published value of each data-flow metric in the window: reported, not judged (an idle source is fine). */
function dataFlow(points: HealthPoint[]): DataFlow | undefined {
  const flow: DataFlow = {};
  for (const key of FLOW_KEYS) {
    const value = points.findLast((p) => p[key] !== undefined)?.[key];
    if (value !== undefined) flow[key] = value;
  }
  return Object.keys(flow).length ? flow : undefined;
}

const time = (at: number) => new Date(at).toISOString().slice(11, 19);

export function evaluateHealth(
  series: HealthSeries,
  baseline: HealthBaseline,
  clock: Clockish,
  overrides: Partial<HealthRules> = {},
): HealthResult {
  const rules = { ...DEFAULT_HEALTH_RULES, ...overrides };
  const now = clock.now();
  if (now < baseline.at)
    throw new Error(
      `Health evaluated at ${new Date(now).toISOString()}, before its baseline ${new Date(baseline.at).toISOString()}: the clock went backwards.`,
    );
  const periodMs = series.periodSeconds * 1000;
  const staleAfterMs = rules.staleAfterMs ?? Math.max(5 * periodMs, 30_000);
  const points = series.points.filter((p) => p.at >= baseline.at && p.at <= now);
  const app = series.application;

  const restartCounter = counterRise(points, (p) => p.restarts, baseline.freshJob);
  const resets = uptimeResets(points);
  const counted = series.sources.restarts !== undefined && restartCounter.to !== undefined;
  const restarts = counted ? Math.max(restartCounter.rise, resets.length) : resets.length;
  const failed = counterRise(points, (p) => p.failedCheckpoints, baseline.freshJob);
  const completed = counterRise(points, (p) => p.completedCheckpoints, baseline.freshJob);
  const outages = points.filter((p) => (p.down ?? 0) > 0);
  const longestOutageMs = Math.max(0, ...outages.map((p) => p.down!));
  const newest = points.at(-1);
  const flow = dataFlow(points);
  const facts: HealthFacts = {
    window: { from: baseline.at, to: now },
    periodSeconds: series.periodSeconds,
    datapoints: points.length,
    restarts,
    ...(series.sources.restarts ? { restartMetric: series.sources.restarts } : {}),
    uptimeResets: resets.length,
    longestOutageMs,
    failedCheckpoints: failed.rise,
    ...(completed.to !== undefined ? { completedCheckpoints: completed.rise } : {}),
    ...(newest?.uptimeMax !== undefined ? { uptimeMs: newest.uptimeMax } : {}),
    ...(newest ? { newestDatapointAt: newest.at } : {}),
    ...(flow ? { flow } : {}),
  };

  if (!newest) {
    return unknown(
      `no datapoints for ${app} since ${time(baseline.at)} yet`,
      [{ signal: 'no-data', message: `no ${series.periodSeconds}s datapoints since ${time(baseline.at)}` }],
      facts,
    );
  }

  const findings: HealthEvidence[] = [];
  const support: HealthEvidence[] = [];
  const since = baseline.freshJob ? 'since the job started' : `since ${time(baseline.at)}`;
  const restartPoints = counted && restartCounter.rise >= resets.length ? restartCounter.rises : resets;
  if (restarts > 0) {
    const last = restartPoints.at(-1);
    const span = last ? ` in ${formatDuration(last.at + periodMs - baseline.at)}` : '';
    const how =
      counted && restartCounter.rise >= resets.length
        ? `${series.sources.restarts} ${restartCounter.from} → ${restartCounter.to}`
        : `${series.sources.uptime ?? 'uptime'} reset ${resets.length} time${resets.length === 1 ? '' : 's'}`;
    const evidence: HealthEvidence = {
      signal: counted && restartCounter.rise >= resets.length ? 'restarts' : 'uptime-reset',
      message: `${restarts} restart${restarts === 1 ? '' : 's'}${span} ${since} (${how})`,
      metric:
        counted && restartCounter.rise >= resets.length
          ? series.sources.restarts!
          : (series.sources.uptime ?? 'uptime'),
      datapoints: restartPoints
        .slice(-5)
        .map((p) => ({ at: p.at, value: (counted ? p.restarts : p.uptimeMin) ?? 0 })),
    };
    (restarts > rules.maxRestarts ? findings : support).push(evidence);
  }
  if (longestOutageMs > 0) {
    const worst = outages.reduce((a, b) => (b.down! > a.down! ? b : a));
    const evidence: HealthEvidence = {
      signal: 'outage',
      message: `job down for up to ${formatDuration(longestOutageMs)} (${(series.sources.down ?? ['downtime']).join('/')} > 0 in ${outages.length} of ${points.length} datapoints)`,
      metric: (series.sources.down ?? ['downtime']).join('/'),
      datapoints: [{ at: worst.at, value: worst.down! }],
    };
    (longestOutageMs >= rules.maxOutageMs ? findings : support).push(evidence);
  }
  if (failed.rise > 0) {
    const minutes = Math.max(1, (newest.at + periodMs - baseline.at) / 60_000);
    const evidence: HealthEvidence = {
      signal: 'failed-checkpoints',
      message: `${failed.rise} failed checkpoint${failed.rise === 1 ? '' : 's'} ${since} (numberOfFailedCheckpoints ${failed.from} → ${failed.to}, ${(failed.rise / minutes).toFixed(1)}/min)`,
      metric: 'numberOfFailedCheckpoints',
      datapoints: failed.rises.slice(-5).map((p) => ({ at: p.at, value: p.failedCheckpoints! })),
    };
    (failed.rise > rules.maxFailedCheckpoints ? findings : support).push(evidence);
  }
  if (findings.length) return unhealthy([...findings, ...support], facts);

  const age = now - (newest.at + periodMs);
  if (age > staleAfterMs) {
    return unknown(
      `no datapoint for ${app} since ${time(newest.at)} (${formatDuration(age)} ago)`,
      [{ signal: 'stale-data', message: `newest datapoint at ${time(newest.at)}` }, ...support],
      facts,
    );
  }
  const down = (newest.down ?? 0) > 0;
  const notUp = newest.uptimeMax !== undefined && newest.uptimeMax <= 0;
  if (down || notUp) {
    const state = down ? 'restarting' : 'not running yet';
    return unknown(
      `the job is ${state} at ${time(newest.at)} (${restarts} restart${restarts === 1 ? '' : 's'} so far)`,
      support,
      facts,
    );
  }
  const parts = [`${restarts} restart${restarts === 1 ? '' : 's'} ${since}`];
  if (newest.uptimeMax !== undefined) parts.push(`up ${formatDuration(newest.uptimeMax)}`);
  if (completed.to !== undefined)
    parts.push(`${completed.rise} checkpoint${completed.rise === 1 ? '' : 's'} completed`);
  parts.push(`${failed.rise} failed`);
  return healthy(parts.join(', '), support, facts);
}
