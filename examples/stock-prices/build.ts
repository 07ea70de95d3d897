import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Builds the stock-prices JAR for a Flink version and a variant, once per content of the sources: later calls (other
 * tests, the demo, other processes) find it in the cache and run no Maven. Usage:
 *
 *   const jar = await buildStockPrices({ flink: '1.19', variant: 'baseline' });
 *
 * From a shell: `npx tsx examples/stock-prices/build.ts [1.19|1.20] [variant]` prints the JAR's path.
 */

export const STOCK_PRICES_DIR = path.dirname(fileURLToPath(import.meta.url));

export const STOCK_PRICES_VARIANTS = [
  'baseline',
  'wrong-main-class',
  'no-window',
  'uid-renamed',
  'window-20s',
] as const;
export type StockPricesVariant = (typeof STOCK_PRICES_VARIANTS)[number];
export type StockPricesFlink = '1.19' | '1.20';

/** The entry class the manifest names (the wrong-main-class variant names `com.example.stockprices.NoSuchJob`). */
export const STOCK_PRICES_MAIN_CLASS = 'com.example.stockprices.StreamingJob';

export interface BuildStockPricesOptions {
  flink: StockPricesFlink;
  variant?: StockPricesVariant;
  /** Default: `$MSF_LOCAL_CACHE/stock-prices`, else `~/.cache/msf-local/stock-prices`. */
  cacheDir?: string;
  /** Progress lines (Maven runs take ~10 s, more on first use while Maven downloads). Default: stderr. */
  log?: (line: string) => void;
}

const inFlight = new Map<string, Promise<string>>();

/** Path of the JAR, built first if the cache has none for these sources, this Flink version and this variant. */
export async function buildStockPrices(options: BuildStockPricesOptions): Promise<string> {
  const variant = options.variant ?? 'baseline';
  if (!STOCK_PRICES_VARIANTS.includes(variant)) {
    throw new Error(`unknown stock-prices variant ${variant}; one of ${STOCK_PRICES_VARIANTS.join(', ')}`);
  }
  if (options.flink !== '1.19' && options.flink !== '1.20') {
    throw new Error(`unknown Flink version ${String(options.flink)} for stock-prices; 1.19 or 1.20`);
  }
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const key = await sourceHash(`${options.flink}\0${variant}`);
  const jar = path.join(
    cacheDir,
    `flink-${options.flink}`,
    `stock-prices-${variant}-${key.slice(0, 16)}.jar`,
  );
  const running = inFlight.get(jar);
  if (running) return running;
  const build = buildUnlessCached(jar, options.flink, variant, options.log ?? stderrLog).finally(() =>
    inFlight.delete(jar),
  );
  inFlight.set(jar, build);
  return build;
}

function defaultCacheDir(): string {
  return path.join(
    process.env.MSF_LOCAL_CACHE || path.join(os.homedir(), '.cache', 'msf-local'),
    'stock-prices',
  );
}

function stderrLog(line: string): void {
  process.stderr.write(`[stock-prices] ${line}\n`);
}

async function buildUnlessCached(
  jar: string,
  flink: StockPricesFlink,
  variant: StockPricesVariant,
  log: (line: string) => void,
): Promise<string> {
  if (await exists(jar)) return jar;
  await fs.mkdir(path.dirname(jar), { recursive: true });
  // Each build in its own directory; the finished JAR is renamed into place, so a half-written one is never seen.
  const buildDir = path.join(path.dirname(jar), `.build-${process.pid}-${randomBytes(4).toString('hex')}`);
  const started = Date.now();
  log(`building Flink ${flink} variant ${variant} with Maven`);
  try {
    await runMaven([
      '-B',
      '-q',
      '-Dstyle.color=never',
      '-f',
      path.join(STOCK_PRICES_DIR, 'pom.xml'),
      'package',
      `-Pflink-${flink}`,
      `-Dvariant=${variant}`,
      `-Dbuild.dir=${buildDir}`,
    ]);
    await fs.rename(path.join(buildDir, `stock-prices-${variant}.jar`), jar);
  } finally {
    await fs.rm(buildDir, { recursive: true, force: true });
  }
  log(`built ${jar} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return jar;
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

/** Hash of pom.xml and every file under src/, plus the build's own inputs. */
async function sourceHash(inputs: string): Promise<string> {
  const hash = createHash('sha256').update(inputs).update('\0');
  const files = [
    path.join(STOCK_PRICES_DIR, 'pom.xml'),
    ...(await listFiles(path.join(STOCK_PRICES_DIR, 'src'))),
  ].sort();
  for (const file of files) {
    hash
      .update(path.relative(STOCK_PRICES_DIR, file))
      .update('\0')
      .update(await fs.readFile(file))
      .update('\0');
  }
  return hash.digest('hex');
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) =>
      entry.isDirectory() ? listFiles(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
    ),
  );
  return nested.flat();
}

function runMaven(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('mvn', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error) =>
      reject(new Error(`cannot run Maven (mvn): ${error.message}; the build needs Maven 3.8+ and Java 17`)),
    );
    child.on('close', (code) => {
      if (code === 0) return resolve();
      const lines = output.trim().split('\n');
      const errors = lines.filter((line) => line.startsWith('[ERROR]'));
      reject(
        new Error(
          `Maven build of stock-prices failed (exit ${code}):\n${(errors.length ? errors : lines).slice(0, 20).join('\n')}`,
        ),
      );
    });
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [flink = '1.19', variant = 'baseline'] = process.argv.slice(2);
  buildStockPrices({ flink: flink as StockPricesFlink, variant: variant as StockPricesVariant }).then(
    (jar) => console.log(jar),
    (error: Error) => {
      console.error(error.message);
      process.exitCode = 1;
    },
  );
}
