/**
 * The dashboard in a real browser: Debian's Chromium, headless, against the real server over an in-memory
 * source (the end-to-end version on msf-local swaps only the source). Screenshots go to test-results/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { HealthState } from '../../src/contract.js';
import { MemoryDashboardSource } from '../../src/memory-source.js';
import type { RunningDashboard } from '../../src/server.js';
import { accessibilityViolations } from '../support/accessibility.js';
import { collectPageErrors, launchChromium, screenshot } from '../support/browser.js';
import { startDashboard } from '../support/dashboard.js';
import { crashLoop, demoFleet } from '../support/fixture.js';

/** The badge colours of styles.css, as the browser computes them: one per health state. */
const BADGE_BACKGROUND: Record<HealthState, string> = {
  healthy: 'rgb(218, 251, 225)',
  unhealthy: 'rgb(255, 241, 224)',
  'crash-looping': 'rgb(207, 34, 46)',
  unknown: 'rgb(234, 238, 242)',
  'not-running': 'rgb(221, 244, 255)',
};
const RED = BADGE_BACKGROUND['crash-looping'];

let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
});

async function openPage(url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(url);
  return { page, errors };
}

const rows = (page: Page) => page.locator('tr.fleet-row');
const row = (page: Page, name: string) => page.locator(`tr.fleet-row[data-app="${name}"]`);
const badgeBackground = (page: Page, name: string) =>
  row(page, name)
    .locator('.badge.health')
    .evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).backgroundColor);

describe('the fleet page', () => {
  let source: MemoryDashboardSource;
  let dashboard: RunningDashboard;
  beforeAll(async () => {
    source = new MemoryDashboardSource(demoFleet(), 'msf-local http://127.0.0.1:4577');
    dashboard = await startDashboard(source);
    return () => dashboard.close();
  });

  it('shows every application with its status, health and one colour per health state', async () => {
    const { page, errors } = await openPage(dashboard.url);
    const fleet = await source.fleet(AbortSignal.timeout(1000));
    await expect.poll(() => rows(page).count()).toBe(fleet.length);
    for (const app of fleet) {
      const r = row(page, app.name);
      expect(await r.getAttribute('data-health')).toBe(app.health.state);
      expect(await r.locator('.badge.status').getAttribute('data-status')).toBe(app.status);
      expect(await r.locator('td.num').first().textContent()).toBe(String(app.version));
      expect(await badgeBackground(page, app.name)).toBe(BADGE_BACKGROUND[app.health.state]);
    }
    // Worst first: the unhealthy one leads, the healthy ones close the table.
    const order = await rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-health')));
    expect(order[0]).toBe('unhealthy');
    expect(order.at(-1)).toBe('healthy');
    await expect.poll(() => page.locator('.live').getAttribute('data-connection')).toBe('live');
    expect(await page.locator('.target').textContent()).toBe('msf-local http://127.0.0.1:4577');
    await screenshot(page, 'fleet');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('sorts by any column, both ways, and filters', async () => {
    const { page } = await openPage(dashboard.url);
    await expect.poll(() => rows(page).count()).toBeGreaterThan(0);
    const names = () => rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-app')!));
    const all = (await source.fleet(AbortSignal.timeout(1000))).map((r) => r.name);
    await page.click('button[data-sort="name"]');
    expect(await names()).toEqual([...all].sort());
    expect(await page.locator('th:has(button[data-sort="name"])').getAttribute('aria-sort')).toBe(
      'ascending',
    );
    await page.click('button[data-sort="name"]');
    expect(await names()).toEqual([...all].sort().reverse());
    await page.click('button[data-sort="kpus"]');
    const kpus = await rows(page).evaluateAll((trs) =>
      trs.map((tr) => Number(tr.children[5]!.textContent!.trim().split(/\s/)[0])),
    );
    expect(kpus).toEqual([...kpus].sort((a, b) => a - b));
    await page.fill('input.filter', 'pay');
    expect(await names()).toEqual(['payments-fraud']);
    await page.fill('input.filter', '');
    await page.click('.chip[data-health="healthy"]');
    expect(
      new Set(await rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-health')))),
    ).toEqual(new Set(['healthy']));
    await page.close();
  });

  it('turns a crash-looping application red, live, without a reload', async () => {
    const { page, errors } = await openPage(dashboard.url);
    await expect.poll(() => row(page, 'orders-enricher').getAttribute('data-health')).toBe('healthy');
    // A mark on the page's global object: a reload would lose it.
    await page.evaluate(() => ((globalThis as Record<string, unknown>).notReloaded = true));

    source.update('orders-enricher', (app) => crashLoop(app));

    await expect.poll(() => row(page, 'orders-enricher').getAttribute('data-health')).toBe('crash-looping');
    expect(await badgeBackground(page, 'orders-enricher')).toBe(RED);
    expect(await row(page, 'orders-enricher').locator('.badge.health').textContent()).toContain(
      'Crash-looping',
    );
    // The red row leads the table, and the page was not reloaded.
    expect(await rows(page).first().getAttribute('data-app')).toBe('orders-enricher');
    expect(await page.evaluate(() => (globalThis as Record<string, unknown>).notReloaded)).toBe(true);
    expect(await page.locator('.chip[data-health="crash-looping"]').textContent()).toContain('1');
    await screenshot(page, 'fleet-crash-looping');
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('an application page', () => {
  let source: MemoryDashboardSource;
  let dashboard: RunningDashboard;
  beforeAll(async () => {
    source = new MemoryDashboardSource(demoFleet(), 'msf-local http://127.0.0.1:4577');
    source.update('orders-enricher', (app) => crashLoop(app));
    dashboard = await startDashboard(source);
    return () => dashboard.close();
  });

  it('shows the timeline with recoveries, charts, snapshots, the spec diff and logs', async () => {
    const { page, errors } = await openPage(dashboard.url);
    await page.click('a.app-link:text-is("orders-enricher")');
    await page.waitForSelector('h1#app-title');
    expect(new URL(page.url()).pathname).toBe('/apps/orders-enricher');
    const app = source.get('orders-enricher')!;

    expect(await page.locator('.facts .badge.health').getAttribute('data-health')).toBe('crash-looping');
    expect(
      await page
        .locator('.facts .badge.health')
        .evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).backgroundColor),
    ).toBe(RED);
    expect(await page.locator('.evidence li').count()).toBe(app.detail.health.evidence.length);

    // Timeline: every entry, newest first, with the failed apply's recovery steps.
    const entries = page.locator('.tl-entry');
    expect(await entries.count()).toBe(app.detail.timeline.length);
    const first = entries.first();
    expect(await first.getAttribute('data-outcome')).toBe('failed');
    expect(await first.locator('.recovery .step').count()).toBe(2);
    expect(await first.locator('.recovery .step[data-step="failed"]').textContent()).toContain('rollback');
    expect(await page.locator('.tl-entry[data-outcome="interrupted"]').count()).toBe(1);
    const recovered = page.locator('.tl-entry[data-outcome="recovered"]');
    expect(await recovered.locator('.step[data-step="succeeded"]').count()).toBe(2);
    expect(await recovered.locator('.recovery-result').textContent()).toContain('healthy');
    expect(await page.locator('.version-current').textContent()).toContain(`v${app.detail.row.version}`);

    // Charts: four uPlot canvases with the series' points.
    const charts = page.locator('figure.chart');
    await expect.poll(() => charts.count()).toBe(4);
    await expect.poll(() => page.locator('figure.chart canvas').count()).toBe(4);
    const points = app.series!.columns.at.filter((at) => at >= Date.now() - 3600_000 - 60_000).length;
    for (const id of ['restarts', 'uptime', 'checkpoints', 'records']) {
      const n = Number(await page.locator(`figure[data-chart="${id}"]`).getAttribute('data-points'));
      expect(n).toBeGreaterThanOrEqual(points - 2);
    }
    expect(await page.locator('figure[data-chart="restarts"] figcaption').textContent()).toContain(
      'latest: 3 restarts',
    );

    // Snapshots with kind and ARN; the spec diff with its differing fields; the log lines.
    expect(await page.locator('table.snapshots tbody tr').count()).toBe(app.detail.snapshots.length);
    expect(await page.locator('table.snapshots .kind-enhanced').count()).toBe(app.detail.snapshots.length);
    expect(await page.locator('table.snapshots .arn').first().textContent()).toMatch(
      /^arn:aws:kinesisanalytics:/,
    );
    expect(await page.locator('.spec-diff').getAttribute('data-state')).toBe(app.detail.specDiff.state);
    expect(await page.locator('.log').count()).toBe(Math.min(100, app.logs!.lines.length));
    expect(await page.locator('.log-error').count()).toBeGreaterThan(0);
    expect(await page.locator('a.button:text("Flink dashboard")').getAttribute('href')).toBe(
      '/api/v1/applications/orders-enricher/flink-dashboard',
    );
    await screenshot(page, 'application-crash-looping');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a drifted application’s differing fields, and a stopped one without charts data or logs', async () => {
    const { page, errors } = await openPage(`${dashboard.url}apps/clickstream-sessions`);
    await page.waitForSelector('.spec-diff');
    expect(await page.locator('.spec-diff').getAttribute('data-state')).toBe('differs');
    expect(await page.locator('table.diff tr.differs').getAttribute('data-field')).toBe(
      'parallelism.parallelism',
    );
    await screenshot(page, 'application-drifted');

    await page.goto(`${dashboard.url}apps/inventory-sync`);
    await page.waitForSelector('h1#app-title');
    expect(await page.locator('.facts .badge.health').getAttribute('data-health')).toBe('not-running');
    expect(await page.locator('.button-disabled').textContent()).toContain('Flink dashboard');
    await expect.poll(() => page.locator('.chart-empty').count()).toBe(4);
    expect(await page.locator('section[aria-labelledby="logs-title"]').textContent()).toContain('No logs');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('updates live: a new operation appears without a reload', async () => {
    const { page } = await openPage(`${dashboard.url}apps/payments-fraud`);
    await page.waitForSelector('.tl-entry');
    const count = await page.locator('.tl-entry').count();
    source.update('payments-fraud', (app) => {
      app.detail.row.lastOperation = {
        operation: 'scale',
        outcome: 'in-progress',
        at: new Date().toISOString(),
      };
      app.detail.timeline.unshift({
        id: 'live-1',
        source: 'msfctl',
        at: new Date().toISOString(),
        kind: 'scale',
        who: 'controller',
        summary: 'scale 8 → 12',
        outcome: 'in-progress',
        operations: [{ operation: 'UpdateApplication', status: 'IN_PROGRESS' }],
      });
    });
    await expect.poll(() => page.locator('.tl-entry').count()).toBe(count + 1);
    expect(await page.locator('.tl-entry').first().getAttribute('data-outcome')).toBe('in-progress');
    await page.close();
  });

  it('says so when the application does not exist', async () => {
    const { page, errors } = await openPage(`${dashboard.url}apps/no-such-app`);
    await page.waitForSelector('.state-error');
    expect(await page.locator('.state-error').textContent()).toContain('No application named no-such-app');
    // The page's own 404 fetch is logged by Chromium; nothing else may be.
    expect(errors.filter((e) => !e.includes('404'))).toEqual([]);
    await page.close();
  });
});

describe('accessibility', () => {
  it('the fleet and an application page pass axe-core’s WCAG 2.1 A and AA checks', async () => {
    const source = new MemoryDashboardSource(demoFleet(), 'msf-local http://127.0.0.1:4577');
    source.update('orders-enricher', (app) => crashLoop(app));
    const dashboard = await startDashboard(source);
    const checking = await browser.newContext({ viewport: { width: 1440, height: 900 }, bypassCSP: true });
    try {
      const page = await checking.newPage();
      await page.goto(dashboard.url);
      await expect.poll(() => rows(page).count()).toBe(6);
      expect(await accessibilityViolations(page)).toEqual([]);
      await page.goto(`${dashboard.url}apps/orders-enricher`);
      await expect.poll(() => page.locator('figure.chart canvas').count()).toBe(4);
      expect(await accessibilityViolations(page)).toEqual([]);
    } finally {
      await checking.close();
      await dashboard.close();
    }
  });
});

describe('empty and failing sources', () => {
  it('shows an empty fleet, then a source failure, then recovers', async () => {
    const source = new MemoryDashboardSource([]);
    const dashboard = await startDashboard(source);
    try {
      const { page } = await openPage(dashboard.url);
      await page.waitForSelector('.state-empty');
      expect(await page.locator('.state-empty').textContent()).toContain('No applications yet');
      await screenshot(page, 'fleet-empty');

      source.failure = new Error(
        'DescribeApplication: ExpiredTokenException: the security token has expired',
      );
      source.set(demoFleet()[0]!); // the change signal makes the server re-read now
      // An open page keeps what it showed, under a banner; a page opened now has nothing to show but the error.
      await page.waitForSelector('.banner-error');
      expect(await page.locator('.banner-error').textContent()).toContain('ExpiredTokenException');
      const fresh = await openPage(dashboard.url);
      await fresh.page.waitForSelector('.state-error');
      expect(await fresh.page.locator('.state-error').textContent()).toContain('ExpiredTokenException');
      expect(await fresh.page.locator('.live').getAttribute('class')).toContain('live-stale');
      await screenshot(fresh.page, 'fleet-source-error');
      await fresh.page.close();

      source.failure = undefined;
      source.set(demoFleet()[1]!);
      await expect.poll(() => rows(page).count()).toBe(2);
      await page.close();
    } finally {
      await dashboard.close();
    }
  });
});

describe('with a token', () => {
  it('opens from the printed URL, keeps the token out of the address bar, and stays live', async () => {
    const source = new MemoryDashboardSource(demoFleet());
    const dashboard = await startDashboard(source, { token: 'browser-test-token-123456' });
    try {
      const denied = await context.newPage();
      const answer = await denied.goto(dashboard.url);
      expect(answer!.status()).toBe(401);
      await denied.close();

      const { page, errors } = await openPage(dashboard.openUrl);
      await expect.poll(() => rows(page).count()).toBe(6);
      expect(page.url()).toBe(dashboard.url);
      source.update('payments-fraud', (app) => crashLoop(app));
      await expect.poll(() => row(page, 'payments-fraud').getAttribute('data-health')).toBe('crash-looping');
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await context.clearCookies();
      await dashboard.close();
    }
  });
});
