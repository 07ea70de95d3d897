/**
 * Inspects application JARs and snapshots through the Java jar-inspector, caching JAR results by content.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import {
  ensureInspector,
  FLINK_RUNTIMES,
  isSupportedRuntime,
  type RuntimeEnvironment,
} from 'msf-flink-runtime';
import {
  InspectDocumentSchema,
  OperatorIdDocumentSchema,
  SavepointDocumentSchema,
  type JarInspection,
  type SnapshotState,
} from '../../model/inspection.js';
import type { InspectJarOptions } from '../../ports/jar-inspector.js';
import { runInspector } from './inspector-process.js';

export type { InspectJarOptions } from '../../ports/jar-inspector.js';

const DEFAULT_TIMEOUT_MS = 120_000;

export async function inspectJar(options: InspectJarOptions): Promise<JarInspection> {
  const started = Date.now();
  const runtime = assertInspectableRuntime(options.runtime);
  const jarPath = resolve(options.jarPath);
  const jarSha256 = await sha256File(jarPath).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`cannot read JAR ${jarPath}: ${error.code ?? error.message}`);
  });
  const build = await ensureInspector(runtime);

  const parallelism = options.parallelism ?? 1;
  const inputs = createHash('sha256')
    .update(
      JSON.stringify({
        entryClass: options.entryClass ?? null,
        programArgs: options.programArgs ?? [],
        parallelism,
        properties: options.properties ?? [],
        inspector: build.sourceDigest,
      }),
    )
    .digest('hex');
  const cacheFile =
    options.cacheDir && join(options.cacheDir, `${jarSha256}-${runtime}-${inputs.slice(0, 16)}.json`);
  if (cacheFile) {
    const cached = await readFile(cacheFile, 'utf8').catch(() => null);
    if (cached !== null) {
      const inspection = JSON.parse(cached) as JarInspection;
      return { ...inspection, jarPath, fromCache: true, durationMs: Date.now() - started };
    }
  }

  const command = ['inspect', '--jar', jarPath, '--parallelism', String(parallelism)];
  if (options.entryClass) command.push('--entry-class', options.entryClass);
  if (options.programArgs?.length) command.push('--', ...options.programArgs);
  const { document, sandbox } = await runInspector(build, command, {
    properties: options.properties,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });
  const parsed = InspectDocumentSchema.parse(document);
  const inspection: JarInspection = {
    jarPath,
    jarSha256,
    runtime,
    inspectorFlinkVersion: parsed.inspector.runtimeFlinkVersion,
    flinkVersion: parsed.flinkVersion,
    job: parsed.job,
    operators: parsed.operators,
    sandbox,
    fromCache: false,
    durationMs: Date.now() - started,
  };
  if (cacheFile) await writeAtomically(cacheFile, JSON.stringify(inspection, null, 2));
  return inspection;
}

/**
 * The operators of a snapshot (a savepoint directory, a retained checkpoint directory, or its `_metadata` file)
 * and which of them carry state. Read with the runtime that wrote it (a newer Flink reads older metadata too).
 */
export async function readSnapshotState(options: {
  snapshotPath: string;
  runtime: string;
  timeoutMs?: number;
}): Promise<SnapshotState> {
  const build = await ensureInspector(assertInspectableRuntime(options.runtime));
  const { document } = await runInspector(build, ['savepoint', '--path', options.snapshotPath], {
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });
  return SavepointDocumentSchema.parse(document).savepoint;
}

/** OperatorIDs for uids as computed by Flink itself (StreamGraphHasherV2); cross-checks operatorIdFromUid. */
export async function flinkOperatorIds(uids: string[], runtime: string): Promise<Record<string, string>> {
  const build = await ensureInspector(assertInspectableRuntime(runtime));
  const { document } = await runInspector(build, ['operator-id', ...uids], { timeoutMs: DEFAULT_TIMEOUT_MS });
  return OperatorIdDocumentSchema.parse(document).operatorIds;
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolvePromise(hash.digest('hex')));
  });
}

async function writeAtomically(file: string, content: string): Promise<void> {
  await mkdir(join(file, '..'), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, content);
  await rename(temp, file);
}

/** The runtime, if the inspector can build job graphs for it (the Flink releases msf-local runs). */
export function assertInspectableRuntime(runtime: string): RuntimeEnvironment {
  if (!isSupportedRuntime(runtime)) {
    throw new Error(
      `cannot inspect JARs for runtime environment ${runtime}; supported: ${Object.keys(FLINK_RUNTIMES).join(', ')}`,
    );
  }
  return runtime;
}
