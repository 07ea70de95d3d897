/**
 * The dashboard end to end: msf-local with real Flink jobs, msfctl's DashboardSource over it (the service,
 * CloudWatch, presigned Flink dashboard URLs), the real dashboard server, and Debian's Chromium, headless.
 * A healthy job (counter), a crash-looping one (failing: throws on every record, so Flink restarts it every
 * restart delay while the application stays RUNNING; its logs go to a CloudWatch Logs stream) and a stopped one. Screenshots: packages/dashboard/test-results/.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateApplicationCommand } from '@aws-sdk/client-kinesis-analytics-v2';
import type { Browser, Page } from 'playwright-core';
import { serveDashboard, type RunningDashboard } from 'msfctl-dashboard';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchChromium, screenshot } from '../../../dashboard/test/support/browser.js';
import { buildWeb } from '../../../dashboard/test/support/build-web.js';
import { buildTestJobs } from '../../../msf-local/test/fixtures/test-jobs.js';
import { createSilentHost } from '../../src/adapters/io/memory-host.js';
import { openTarget, type OpenedTarget } from '../../src/adapters/targets/open-target.js';
import { resolveTarget } from '../../src/adapters/targets/target.js';
import { msfctlDashboardSource } from '../../src/cli/dashboard-source.js';
import type { MsfctlDashboardSource } from '../../src/controller/dashboard/source.js';
import { describeDashboardSource } from '../../../dashboard/test/support/source-conformance.js';
import {
  BUCKET,
  createApplication,
  propertyGroups,
  ROLE,
  startApplication,
  startLocalMsf,
  testJobProperties,
  uploadJar,
  type LocalMsf,
} from '../health/support/local-msf.js';

/** Short, so the crash loop shows within a test's patience (MSF's own is 10 s). */
const RESTART_DELAY_MS = 2000;
/** Flink on two shared cores: verdicts can take a while. */
const PATIENCE = { timeout: 240_000, interval: 2000 };
const RED = 'rgb(207, 34, 46)';
const LOG_GROUP = '/aws/kinesis-analytics/failing';
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

let local: LocalMsf;
let scratch: string;
let ports: OpenedTarget;
let dashboard: RunningDashboard;
let browser: Browser;
let source: MsfctlDashboardSource;

beforeAll(async () => {
  await buildWeb();
  const jobs = await buildTestJobs();
  scratch = await mkdtemp(path.join(os.tmpdir(), 'msfctl-dashboard-e2e-'));
  local = await startLocalMsf({ restartDelayMs: RESTART_DELAY_MS, metricsIntervalMs: 1000 });
  await uploadJar(local, 'failing.jar', jobs.failing);
  await uploadJar(local, 'counter.jar', jobs.counter);
  for (const [app, jar] of [
    ['counter', 'counter.jar'],
    ['parked', 'counter.jar'],
  ] as const) {
    await createApplication(local, app, {
      jarKey: jar,
      properties: testJobProperties(path.join(scratch, `${app}.json`)),
    });
  }
  // The failing job ships its logs (MSF's JSON records) to a CloudWatch Logs stream: the page shows the latest.
  const logs = new CloudWatchLogsClient({
    endpoint: local.url,
    region: 'us-east-1',
    credentials: CREDENTIALS,
  });
  await logs.send(new CreateLogGroupCommand({ logGroupName: LOG_GROUP }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: LOG_GROUP, logStreamName: 'job' }));
  logs.destroy();
  await local.msf.send(
    new CreateApplicationCommand({
      ApplicationName: 'failing',
      RuntimeEnvironment: 'FLINK-1_19',
      ServiceExecutionRole: ROLE,
      CloudWatchLoggingOptions: [
        { LogStreamARN: `arn:aws:logs:us-east-1:000000000000:log-group:${LOG_GROUP}:log-stream:job` },
      ],
      ApplicationConfiguration: {
        ApplicationCodeConfiguration: {
          CodeContentType: 'ZIPFILE',
          CodeContent: { S3ContentLocation: { BucketARN: `arn:aws:s3:::${BUCKET}`, FileKey: 'failing.jar' } },
        },
        EnvironmentProperties: {
          PropertyGroups: propertyGroups(testJobProperties(path.join(scratch, 'failing.json'))),
        },
      },
    }),
  );
  for (const app of ['counter', 'failing'])
    expect((await startApplication(local, app)).status).toBe('SUCCESSFUL');
  const port = Number(new URL(local.url).port);
  ports = await openTarget(
    resolveTarget({ kind: 'local', port, dataDir: local.server.dataDir }, {}),
    createSilentHost(),
  );
  source = msfctlDashboardSource({ ports, specFiles: () => [], baseDir: scratch, unmanaged: true });
  dashboard = await serveDashboard({ source, port: 0, refreshMs: 2000 });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await dashboard?.close();
  ports?.close();
  await local?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

async function open(url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const errors = collectPageErrors(page);
  await page.goto(url);
  return { page, errors };
}

const row = (page: Page, name: string) => page.locator(`tr.fleet-row[data-app="${name}"]`);

describe('the dashboard over msf-local with real Flink jobs', () => {
  it('shows the fleet with the right statuses: the crash-looping job turns red, live', async () => {
    const { page, errors } = await open(dashboard.url);
    await expect.poll(() => page.locator('tr.fleet-row').count(), PATIENCE).toBe(3);
    expect(await row(page, 'parked').getAttribute('data-health')).toBe('not-running');
    expect(await row(page, 'parked').locator('.badge.status').getAttribute('data-status')).toBe('READY');
    for (const app of ['counter', 'failing'])
      expect(await row(page, app).locator('.badge.status').getAttribute('data-status')).toBe('RUNNING');
    // No reload: the page follows the live feed until the verdicts are in.
    await expect.poll(() => row(page, 'failing').getAttribute('data-health'), PATIENCE).toBe('crash-looping');
    await expect.poll(() => row(page, 'counter').getAttribute('data-health'), PATIENCE).toBe('healthy');
    const background = await row(page, 'failing')
      .locator('.badge.health')
      .evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).backgroundColor);
    expect(background).toBe(RED);
    expect(await page.locator('.target').textContent()).toBe(`msf-local at ${local.url}`);
    await screenshot(page, 'msf-local-fleet');
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows the crash-looping application's evidence, restart chart, timeline and its Flink dashboard link", async () => {
    const { page, errors } = await open(`${dashboard.url}apps/failing`);
    await expect
      .poll(() => page.locator('.facts .badge.health').getAttribute('data-health'), PATIENCE)
      .toBe('crash-looping');
    expect(await page.locator('.evidence').textContent()).toMatch(/restart/);
    await expect.poll(() => page.locator('figure.chart canvas').count(), PATIENCE).toBe(4);
    expect(
      Number(await page.locator('figure[data-chart="restarts"]').getAttribute('data-points')),
    ).toBeGreaterThan(0);
    // Nobody used msfctl here: the start is the service's, told apart as outside msfctl.
    const start = page.locator('.tl-entry', { hasText: 'StartApplication' });
    expect(await start.count()).toBeGreaterThan(0);
    const link = await page.locator('a.button:text("Flink dashboard")').getAttribute('href');
    expect(link).toBe('/api/v1/applications/failing/flink-dashboard');
    const redirect = await fetch(new URL(link!, dashboard.url), { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    // msf-local's presigned URL is the job's own Flink REST root: it answers with the job.
    const overview = (await (
      await fetch(new URL('jobs/overview', redirect.headers.get('location')!))
    ).json()) as {
      jobs: unknown[];
    };
    expect(overview.jobs.length).toBeGreaterThan(0);
    // Its latest log lines, from the CloudWatch Logs stream its logging option names: the job's failure among them.
    const logs = page.locator('section[aria-labelledby="logs-title"]');
    await expect.poll(() => page.locator('.log').count(), PATIENCE).toBeGreaterThan(0);
    expect(await logs.textContent()).toContain(LOG_GROUP);
    expect(await logs.textContent()).toMatch(/fails on record \d+ on purpose/);
    await screenshot(page, 'msf-local-application-failing');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the healthy application with its uptime and records charts', async () => {
    const { page, errors } = await open(`${dashboard.url}apps/counter`);
    await expect
      .poll(() => page.locator('.facts .badge.health').getAttribute('data-health'), PATIENCE)
      .toBe('healthy');
    await expect.poll(() => page.locator('figure.chart canvas').count(), PATIENCE).toBe(4);
    await screenshot(page, 'msf-local-application-counter');
    expect(errors).toEqual([]);
    await page.close();
  });
});

// Running jobs too: the fleet row and the application page agree while the verdicts come in.
describeDashboardSource('msfctl on msf-local with running Flink jobs', async () => source);
