/**
 * Runs one jar-inspector command in a sandboxed JVM and returns its JSON document, or throws an
 * InspectionError naming what went wrong (the application's main() failing, a timeout, a crash).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ErrorDocumentSchema, type NetworkSandbox } from '../../model/inspection.js';
import type { InspectorBuild } from 'msf-flink-runtime';
import type { PropertyGroup } from '../../ports/jar-inspector.js';
import { sandboxJava } from './sandbox.js';

export class InspectionError extends Error {
  constructor(
    message: string,
    /** Stable token: program-failed, program-exit, timeout, jar-not-found, unsupported-pipeline, crashed, … */
    readonly kind: string,
    readonly causes: string[] = [],
    /** The end of the inspector's stderr (Flink and application logs, stack traces). */
    readonly stderrTail = '',
  ) {
    super(message);
    this.name = 'InspectionError';
  }
}

// Flink's own list for Java 17 (flink-dist sets it): Kryo and reflective serializers need these packages open.
const JAVA17_OPENS = [
  '--add-exports=java.base/sun.net.util=ALL-UNNAMED',
  '--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED',
  '--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED',
  ...[
    'java.lang',
    'java.net',
    'java.io',
    'java.nio',
    'sun.nio.ch',
    'java.lang.reflect',
    'java.text',
    'java.time',
    'java.util',
    'java.util.concurrent',
    'java.util.concurrent.atomic',
    'java.util.concurrent.locks',
  ].map((pkg) => `--add-opens=java.base/${pkg}=ALL-UNNAMED`),
];

export interface InspectorRun {
  document: unknown;
  sandbox: NetworkSandbox;
}

export async function runInspector(
  build: InspectorBuild,
  command: string[],
  options: { properties?: PropertyGroup[]; timeoutMs: number },
): Promise<InspectorRun> {
  const workDir = await mkdtemp(join(tmpdir(), 'msfctl-inspect-'));
  try {
    const propertiesFile = join(workDir, 'application_properties.json');
    // Always attach the agent: with no groups the application sees an empty map, never this host's /etc/flink file.
    await writeFile(propertiesFile, JSON.stringify(options.properties ?? []));
    const outFile = join(workDir, 'result.json');
    const javaArgs = [
      '-Xmx512m',
      '-XX:+UseSerialGC',
      '-XX:TieredStopAtLevel=1',
      ...JAVA17_OPENS,
      `-javaagent:${build.propertiesAgentJar}=${propertiesFile}`,
      '-cp',
      build.classpath,
      'msfctl.inspector.Main',
      command[0]!,
      '--out',
      outFile,
      '--timeout-ms',
      String(options.timeoutMs),
      ...command.slice(1),
    ];
    const sandboxed = await sandboxJava(javaArgs, workDir);
    const { code, stderr, timedOut } = await spawnWithDeadline(
      sandboxed.command,
      sandboxed.args,
      sandboxed.env,
      workDir,
      // The JVM's own watchdog reports a timeout cleanly; this one kills a JVM too stuck to do so.
      options.timeoutMs + 5_000,
    );
    const text = await readFile(outFile, 'utf8').catch(() => null);
    if (text === null) {
      if (timedOut) {
        throw new InspectionError(
          `inspection did not finish within ${options.timeoutMs} ms`,
          'timeout',
          [],
          stderr,
        );
      }
      throw new InspectionError(
        `the jar inspector exited with code ${code} without a result:\n${lastLines(stderr, 15)}`,
        'crashed',
        [],
        stderr,
      );
    }
    const document: unknown = JSON.parse(text);
    const failure = ErrorDocumentSchema.safeParse(document);
    if (failure.success) {
      const { kind, message, causes } = failure.data.error;
      throw new InspectionError(message, kind, causes, stderr);
    }
    return { document, sandbox: sandboxed.sandbox };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

function spawnWithDeadline(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  deadlineMs: number,
): Promise<{ code: number | null; stderr: string; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let timedOut = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-20_000);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, deadlineMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new InspectionError(`cannot start the jar inspector (${command}): ${error.message}`, 'crashed'));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, timedOut });
    });
  });
}

function lastLines(text: string, count: number): string {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}
