/**
 * Prints the detector's verdict and detection latency on every recorded series, at each resolution, replaying
 * the real bake watch (2 s polls) with a fake clock. Run by hand:
 *
 *   npx tsx packages/msfctl/test/health/replay-latency.ts
 *
 * Latency is measured from the bake's start (the deploy's operation seen SUCCESSFUL) and from the loop's first
 * restart, in seconds and in restart cycles (one turn of the recorded loop: the 10 s restart delay plus the time
 * the job takes to fail again).
 */
import { bakeWatch } from '../../src/controller/health/bake-watch.js';
import { fakeClock } from '../fakes/fake-msf.js';
import { fixtureFetcher, restartCycleMs, restartTimes, RESOLUTIONS } from './support/replay.js';
import { loadSeries, seriesNames } from './support/series-fixture.js';

const rows: string[][] = [
  ['series', 'expected', 'resolution', 'verdict', 'from bake start', 'from 1st restart', 'cycle', 'cycles'],
];
for (const name of seriesNames()) {
  const series = loadSeries(name);
  const first = restartTimes(series)[0];
  for (const [label, resolution] of Object.entries(RESOLUTIONS)) {
    const clock = fakeClock(series.bakeStartAt);
    const outcome = await bakeWatch({
      application: name,
      fetcher: fixtureFetcher(series, resolution, () => clock.now()),
      clock,
      bakeSeconds: Math.floor((series.endAt - series.bakeStartAt) / 1000),
      pollSeconds: 2,
    });
    const detected = outcome.detectedAt;
    const fromStart =
      detected !== undefined ? `${((detected - series.bakeStartAt) / 1000).toFixed(1)} s` : '-';
    const fromFirst =
      detected !== undefined && first !== undefined ? `${((detected - first) / 1000).toFixed(1)} s` : '-';
    const cycle = restartCycleMs(series);
    const cycles =
      detected !== undefined && first !== undefined ? ((detected - first) / cycle).toFixed(2) : '-';
    rows.push([
      name,
      series.expected,
      label,
      outcome.result.status,
      fromStart,
      fromFirst,
      first !== undefined ? `${(cycle / 1000).toFixed(1)} s` : '-',
      cycles,
    ]);
  }
}
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
