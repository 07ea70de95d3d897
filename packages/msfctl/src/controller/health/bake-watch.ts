/**
 * The bake watch: after an apply, start, restart or rollback leaves an application RUNNING, watch its metrics
 * for `bakeSeconds` and return as soon as the evaluator says unhealthy (with the evidence and, where the
 * target offers it, the job's latest exception). Otherwise the verdict at the end of the bake is the result:
 * healthy, or unknown when the metrics could not tell (the caller decides what unknown means; msfctl reports
 * it and does not recover). A restart inside the bake never ends it green: the evaluator tolerates one restart
 * (it cannot tell a loop's first from a one-off), but a bake that saw one did not show the new version healthy,
 * so at the end of the bake it is unhealthy by policy (`restartsAllowed`, default 0). Reads time only from the
 * injected clock.
 */
import type { Clock } from '../../ports/clock.js';
import { systemClock } from '../../ports/clock.js';
import { DEFAULT_BAKE_SECONDS } from '../../model/deploy-settings.js';
import type { HealthFetcher } from '../../ports/metrics.js';
import { evaluateHealth, type HealthRules } from '../../engine/health/evaluator.js';
import { type HealthBaseline, type BakeProgress, type BakeOutcome } from '../../model/health.js';
import {
  join,
  unhealthy,
  unknown,
  withEvidence,
  type HealthEvidence,
  type HealthResult,
} from '../../model/health.js';
import type { ExceptionSource } from '../../ports/exceptions.js';
import type { LatestException } from '../../model/health.js';

export interface BakeOptions {
  application: string;
  fetcher: HealthFetcher;
  /** @default 120 */
  bakeSeconds?: number;
  clock?: Clock;
  /**
   * Where counting starts. @default { at: clock.now() when the watch starts, freshJob: true } — right for a
   * watch that begins as the deploy's operation ends.
   */
  baseline?: Partial<HealthBaseline>;
  /** Time between polls. @default 2 s for periods up to 5 s (msf-local), 20 s otherwise (MSF's 1-minute data) */
  pollSeconds?: number;
  /**
   * When the bake is over without a single datapoint yet, keep watching this much longer for the first one.
   * MSF's first usable datapoint covers the first whole minute after the deploy and arrives a minute or so
   * after it, which a 2-minute bake can miss. @default 3 periods when the period is 60 s or more, else 0
   */
  graceSeconds?: number;
  rules?: Partial<HealthRules>;
  /** Restarts a bake may see and still end healthy or unknown. @default 0 */
  restartsAllowed?: number;
  /** The application's status (DescribeApplication). A status other than RUNNING is unhealthy; a failed read is ignored. */
  status?: (application: string) => Promise<string | undefined>;
  /** Where the job's latest exception can be read (evidence for an unhealthy verdict). */
  exceptions?: ExceptionSource;
  onProgress?: (progress: BakeProgress) => void;
  signal?: AbortSignal;
}

function statusEvidence(application: string, status: string | undefined): HealthResult | undefined {
  if (status === 'RUNNING') return undefined;
  const message =
    status === undefined ? `${application} no longer exists` : `${application} is ${status}, not RUNNING`;
  const evidence: HealthEvidence = { signal: 'status', message };
  // A transient status (UPDATING, AUTOSCALING, MAINTENANCE...) means someone else is acting on it: not a verdict.
  return status === 'READY' || status === undefined ? unhealthy([evidence]) : unknown(message, [evidence]);
}

/** The bake's policy at its end: a verdict that is not unhealthy but counted restarts becomes unhealthy. */
function restartPolicy(result: HealthResult, allowed: number): HealthResult {
  const restarts = result.facts?.restarts ?? 0;
  if (result.status === 'unhealthy' || restarts <= allowed) return result;
  const seen = result.evidence.find((e) => e.signal === 'restarts' || e.signal === 'uptime-reset');
  const evidence: HealthEvidence = {
    signal: 'restarts',
    message: `${restarts} restart${restarts === 1 ? '' : 's'} inside the bake${seen ? ` (${seen.message})` : ''}: a bake that sees the job restart does not end healthy`,
    ...(seen?.metric ? { metric: seen.metric } : {}),
    ...(seen?.datapoints ? { datapoints: seen.datapoints } : {}),
  };
  const rest = result.evidence.filter((e) => e !== seen);
  return unhealthy([evidence, ...rest], result.facts);
}

export async function bakeWatch(options: BakeOptions): Promise<BakeOutcome> {
  const clock = options.clock ?? systemClock;
  const { application, fetcher } = options;
  const startedAt = clock.now();
  const baseline: HealthBaseline = {
    at: options.baseline?.at ?? startedAt,
    freshJob: options.baseline?.freshJob ?? true,
  };
  const bakeMs = Math.max(0, (options.bakeSeconds ?? DEFAULT_BAKE_SECONDS) * 1000);
  const pollMs = (options.pollSeconds ?? (fetcher.periodSeconds <= 5 ? 2 : 20)) * 1000;
  const endsAt = startedAt + bakeMs;
  const graceMs =
    (options.graceSeconds ?? (fetcher.periodSeconds >= 60 ? 3 * fetcher.periodSeconds : 0)) * 1000;
  const noData = (r: HealthResult) =>
    r.status === 'unknown' && r.evidence.some((e) => e.signal === 'no-data');
  let polls = 0;
  let lastGood: HealthResult | undefined;

  for (;;) {
    const now = clock.now();
    polls++;
    const observation = await fetcher.fetch(application, { start: baseline.at, end: now });
    let result: HealthResult;
    if (observation.ok) {
      result = evaluateHealth(observation.series, baseline, clock, options.rules);
      lastGood = result;
    } else {
      // A flaky read is not an outage: keep the last verdict, note the failure.
      const note: HealthEvidence = { signal: 'read-failed', message: observation.reason };
      result = lastGood
        ? withEvidence(lastGood, note)
        : unknown(`metrics could not be read: ${observation.reason}`, [note]);
    }
    if (options.status) {
      const status = await options.status(application).then(
        (s) => ({ ok: true as const, s }),
        () => ({ ok: false as const }),
      );
      const verdict = status.ok ? statusEvidence(application, status.s) : undefined;
      if (verdict) result = join(result, verdict);
    }
    const deadline = noData(result) ? endsAt + graceMs : endsAt;
    const over = clock.now() >= deadline || options.signal?.aborted === true;
    if (over) result = restartPolicy(result, options.restartsAllowed ?? 0);
    const elapsedMs = clock.now() - startedAt;
    options.onProgress?.({
      application,
      elapsedMs,
      remainingMs: Math.max(0, endsAt - clock.now()),
      polls,
      result,
    });

    if (result.status === 'unhealthy') {
      const detectedAt = clock.now();
      let exception: LatestException | undefined;
      if (options.exceptions) {
        const lookup = await options.exceptions.latest(application);
        if ('found' in lookup) {
          exception = lookup.found;
          result = withEvidence(result, {
            signal: 'exception',
            message: `latest exception${lookup.found.source === 'logs' ? ' (from the log stream)' : ''}: ${lookup.found.rootCause ?? lookup.found.summary}`,
          });
        } else {
          result = withEvidence(result, {
            signal: 'exception',
            message: `latest exception unavailable: ${lookup.unavailable}`,
          });
        }
      }
      return {
        application,
        result,
        early: !over && clock.now() < endsAt,
        startedAt,
        endedAt: clock.now(),
        baseline,
        polls,
        detectedAt,
        ...(exception ? { exception } : {}),
      };
    }
    if (over) {
      return { application, result, early: false, startedAt, endedAt: clock.now(), baseline, polls };
    }
    await clock.sleep(Math.min(pollMs, deadline - clock.now()));
  }
}
