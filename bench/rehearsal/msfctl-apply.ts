/**
 * `msfctl apply --rehearse` against a plain `msfctl apply` of the same job, in one run, through the msfctl binary on
 * an in-process msf-local (real Flink): stock-prices on FLINK-1_19, deploys alternating between two state-compatible
 * JARs (baseline ↔ window-20s), each with the same bake (health watch) and a rehearsal window of the same length.
 * Prints each apply's wall time, the rehearsal's own steps (state fetch, sandbox boot, submit, restore, window) and
 * the ratio rehearsed / plain.
 *
 *   npx tsx bench/rehearsal/msfctl-apply.ts [--window 30] [--rehearsal-window SECONDS] [--iterations 1]
 *
 * --window is the bake and, unless --rehearsal-window says otherwise, the rehearsal window.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CreateStreamCommand, waitUntilStreamExists } from '@aws-sdk/client-kinesis';
import { stringify } from 'yaml';
import { buildStockPrices } from '../../examples/stock-prices/build.js';
import { kinesisClientFor } from '../../examples/stock-prices/tail.js';
import { startMsfLocal } from '../../packages/msf-local/src/index.js';
import type { Plan } from '../../packages/msfctl/src/model/plan.js';
import type { RehearsalReport } from '../../packages/msfctl/src/model/rehearsal.js';
import { msfctl } from '../../packages/msfctl/test/harness/msfctl-cli.js';

const { values } = parseArgs({
  options: {
    window: { type: 'string', default: '30' },
    'rehearsal-window': { type: 'string' },
    iterations: { type: 'string', default: '1' },
  },
});
const WINDOW = Number(values.window);
const REHEARSAL_WINDOW = Number(values['rehearsal-window'] ?? values.window);
const ITERATIONS = Number(values.iterations);
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const s = (ms: number | undefined) => (ms === undefined ? '–' : `${(ms / 1000).toFixed(1)} s`);

const [baseline, window20s] = await Promise.all([
  buildStockPrices({ flink: '1.19', variant: 'baseline' }),
  buildStockPrices({ flink: '1.19', variant: 'window-20s' }),
]);
const root = await mkdtemp(path.join(os.tmpdir(), 'msfctl-bench-rehearsal-'));
const server = await startMsfLocal({ dataDir: path.join(root, 'msf-local'), port: 0, log: () => undefined });
const kinesis = kinesisClientFor(server.url, 'us-east-1');

async function spec(jar: string): Promise<void> {
  await writeFile(
    path.join(root, 'msfctl.yaml'),
    stringify({
      application: 'stock-prices',
      runtime: 'FLINK-1_19',
      code: { jar },
      artifacts: { bucket: 'bench-artifacts' },
      parallelism: { parallelism: 1, perKpu: 1, autoscaling: false },
      monitoring: { logLevel: 'ERROR', metricsLevel: 'APPLICATION' },
      properties: { OutputStream0: { 'stream.name': 'ExampleOutputStream', 'aws.region': 'us-east-1' } },
      target: { kind: 'local', port: server.port, dataDir: server.dataDir },
      deploy: { bakeSeconds: WINDOW, rehearsalWindow: REHEARSAL_WINDOW },
    }),
  );
}

async function apply(jar: string, flag: '--rehearse' | '--no-rehearse') {
  await spec(jar);
  const began = Date.now();
  const result = await msfctl(['apply', '--auto-approve', '--json', flag], { cwd: root, timeoutMs: 900_000 });
  const ms = Date.now() - began;
  const report = result.json as { ok: boolean; plan?: Plan } | undefined;
  if (result.code !== 0 || !report?.ok)
    throw new Error(`msfctl apply ${flag} failed (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  return { ms, rehearsal: report.plan?.preflight?.rehearsal as RehearsalReport | undefined };
}

try {
  await kinesis.send(new CreateStreamCommand({ StreamName: 'ExampleOutputStream', ShardCount: 1 }));
  await waitUntilStreamExists({ client: kinesis, maxWaitTime: 60 }, { StreamName: 'ExampleOutputStream' });
  log('creating stock-prices (baseline) and letting it run');
  await apply(baseline, '--no-rehearse');
  let current = baseline;
  const rows: { plain: number; rehearsed: number; r: RehearsalReport }[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const other = () => (current === baseline ? window20s : baseline);
    log(`iteration ${i + 1}: plain apply (bake ${WINDOW} s)`);
    current = other();
    const plain = await apply(current, '--no-rehearse');
    log(`  ${s(plain.ms)}`);
    log(`iteration ${i + 1}: apply --rehearse (window ${REHEARSAL_WINDOW} s, bake ${WINDOW} s)`);
    current = other();
    const rehearsed = await apply(current, '--rehearse');
    if (!rehearsed.rehearsal?.passed) throw new Error('the rehearsal did not pass');
    log(`  ${s(rehearsed.ms)}`);
    rows.push({ plain: plain.ms, rehearsed: rehearsed.ms, r: rehearsed.rehearsal });
  }
  const load = os.loadavg().map((l) => l.toFixed(1));
  console.log(
    `msfctl apply, stock-prices FLINK-1_19 on msf-local; bake ${WINDOW} s; rehearsal window ${REHEARSAL_WINDOW} s`,
  );
  console.log(`machine: ${os.cpus().length} cores, load average ${load.join(' / ')}`);
  for (const [i, { plain, rehearsed, r }] of rows.entries()) {
    const t = r.timings ?? {};
    console.log(
      `#${i + 1} plain apply ${s(plain)} | apply --rehearse ${s(rehearsed)} → ${(rehearsed / plain).toFixed(2)}×` +
        ` (rehearsal ${s(r.durationMs)}: state fetch ${s(r.state?.fetchMs)}, sandbox boot ${s(t.clusterBootMs)},` +
        ` submit ${s(t.submitMs)}, restore ${s(t.restoreMs)}, window ${s(t.windowMs)}, teardown ${s(t.teardownMs)};` +
        ` ${r.checkpointsCompleted} checkpoints)`,
    );
  }
  const sum = (k: 'plain' | 'rehearsed') => rows.reduce((a, r) => a + r[k], 0);
  console.log(
    `ratio over ${rows.length} run(s): ${(sum('rehearsed') / sum('plain')).toFixed(2)}× (goal ≤ 1.5×)`,
  );
} finally {
  kinesis.destroy();
  await server.close();
  await rm(root, { recursive: true, force: true });
}
