/**
 * Builds the Java jar-inspector (java/jar-inspector) once per Flink version into the shared cache, keyed by a
 * digest of its sources so an edited inspector is rebuilt. Concurrent builders each build into a private
 * directory and rename it into place; the first one wins. The properties agent is the one msf-local's cluster
 * JVMs load (preparePropertiesAgent), so both tools share one build of it.
 */
import { childEnvironment } from './child-environment.js';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import {
  BUILDS_FROM_SOURCE,
  JAVA_PROJECTS_DIR,
  defaultCacheRoot as cacheRoot,
  preparePropertiesAgent,
} from './maven-build.js';
import { materializePackagedBuild, packagedBuild } from './packaged-java.js';
import { FLINK_RUNTIMES, type RuntimeEnvironment } from './runtimes.js';

export const INSPECTOR_SOURCE_DIR = join(JAVA_PROJECTS_DIR, 'jar-inspector');

export interface InspectorBuild {
  /** Java classpath entries: the inspector jar and its Flink dependencies. */
  classpath: string;
  propertiesAgentJar: string;
  /** Digest of the inspector sources and the agent jar; part of every result-cache key. */
  sourceDigest: string;
}

const inFlight = new Map<string, Promise<InspectorBuild>>();

/** The inspector for one runtime, building it on first use (minutes when Maven must download Flink). */
export function ensureInspector(runtime: RuntimeEnvironment): Promise<InspectorBuild> {
  let build = inFlight.get(runtime);
  if (!build) {
    build = buildInspector(runtime);
    inFlight.set(runtime, build);
    build.catch(() => inFlight.delete(runtime));
  }
  return build;
}

async function buildInspector(runtime: RuntimeEnvironment): Promise<InspectorBuild> {
  const flinkVersion = FLINK_RUNTIMES[runtime].flinkVersion;
  // An installed package ships the inspector prebuilt (packaged-java.ts); a clone builds it with Maven.
  const packaged = BUILDS_FROM_SOURCE ? undefined : packagedBuild(`jar-inspector@${flinkVersion}`);
  if (!BUILDS_FROM_SOURCE && !packaged) {
    throw new Error(
      'this msf-flink-runtime package holds no prebuilt jar inspector (packed without jars/); reinstall it',
    );
  }
  const inspectorDigest = packaged
    ? createHash('sha256').update(JSON.stringify(packaged)).digest('hex')
    : await sourceDigest(INSPECTOR_SOURCE_DIR);
  const inspectorDir = join(cacheRoot(), 'jar-inspector', `${flinkVersion}-${inspectorDigest.slice(0, 12)}`);
  const log = (line: string) => process.stderr.write(`[msfctl] ${line}\n`);
  const [, propertiesAgentJar] = await Promise.all([
    buildOnce(inspectorDir, 'jar-inspector.jar', (dir) =>
      packaged
        ? materializePackagedBuild(packaged, dir, { log, label: `jar-inspector ${flinkVersion}` })
        : runMaven([
            '-B',
            '-q',
            '-f',
            join(INSPECTOR_SOURCE_DIR, 'pom.xml'),
            `-Dflink.version=${flinkVersion}`,
            `-Dinspector.buildDir=${dir}`,
            'package',
            'dependency:copy-dependencies',
            `-DoutputDirectory=${join(dir, 'lib')}`,
          ]),
    ),
    preparePropertiesAgent({ cacheRoot: cacheRoot(), log }),
  ]);
  const agentDigest = createHash('sha256')
    .update(await readFile(propertiesAgentJar))
    .digest('hex');
  return {
    classpath: [join(inspectorDir, 'jar-inspector.jar'), join(inspectorDir, 'lib', '*')].join(':'),
    propertiesAgentJar,
    sourceDigest: createHash('sha256').update(inspectorDigest).update(agentDigest).digest('hex'),
  };
}

/** Builds into a private directory and renames it to `target` unless `target/marker` already exists. */
async function buildOnce(
  target: string,
  marker: string,
  build: (dir: string) => Promise<void>,
): Promise<void> {
  if (existsSync(join(target, marker))) return;
  await mkdir(dirname(target), { recursive: true });
  const scratch = `${target}.build-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await build(scratch);
    if (!existsSync(join(scratch, marker))) {
      throw new Error(`the build finished but produced no ${marker} in ${scratch}`);
    }
    try {
      await rename(scratch, target);
    } catch (error) {
      // Another process finished the same build first: use theirs.
      if (!existsSync(join(target, marker))) throw error;
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

function runMaven(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('mvn', args, {
      env: childEnvironment(process.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-8000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (error) =>
      reject(new Error(`cannot run Maven (mvn) to build the jar inspector: ${error.message}`)),
    );
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`mvn ${args.join(' ')} failed with exit code ${code}:\n${output.trim()}`));
    });
  });
}

/** SHA-256 over the pom and src/main of a Maven module (paths and contents, in a stable order). */
async function sourceDigest(moduleDir: string): Promise<string> {
  const files = [join(moduleDir, 'pom.xml'), ...(await listFiles(join(moduleDir, 'src', 'main')))].sort();
  const hash = createHash('sha256');
  for (const file of files) {
    hash
      .update(relative(moduleDir, file))
      .update('\0')
      .update(await readFile(file))
      .update('\0');
  }
  return hash.digest('hex');
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? listFiles(path) : Promise.resolve([path]);
    }),
  );
  return nested.flat();
}
