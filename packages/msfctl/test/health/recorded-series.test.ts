/**
 * The detector on real metric series recorded on msf-local (fixtures/README.md): the bake watch, with its real
 * parser and evaluator, replayed over each recording at the resolutions msf-local and MSF publish. Crash loops
 * are declared within two restart cycles of their first restart (a cycle: one turn of the loop, restart delay
 * plus the time to fail again); healthy jobs (one restart at start-up included) are never flagged at any
 * moment of the recording.
 */
import { describe, expect, it } from 'vitest';
import { bakeWatch } from '../../src/controller/health/bake-watch.js';
import { evaluateHealth } from '../../src/engine/health/evaluator.js';
import { fakeClock } from '../fakes/fake-msf.js';
import { fixtureFetcher, restartCycleMs, restartTimes, RESOLUTIONS } from './support/replay.js';
import { loadSeries, seriesNames, type RecordedSeries } from './support/series-fixture.js';

const POLL_SECONDS = 2;
const all = seriesNames().map(loadSeries);
const unhealthy = all.filter((s) => s.expected === 'unhealthy');
const healthySeries = all.filter((s) => s.expected === 'healthy');

function bakeSeconds(series: RecordedSeries): number {
  return Math.floor((series.endAt - series.bakeStartAt) / 1000);
}

async function replay(
  series: RecordedSeries,
  resolution: (typeof RESOLUTIONS)[string],
  restartsAllowed?: number,
) {
  const clock = fakeClock(series.bakeStartAt);
  const fetcher = fixtureFetcher(series, resolution, () => clock.now());
  const verdicts: string[] = [];
  const outcome = await bakeWatch({
    application: series.name,
    fetcher,
    clock,
    bakeSeconds: bakeSeconds(series),
    pollSeconds: POLL_SECONDS,
    ...(restartsAllowed !== undefined ? { restartsAllowed } : {}),
    onProgress: (p) => verdicts.push(p.result.status),
  });
  return { outcome, verdicts };
}

it('has the recordings the detector is judged on', () => {
  expect(unhealthy.map((s) => s.name)).toEqual(
    expect.arrayContaining(['crash-loop-failing', 'loop-after-deploy-stock-prices']),
  );
  expect(healthySeries.map((s) => s.name)).toEqual(
    expect.arrayContaining(['healthy-counter', 'restart-once-stock-prices']),
  );
});

describe.each(unhealthy.map((s) => [s.name, s] as const))('crash loop %s', (_name, series) => {
  const restarts = restartTimes(series);
  // A restart cycle is one turn of the loop: the 10 s restart delay plus the time the job takes to fail again.
  const cycleMs = restartCycleMs(series);

  it('restarted at least three times while recorded (the loop is real)', () => {
    expect(restarts.length).toBeGreaterThanOrEqual(3);
  });

  it.each(['msf-local, 1 s publishing', 'msf-local, 5 s publishing'])(
    'is declared within two restart cycles of its first restart (%s)',
    async (resolution) => {
      const { outcome } = await replay(series, RESOLUTIONS[resolution]!);
      expect(outcome.result.status).toBe('unhealthy');
      expect(outcome.early).toBe(true);
      const latency = outcome.detectedAt! - restarts[0]!;
      expect(latency).toBeLessThanOrEqual(2 * cycleMs);
      // Evidence names the counter and its values.
      const evidence = outcome.result.evidence.find((e) => e.signal === 'restarts');
      expect(evidence?.metric).toMatch(/^(numRestarts|fullRestarts)$/);
      expect(evidence?.message).toMatch(/\d+ restarts in .* \((numRestarts|fullRestarts) 0 → \d+\)/);
      expect(outcome.result.facts?.restarts).toBeGreaterThan(1);
    },
  );

  it('is declared from the first whole minute after the deploy at MSF resolution', async () => {
    const periodMs = 60_000;
    const firstWholeMinuteEnds = Math.ceil(series.bakeStartAt / periodMs) * periodMs + periodMs;
    expect(firstWholeMinuteEnds).toBeLessThanOrEqual(series.endAt); // the recording holds a whole minute
    const { outcome } = await replay(series, RESOLUTIONS['MSF, 1-minute datapoints']!);
    expect(outcome.result.status).toBe('unhealthy');
    expect(outcome.detectedAt! - firstWholeMinuteEnds).toBeLessThanOrEqual(POLL_SECONDS * 1000);
  });
});

describe.each(healthySeries.map((s) => [s.name, s] as const))('healthy %s', (_name, series) => {
  it.each(Object.keys(RESOLUTIONS))('is never flagged during the bake (%s)', async (resolution) => {
    // The detector's own judgement: the bake's policy on a restart inside the bake is tested below.
    const { outcome, verdicts } = await replay(series, RESOLUTIONS[resolution]!, 1);
    expect(verdicts).not.toContain('unhealthy');
    expect(outcome.early).toBe(false);
    if (resolution.startsWith('msf-local')) expect(outcome.result.status).toBe('healthy');
    else expect(outcome.result.status).not.toBe('unhealthy');
  });

  it('is never flagged at any second of the recording', async () => {
    const fetcher = fixtureFetcher(series, RESOLUTIONS['msf-local, 1 s publishing']!, () => series.endAt);
    let evaluations = 0;
    for (let t = series.bakeStartAt; t <= series.endAt; t += 1000) {
      const observation = await fetcher.fetch(series.name, { start: series.bakeStartAt, end: t });
      if (!observation.ok) throw new Error(observation.reason);
      expect(
        evaluateHealth(observation.series, { at: series.bakeStartAt, freshJob: true }, { now: () => t })
          .status,
      ).not.toBe('unhealthy');
      evaluations++;
    }
    expect(evaluations).toBeGreaterThan(80);
  });
});

it('tolerates the single start-up restart of restart-once-stock-prices and says so; the bake does not end green', async () => {
  const series = loadSeries('restart-once-stock-prices');
  expect(restartTimes(series)).toHaveLength(1);
  const { outcome, verdicts } = await replay(series, RESOLUTIONS['msf-local, 1 s publishing']!, 1);
  expect(verdicts).toContain('unknown'); // while the job restarted
  expect(outcome.result.status).toBe('healthy');
  expect(outcome.result.reason).toMatch(/^1 restart since the job started/);
  expect(outcome.result.evidence.map((e) => e.signal)).toContain('restarts');
  // The bake's default policy (issue 16): not flagged early, but a restart inside the bake ends it unhealthy.
  const baked = await replay(series, RESOLUTIONS['msf-local, 1 s publishing']!);
  expect(baked.verdicts.slice(0, -1)).not.toContain('unhealthy');
  expect(baked.outcome.early).toBe(false);
  expect(baked.outcome.result.status).toBe('unhealthy');
  expect(baked.outcome.result.reason).toMatch(/^1 restart inside the bake/);
});
