/**
 * The `local` target: msf-local on this machine. msfctl starts it in the background when an environment
 * targets it and nothing answers on its port (the embedded default: nothing to set up), and `msfctl local
 * up|down|status` manage it. The process is tracked by a pid file in msf-local's data directory and stopped
 * by that PID only.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { MsfctlError } from '../../../model/errors.js';
import type { IoHost } from '../../../ports/io-host.js';
import { writeFileAtomic } from '../../state/atomic-file.js';
import { systemClock, type Clock } from '../../../ports/clock.js';
import { runningMsfLocals, type RunningMsfLocal } from './running-instances.js';

export interface LocalRuntime {
  port: number;
  dataDir: string;
  endpoint: string;
}

export interface LocalStatus {
  endpoint: string;
  dataDir: string;
  /** Something answers the Kinesis Analytics V2 API on the endpoint. */
  answering: boolean;
  /** Applications it reports, when answering. */
  applications?: number;
  /** Started by msfctl (pid file present and that process alive). */
  pid?: number;
  logFile: string;
}

interface PidFile {
  pid: number;
  port: number;
  startedAt: string;
}

const START_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 60_000;

export function pidFilePath(dataDir: string): string {
  return path.join(dataDir, 'msf-local.pid');
}

export function logFilePath(dataDir: string): string {
  return path.join(dataDir, 'msf-local.log');
}

/** Asks the endpoint for its applications over the standard JSON 1.1 wire protocol. */
export async function probe(endpoint: string): Promise<number | undefined> {
  try {
    const response = await fetch(`${endpoint.replace(/\/$/, '')}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'KinesisAnalytics_20180523.ListApplications',
      },
      body: '{}',
      signal: AbortSignal.timeout(3_000),
    });
    if (!response.ok) return undefined;
    const body = (await response.json()) as { ApplicationSummaries?: unknown[] };
    return Array.isArray(body.ApplicationSummaries) ? body.ApplicationSummaries.length : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid file's process, if it is alive and (where /proc tells) still msf-local. */
function managedPid(dataDir: string): number | undefined {
  const file = pidFilePath(dataDir);
  if (!existsSync(file)) return undefined;
  let info: PidFile;
  try {
    info = JSON.parse(readFileSync(file, 'utf8')) as PidFile;
  } catch {
    return undefined;
  }
  if (!isAlive(info.pid)) return undefined;
  try {
    const cmdline = readFileSync(`/proc/${info.pid}/cmdline`, 'utf8');
    if (!cmdline.includes('msf-local')) return undefined; // the PID was reused by another program
  } catch {
    /* no /proc: trust the pid file */
  }
  return info.pid;
}

export async function localStatus(local: LocalRuntime): Promise<LocalStatus> {
  const applications = await probe(local.endpoint);
  const pid = managedPid(local.dataDir);
  return {
    endpoint: local.endpoint,
    dataDir: local.dataDir,
    answering: applications !== undefined,
    ...(applications !== undefined ? { applications } : {}),
    ...(pid !== undefined ? { pid } : {}),
    logFile: logFilePath(local.dataDir),
  };
}

function msfLocalBin(): string {
  try {
    // Its bin sits next to its package.json (exported, so this holds before any build of its dist/).
    const dir = path.dirname(createRequire(import.meta.url).resolve('msf-local/package.json'));
    const bin = path.join(dir, 'bin', 'msf-local.js');
    if (!existsSync(bin)) throw new Error(`no ${bin}`);
    return bin;
  } catch {
    throw new MsfctlError('LOCAL_RUNTIME', 'msf-local is not installed next to msfctl.', {
      hint: 'Install it (npm i msf-local), or start it yourself and point msfctl at it with --endpoint-url.',
    });
  }
}

function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Starts msf-local in the background unless something already answers on its endpoint. */
export async function localUp(
  local: LocalRuntime,
  host: IoHost,
  clock: Clock = systemClock,
): Promise<LocalStatus & { started: boolean }> {
  const before = await localStatus(local);
  if (before.answering) return { ...before, started: false };
  assertOnePerDataDir(local);
  mkdirSync(local.dataDir, { recursive: true });
  const log = logFilePath(local.dataDir);
  const fd = openSync(log, 'a');
  let exited: number | null | undefined;
  const child = spawn(
    process.execPath,
    // --background: msf-local otherwise stops when its launcher (this msfctl, about to exit) is gone.
    [msfLocalBin(), 'start', '--background', '--port', String(local.port), '--data-dir', local.dataDir],
    {
      detached: true,
      stdio: ['ignore', fd, fd],
      env: process.env,
    },
  );
  closeSync(fd);
  child.on('exit', (code) => (exited = code));
  child.unref();
  await writeFileAtomic(
    pidFilePath(local.dataDir),
    JSON.stringify({
      pid: child.pid ?? -1,
      port: local.port,
      startedAt: new Date(clock.now()).toISOString(),
    } satisfies PidFile),
  );
  const progress = host.progress(`Starting msf-local on ${local.endpoint} (data in ${local.dataDir})`);
  const started = clock.now();
  for (;;) {
    if (exited !== undefined) {
      progress.done('msf-local did not start', false);
      rmSync(pidFilePath(local.dataDir), { force: true });
      throw new MsfctlError(
        'LOCAL_RUNTIME',
        `msf-local exited during start (code ${exited}). Last lines of ${log}:\n${tail(log)}`,
        {
          hint: `Is port ${local.port} taken by something else? Try target.port, or run \`npx msf-local start\` to see it fail in the foreground.`,
        },
      );
    }
    if ((await probe(local.endpoint)) !== undefined) break;
    if (clock.now() - started > START_TIMEOUT_MS) {
      progress.done('msf-local did not answer', false);
      throw new MsfctlError(
        'LOCAL_RUNTIME',
        `msf-local (PID ${child.pid}) did not answer on ${local.endpoint} within ${START_TIMEOUT_MS / 1000}s. Last lines of ${log}:\n${tail(log)}`,
        {
          hint: `Stop it with \`msfctl local down\` and look at ${log}.`,
        },
      );
    }
    progress.update(`Starting msf-local on ${local.endpoint} (data in ${local.dataDir})`);
    await clock.sleep(250);
  }
  progress.done(`msf-local is running on ${local.endpoint} (PID ${child.pid}, log ${log})`);
  return { ...(await localStatus(local)), started: true };
}

/**
 * One msf-local per data directory: two servers on one directory would overwrite each other's state. Refuses
 * to start one on `local.port` while another runs with the same data directory on another port.
 */
function assertOnePerDataDir(local: LocalRuntime, running: RunningMsfLocal[] = runningMsfLocals()): void {
  const dataDir = path.resolve(local.dataDir);
  const other = running.find((r) => r.dataDir === dataDir && r.port !== local.port);
  if (!other) return;
  throw new MsfctlError(
    'LOCAL_RUNTIME',
    `msf-local already runs with data directory ${dataDir} on port ${other.port} (PID ${other.pid}): msfctl does not start a second one on port ${local.port} over the same data.`,
    {
      hint: `Set target.port to ${other.port} (or --port ${other.port}), or stop that one first: \`msfctl local down --port ${other.port} --data-dir ${dataDir}\`.`,
      details: { running: other },
    },
  );
}

/** Stops the msf-local msfctl started (by its PID); it stops its Flink clusters on the way out. */
export async function localDown(
  local: LocalRuntime,
  host: IoHost,
  clock: Clock = systemClock,
): Promise<{ stopped: boolean; pid?: number }> {
  const pid = managedPid(local.dataDir);
  if (pid === undefined) {
    rmSync(pidFilePath(local.dataDir), { force: true });
    if ((await probe(local.endpoint)) !== undefined) {
      throw new MsfctlError(
        'LOCAL_RUNTIME',
        `msf-local on ${local.endpoint} was not started by msfctl (no live pid file in ${local.dataDir}).`,
        {
          hint: 'Stop it where it was started (Ctrl-C in its terminal).',
        },
      );
    }
    return { stopped: false };
  }
  const progress = host.progress(`Stopping msf-local (PID ${pid}) and its Flink clusters`);
  process.kill(pid, 'SIGTERM');
  const started = clock.now();
  while (isAlive(pid)) {
    if (clock.now() - started > STOP_TIMEOUT_MS) {
      progress.done(`msf-local did not stop within ${STOP_TIMEOUT_MS / 1000}s; killing it`, false);
      process.kill(pid, 'SIGKILL');
      break;
    }
    await clock.sleep(200);
  }
  rmSync(pidFilePath(local.dataDir), { force: true });
  progress.done(`msf-local stopped (PID ${pid})`);
  return { stopped: true, pid };
}
