/**
 * Vitest global setup of the browser tests: builds the web app with Vite unless dist/web was built from the
 * same sources (a hash of web/, vite.config.ts and the lock file, kept beside the output), so reruns cost
 * nothing. The same build runs at pack time (`npm run build -w msfctl-dashboard`).
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = fileURLToPath(new URL('../../', import.meta.url));
const OUT = path.join(PACKAGE, 'dist', 'web');
const STAMP = path.join(OUT, '.source-hash');

async function sourceHash(): Promise<string> {
  const hash = createHash('sha256');
  const web = path.join(PACKAGE, 'web');
  const files = (await readdir(web, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
  files.push(
    path.join(PACKAGE, 'vite.config.ts'),
    path.join(PACKAGE, 'src', 'contract.ts'),
    path.join(PACKAGE, '..', '..', 'package-lock.json'),
  );
  for (const file of files)
    hash
      .update(path.relative(PACKAGE, file))
      .update('\0')
      .update(await readFile(file));
  return hash.digest('hex');
}

export async function buildWeb(): Promise<{ built: boolean; ms: number }> {
  const started = Date.now();
  const wanted = await sourceHash();
  const have = await readFile(STAMP, 'utf8').catch(() => undefined);
  if (have === wanted) return { built: false, ms: Date.now() - started };
  const { build } = await import('vite');
  await build({ configFile: path.join(PACKAGE, 'vite.config.ts'), logLevel: 'warn' });
  await writeFile(STAMP, wanted);
  return { built: true, ms: Date.now() - started };
}

export default async function setup(): Promise<void> {
  const { built, ms } = await buildWeb();
  if (built) process.stderr.write(`dashboard: built the web app with Vite in ${ms} ms\n`);
}
