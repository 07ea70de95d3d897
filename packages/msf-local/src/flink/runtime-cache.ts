import { promises as fs } from 'node:fs';
import path from 'node:path';

import {
  JAVA_PROJECTS_DIR,
  cachedMavenBuild,
  defaultCacheRoot,
  preparePropertiesAgent,
  runtimeSpec,
  stderrProgress,
  type ProgressLog,
} from 'msf-flink-runtime';
import { ensureClassDataArchive } from './class-data-archive.js';
import type { PreparedRuntime } from './prepared-runtime.js';

/**
 * Flink runtimes on disk: for each runtime environment, the flink-host jar compiled against that Flink release
 * plus every jar of its Maven-resolved classpath, under `<cache root>/flink/<RUNTIME>/`; and the properties
 * agent under `<cache root>/properties-agent/`. Resolved on first use (Maven, with progress on stderr), offline
 * afterwards.
 */

export interface PrepareOptions {
  /** Cache root; default `$MSF_LOCAL_CACHE` or `~/.cache/msf-local`. */
  cacheRoot?: string;
  /** Progress lines; default stderr. */
  log?: ProgressLog;
}

export type { PreparedRuntime };

/**
 * Resolves (downloads and builds, if not cached yet) the runtime of one MSF runtime environment, e.g.
 * `FLINK-1_19`. Safe to call concurrently and from several processes.
 */
export async function prepareRuntime(
  runtimeEnvironment: string,
  options: PrepareOptions = {},
): Promise<PreparedRuntime> {
  const spec = runtimeSpec(runtimeEnvironment);
  const root = options.cacheRoot ?? defaultCacheRoot();
  const [hostDir, propertiesAgentJar] = await Promise.all([
    cachedMavenBuild({
      projectDir: path.join(JAVA_PROJECTS_DIR, 'flink-host'),
      targetDir: path.join(root, 'flink', spec.runtimeEnvironment),
      inputs: `flink ${spec.flinkVersion}`,
      mavenArgs: (out) => [
        `-Dflink.version=${spec.flinkVersion}`,
        `-Dhost.buildDir=${out}`,
        'package',
        'dependency:copy-dependencies',
        `-DoutputDirectory=${path.join(out, 'lib')}`,
      ],
      label: spec.runtimeEnvironment,
      packaged: `flink-host@${spec.flinkVersion}`,
      log: options.log,
    }),
    preparePropertiesAgent(options),
  ]);
  const libs = (await fs.readdir(path.join(hostDir, 'lib'))).filter((name) => name.endsWith('.jar')).sort();
  const classpath = [
    path.join(hostDir, 'flink-host.jar'),
    ...libs.map((name) => path.join(hostDir, 'lib', name)),
  ].join(path.delimiter);
  const prepared: PreparedRuntime = { spec, classpath, propertiesAgentJar };
  const classDataArchive = await ensureClassDataArchive(prepared, hostDir, options.log ?? stderrProgress);
  return classDataArchive ? { ...prepared, classDataArchive } : prepared;
}

/** Resolves several runtimes ahead of time (e.g. in CI or a global test setup), one after the other. */
export async function prepareRuntimes(
  runtimeEnvironments: readonly string[],
  options: PrepareOptions = {},
): Promise<PreparedRuntime[]> {
  for (const runtime of runtimeEnvironments) runtimeSpec(runtime); // fail fast on a typo, before any download
  const prepared: PreparedRuntime[] = [];
  for (const runtime of runtimeEnvironments) prepared.push(await prepareRuntime(runtime, options));
  return prepared;
}
