import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { defaultJavaCommand, FlinkHostProcess } from './flink-host-process.js';
import type { ProgressLog } from 'msf-flink-runtime';
import type { PreparedRuntime } from './prepared-runtime.js';

/**
 * A dynamic CDS archive per runtime (`<runtime dir>/flink-host.jsa`): the classes a cluster JVM loads while it
 * boots, recorded once by booting and stopping one cluster. Later cluster JVMs map it instead of loading and
 * verifying thousands of classes, which cuts their boot time by about a third. Best effort: when it cannot be
 * recorded, clusters boot without it.
 */

const ARCHIVE = 'flink-host.jsa';
const inFlight = new Map<string, Promise<string | undefined>>();

export function ensureClassDataArchive(
  runtime: PreparedRuntime,
  runtimeDir: string,
  log: ProgressLog,
): Promise<string | undefined> {
  const archive = path.join(runtimeDir, ARCHIVE);
  const running = inFlight.get(archive);
  if (running) return running;
  const promise = recordIfMissing(runtime, archive, log).finally(() => inFlight.delete(archive));
  inFlight.set(archive, promise);
  return promise;
}

async function recordIfMissing(
  runtime: PreparedRuntime,
  archive: string,
  log: ProgressLog,
): Promise<string | undefined> {
  if (await exists(archive)) return archive;
  if (await exists(`${archive}.failed`)) return undefined; // tried once: do not slow every start down
  const started = Date.now();
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'msf-local-cds-'));
  const temp = `${archive}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const host = await FlinkHostProcess.start({
      runtime,
      flinkConfig: {
        'rest.address': '127.0.0.1',
        'rest.bind-address': '127.0.0.1',
        'rest.bind-port': '0',
        'io.tmp.dirs': scratch,
        'web.tmpdir': scratch,
      },
      confDir: scratch,
      logDir: scratch,
      logLevel: 'WARN',
      // No properties agent: a JVM that records an archive may not run agents (and clusters need none of its classes).
      heapMb: 384,
      environment: {},
      systemProperties: {},
      javaCommand: defaultJavaCommand(),
      startTimeoutMs: 120_000,
      extraJvmArgs: [`-XX:ArchiveClassesAtExit=${temp}`],
    });
    await host.stop(60_000); // the archive is written while the JVM exits
    if (!(await exists(temp))) throw new Error('the JVM wrote no archive');
    await fs.rename(temp, archive);
    log(
      `${runtime.spec.runtimeEnvironment}: recorded a class data archive for faster cluster boots in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    return archive;
  } catch (error) {
    log(
      `${runtime.spec.runtimeEnvironment}: no class data archive (${(error as Error).message}); clusters boot without it`,
    );
    await fs.writeFile(`${archive}.failed`, (error as Error).message).catch(() => undefined);
    return undefined;
  } finally {
    await fs.rm(temp, { force: true });
    await fs.rm(scratch, { recursive: true, force: true });
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}
