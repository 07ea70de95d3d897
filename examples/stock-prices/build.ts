import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cachedMavenBuild, defaultCacheRoot } from 'msf-flink-runtime';

/**
 * Builds the stock-prices JAR for a Flink version and a variant, once per content of the sources (msf-local's cached
 * Maven build): later calls (other tests, the demo, other processes) find it in the cache and run no Maven. Usage:
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
  'accumulator-changed',
] as const;
export type StockPricesVariant = (typeof STOCK_PRICES_VARIANTS)[number];
export type StockPricesFlink = '1.19' | '1.20';

/** The entry class the manifest names (the wrong-main-class variant names `com.example.stockprices.NoSuchJob`). */
export const STOCK_PRICES_MAIN_CLASS = 'com.example.stockprices.StreamingJob';

export interface BuildStockPricesOptions {
  flink: StockPricesFlink;
  variant?: StockPricesVariant;
  /** Default: `$MSF_LOCAL_CACHE/stock-prices-builds`, else `~/.cache/msf-local/stock-prices-builds`. */
  cacheDir?: string;
  /** Progress lines (Maven runs take ~10 s, more on first use while Maven downloads). Default: stderr. */
  log?: (line: string) => void;
}

/** Path of the JAR, built first if the cache has none for these sources, this Flink version and this variant. */
export async function buildStockPrices(options: BuildStockPricesOptions): Promise<string> {
  const variant = options.variant ?? 'baseline';
  if (!STOCK_PRICES_VARIANTS.includes(variant)) {
    throw new Error(`unknown stock-prices variant ${variant}; one of ${STOCK_PRICES_VARIANTS.join(', ')}`);
  }
  if (options.flink !== '1.19' && options.flink !== '1.20') {
    throw new Error(`unknown Flink version ${String(options.flink)} for stock-prices; 1.19 or 1.20`);
  }
  const dir = await cachedMavenBuild({
    projectDir: STOCK_PRICES_DIR,
    targetDir: path.join(
      options.cacheDir ?? path.join(defaultCacheRoot(), 'stock-prices-builds'),
      `flink-${options.flink}`,
      variant,
    ),
    keyed: true,
    inputs: `stock-prices\0${options.flink}\0${variant}`,
    mavenArgs: (out) => ['package', `-Pflink-${options.flink}`, `-Dvariant=${variant}`, `-Dbuild.dir=${out}`],
    label: `stock-prices ${options.flink} ${variant}`,
    ...(options.log ? { log: options.log } : {}),
  });
  return path.join(dir, `stock-prices-${variant}.jar`);
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
