/**
 * `msfctl health [APP] [--watch]`: the bake watch's detector on demand. The window is the last
 * `windowSeconds`, or (with `baseline`) the current job's life when it started within it. Counting from a job's
 * start is a bake after the fact and uses the bake's rules; over a window that starts mid-job, counters count
 * from its first datapoint and the default tolerates two restarts in 10 minutes (three is a loop, as AWS's own
 * guidance puts it), one more than a bake does.
 */
import type { Clock } from '../../ports/clock.js';
import { systemClock } from '../../ports/clock.js';
import type { HealthFetcher } from '../../ports/metrics.js';
import { evaluateHealth, type HealthRules } from '../../engine/health/evaluator.js';
import {
  unknown,
  withEvidence,
  type HealthBaseline,
  type HealthCheck,
  type LatestException,
} from '../../model/health.js';
import type { ExceptionSource } from '../../ports/exceptions.js';

export const DEFAULT_HEALTH_WINDOW_SECONDS = 600;
export const ON_DEMAND_RULES: Partial<HealthRules> = { maxRestarts: 2 };

export interface HealthCheckOptions {
  application: string;
  fetcher: HealthFetcher;
  clock?: Clock;
  /** @default 600 */
  windowSeconds?: number;
  /** @default ON_DEMAND_RULES */
  rules?: Partial<HealthRules>;
  /** The application's status; anything but RUNNING gives "unknown: not running" without reading metrics. */
  status?: (application: string) => Promise<string | undefined>;
  exceptions?: ExceptionSource;
  /**
   * Where counting starts; default `windowSeconds` ago. `currentJobBaseline()` starts at the current job's
   * submission, so that deploys inside the window are not counted as restarts.
   */
  baseline?: (now: number, windowMs: number) => Promise<HealthBaseline> | HealthBaseline;
}

export async function checkHealth(options: HealthCheckOptions): Promise<HealthCheck> {
  const clock = options.clock ?? systemClock;
  const { application } = options;
  const checkedAt = clock.now();
  let status: string | undefined;
  if (options.status) {
    try {
      status = await options.status(application);
    } catch {
      status = undefined; // the metrics still tell
    }
    if (status !== undefined && status !== 'RUNNING') {
      const message = `${application} is ${status}: only a RUNNING application publishes metrics`;
      return { application, checkedAt, status, result: unknown(message, [{ signal: 'status', message }]) };
    }
  }
  const window = (options.windowSeconds ?? DEFAULT_HEALTH_WINDOW_SECONDS) * 1000;
  const baseline = options.baseline
    ? await options.baseline(checkedAt, window)
    : { at: checkedAt - window, freshJob: false };
  const observation = await options.fetcher.fetch(application, { start: baseline.at, end: checkedAt });
  // Counting from the current job's start is a bake after the fact: the bake's rules apply.
  const rules = options.rules ?? (baseline.freshJob ? {} : ON_DEMAND_RULES);
  let result = observation.ok
    ? evaluateHealth(observation.series, baseline, clock, rules)
    : unknown(`metrics could not be read: ${observation.reason}`, [
        { signal: 'read-failed', message: observation.reason },
      ]);
  let exception: LatestException | undefined;
  if (result.status !== 'healthy' && options.exceptions && (result.facts?.restarts ?? 0) > 0) {
    const lookup = await options.exceptions.latest(application);
    if ('found' in lookup) {
      exception = lookup.found;
      result = withEvidence(result, {
        signal: 'exception',
        message: `latest exception${lookup.found.source === 'logs' ? ' (from the log stream)' : ''}: ${lookup.found.rootCause ?? lookup.found.summary}`,
      });
    }
  }
  return {
    application,
    checkedAt,
    ...(status ? { status } : {}),
    result,
    ...(exception ? { exception } : {}),
  };
}

/** `--watch`: a check every `intervalSeconds` until the signal aborts, each handed to `onCheck`. */
export async function watchHealth(
  options: HealthCheckOptions & {
    intervalSeconds?: number;
    signal: AbortSignal;
    onCheck: (check: HealthCheck) => void;
  },
): Promise<void> {
  const clock = options.clock ?? systemClock;
  const interval = (options.intervalSeconds ?? (options.fetcher.periodSeconds <= 5 ? 5 : 60)) * 1000;
  while (!options.signal.aborted) {
    options.onCheck(await checkHealth(options));
    if (options.signal.aborted) break;
    await Promise.race([
      clock.sleep(interval),
      new Promise((resolve) => options.signal.addEventListener('abort', resolve, { once: true })),
    ]);
  }
}
