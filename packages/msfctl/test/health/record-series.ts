/**
 * Records the CloudWatch metric series of real jobs on msf-local (real Flink, restart delay 10 s as on MSF,
 * metrics published every second) into test/health/fixtures/<case>.json. Run by hand:
 *
 *   npx tsx packages/msfctl/test/health/record-series.ts [case ...]     (default: every case; ~20 min)
 *
 * Each case runs in its own msf-local. The series are read back through msf-local's CloudWatch endpoint with
 * the AWS SDK (GetMetricData, Period 1, Maximum and Minimum of every metric the application published), so a
 * fixture is exactly what a CloudWatch client saw. For crash-looping jobs the Flink dashboard's
 * /jobs/<id>/exceptions answer is saved too (fixtures/exceptions/), for the exception parser's tests.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GetMetricDataCommand, ListMetricsCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import {
  CreateApplicationPresignedUrlCommand,
  type RuntimeEnvironment,
} from '@aws-sdk/client-kinesis-analytics-v2';
import { buildStockPrices } from '../../../../examples/stock-prices/build.js';
import { buildTestJobs } from '../../../msf-local/test/fixtures/test-jobs.js';
import {
  FIXTURES_DIR,
  SERIES_FORMAT,
  type RecordedMetric,
  type RecordedSeries,
} from './support/series-fixture.js';
import {
  createApplication,
  createStream,
  forceStop,
  startApplication,
  startLocalMsf,
  stockPricesProperties,
  testJobProperties,
  updateProperties,
  uploadJar,
  type LocalMsf,
} from './support/local-msf.js';

const RESTART_DELAY_MS = 10_000;
const METRICS_INTERVAL_MS = 1_000;
/**
 * How long each deploy under test is watched: long enough for two whole 1-minute periods after the deploy,
 * so tests can re-aggregate the series the way MSF publishes it (RECORD_WATCH_SECONDS overrides).
 */
const WATCH_MS = Number(process.env.RECORD_WATCH_SECONDS ?? 150) * 1000;
const NAMESPACE = 'AWS/KinesisAnalytics';

interface Timeline {
  events: { name: string; at: number }[];
  bakeStartAt: number;
  firstAt: number;
}

interface Case {
  name: string;
  description: string;
  job: string;
  runtime: RuntimeEnvironment;
  kinesis: boolean;
  expected: 'healthy' | 'unhealthy';
  /** Saves the job's latest exception under fixtures/exceptions/<file>.json. */
  exceptionFile?: string;
  run(local: LocalMsf, app: string, scratch: string): Promise<Timeline>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function mustSucceed(what: string, op: { status: string; error?: string }): void {
  if (op.status !== 'SUCCESSFUL') throw new Error(`${what} ended ${op.status}: ${op.error ?? ''}`);
}

/** A test job (counter or failing) started once and watched. */
function testJobCase(
  name: string,
  job: 'counter' | 'failing',
  runtime: RuntimeEnvironment,
  expected: 'healthy' | 'unhealthy',
  description: string,
): Case {
  return {
    name,
    description,
    job,
    runtime,
    kinesis: false,
    expected,
    ...(job === 'failing' ? { exceptionFile: `failing-${runtime}` } : {}),
    async run(local, app, scratch) {
      const jobs = await buildTestJobs();
      await uploadJar(local, `${job}.jar`, jobs[job]);
      await createApplication(local, app, {
        jarKey: `${job}.jar`,
        runtime,
        properties: testJobProperties(path.join(scratch, `${app}.json`)),
      });
      const started = await startApplication(local, app);
      mustSucceed('StartApplication', started);
      await sleep(WATCH_MS);
      return {
        events: [
          { name: 'start-sent', at: started.sentAt },
          { name: 'start-succeeded', at: started.endedAt },
        ],
        bakeStartAt: started.endedAt,
        firstAt: started.sentAt,
      };
    },
  };
}

async function stockPricesJar(local: LocalMsf): Promise<string> {
  const jar = await buildStockPrices({
    flink: '1.19',
    log: (line) => process.stderr.write(`[stock-prices] ${line}\n`),
  });
  await uploadJar(local, 'stock-prices.jar', jar);
  return 'stock-prices.jar';
}

/** Polls CloudWatch (1 s datapoints) until the application's restart counter reaches `count`. */
async function waitForRestarts(
  local: LocalMsf,
  app: string,
  since: number,
  count: number,
  timeoutMs: number,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const out = await local.cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(since - 1000),
        EndTime: new Date(Date.now() + 1000),
        MetricDataQueries: [
          {
            Id: 'r',
            MetricStat: {
              Metric: {
                Namespace: NAMESPACE,
                MetricName: 'numRestarts',
                Dimensions: [{ Name: 'Application', Value: app }],
              },
              Period: 1,
              Stat: 'Maximum',
            },
          },
        ],
      }),
    );
    const max = Math.max(0, ...(out.MetricDataResults?.[0]?.Values ?? []));
    if (max >= count) return Date.now();
    if (Date.now() > deadline) throw new Error(`${app}: restart counter still ${max} after ${timeoutMs} ms`);
    await sleep(250);
  }
}

const CASES: Case[] = [
  testJobCase(
    'healthy-counter',
    'counter',
    'FLINK-1_19',
    'healthy',
    'The counter test job (20 ticks/s into keyed state) started on FLINK-1_19 and left alone: healthy.',
  ),
  testJobCase(
    'crash-loop-failing',
    'failing',
    'FLINK-1_19',
    'unhealthy',
    'The failing test job (throws on every record) started on FLINK-1_19: the application stays RUNNING while Flink restarts the job every 10 s.',
  ),
  testJobCase(
    'healthy-counter-flink-2.2',
    'counter',
    'FLINK-2_2',
    'healthy',
    'The counter test job on FLINK-2_2 (numRestarts, no fullRestarts): healthy.',
  ),
  testJobCase(
    'crash-loop-failing-flink-2.2',
    'failing',
    'FLINK-2_2',
    'unhealthy',
    'The failing test job on FLINK-2_2 (numRestarts, no fullRestarts): a crash loop.',
  ),
  {
    name: 'healthy-stock-prices',
    description:
      'The stock-prices sample (FLINK-1_19) writing 10-second averages to an existing Kinesis stream: healthy.',
    job: 'stock-prices',
    runtime: 'FLINK-1_19',
    kinesis: true,
    expected: 'healthy',
    async run(local, app) {
      const key = await stockPricesJar(local);
      await createStream(local, 'prices');
      await createApplication(local, app, { jarKey: key, properties: stockPricesProperties('prices') });
      const started = await startApplication(local, app);
      mustSucceed('StartApplication', started);
      await sleep(WATCH_MS);
      return {
        events: [
          { name: 'start-sent', at: started.sentAt },
          { name: 'start-succeeded', at: started.endedAt },
        ],
        bakeStartAt: started.endedAt,
        firstAt: started.sentAt,
      };
    },
  },
  {
    name: 'restart-once-stock-prices',
    description:
      'stock-prices (FLINK-1_19) started before its output stream exists: the sink fails at the first window (one restart), ' +
      'the stream is created during the 10 s restart delay, and the job then runs healthy. A correct detector never flags it.',
    job: 'stock-prices',
    runtime: 'FLINK-1_19',
    kinesis: true,
    expected: 'healthy',
    async run(local, app) {
      const key = await stockPricesJar(local);
      await createApplication(local, app, { jarKey: key, properties: stockPricesProperties('late-stream') });
      const started = await startApplication(local, app);
      mustSucceed('StartApplication', started);
      const firstRestart = await waitForRestarts(local, app, started.sentAt, 1, 60_000);
      await createStream(local, 'late-stream');
      const streamAt = Date.now();
      await sleep(Math.max(0, started.endedAt + WATCH_MS - Date.now()));
      return {
        events: [
          { name: 'start-sent', at: started.sentAt },
          { name: 'start-succeeded', at: started.endedAt },
          { name: 'first-restart-seen', at: firstRestart },
          { name: 'stream-created', at: streamAt },
        ],
        bakeStartAt: started.endedAt,
        firstAt: started.sentAt,
      };
    },
  },
  {
    name: 'loop-after-deploy-stock-prices',
    description:
      'Scenario 7: stock-prices (FLINK-1_19) runs healthy on an existing stream, then UpdateApplication points ' +
      'OutputStream0.stream.name at a stream that does not exist. The update succeeds (snapshot taken, job RUNNING) and the ' +
      'loop begins when the first window reaches the sink, about 10 s later.',
    job: 'stock-prices',
    runtime: 'FLINK-1_19',
    kinesis: true,
    expected: 'unhealthy',
    exceptionFile: 'stock-prices-missing-stream-FLINK-1_19',
    async run(local, app) {
      const key = await stockPricesJar(local);
      await createStream(local, 'prices');
      await createApplication(local, app, { jarKey: key, properties: stockPricesProperties('prices') });
      const started = await startApplication(local, app);
      mustSucceed('StartApplication', started);
      await sleep(40_000);
      const updated = await updateProperties(local, app, stockPricesProperties('no-such-stream'));
      mustSucceed('UpdateApplication', updated);
      await sleep(WATCH_MS);
      return {
        events: [
          { name: 'start-sent', at: started.sentAt },
          { name: 'start-succeeded', at: started.endedAt },
          { name: 'update-sent', at: updated.sentAt },
          { name: 'update-succeeded', at: updated.endedAt },
        ],
        bakeStartAt: updated.endedAt,
        firstAt: started.sentAt,
      };
    },
  },
];

async function readSeries(local: LocalMsf, app: string, from: number, to: number): Promise<RecordedMetric[]> {
  const dimensions = [{ Name: 'Application', Value: app }];
  const listed = await local.cloudwatch.send(
    new ListMetricsCommand({ Namespace: NAMESPACE, Dimensions: dimensions }),
  );
  const names = [...new Set((listed.Metrics ?? []).map((m) => m.MetricName!))].sort();
  const stats = ['Maximum', 'Minimum'] as const;
  const queries: MetricDataQuery[] = names.flatMap((name, i) =>
    stats.map((stat) => ({
      Id: `m${i}_${stat.toLowerCase()}`,
      MetricStat: {
        Metric: { Namespace: NAMESPACE, MetricName: name, Dimensions: dimensions },
        Period: 1,
        Stat: stat,
      },
    })),
  );
  const out = await local.cloudwatch.send(
    new GetMetricDataCommand({
      StartTime: new Date(from - 1000),
      EndTime: new Date(to + 1000),
      MetricDataQueries: queries,
      ScanBy: 'TimestampAscending',
    }),
  );
  if (out.NextToken) throw new Error('GetMetricData paginated: the recording is larger than expected');
  return (out.MetricDataResults ?? []).map((r) => {
    const [, index, stat] = /^m(\d+)_(maximum|minimum)$/.exec(r.Id!)!;
    return {
      name: names[Number(index)]!,
      stat: stat === 'maximum' ? 'Maximum' : 'Minimum',
      timestamps: (r.Timestamps ?? []).map((t) => t.getTime()),
      values: r.Values ?? [],
    };
  });
}

/** The job's exception history from the Flink dashboard msf-local hands out as the presigned URL. */
async function readExceptions(local: LocalMsf, app: string): Promise<unknown> {
  const { AuthorizedUrl } = await local.msf.send(
    new CreateApplicationPresignedUrlCommand({ ApplicationName: app, UrlType: 'FLINK_DASHBOARD_URL' }),
  );
  const base = AuthorizedUrl!.replace(/\/$/, '');
  const overview = (await (await fetch(`${base}/jobs/overview`)).json()) as {
    jobs: { jid: string; state: string; 'start-time': number }[];
  };
  const job = [...overview.jobs].sort((a, b) => b['start-time'] - a['start-time'])[0];
  if (!job) throw new Error(`${app}: the dashboard lists no job`);
  const exceptions = (await (
    await fetch(`${base}/jobs/${job.jid}/exceptions?maxExceptions=3`)
  ).json()) as Record<string, unknown>;
  return { jobState: job.state, exceptions: trimTraces(exceptions) };
}

/** Stack traces cut to their first frames and their "Caused by:" lines: the shape, not kilobytes of frames. */
function trimTrace(trace: string): string {
  const lines = trace.split('\n');
  return lines.filter((line, i) => i < 3 || line.startsWith('Caused by: ')).join('\n');
}

function trimTraces(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(trimTraces);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        ['stacktrace', 'root-exception', 'exception'].includes(k) && typeof v === 'string'
          ? trimTrace(v)
          : trimTraces(v),
      ]),
    );
  }
  return value;
}

async function record(c: Case): Promise<void> {
  process.stderr.write(`== ${c.name}: ${c.description}\n`);
  const local = await startLocalMsf({
    restartDelayMs: RESTART_DELAY_MS,
    metricsIntervalMs: METRICS_INTERVAL_MS,
    kinesis: c.kinesis,
  });
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'msfctl-record-'));
  const app = c.name.replace(/[^a-zA-Z0-9_.-]/g, '-');
  try {
    const timeline = await c.run(local, app, scratch);
    const endAt = Date.now();
    if (c.exceptionFile) {
      const exceptions = await readExceptions(local, app);
      await mkdir(path.join(FIXTURES_DIR, 'exceptions'), { recursive: true });
      await writeFile(
        path.join(FIXTURES_DIR, 'exceptions', `${c.exceptionFile}.json`),
        `${JSON.stringify(exceptions, null, 2)}\n`,
      );
    }
    await forceStop(local, app);
    // The last datapoints are in the store once the publisher's round that took them is over.
    const metrics = await readSeries(local, app, timeline.firstAt, endAt);
    const series: RecordedSeries = {
      format: SERIES_FORMAT,
      name: c.name,
      description: c.description,
      recordedAt: new Date().toISOString(),
      setup: {
        target: 'msf-local',
        runtime: c.runtime,
        job: c.job,
        restartDelayMs: RESTART_DELAY_MS,
        metricsIntervalMs: METRICS_INTERVAL_MS,
        periodSeconds: 1,
      },
      events: timeline.events,
      bakeStartAt: timeline.bakeStartAt,
      endAt,
      expected: c.expected,
      metrics,
    };
    await writeFile(path.join(FIXTURES_DIR, `${c.name}.json`), `${JSON.stringify(series)}\n`);
    const restarts = metrics.find((m) => m.name === 'numRestarts' && m.stat === 'Maximum');
    process.stderr.write(
      `   ${metrics.length / 2} metrics, ${restarts?.values.length ?? 0} datapoints, numRestarts max ${Math.max(0, ...(restarts?.values ?? []))}\n`,
    );
  } finally {
    await local.close();
    await rm(scratch, { recursive: true, force: true });
  }
}

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !CASES.some((c) => c.name === w));
if (unknown.length) {
  process.stderr.write(
    `unknown case(s) ${unknown.join(', ')}; cases: ${CASES.map((c) => c.name).join(', ')}\n`,
  );
  process.exit(2);
}
for (const c of CASES.filter((c) => wanted.length === 0 || wanted.includes(c.name))) await record(c);
