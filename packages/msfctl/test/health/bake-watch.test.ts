import { describe, expect, it } from 'vitest';
import { bakeWatch } from '../../src/controller/health/bake-watch.js';
import { type BakeProgress } from '../../src/model/health.js';
import type { HealthFetcher, HealthObservation } from '../../src/ports/metrics.js';
import type { ExceptionSource } from '../../src/ports/exceptions.js';
import { checkHealth } from '../../src/controller/health/health-check.js';
import { bakeMessages, bakeProgressText, healthCheckMessages } from '../../src/engine/health/messages.js';
import { healthy, join, unhealthy, unknown } from '../../src/model/health.js';
import type { HealthPoint } from '../../src/model/health-series.js';
import type { Clock } from '../../src/ports/clock.js';
import { fakeClock } from '../fakes/fake-msf.js';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

/** A job whose metrics follow `at(second)`; datapoints exist up to the clock's time. */
function scripted(
  clock: Clock,
  at: (s: number) => Partial<HealthPoint> | undefined,
  fail?: (s: number) => string | undefined,
): HealthFetcher & { windows: { start: number; end: number }[] } {
  const windows: { start: number; end: number }[] = [];
  return {
    periodSeconds: 1,
    windows,
    async fetch(application, window): Promise<HealthObservation> {
      windows.push(window);
      const nowS = Math.floor((clock.now() - T0) / 1000);
      const failure = fail?.(nowS);
      if (failure) return { ok: false, reason: failure, fetchedAt: clock.now() };
      const points: HealthPoint[] = [];
      for (let s = Math.ceil((window.start - T0) / 1000); s <= nowS; s++) {
        const p = at(s);
        if (p) points.push({ at: T0 + s * 1000, ...p });
      }
      return {
        ok: true,
        series: {
          application,
          periodSeconds: 1,
          points,
          sources: { restarts: 'numRestarts', uptime: 'uptime', down: ['restartingTime'] },
        },
        fetchedAt: clock.now(),
      };
    },
  };
}

const up = (s: number, restarts = 0, since = 0): Partial<HealthPoint> => ({
  restarts,
  uptimeMin: (s - since) * 1000,
  uptimeMax: (s - since) * 1000,
  down: 0,
});
const down = (restarts: number): Partial<HealthPoint> => ({
  restarts,
  uptimeMin: 0,
  uptimeMax: 0,
  down: 1000,
});
/** Fails at 3 s and every 10 s after. */
const loop = (s: number) => (s < 3 ? up(s) : down(1 + Math.floor((s - 3) / 10)));

describe('bakeWatch', () => {
  it('watches for bakeSeconds and returns the verdict at the end', async () => {
    const clock = fakeClock(T0);
    const progress: BakeProgress[] = [];
    const fetcher = scripted(clock, (s) => up(s));
    const outcome = await bakeWatch({
      application: 'app',
      fetcher,
      clock,
      bakeSeconds: 30,
      onProgress: (p) => progress.push(p),
    });
    expect(outcome).toMatchObject({
      early: false,
      startedAt: T0,
      endedAt: T0 + 30_000,
      baseline: { at: T0, freshJob: true },
      polls: 16,
    });
    expect(outcome.result.status).toBe('healthy');
    expect(fetcher.windows.at(-1)).toEqual({ start: T0, end: T0 + 30_000 });
    expect(progress.map((p) => p.remainingMs).slice(0, 3)).toEqual([30_000, 28_000, 26_000]);
    expect(bakeProgressText(progress[1]!)).toBe('baking app: 0 restarts, 28s left');
  });

  it('never ends green after a restart inside the bake (issue 16 item 1): unhealthy by policy', async () => {
    // One restart at 5 s (down until 10 s), then up for the rest of a 30 s bake: the evaluator tolerates it.
    const once = (s: number) => (s < 5 ? up(s) : s < 10 ? down(1) : up(s, 1, 10));
    const clock = fakeClock(T0);
    const outcome = await bakeWatch({
      application: 'app',
      fetcher: scripted(clock, once),
      clock,
      bakeSeconds: 30,
    });
    expect(outcome.result.status).toBe('unhealthy');
    expect(outcome.early).toBe(false);
    expect(outcome.endedAt).toBe(T0 + 30_000);
    expect(outcome.result.evidence[0]).toMatchObject({ signal: 'restarts', metric: 'numRestarts' });
    expect(outcome.result.evidence[0]!.message).toMatch(
      /^1 restart inside the bake \(1 restart in .* \(numRestarts 0 → 1\)\): a bake that sees the job restart does not end healthy$/,
    );
    expect(bakeMessages(outcome)[0]).toMatchObject({ level: 'error', code: 'MSF_HEALTH_E3002' });

    // Still down from the restart when the bake ends: not "unknown" either.
    const clock2 = fakeClock(T0);
    const stillDown = (s: number) => (s < 5 ? up(s) : down(1));
    const ended = await bakeWatch({
      application: 'app',
      fetcher: scripted(clock2, stillDown),
      clock: clock2,
      bakeSeconds: 8,
    });
    expect(ended.result.status).toBe('unhealthy');

    // A policy that allows one restart keeps the evaluator's verdict.
    const clock3 = fakeClock(T0);
    const allowed = await bakeWatch({
      application: 'app',
      fetcher: scripted(clock3, once),
      clock: clock3,
      bakeSeconds: 30,
      restartsAllowed: 1,
    });
    expect(allowed.result.status).toBe('healthy');
  });

  it('says whether data flows: records in/out, backpressure and the Kinesis iterator age where published (issue 16 item 16)', async () => {
    const clock = fakeClock(T0);
    const flowing = (s: number) => ({
      ...up(s),
      recordsInPerSecond: 12.5,
      recordsOutPerSecond: s < 20 ? 12.5 : 3,
      backPressuredMsPerSecond: s < 20 ? 0 : 850,
      millisBehindLatest: 1200,
    });
    const outcome = await bakeWatch({
      application: 'app',
      fetcher: scripted(clock, flowing),
      clock,
      bakeSeconds: 30,
    });
    expect(outcome.result.status).toBe('healthy');
    expect(outcome.result.facts?.flow).toEqual({
      recordsInPerSecond: 12.5,
      recordsOutPerSecond: 3,
      backPressuredMsPerSecond: 850,
      millisBehindLatest: 1200,
    });
    expect(bakeMessages(outcome).at(-1)).toMatchObject({
      code: 'MSF_HEALTH_I3005',
      text: '  data flow: 12.5 records/s in, 3.0 out; backpressure 850 ms/s; Kinesis iterator age 1200 ms',
    });

    // A target that publishes only records in/out (msf-local): the rest is named as not published, not as zero.
    const clock2 = fakeClock(T0);
    const check = await checkHealth({
      application: 'app',
      fetcher: scripted(clock2, (s) => ({ ...up(s), recordsInPerSecond: 4, recordsOutPerSecond: 4 })),
      clock: clock2,
      windowSeconds: 0,
    });
    expect(healthCheckMessages(check).map((m) => m.text)).toContain(
      '  data flow: 4.0 records/s in, 4.0 out; backpressure not published',
    );
  });

  it('returns as soon as the job is crash-looping, with the latest exception as evidence', async () => {
    const clock = fakeClock(T0);
    const exceptions: ExceptionSource = {
      latest: async () => ({
        found: { summary: 'java.lang.IllegalStateException: boom', source: 'flink-dashboard' },
      }),
    };
    const outcome = await bakeWatch({
      application: 'app',
      fetcher: scripted(clock, loop),
      clock,
      bakeSeconds: 120,
      exceptions,
    });
    expect(outcome.result.status).toBe('unhealthy');
    expect(outcome.early).toBe(true);
    expect(outcome.detectedAt).toBe(T0 + 14_000); // second restart at 13 s, next poll at 14 s
    expect(outcome.exception?.summary).toBe('java.lang.IllegalStateException: boom');
    expect(outcome.result.evidence.map((e) => e.signal)).toEqual(['restarts', 'outage', 'exception']);
    const messages = bakeMessages(outcome);
    expect(messages[0]).toMatchObject({
      level: 'error',
      code: 'MSF_HEALTH_E3002',
      text: 'app is unhealthy (detected after 14s of the bake): crash loop or failing job.',
    });
    expect(messages.map((m) => m.text)).toContain(
      '  exception: latest exception: java.lang.IllegalStateException: boom',
    );
  });

  it('says so when the exception cannot be had', async () => {
    const clock = fakeClock(T0);
    const exceptions: ExceptionSource = { latest: async () => ({ unavailable: 'no dashboard here' }) };
    const outcome = await bakeWatch({
      application: 'app',
      fetcher: scripted(clock, loop),
      clock,
      exceptions,
    });
    expect(outcome.exception).toBeUndefined();
    expect(outcome.result.evidence.at(-1)).toEqual({
      signal: 'exception',
      message: 'latest exception unavailable: no dashboard here',
    });
  });

  it('carries on through failed reads, keeping the last verdict', async () => {
    const clock = fakeClock(T0);
    const fetcher = scripted(
      clock,
      (s) => up(s),
      (s) => (s >= 4 && s < 10 ? 'ThrottlingException: Rate exceeded' : undefined),
    );
    const statuses: string[] = [];
    const outcome = await bakeWatch({
      application: 'app',
      fetcher,
      clock,
      bakeSeconds: 20,
      onProgress: (p) => statuses.push(`${p.result.status}:${p.result.evidence.length}`),
    });
    // Polls at 0 s (uptime 0: not running yet), 2 s, 4-8 s (reads fail: the 2 s verdict stands, noted), 10 s.
    expect(statuses.slice(0, 6)).toEqual([
      'unknown:0',
      'healthy:0',
      'healthy:1',
      'healthy:1',
      'healthy:1',
      'healthy:0',
    ]);
    expect(outcome.result.status).toBe('healthy');
  });

  it('is not known when every read fails', async () => {
    const clock = fakeClock(T0);
    const outcome = await bakeWatch({
      application: 'app',
      fetcher: scripted(
        clock,
        (s) => up(s),
        () => 'AccessDenied',
      ),
      clock,
      bakeSeconds: 10,
    });
    expect(outcome.result).toMatchObject({
      status: 'unknown',
      reason: 'metrics could not be read: AccessDenied',
    });
  });

  it('is unhealthy when the application stops running, and not a verdict while someone else updates it', async () => {
    const clock = fakeClock(T0);
    const stopped = await bakeWatch({
      application: 'app',
      fetcher: scripted(clock, (s) => up(s)),
      clock,
      status: async () => (clock.now() >= T0 + 6000 ? 'READY' : 'RUNNING'),
    });
    expect(stopped.result).toMatchObject({ status: 'unhealthy', reason: 'app is READY, not RUNNING' });
    expect(stopped.detectedAt).toBe(T0 + 6000);

    const clock2 = fakeClock(T0);
    const updating = await bakeWatch({
      application: 'app',
      fetcher: scripted(clock2, (s) => up(s)),
      clock: clock2,
      bakeSeconds: 10,
      status: async () => 'UPDATING',
    });
    expect(updating.result).toMatchObject({ status: 'unknown', reason: 'app is UPDATING, not RUNNING' });

    const clock3 = fakeClock(T0);
    const flaky = await bakeWatch({
      application: 'app',
      fetcher: scripted(clock3, (s) => up(s)),
      clock: clock3,
      bakeSeconds: 10,
      status: () => Promise.reject(new Error('throttled')),
    });
    expect(flaky.result.status).toBe('healthy');
  });

  it('waits up to graceSeconds past the bake for a first datapoint, and no longer', async () => {
    const clock = fakeClock(T0);
    const late = await bakeWatch({
      application: 'app',
      fetcher: scripted(clock, (s) => (s >= 130 ? up(s - 130) : undefined)),
      clock,
      bakeSeconds: 120,
      graceSeconds: 60,
      pollSeconds: 10,
    });
    expect(late.result.status).toBe('unknown'); // first datapoint at 130 s: uptime 0, not running yet
    expect(late.endedAt).toBe(T0 + 130_000);
    expect(late.result.reason).toMatch(/not running yet/);

    const clock2 = fakeClock(T0);
    const never = await bakeWatch({
      application: 'app',
      fetcher: scripted(clock2, () => undefined),
      clock: clock2,
      bakeSeconds: 120,
      graceSeconds: 60,
      pollSeconds: 10,
    });
    expect(never.endedAt).toBe(T0 + 180_000);
    expect(never.result.reason).toMatch(/^no datapoints for app since 12:00:00 yet/);
  });

  it('polls every 20 s at MSF resolution and counts from the baseline it is given', async () => {
    const clock = fakeClock(T0 + 5000);
    const fetcher = { ...scripted(clock, (s) => up(s)), periodSeconds: 60 };
    const outcome = await bakeWatch({
      application: 'app',
      fetcher,
      clock,
      bakeSeconds: 60,
      baseline: { at: T0, freshJob: false },
    });
    expect(outcome.polls).toBe(4);
    expect(outcome.endedAt).toBe(T0 + 65_000); // data from the start: no grace needed
    expect(outcome.baseline).toEqual({ at: T0, freshJob: false });
  });
});

describe('checkHealth (msfctl health)', () => {
  it('looks at the last 10 minutes and tolerates two restarts there', async () => {
    const clock = fakeClock(T0 + 600_000);
    const twice = (s: number) =>
      s < 100 ? up(s, 5) : s < 110 ? down(6) : s < 300 ? up(s, 6, 110) : s < 310 ? down(7) : up(s, 7, 310);
    const check = await checkHealth({ application: 'app', fetcher: scripted(clock, twice), clock });
    expect(check.result.status).toBe('healthy');
    expect(check.result.facts).toMatchObject({ restarts: 2, window: { from: T0, to: T0 + 600_000 } });
    expect(healthCheckMessages(check)[0]).toMatchObject({
      level: 'success',
      code: 'MSF_HEALTH_I3000',
      text: 'app is healthy: 2 restarts since 12:00:00, up 4m50s, 0 failed.',
    });
  });

  it('flags a loop and fetches its exception', async () => {
    const clock = fakeClock(T0 + 60_000);
    const check = await checkHealth({
      application: 'app',
      fetcher: scripted(clock, loop),
      clock,
      exceptions: { latest: async () => ({ found: { summary: 'E: x', source: 'flink-dashboard' } }) },
    });
    expect(check.result.status).toBe('unhealthy');
    expect(check.exception?.summary).toBe('E: x');
  });

  it('does not read metrics of an application that is not running', async () => {
    const clock = fakeClock(T0);
    const fetcher = scripted(clock, (s) => up(s));
    const check = await checkHealth({ application: 'app', fetcher, clock, status: async () => 'READY' });
    expect(check.result).toMatchObject({
      status: 'unknown',
      reason: 'app is READY: only a RUNNING application publishes metrics',
    });
    expect(fetcher.windows).toEqual([]);
  });
});

describe('HealthResult', () => {
  it('joins: unhealthy over unknown over healthy, evidence adds up', () => {
    const bad = unhealthy([{ signal: 'restarts', message: '3 restarts' }]);
    const notKnown = unknown('no data', [{ signal: 'no-data', message: 'none' }]);
    expect(join(healthy(), bad)).toMatchObject({ status: 'unhealthy', reason: '3 restarts' });
    expect(join(notKnown, healthy()).status).toBe('unknown');
    expect(join(bad, notKnown).evidence.map((e) => e.signal)).toEqual(['restarts', 'no-data']);
    expect(join(bad, unhealthy([{ signal: 'status', message: 'READY' }])).reason).toBe('3 restarts; READY');
    expect(() => unhealthy([])).toThrow(/at least one piece of evidence/);
  });
});
