/**
 * bench/startup — cold start of the installed msfctl against Node's own floor, in one run. Packs and installs
 * the packages into a temp directory (scripts/install-packed.ts; the first pack builds the Java jars), then
 * runs, interleaved so both see the same machine load:
 *   node -e 0  ·  msfctl --version  ·  msfctl --help  ·  msf-local --version  ·  npx msfctl --version
 * and prints the median and the fastest run of each and its ratio to `node -e 0` (target: msfctl --version
 * ≤ 3×).
 *
 *   npx tsx bench/startup/run.ts [--runs 15] [--keep]
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { installPacked } from '../../scripts/install-packed.js';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '15' }, keep: { type: 'boolean', default: false } },
});
const RUNS = Number(values.runs);
const run = promisify(execFile);

const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-startup-'));
try {
  process.stderr.write(`packing and installing into ${dir} ...\n`);
  const installed = await installPacked(dir);
  const cases: [string, string, string[]][] = [
    ['node -e 0', 'node', ['-e', '0']],
    ['msfctl --version', 'msfctl', ['--version']],
    ['msfctl --help', 'msfctl', ['--help']],
    ['msf-local --version', 'msf-local', ['--version']],
    ['npx msfctl --version', 'npx', ['--no-install', 'msfctl', '--version']],
  ];
  // npx needs npm itself: the install's PATH has only its bins, node and java.
  const npmDir = path.dirname((await run('sh', ['-c', 'command -v npm'])).stdout.trim());
  const env = { ...installed.env, PATH: `${installed.env.PATH}${path.delimiter}${npmDir}` };
  const times = new Map<string, number[]>(cases.map(([label]) => [label, []]));
  for (let i = 0; i < RUNS + 1; i += 1) {
    for (const [label, command, args] of cases) {
      const started = process.hrtime.bigint();
      await run(command, args, { cwd: installed.dir, env });
      // The first round warms the file cache and is not counted.
      if (i > 0) times.get(label)!.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  }
  const stats = (label: string) => {
    const sorted = [...times.get(label)!].sort((a, b) => a - b);
    return { median: sorted[Math.floor(sorted.length / 2)]!, min: sorted[0]! };
  };
  const floor = stats('node -e 0');
  console.log(
    `cold start, ${RUNS} runs each, interleaved (${os.cpus().length} CPUs, Node ${process.version})`,
  );
  console.log('command                    median     min   median / node -e 0');
  for (const [label] of cases) {
    const { median, min } = stats(label);
    console.log(
      `${label.padEnd(24)} ${median.toFixed(0).padStart(6)} ms ${min.toFixed(0).padStart(5)} ms   ${(median / floor.median).toFixed(2)}×`,
    );
  }
} finally {
  if (!values.keep) await rm(dir, { recursive: true, force: true });
}
