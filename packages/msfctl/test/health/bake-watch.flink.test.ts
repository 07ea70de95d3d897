/**
 * The bake watch against msf-local with real Flink: real jobs, msf-local's real CloudWatch endpoint, the real
 * AWS SDK. The failing test job throws on every record, so Flink restarts it every 10 s (MSF's restart delay)
 * while the application stays RUNNING; the counter job is healthy.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestJobs } from '../../../msf-local/test/fixtures/test-jobs.js';
import { bakeWatch } from '../../src/controller/health/bake-watch.js';
import { type BakeProgress } from '../../src/model/health.js';
import { CloudWatchHealthFetcher, periodFor } from '../../src/adapters/aws/cloudwatch-fetcher.js';
import { FlinkDashboardExceptionSource } from '../../src/adapters/aws/exception-source.js';
import { checkHealth } from '../../src/controller/health/health-check.js';
import {
  createApplication,
  describeApplication,
  forceStop,
  startApplication,
  startLocalMsf,
  testJobProperties,
  uploadJar,
  type LocalMsf,
} from './support/local-msf.js';

const RESTART_DELAY_MS = 10_000;
let local: LocalMsf;
let scratch: string;

beforeAll(async () => {
  const jobs = await buildTestJobs();
  scratch = await mkdtemp(path.join(os.tmpdir(), 'msfctl-bake-'));
  local = await startLocalMsf({ restartDelayMs: RESTART_DELAY_MS, metricsIntervalMs: 1000 });
  await uploadJar(local, 'failing.jar', jobs.failing);
  await uploadJar(local, 'counter.jar', jobs.counter);
});
afterAll(async () => {
  await local?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const status = async (app: string) => (await describeApplication(local, app)).ApplicationStatus;

async function deploy(app: string, jar: string): Promise<void> {
  await createApplication(local, app, {
    jarKey: jar,
    properties: testJobProperties(path.join(scratch, `${app}.json`)),
  });
  const started = await startApplication(local, app);
  expect(started.status).toBe('SUCCESSFUL');
}

describe('bakeWatch on msf-local', () => {
  it('declares the failing job a crash loop within two restart cycles, with its exception, while the application says RUNNING', async () => {
    await deploy('failing', 'failing.jar');
    const progress: BakeProgress[] = [];
    const outcome = await bakeWatch({
      application: 'failing',
      fetcher: new CloudWatchHealthFetcher(local.cloudwatch, { periodSeconds: periodFor('local') }),
      exceptions: new FlinkDashboardExceptionSource(local.msf),
      status,
      bakeSeconds: 120,
      onProgress: (p) => progress.push(p),
    });
    expect(outcome.result.status).toBe('unhealthy');
    expect(outcome.early).toBe(true);
    // The job fails within moments of starting; the second restart comes one restart delay later.
    expect(outcome.detectedAt! - outcome.startedAt).toBeLessThanOrEqual(2 * RESTART_DELAY_MS + 5_000);
    expect(outcome.result.evidence[0]).toMatchObject({ signal: 'restarts', metric: 'numRestarts' });
    expect(outcome.result.reason).toMatch(/^2 restarts in \d+s since the job started \(numRestarts 0 → 2\)/);
    expect(outcome.exception).toMatchObject({
      exceptionClass: 'java.lang.IllegalStateException',
      task: expect.stringMatching(/explode/),
    });
    expect(outcome.exception?.summary).toMatch(/msf-local test job fails on record \d+ on purpose/);
    expect(progress.length).toBeGreaterThan(2);
    expect(await status('failing')).toBe('RUNNING');

    // `msfctl health` on demand says the same once a third restart is in its window (it tolerates two).
    const fetcher = new CloudWatchHealthFetcher(local.cloudwatch, { periodSeconds: 1 });
    const deadline = Date.now() + 3 * RESTART_DELAY_MS;
    let check = await checkHealth({ application: 'failing', fetcher, status, windowSeconds: 60 });
    while (check.result.status !== 'unhealthy' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      check = await checkHealth({ application: 'failing', fetcher, status, windowSeconds: 60 });
    }
    expect(check.result.status).toBe('unhealthy');
    expect(check.result.facts!.restarts).toBeGreaterThanOrEqual(3);
    expect((await forceStop(local, 'failing')).status).toBe('SUCCESSFUL');
  });

  it('passes the healthy counter job after a short bake', async () => {
    await deploy('counter', 'counter.jar');
    const outcome = await bakeWatch({
      application: 'counter',
      fetcher: new CloudWatchHealthFetcher(local.cloudwatch, { periodSeconds: periodFor('local') }),
      exceptions: new FlinkDashboardExceptionSource(local.msf),
      status,
      bakeSeconds: 25,
    });
    expect(outcome.result.status).toBe('healthy');
    expect(outcome.early).toBe(false);
    expect(outcome.endedAt - outcome.startedAt).toBeGreaterThanOrEqual(25_000);
    expect(outcome.result.facts).toMatchObject({ restarts: 0, uptimeResets: 0 });
    expect(outcome.result.facts!.datapoints).toBeGreaterThanOrEqual(15);
    expect(outcome.result.reason).toMatch(/^0 restarts since the job started, up \d+s/);
    expect((await forceStop(local, 'counter')).status).toBe('SUCCESSFUL');
  });
});
