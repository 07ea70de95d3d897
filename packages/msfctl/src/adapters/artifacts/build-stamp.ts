/**
 * Skips a Maven build whose inputs did not change, as build tools do: the content digest of the project's
 * sources (every file under the project directory except target/ and hidden or dependency directories, the
 * POMs included) and the build arguments, recorded after a successful build in target/ with the JAR's digest.
 * The next plan or apply with the same digest, and the same JAR still in place, reuses the JAR (1 s, not 6.5 s
 * of Maven); a changed file, a deleted or rebuilt JAR, or `--rebuild` builds again.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileDigest } from './digest.js';

const STAMP = '.msfctl-build.json';
const SKIP_DIRS = new Set(['target', 'node_modules', 'build', 'out']);

interface Stamp {
  inputs: string;
  jar: string;
  sha256: string;
}

/** SHA-256 over every source file's relative path and content, and the build arguments. */
export function sourcesDigest(dir: string, args: readonly string[] = []): string {
  const hash = createHash('sha256');
  hash.update(`args\0${args.join('\0')}\0`);
  const walk = (rel: string) => {
    const entries = readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    );
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const child = path.join(rel, e.name);
      if (e.isDirectory()) {
        if (!(rel === '' && SKIP_DIRS.has(e.name)) && e.name !== 'target') walk(child);
      } else if (e.isFile()) {
        hash.update(`file\0${child}\0`);
        hash.update(readFileSync(path.join(dir, child)));
        hash.update('\0');
      }
    }
  };
  walk('');
  return hash.digest('hex');
}

function stampPath(dir: string): string {
  return path.join(dir, 'target', STAMP);
}

/** The JAR of the last build when its inputs are `inputs` and it is still the JAR that build produced. */
export async function unchangedBuild(dir: string, inputs: string): Promise<string | undefined> {
  const file = stampPath(dir);
  if (!existsSync(file)) return undefined;
  let stamp: Stamp;
  try {
    stamp = JSON.parse(readFileSync(file, 'utf8')) as Stamp;
  } catch {
    return undefined;
  }
  if (stamp.inputs !== inputs || !existsSync(stamp.jar)) return undefined;
  return (await fileDigest(stamp.jar)).sha256 === stamp.sha256 ? stamp.jar : undefined;
}

export async function recordBuild(dir: string, inputs: string, jar: string): Promise<void> {
  const { sha256 } = await fileDigest(jar);
  // A cache: a torn write reads as invalid JSON, which only means one more build.
  writeFileSync(stampPath(dir), JSON.stringify({ inputs, jar, sha256 } satisfies Stamp));
}
