/**
 * Real JARs and savepoints for the inspector's Flink tests, built with Maven once and cached by source digest
 * under the msf-local cache (so repeated runs and parallel test files reuse them).
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { defaultCacheRoot as cacheRoot, ensureInspector, type RuntimeEnvironment } from 'msf-flink-runtime';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const TEST_JOBS = join(REPO, 'java', 'jar-inspector', 'src', 'test-jobs');
export const STOCK_PRICES = join(REPO, 'examples', 'stock-prices');

/** java/jar-inspector/src/test-jobs built against one Flink version (entry classes: ProbeJob, ShapesJob, …). */
export async function testJobsJar(flinkVersion: string): Promise<string> {
  const dir = await cachedBuild(`test-jobs-${flinkVersion}`, TEST_JOBS, async (out) => {
    await run('mvn', [
      '-B',
      '-q',
      '-f',
      join(TEST_JOBS, 'pom.xml'),
      `-Dflink.version=${flinkVersion}`,
      `-Djobs.buildDir=${out}`,
      'package',
    ]);
  });
  return join(dir, 'inspector-test-jobs.jar');
}

export type StockPricesVariant = 'baseline' | 'no-window' | 'uid-renamed';

/** examples/stock-prices in three variants (its default build: Flink 1.19), built in a copy of its sources. */
export async function stockPricesJars(): Promise<Record<StockPricesVariant, string>> {
  const variants: StockPricesVariant[] = ['baseline', 'no-window', 'uid-renamed'];
  const dir = await cachedBuild('stock-prices', STOCK_PRICES, async (out) => {
    const work = join(out, 'src-copy');
    await cp(STOCK_PRICES, work, {
      recursive: true,
      filter: (src) => !src.includes(`${STOCK_PRICES}/target`),
    });
    for (const variant of variants) {
      await run('mvn', ['-B', '-q', '-f', join(work, 'pom.xml'), `-Dvariant=${variant}`, 'package']);
      await rename(
        join(work, 'target', `stock-prices-${variant}.jar`),
        join(out, `stock-prices-${variant}.jar`),
      );
    }
    await rm(work, { recursive: true, force: true });
  });
  return Object.fromEntries(variants.map((v) => [v, join(dir, `stock-prices-${v}.jar`)])) as Record<
    StockPricesVariant,
    string
  >;
}

/**
 * A real savepoint of the test jobs' SavepointJob, taken by running it on a local MiniCluster of the given
 * runtime (see SavepointJob.java), under `parentDir`. Returns the savepoint path.
 */
export async function savepointOfSavepointJob(
  runtime: RuntimeEnvironment,
  flinkVersion: string,
  parentDir: string,
): Promise<string> {
  const jar = await testJobsJar(flinkVersion);
  const build = await ensureInspector(runtime);
  const dir = join(parentDir, `savepoints-${runtime}`);
  await mkdir(dir, { recursive: true });
  const output = await run('java', [
    '-Xmx512m',
    '--add-opens=java.base/java.util=ALL-UNNAMED',
    '--add-opens=java.base/java.lang=ALL-UNNAMED',
    '-cp',
    `${build.classpath}:${jar}`,
    'msfctl.inspectorjobs.SavepointJob',
    '--savepoint-to',
    `file://${dir}`,
  ]);
  const match = /^SAVEPOINT (.+)$/m.exec(output);
  if (!match) throw new Error(`SavepointJob printed no savepoint path:\n${output}`);
  return match[1]!;
}

async function cachedBuild(
  name: string,
  sources: string,
  build: (out: string) => Promise<void>,
): Promise<string> {
  const digest = await digestOf(sources);
  const target = join(cacheRoot(), 'inspector-test-fixtures', `${name}-${digest.slice(0, 12)}`);
  if (existsSync(join(target, '.done'))) return target;
  const scratch = `${target}.build-${process.pid}-${randomBytes(4).toString('hex')}`;
  await mkdir(scratch, { recursive: true });
  try {
    await build(scratch);
    await writeFile(join(scratch, '.done'), '');
    await mkdir(dirname(target), { recursive: true });
    try {
      await rename(scratch, target);
    } catch (error) {
      // Another test worker finished the same build first: use theirs (never replace files in use).
      if (!existsSync(join(target, '.done'))) throw error;
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return target;
}

async function digestOf(dir: string): Promise<string> {
  const hash = createHash('sha256');
  const files = (await walk(dir)).filter((f) => !relative(dir, f).startsWith('target')).sort();
  for (const file of files)
    hash
      .update(relative(dir, file))
      .update('\0')
      .update(await readFile(file))
      .update('\0');
  return hash.digest('hex');
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? walk(join(dir, e.name)) : Promise.resolve([join(dir, e.name)]))),
  );
  return nested.flat();
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-8000)));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(stdout)
        : reject(
            new Error(`${command} ${args.join(' ')} exited ${code}:\n${stdout.slice(-4000)}\n${stderr}`),
          ),
    );
  });
}
