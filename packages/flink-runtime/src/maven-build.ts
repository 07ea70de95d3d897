import { spawn } from 'node:child_process';
import { childEnvironment } from './child-environment.js';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { materializePackagedBuild, packagedBuild, type PackagedBuild } from './packaged-java.js';

/**
 * Builds a Maven project of this repository's `java/` folder into a cache directory, once per content of its
 * sources: later calls find the finished directory and run no Maven at all (offline). Concurrent builders (other
 * processes, other test workers) each build into their own temp directory and the first to finish wins the
 * rename, so a half-written cache directory is never seen.
 */

const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** `java/` of this repository (the Maven projects built on first use). */
export const JAVA_PROJECTS_DIR = path.resolve(PACKAGE_ROOT, '../../java');

/**
 * In a clone of the repository (this package's src/ is there; it is not published) the Java tools are built
 * from java/ with Maven, so edits take effect; an installed package uses the jars packed into it instead.
 */
export const BUILDS_FROM_SOURCE = existsSync(path.join(PACKAGE_ROOT, 'src'));

/** Root of the caches msf-local and msfctl share: `$MSF_LOCAL_CACHE`, else `~/.cache/msf-local`. */
export function defaultCacheRoot(): string {
  return process.env.MSF_LOCAL_CACHE || path.join(os.homedir(), '.cache', 'msf-local');
}

export type ProgressLog = (line: string) => void;

export const stderrProgress: ProgressLog = (line) => process.stderr.write(`[msf-local] ${line}\n`);

export interface CachedMavenBuild {
  /** Directory of the Maven project (has pom.xml and src/). */
  projectDir: string;
  /** Where the finished build lives (with `keyed`, the parent of the build's directory). */
  targetDir: string;
  /**
   * Build into `<targetDir>/<digest of sources and inputs>` instead of `targetDir` itself: builds of different
   * sources (other worktrees, other branches sharing the cache) then live side by side instead of replacing each
   * other's files while they are in use. Never give a keyed build a `targetDir` inside an unkeyed one: replacing
   * the unkeyed build would take the keyed ones with it.
   */
  keyed?: boolean;
  /** Anything besides the sources that changes the output (e.g. the Flink version). */
  inputs: string;
  /** Maven arguments that write every output into `outDir`. */
  mavenArgs: (outDir: string) => string[];
  /** Short name for progress lines, e.g. `FLINK-1_19`. */
  label: string;
  log?: ProgressLog;
  mavenCommand?: string;
  /** Name of this build among an installed package's packed jars (packaged-java.ts), e.g. `flink-host@1.20.5`. */
  packaged?: string;
}

const KEY_FILE = '.build-key';
const inFlight = new Map<string, Promise<string>>();

/** Returns the build's directory, building it first unless it holds a build of the current sources and inputs. */
export async function cachedMavenBuild(build: CachedMavenBuild): Promise<string> {
  const packaged = packagedFor(build);
  const key = packaged
    ? createHash('sha256').update(build.inputs).update('\0').update(JSON.stringify(packaged)).digest('hex')
    : await sourceKey(build.projectDir, build.inputs);
  const targetDir = build.keyed ? path.join(build.targetDir, key.slice(0, 16)) : build.targetDir;
  const running = inFlight.get(targetDir);
  if (running) return running;
  const promise = buildIfStale({ ...build, targetDir }, key, packaged).finally(() =>
    inFlight.delete(targetDir),
  );
  inFlight.set(targetDir, promise);
  return promise;
}

/** The packed jars to use instead of Maven, when this is an installed package; throws if it has none. */
function packagedFor(build: CachedMavenBuild): PackagedBuild | undefined {
  if (BUILDS_FROM_SOURCE) return undefined;
  const packaged = build.packaged ? packagedBuild(build.packaged) : undefined;
  if (!packaged) {
    throw new Error(
      `${build.label}: this msf-flink-runtime package holds no prebuilt ${path.basename(build.projectDir)} (it was packed without its jars/); reinstall it`,
    );
  }
  return packaged;
}

async function buildIfStale(
  build: CachedMavenBuild,
  key: string,
  packaged: PackagedBuild | undefined,
): Promise<string> {
  const log = build.log ?? stderrProgress;
  if ((await readKey(build.targetDir)) === key) return build.targetDir;

  const started = Date.now();
  log(
    packaged
      ? `${build.label}: fetching the libraries of ${path.basename(build.projectDir)} into ${build.targetDir} (first use; later runs are offline)`
      : `${build.label}: building ${path.basename(build.projectDir)} with Maven into ${build.targetDir} (first use; later runs are offline)`,
  );
  await fs.mkdir(path.dirname(build.targetDir), { recursive: true });
  const temp = `${build.targetDir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    if (packaged) await materializePackagedBuild(packaged, temp, { log, label: build.label });
    else
      await runMaven(
        build.mavenCommand ?? 'mvn',
        ['-f', path.join(build.projectDir, 'pom.xml'), ...build.mavenArgs(temp)],
        build.label,
        log,
      );
    await fs.writeFile(path.join(temp, KEY_FILE), key);
    if ((await readKey(build.targetDir)) === key) {
      // Another builder finished first with the same inputs: keep theirs.
      await fs.rm(temp, { recursive: true, force: true });
    } else {
      await replaceDir(build.targetDir, temp);
    }
  } catch (error) {
    await fs.rm(temp, { recursive: true, force: true });
    throw error;
  }
  log(`${build.label}: ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return build.targetDir;
}

async function replaceDir(target: string, replacement: string): Promise<void> {
  const old = `${target}.old-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await fs.rename(target, old);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await fs.rename(replacement, target);
  await fs.rm(old, { recursive: true, force: true });
}

async function readKey(dir: string): Promise<string | undefined> {
  try {
    return await fs.readFile(path.join(dir, KEY_FILE), 'utf8');
  } catch {
    return undefined;
  }
}

/** Hash of the project's pom.xml and src/ tree plus the extra inputs. */
async function sourceKey(projectDir: string, inputs: string): Promise<string> {
  const hash = createHash('sha256').update(inputs).update('\0');
  const files = [path.join(projectDir, 'pom.xml'), ...(await listFiles(path.join(projectDir, 'src')))].sort();
  for (const file of files) {
    hash
      .update(path.relative(projectDir, file))
      .update('\0')
      .update(await fs.readFile(file))
      .update('\0');
  }
  return hash.digest('hex');
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? listFiles(full) : Promise.resolve([full]);
    }),
  );
  return nested.flat();
}

/** Runs Maven in batch mode; reports each downloaded jar and the outcome, and fails with Maven's errors. */
function runMaven(command: string, args: string[], label: string, log: ProgressLog): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, ['-B', ...args], {
      env: childEnvironment(process.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tail: string[] = [];
    let downloaded = 0;
    let pending = '';
    const onData = (chunk: Buffer): void => {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const raw of lines) {
        // eslint-disable-next-line no-control-regex
        const line = raw.replace(/\x1b\[[0-9;]*m/g, '').trimEnd();
        tail.push(line);
        if (tail.length > 60) tail.shift();
        const jar = /^(?:\[INFO\] )?Downloaded from \S+: \S+\/([^/]+\.jar) \(([^)]*)\)/.exec(line);
        if (jar) {
          downloaded += 1;
          log(`${label}: downloaded ${jar[1]} (${(jar[2] ?? '').split(' at ')[0]}) [${downloaded}]`);
        } else if (/^\[ERROR\]/.test(line)) {
          log(`${label}: ${line}`);
        }
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (error) =>
      reject(
        new Error(
          `cannot run Maven (${command}): ${error.message}; building from the repository's java/ needs Maven 3.8+ and Java 17 on PATH`,
        ),
      ),
    );
    child.on('close', (code) => {
      if (code === 0) resolve();
      else {
        const errors = tail.filter((line) => line.startsWith('[ERROR]')).slice(0, 15);
        reject(
          new Error(
            `Maven build for ${label} failed (exit ${code}):\n${(errors.length ? errors : tail).join('\n')}`,
          ),
        );
      }
    });
  });
}

/** Builds the properties agent (java/properties-agent) once; returns its path. msf-local's cluster JVMs and
 * msfctl's jar inspector load it. */
export async function preparePropertiesAgent(
  options: { cacheRoot?: string; log?: ProgressLog } = {},
): Promise<string> {
  const dir = await cachedMavenBuild({
    projectDir: path.join(JAVA_PROJECTS_DIR, 'properties-agent'),
    targetDir: path.join(options.cacheRoot ?? defaultCacheRoot(), 'properties-agent'),
    inputs: 'properties-agent',
    mavenArgs: (out) => [`-Dagent.buildDir=${out}`, 'package'],
    label: 'properties-agent',
    packaged: 'properties-agent',
    ...(options.log ? { log: options.log } : {}),
  });
  return path.join(dir, 'properties-agent.jar');
}
