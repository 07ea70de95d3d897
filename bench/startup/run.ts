/**
 * bench/startup — cold start of the installed msfctl against Node's own floor, in one run. Packs and installs
 * the packages into a temp directory (scripts/install-packed.ts; the first pack builds the Java jars), then
 * runs, interleaved so both see the same machine load:
 *   node -e 0  ·  msfctl --version  ·  msfctl --help  ·  msf-local --version  ·  npx msfctl --version
 * and prints for each the median wall time, the fastest, and the median CPU time (user + system, from the
 * shell's `times`: what a busy machine distorts least), as ratios to `node -e 0` (target: msfctl --version
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
  const wall = new Map<string, number[]>(cases.map(([label]) => [label, []]));
  const cpu = new Map<string, number[]>(cases.map(([label]) => [label, []]));
  for (let i = 0; i < RUNS + 1; i += 1) {
    for (const [label, command, args] of cases) {
      const started = process.hrtime.bigint();
      // `times` prints the shell's own and then its children's user and system time: the command's CPU time.
      const { stdout } = await run('sh', ['-c', '"$0" "$@" >/dev/null; times', command, ...args], {
        cwd: installed.dir,
        env,
      });
      const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
      // The first round warms the file cache and is not counted.
      if (i === 0) continue;
      wall.get(label)!.push(elapsed);
      cpu.get(label)!.push(childCpuMs(stdout));
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const floorWall = median(wall.get('node -e 0')!);
  const floorCpu = median(cpu.get('node -e 0')!);
  console.log(
    `cold start, ${RUNS} runs each, interleaved (${os.cpus().length} CPUs, Node ${process.version})`,
  );
  console.log('command                  wall median (ratio)   wall min   CPU median (ratio)');
  for (const [label] of cases) {
    const w = median(wall.get(label)!);
    const c = median(cpu.get(label)!);
    const min = Math.min(...wall.get(label)!);
    console.log(
      `${label.padEnd(24)} ${w.toFixed(0).padStart(6)} ms (${(w / floorWall).toFixed(2)}×) ${min.toFixed(0).padStart(7)} ms ${c.toFixed(0).padStart(7)} ms (${(c / floorCpu).toFixed(2)}×)`,
    );
  }
} finally {
  if (!values.keep) await rm(dir, { recursive: true, force: true });
}

/** Children's user + system time from the last line of `times` (e.g. `0m0.120s 0m0.030s`). */
function childCpuMs(timesOutput: string): number {
  const line = timesOutput.trim().split('\n').at(-1) ?? '';
  const parts = [...line.matchAll(/(\d+)m([\d.]+)s/g)].map(
    ([, m, sec]) => Number(m) * 60_000 + Number(sec) * 1000,
  );
  if (parts.length !== 2) throw new Error(`unexpected output of times: ${JSON.stringify(timesOutput)}`);
  return parts[0]! + parts[1]!;
}
