/**
 * bench/dashboard — how fast the fleet page loads in a real browser (goal: well under 1 s for 50 applications).
 * One run:
 *   1. builds the web app if its sources changed, serves the dashboard over an in-memory source of N
 *      applications (default 50; msf-local's applications later, through msfctl's source);
 *   2. in Debian's headless Chromium, opens the fleet page R times (default 20, after 3 warm-ups), each in a
 *      fresh browser context (empty cache, new connection), and measures, inside the page, from navigation
 *      start (performance.now() = 0) to the moment the N-th fleet row is in the DOM (a MutationObserver
 *      installed before any page script), and to the first paint after it (requestAnimationFrame);
 *   3. the floor, side by side: the same rendered table and stylesheet as one static HTML page with no
 *      JavaScript, served by a bare node:http server, measured the same way.
 *
 *   npx tsx bench/dashboard/run.ts [--apps 50] [--runs 20]
 */
import { readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { MemoryDashboardSource } from '../../packages/dashboard/src/memory-source.js';
import { serveDashboard } from '../../packages/dashboard/src/server.js';
import { DEFAULT_ASSETS_DIR } from '../../packages/dashboard/src/static-assets.js';
import { launchChromium } from '../../packages/dashboard/test/support/browser.js';
import { buildWeb } from '../../packages/dashboard/test/support/build-web.js';
import { fleetOf } from '../../packages/dashboard/test/support/fixture.js';
import { ms, series, stats, WARMUP } from './page-load.js';

const { values } = parseArgs({
  options: { apps: { type: 'string', default: '50' }, runs: { type: 'string', default: '20' } },
});
const APPS = Number(values.apps);
const RUNS = Number(values.runs);

async function main(): Promise<void> {
  const build = await buildWeb();
  console.log(`web app: ${build.built ? `built in ${build.ms} ms` : 'up to date'} (${DEFAULT_ASSETS_DIR})`);
  const source = new MemoryDashboardSource(fleetOf(APPS), 'bench: in-memory source');
  const dashboard = await serveDashboard({ source, port: 0 });
  const browser = await launchChromium();
  let floor: ReturnType<typeof createServer> | undefined;
  try {
    const app = await series(browser, dashboard.url, { rows: APPS, runs: RUNS });

    // The floor: what the browser itself needs for the same DOM and CSS, with no script and no API call.
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(dashboard.url);
    await page
      .locator('tr.fleet-row')
      .nth(APPS - 1)
      .waitFor();
    const main = await page.locator('main').evaluate((el) => el.outerHTML);
    await page.close();
    const cssFile = (await readdir(path.join(DEFAULT_ASSETS_DIR, 'assets'))).find((f) => f.endsWith('.css'))!;
    const css = await readFile(path.join(DEFAULT_ASSETS_DIR, 'assets', cssFile), 'utf8');
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><style>${css}</style></head><body>${main}</body></html>`;
    floor = createServer((_req, res) => {
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(html);
    });
    await new Promise<void>((resolve) => floor!.listen(0, '127.0.0.1', resolve));
    const bare = await series(browser, `http://127.0.0.1:${(floor.address() as AddressInfo).port}/`, {
      rows: APPS,
      runs: RUNS,
    });

    const rows = [
      ['dashboard: N-th row in the DOM', stats(app.map((s) => s.rows))],
      ['dashboard: painted', stats(app.map((s) => s.painted))],
      ['floor (static HTML): N-th row in the DOM', stats(bare.map((s) => s.rows))],
      ['floor (static HTML): painted', stats(bare.map((s) => s.painted))],
    ] as const;
    console.log(
      `\nfleet page, ${APPS} applications, ${RUNS} loads each (after ${WARMUP} warm-ups), fresh browser context per load`,
    );
    console.log(
      `Chromium headless (${browser.version()}), loopback; times from navigation start, measured in the page`,
    );
    // This machine's two cores are shared: the load says how much the numbers are inflated.
    const load = os.loadavg().map((l) => l.toFixed(1));
    console.log(`load average at the end of the run: ${load.join(' ')} on ${os.cpus().length} cores\n`);
    console.log(`${'measure'.padEnd(44)}   median      p95      min      max`);
    for (const [label, s] of rows) {
      console.log(`${label.padEnd(44)} ${ms(s.median)} ${ms(s.p95)} ${ms(s.min)} ${ms(s.max)}`);
    }
    const ratio = stats(app.map((s) => s.painted)).median / stats(bare.map((s) => s.painted)).median;
    console.log(`\npainted, median: dashboard / static floor = ${ratio.toFixed(2)}×`);
    const median = stats(app.map((s) => s.painted)).median;
    console.log(
      `goal: fleet page of ${APPS} applications painted in under 1000 ms: ${median < 1000 ? 'met' : 'NOT met'} (median ${median.toFixed(0)} ms)`,
    );
  } finally {
    await browser.close();
    await dashboard.close();
    floor?.close();
  }
}

await main();
