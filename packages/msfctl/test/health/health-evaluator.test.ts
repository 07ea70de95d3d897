import { describe, expect, it } from 'vitest';
import { evaluateHealth } from '../../src/engine/health/evaluator.js';
import type { HealthPoint, HealthSeries } from '../../src/model/health-series.js';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const sec = (s: number) => T0 + s * 1000;

function series(points: HealthPoint[], options: Partial<HealthSeries> = {}): HealthSeries {
  return {
    application: 'app',
    periodSeconds: 1,
    points,
    sources: { restarts: 'numRestarts', uptime: 'uptime', down: ['downtime', 'restartingTime'] },
    ...options,
  };
}

/** A job that runs from `from` with uptime growing, `restarts` constant. */
function running(from: number, to: number, restarts = 0, startedAt = from): HealthPoint[] {
  const out: HealthPoint[] = [];
  for (let s = from; s <= to; s++)
    out.push({
      at: sec(s),
      restarts,
      uptimeMin: (s - startedAt) * 1000,
      uptimeMax: (s - startedAt) * 1000,
      down: 0,
      failedCheckpoints: 0,
    });
  return out;
}

/** Restarting: uptime 0, down growing. */
function restarting(from: number, to: number, restarts: number): HealthPoint[] {
  const out: HealthPoint[] = [];
  for (let s = from; s <= to; s++)
    out.push({
      at: sec(s),
      restarts,
      uptimeMin: 0,
      uptimeMax: 0,
      down: (s - from + 1) * 1000,
      failedCheckpoints: 0,
    });
  return out;
}

const fresh = { at: sec(0), freshJob: true };
const at = (s: number) => ({ now: () => sec(s) });

describe('evaluateHealth', () => {
  it('is not yet known without datapoints', () => {
    const result = evaluateHealth(series([]), fresh, at(5));
    expect(result.status).toBe('unknown');
    expect(result.reason).toMatch(/no datapoints for app since 12:00:00/);
    expect(result.evidence[0]?.signal).toBe('no-data');
  });

  it('is healthy when the job runs with no restart', () => {
    const result = evaluateHealth(series(running(0, 30)), fresh, at(31));
    expect(result.status).toBe('healthy');
    expect(result.reason).toBe('0 restarts since the job started, up 30s, 0 failed');
    expect(result.facts).toMatchObject({ restarts: 0, datapoints: 31, uptimeMs: 30_000, longestOutageMs: 0 });
  });

  it('tolerates one restart, and is not known while the job is down from it', () => {
    const points = [...running(0, 5), ...restarting(6, 15, 1), ...running(16, 40, 1, 16)];
    expect(evaluateHealth(series(points.filter((p) => p.at <= sec(10))), fresh, at(10)).status).toBe(
      'unknown',
    );
    const result = evaluateHealth(series(points), fresh, at(40));
    expect(result.status).toBe('healthy');
    expect(result.evidence.map((e) => e.signal)).toEqual(['restarts', 'outage']);
  });

  it('declares a crash loop at the second restart, with the counter values as evidence', () => {
    const points = [...running(0, 2), ...restarting(3, 12, 1), ...restarting(13, 22, 2)];
    const result = evaluateHealth(series(points), fresh, at(13));
    expect(result.status).toBe('unhealthy');
    expect(result.reason).toMatch(/^2 restarts in 14s since the job started \(numRestarts 0 → 2\)/);
    expect(result.evidence[0]).toMatchObject({
      signal: 'restarts',
      metric: 'numRestarts',
      datapoints: [
        { at: sec(3), value: 1 },
        { at: sec(13), value: 2 },
      ],
    });
    expect(result.evidence[1]).toMatchObject({ signal: 'outage', metric: 'downtime/restartingTime' });
  });

  it('counts from the first datapoint when the job was not freshly submitted (msfctl health)', () => {
    const points = [...running(0, 5, 7), ...restarting(6, 8, 8), ...running(9, 20, 8, 9)];
    const result = evaluateHealth(series(points), { at: sec(0), freshJob: false }, at(20));
    expect(result.status).toBe('healthy');
    expect(result.facts?.restarts).toBe(1);
  });

  it('treats a counter that goes down as a new job, counting its restarts from 0', () => {
    // An old job with 7 restarts, then a new job that restarted twice.
    const points = [...running(0, 3, 7), ...restarting(4, 5, 1), ...restarting(6, 7, 2)];
    const result = evaluateHealth(series(points), { at: sec(0), freshJob: false }, at(8));
    expect(result.facts?.restarts).toBe(2);
    expect(result.status).toBe('unhealthy');
  });

  it('takes a counter one lower than before for read jitter, not for a new job', () => {
    const points = [...running(0, 3, 5), ...running(4, 4, 4, 0), ...running(5, 9, 5, 0)];
    const result = evaluateHealth(series(points), { at: sec(0), freshJob: false }, at(9));
    expect(result.facts?.restarts).toBe(0);
    expect(result.status).toBe('healthy');
  });

  it('ignores periods that began before the baseline (a 1-minute period straddling the deploy)', () => {
    // MSF resolution: the period holding the deploy mixes the old crash-looping job (57 restarts) with the fix.
    const minute = (m: number) => T0 + m * 60_000;
    const points: HealthPoint[] = [
      { at: minute(0), restarts: 57, uptimeMin: 0, uptimeMax: 20_000, down: 9_000 },
      { at: minute(1), restarts: 0, uptimeMin: 30_000, uptimeMax: 89_000, down: 0 },
    ];
    const result = evaluateHealth(
      series(points, { periodSeconds: 60 }),
      { at: minute(0) + 30_000, freshJob: true },
      { now: () => minute(2) + 5_000 },
    );
    expect(result.status).toBe('healthy');
    expect(result.facts?.datapoints).toBe(1);
  });

  it('counts uptime resets where no restart counter is published', () => {
    const points = [
      ...running(0, 5),
      ...restarting(6, 7, 0),
      ...running(8, 12, 0, 8),
      ...restarting(13, 14, 0),
      ...running(15, 16, 0, 15),
    ].map(({ restarts: _r, ...p }) => p);
    const result = evaluateHealth(
      series(points, { sources: { uptime: 'runningTime', down: ['restartingTime'] } }),
      fresh,
      at(16),
    );
    expect(result.status).toBe('unhealthy');
    expect(result.evidence[0]).toMatchObject({ signal: 'uptime-reset', metric: 'runningTime' });
    expect(result.reason).toMatch(/2 restarts .* \(runningTime reset 2 times\)/);
  });

  it('does not take uptime read jitter for a reset', () => {
    // Recorded on msf-local from a healthy job: uptime 22 786 ms, then 22 785 ms one second later.
    const points = running(0, 30).map((p) =>
      p.at === sec(20)
        ? { ...p, uptimeMin: 20_001, uptimeMax: 20_001 }
        : p.at === sec(21)
          ? { ...p, uptimeMin: 20_000, uptimeMax: 20_000 }
          : p,
    );
    const result = evaluateHealth(series(points, { sources: { uptime: 'uptime' } }), fresh, at(30));
    expect(result.facts?.uptimeResets).toBe(0);
    expect(result.status).toBe('healthy');
  });

  it('declares an outage that lasts maxOutageMs without a restart', () => {
    const points = [...running(0, 2), ...restarting(3, 70, 1)];
    const result = evaluateHealth(series(points), fresh, at(70));
    expect(result.status).toBe('unhealthy');
    expect(result.evidence[0]).toMatchObject({ signal: 'outage' });
    expect(result.reason).toMatch(/job down for up to 1m8s/);
  });

  it('declares failing checkpoints past the tolerated number, with the rate', () => {
    const points = running(0, 59).map((p, i) => ({ ...p, failedCheckpoints: i < 20 ? 0 : i < 40 ? 1 : 2 }));
    const result = evaluateHealth(series(points), fresh, at(59));
    expect(result.status).toBe('unhealthy');
    expect(result.reason).toBe(
      '2 failed checkpoints since the job started (numberOfFailedCheckpoints 0 → 2, 2.0/min)',
    );
    expect(evaluateHealth(series(points), fresh, at(59), { maxFailedCheckpoints: 2 }).status).toBe('healthy');
  });

  it('is not known when the newest datapoint is stale', () => {
    const result = evaluateHealth(series(running(0, 10)), fresh, at(60));
    expect(result.status).toBe('unknown');
    expect(result.reason).toMatch(/no datapoint for app since 12:00:10 \(49s ago\)/);
  });

  it('is not known while the job has not reached RUNNING', () => {
    const points: HealthPoint[] = [{ at: sec(0), restarts: 0, uptimeMin: 0, uptimeMax: 0, down: 0 }];
    expect(evaluateHealth(series(points), fresh, at(1)).reason).toMatch(/not running yet/);
  });

  it('refuses a clock that went backwards', () => {
    expect(() => evaluateHealth(series([]), fresh, at(-1))).toThrow(/clock went backwards/);
  });

  it('uses the rules it is given', () => {
    const points = [...running(0, 2), ...restarting(3, 4, 1), ...restarting(5, 6, 2), ...running(7, 9, 2, 7)];
    expect(evaluateHealth(series(points), fresh, at(9)).status).toBe('unhealthy');
    expect(evaluateHealth(series(points), fresh, at(9), { maxRestarts: 2 }).status).toBe('healthy');
  });
});
