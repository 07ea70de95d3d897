/**
 * Safe-deploy benchmark on msf-local (real Flink, restart delay 10 s as on MSF, metrics every second). Prints,
 * in one run:
 *  1. crash-loop detection latency, in restart cycles: the bake watch on (a) the failing test job, (b) the
 *     stock-prices sample after scenario 7's update (output stream that does not exist), and (c) the same
 *     through the msfctl binary (`msfctl apply`), measured from the bake's start and from the loop's first
 *     restart (read back from CloudWatch at 1 s);
 *  2. scenario 7's time to healthy — UpdateApplication sent → bad version RUNNING → loop detected → recovery
 *     (policy rollback: RollbackApplication) → recovered version confirmed healthy by a bake — against a
 *     normal deploy's time (UpdateApplication sent → RUNNING → the same bake confirms it healthy), side by side:
 *     driving the library (health + recovery modules, SdkMsfGateway and waiters), and running `msfctl apply`
 *     as a user would (wall time of the command: plan, update, bake, recovery, verify).
 *
 *   npx tsx bench/recovery/run.ts [--bake 30] [--cli-bake 60] [--runs 1]
 *
 * Both sides of each comparison use the same bake length, so the difference is detection + recovery. Through
 * the binary one `--bake` sets both the crash-loop watch and the recovered version's check, so it must cover
 * two loop cycles (about 20 s each here): hence its own, longer default.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { buildStockPrices } from '../../examples/stock-prices/build.js';
import { SdkMsfGateway } from '../../packages/msfctl/src/adapters/aws/msf-gateway.js';
import { bakeWatch } from '../../packages/msfctl/src/controller/health/bake-watch.js';
import { type BakeOutcome } from '../../packages/msfctl/src/model/health.js';
import { CloudWatchHealthFetcher } from '../../packages/msfctl/src/adapters/aws/cloudwatch-fetcher.js';
import { FlinkDashboardExceptionSource } from '../../packages/msfctl/src/adapters/aws/exception-source.js';
import { executePlan } from '../../packages/msfctl/src/controller/executor.js';
import { decideRecovery } from '../../packages/msfctl/src/engine/recovery/policy.js';
import { buildTestJobs } from '../../packages/msf-local/test/fixtures/test-jobs.js';
import { msfctl } from '../../packages/msfctl/test/harness/msfctl-cli.js';
import {
  createApplication,
  createStream,
  describeApplication,
  forceStop,
  startApplication,
  startLocalMsf,
  stockPricesProperties,
  testJobProperties,
  updateProperties,
  uploadJar,
  type LocalMsf,
} from '../../packages/msfctl/test/health/support/local-msf.js';

const { values } = parseArgs({
  options: {
    bake: { type: 'string', default: '30' },
    'cli-bake': { type: 'string', default: '60' },
    runs: { type: 'string', default: '1' },
  },
});
const BAKE_SECONDS = Number(values.bake);
const CLI_BAKE_SECONDS = Number(values['cli-bake']);
const RUNS = Number(values.runs);
const RESTART_DELAY_MS = 10_000;

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function fetcher(local: LocalMsf) {
  return new CloudWatchHealthFetcher(local.cloudwatch, { periodSeconds: 1 });
}

/** When the restart counter rose after `since` (epoch ms), from the 1-second CloudWatch series. */
async function restartTimes(local: LocalMsf, app: string, since: number): Promise<number[]> {
  const out = await local.cloudwatch.send(
    new GetMetricDataCommand({
      StartTime: new Date(since - 1000),
      EndTime: new Date(Date.now() + 1000),
      ScanBy: 'TimestampAscending',
      MetricDataQueries: [
        {
          Id: 'r',
          MetricStat: {
            Metric: {
              Namespace: 'AWS/KinesisAnalytics',
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
  const r = out.MetricDataResults?.[0];
  const times: number[] = [];
  let prev = 0;
  (r?.Values ?? []).forEach((v, k) => {
    const t = r!.Timestamps![k]!.getTime();
    if (t < since - 1000) return;
    if (v > prev) times.push(t);
    prev = v;
  });
  return times;
}

interface Detection {
  job: string;
  fromBakeStart: number;
  fromFirstRestart?: number;
  /** One turn of the loop as observed: first to second restart. */
  turn?: number;
  reason: string;
}

async function detection(local: LocalMsf, app: string, job: string, bake: BakeOutcome): Promise<Detection> {
  if (bake.result.status !== 'unhealthy' || bake.detectedAt === undefined)
    throw new Error(`${app}: the loop was not detected (${bake.result.status}: ${bake.result.reason})`);
  const [first, second] = await restartTimes(local, app, bake.baseline.at);
  return {
    job,
    fromBakeStart: bake.detectedAt - bake.startedAt,
    ...(first !== undefined ? { fromFirstRestart: bake.detectedAt - first } : {}),
    ...(first !== undefined && second !== undefined ? { turn: second - first } : {}),
    reason: bake.result.reason,
  };
}

async function failingJobDetection(local: LocalMsf, scratch: string, run: number): Promise<Detection> {
  const app = `failing-${run}`;
  await createApplication(local, app, {
    jarKey: 'failing.jar',
    properties: testJobProperties(path.join(scratch, `${app}.json`)),
  });
  const started = await startApplication(local, app);
  if (started.status !== 'SUCCESSFUL')
    throw new Error(`start of ${app}: ${started.status} ${started.error ?? ''}`);
  const bake = await bakeWatch({ application: app, fetcher: fetcher(local), bakeSeconds: 120 });
  const result = await detection(local, app, 'failing test job', bake);
  await forceStop(local, app);
  return result;
}

interface Scenario7 {
  normal: { update: number; bake: number; total: number };
  broken: { update: number; detect: number; recover: number; verify: number; total: number; how: string };
  detection: Detection;
}

async function scenario7(local: LocalMsf, gateway: SdkMsfGateway, run: number): Promise<Scenario7> {
  const app = `stock-prices-${run}`;
  const good = stockPricesProperties('prices');
  await createApplication(local, app, { jarKey: 'stock-prices.jar', properties: good });
  const started = await startApplication(local, app);
  if (started.status !== 'SUCCESSFUL')
    throw new Error(`start of ${app}: ${started.status} ${started.error ?? ''}`);
  log(`${app}: v1 RUNNING; baking it before the normal deploy`);
  await bakeWatch({ application: app, fetcher: fetcher(local), bakeSeconds: 20 });

  // A normal deploy: a harmless configuration change, then the bake.
  const normalSent = Date.now();
  const normalOp = await updateProperties(local, app, { ...good, Bench: { run: String(run) } });
  if (normalOp.status !== 'SUCCESSFUL')
    throw new Error(`normal update: ${normalOp.status} ${normalOp.error ?? ''}`);
  const normalBake = await bakeWatch({
    application: app,
    fetcher: fetcher(local),
    bakeSeconds: BAKE_SECONDS,
  });
  if (normalBake.result.status !== 'healthy')
    throw new Error(`normal deploy not healthy: ${normalBake.result.reason}`);
  const normalDone = Date.now();
  const lastGood = await gateway.describe(app);
  log(`${app}: normal deploy healthy at version ${lastGood!.versionId}`);

  // Scenario 7: the output stream does not exist; the update succeeds and the job loops.
  const brokenSent = Date.now();
  const brokenOp = await updateProperties(local, app, {
    ...stockPricesProperties('no-such-stream'),
    Bench: { run: String(run) },
  });
  if (brokenOp.status !== 'SUCCESSFUL')
    throw new Error(`scenario 7 update: ${brokenOp.status} ${brokenOp.error ?? ''}`);
  const bake = await bakeWatch({
    application: app,
    fetcher: fetcher(local),
    bakeSeconds: 120,
    exceptions: new FlinkDashboardExceptionSource(local.msf),
  });
  const detected = await detection(local, app, 'stock-prices, scenario 7', bake);
  const detectedAt = Date.now();
  log(`${app}: ${bake.result.reason}`);

  const plan = decideRecovery(
    'rollback',
    { kind: 'crash-loop', health: bake.result },
    {
      application: app,
      live: await gateway.describe(app),
      lastGood: { versionId: lastGood!.versionId, config: lastGood!.config },
      snapshots: await gateway.listSnapshots(app),
      deployStartedAt: brokenSent,
    },
    { verifySeconds: BAKE_SECONDS },
  );
  log(`${app}: ${plan.summary}`);
  let verifyMs = 0;
  const outcome = await executePlan(plan.actions, {
    gateway,
    application: app,
    basis: await gateway.describe(app),
    presenter: {
      begin: () => ({ update: () => undefined, done: () => undefined }),
      end: (r, i) =>
        void log(
          `${app}: step ${i + 1} ${r.action.type} ${r.ok ? 'ok' : `FAILED: ${r.error}`} in ${s(r.endedAt - r.startedAt)}`,
        ),
      operationName: (action, operation) => operation ?? action.type,
    },
    verify: async (application, seconds) => {
      const began = Date.now();
      const verdict = await bakeWatch({ application, fetcher: fetcher(local), bakeSeconds: seconds });
      verifyMs = Date.now() - began;
      return verdict.result;
    },
  });
  if (!outcome.ok || outcome.records.at(-1)?.health?.status !== 'healthy')
    throw new Error(
      `recovery did not end healthy: ${outcome.failure?.error.message ?? outcome.records.at(-1)?.skipped}`,
    );
  const recoveredAt = Date.now();
  const status = (await describeApplication(local, app)).ApplicationStatus;
  if (status !== 'RUNNING') throw new Error(`${app} is ${status} after recovery`);
  await forceStop(local, app);
  return {
    normal: {
      update: normalOp.endedAt - normalSent,
      bake: normalDone - normalOp.endedAt,
      total: normalDone - normalSent,
    },
    broken: {
      update: brokenOp.endedAt - brokenSent,
      detect: detectedAt - brokenOp.endedAt,
      recover: recoveredAt - detectedAt - verifyMs,
      verify: verifyMs,
      total: recoveredAt - brokenSent,
      how: plan.actions.map((a) => a.type).join(' → '),
    },
    detection: detected,
  };
}

interface ViaBinary {
  normal: { total: number; bake: number };
  broken: { total: number; detect: number; recover: number; verify: number; how: string };
  detection: Detection;
}

/** What `msfctl apply --json` reports of its safe-deploy step. */
interface ApplyReport {
  ok: boolean;
  afterApply?: {
    'safe deploy'?: {
      bake?: { status: string; reason: string; startedAt: string; endedAt: string; detectedAt?: string };
      recovery?: { ok: boolean; steps: { kind: string; ok: boolean; tookMs: number }[] };
    };
  };
}

/** Scenario 7 and a normal deploy as a user runs them: `msfctl apply` in a project directory. */
async function scenario7ViaBinary(
  local: LocalMsf,
  scratch: string,
  jar: string,
  run: number,
): Promise<ViaBinary> {
  const app = `stock-prices-cli-${run}`;
  const dir = await mkdtemp(path.join(scratch, 'project-'));
  const spec = (properties: Record<string, Record<string, string>>) =>
    writeFile(
      path.join(dir, 'msfctl.yaml'),
      stringify({
        application: app,
        runtime: 'FLINK-1_19',
        code: { jar },
        artifacts: { bucket: 'bench-artifacts' },
        parallelism: { parallelism: 1, perKpu: 1, autoscaling: false },
        properties,
        target: { kind: 'local', port: local.server.port, dataDir: local.server.dataDir },
        deploy: { bakeSeconds: CLI_BAKE_SECONDS, onFailure: 'rollback', rehearse: 'off' },
      }),
    );
  const apply = async (...args: string[]) => {
    const began = Date.now();
    const result = await msfctl(['apply', '--auto-approve', '--json', ...args], {
      cwd: dir,
      timeoutMs: 900_000,
    });
    const report = result.json as ApplyReport | undefined;
    if (!report) throw new Error(`msfctl apply gave no JSON (exit ${result.code}):\n${result.stderr}`);
    return { code: result.code, report, ms: Date.now() - began, stderr: result.stderr };
  };
  const good = stockPricesProperties('prices');
  await spec(good);
  const created = await apply('--bake', '20');
  if (created.code !== 0) throw new Error(`msfctl apply (create) of ${app} failed:\n${created.stderr}`);

  await spec({ ...good, Bench: { run: String(run) } });
  const normal = await apply();
  const normalBake = normal.report.afterApply?.['safe deploy']?.bake;
  if (normal.code !== 0 || normalBake?.status !== 'healthy')
    throw new Error(
      `normal deploy via msfctl: exit ${normal.code}, bake ${normalBake?.status}:\n${normal.stderr}`,
    );
  log(`${app}: normal deploy via msfctl healthy in ${s(normal.ms)}`);

  await spec({ ...stockPricesProperties('no-such-stream'), Bench: { run: String(run) } });
  const broken = await apply();
  const guard = broken.report.afterApply?.['safe deploy'];
  const bake = guard?.bake;
  if (broken.code !== 1 || bake?.status !== 'unhealthy' || !bake.detectedAt)
    throw new Error(`scenario 7 via msfctl: exit ${broken.code}, bake ${bake?.status}:\n${broken.stderr}`);
  if (!guard?.recovery?.ok) throw new Error(`scenario 7 via msfctl: recovery failed:\n${broken.stderr}`);
  const status = (await describeApplication(local, app)).ApplicationStatus;
  if (status !== 'RUNNING') throw new Error(`${app} is ${status} after msfctl's recovery`);
  const bakeStart = Date.parse(bake.startedAt);
  const detectedAt = Date.parse(bake.detectedAt);
  const [first, second] = await restartTimes(local, app, bakeStart);
  const verify = guard.recovery.steps
    .filter((st) => st.kind === 'verify')
    .reduce((sum, st) => sum + st.tookMs, 0);
  const recover = guard.recovery.steps
    .filter((st) => st.kind !== 'verify')
    .reduce((sum, st) => sum + st.tookMs, 0);
  log(`${app}: scenario 7 via msfctl recovered in ${s(broken.ms)}: ${bake.reason}`);
  await forceStop(local, app);
  return {
    normal: { total: normal.ms, bake: Date.parse(normalBake.endedAt) - Date.parse(normalBake.startedAt) },
    broken: {
      total: broken.ms,
      detect: detectedAt - bakeStart,
      recover,
      verify,
      how: guard.recovery.steps.map((st) => st.kind).join(' → '),
    },
    detection: {
      job: 'stock-prices, msfctl apply',
      fromBakeStart: detectedAt - bakeStart,
      ...(first !== undefined ? { fromFirstRestart: detectedAt - first } : {}),
      ...(first !== undefined && second !== undefined ? { turn: second - first } : {}),
      reason: bake.reason,
    },
  };
}

const scratch = await mkdtemp(path.join(os.tmpdir(), 'bench-recovery-'));
const local = await startLocalMsf({
  restartDelayMs: RESTART_DELAY_MS,
  metricsIntervalMs: 1000,
  kinesis: true,
  log: (m) => log(`msf-local: ${m}`),
});
const gateway = new SdkMsfGateway(local.msf);
try {
  const jobs = await buildTestJobs();
  await uploadJar(local, 'failing.jar', jobs.failing);
  const stockPricesJar = await buildStockPrices({ flink: '1.19', log: (l) => log(`stock-prices: ${l}`) });
  await uploadJar(local, 'stock-prices.jar', stockPricesJar);
  await createStream(local, 'prices');

  const detections: Detection[] = [];
  const scenarios: Scenario7[] = [];
  const binaries: ViaBinary[] = [];
  for (let run = 1; run <= RUNS; run++) {
    log(`run ${run}/${RUNS}: failing test job`);
    detections.push(await failingJobDetection(local, scratch, run));
    log(`run ${run}/${RUNS}: scenario 7 on stock-prices`);
    const result = await scenario7(local, gateway, run);
    scenarios.push(result);
    detections.push(result.detection);
    log(`run ${run}/${RUNS}: scenario 7 through the msfctl binary`);
    const cli = await scenario7ViaBinary(local, scratch, stockPricesJar, run);
    binaries.push(cli);
    detections.push(cli.detection);
  }

  console.log(
    `\nmsf-local, real Flink 1.19, restart delay ${RESTART_DELAY_MS / 1000} s, metrics every 1 s, bake polls every 2 s; ${RUNS} run(s)`,
  );
  console.log(
    '\n1. Crash-loop detection latency, in restart cycles (a cycle: one turn of the loop, first to second restart as observed)',
  );
  for (const d of detections) {
    const turn = d.turn ?? RESTART_DELAY_MS;
    const cycles = (ms: number) => (ms / turn).toFixed(2);
    const first =
      d.fromFirstRestart !== undefined
        ? `${s(d.fromFirstRestart)} = ${cycles(d.fromFirstRestart)} cycles after the first restart`
        : 'first restart not found';
    console.log(
      `   ${d.job.padEnd(26)} cycle ${s(turn)}; detected ${s(d.fromBakeStart)} after the deploy = ${cycles(d.fromBakeStart)} cycles; ${first}`,
    );
  }
  console.log(`\n2. Scenario 7 time to healthy vs a normal deploy, side by side`);
  console.log(`   library calls (bake ${BAKE_SECONDS} s on both):`);
  for (const [i, r] of scenarios.entries()) {
    console.log(
      `     run ${i + 1} normal deploy:  ${s(r.normal.total)}  (update ${s(r.normal.update)} + bake ${s(r.normal.bake)})`,
    );
    console.log(
      `     run ${i + 1} scenario 7:     ${s(r.broken.total)}  (update ${s(r.broken.update)} + detect ${s(r.broken.detect)} + recover ${s(r.broken.recover)} [${r.broken.how}] + verify bake ${s(r.broken.verify)})  = ${(r.broken.total / r.normal.total).toFixed(2)}× the normal deploy`,
    );
  }
  console.log(`   the msfctl binary, \`msfctl apply\` wall time (bake ${CLI_BAKE_SECONDS} s on both):`);
  for (const [i, r] of binaries.entries()) {
    console.log(
      `     run ${i + 1} normal deploy:  ${s(r.normal.total)}  (plan + update + bake ${s(r.normal.bake)})`,
    );
    console.log(
      `     run ${i + 1} scenario 7:     ${s(r.broken.total)}  (plan + update + detect ${s(r.broken.detect)} + recover ${s(r.broken.recover)} [${r.broken.how}] + verify bake ${s(r.broken.verify)})  = ${(r.broken.total / r.normal.total).toFixed(2)}× the normal deploy`,
    );
  }
} finally {
  await local.close();
  await rm(scratch, { recursive: true, force: true });
}
