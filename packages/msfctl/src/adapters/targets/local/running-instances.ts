/**
 * The msf-local processes running on this machine, read from /proc (Linux): each one's PID, port and data
 * directory as its command line gave them (`msf-local start --port P --data-dir D`, defaults applied). So that
 * msfctl never starts a second msf-local on one data directory, and `msfctl local status` can list what runs.
 * Where there is no /proc the list is empty, and the pid file msfctl writes is all it knows.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_LOCAL_PORT, defaultLocalDataDir } from '../target.js';

export interface RunningMsfLocal {
  pid: number;
  port: number;
  dataDir: string;
}

function option(args: string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === name) return args[i + 1];
    if (a.startsWith(`${name}=`)) return a.slice(name.length + 1);
  }
  return undefined;
}

/** A process's arguments, when it is `… msf-local… start …` (the launcher npx spawns included). */
export function parseMsfLocalCommandLine(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Omit<RunningMsfLocal, 'pid'> | undefined {
  const bin = args.findIndex(
    (a) => /msf-local(\.js)?$/.test(path.basename(a)) || /msf-local[/\\]bin[/\\]/.test(a),
  );
  if (bin < 0 || args[bin + 1] !== 'start') return undefined;
  const rest = args.slice(bin + 2);
  const port = Number(option(rest, '--port') ?? DEFAULT_LOCAL_PORT);
  const dataDir = path.resolve(option(rest, '--data-dir') ?? defaultLocalDataDir(env));
  return Number.isInteger(port) ? { port, dataDir } : undefined;
}

export function runningMsfLocals(): RunningMsfLocal[] {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return [];
  }
  const found: RunningMsfLocal[] = [];
  for (const pid of pids) {
    let args: string[];
    try {
      args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    } catch {
      continue; // gone, or not ours to read
    }
    const parsed = parseMsfLocalCommandLine(args);
    if (parsed) found.push({ pid: Number(pid), ...parsed });
  }
  // npx's launcher and the server share a command line: keep one per data dir and port, the newest (the server).
  const byKey = new Map<string, RunningMsfLocal>();
  for (const r of found.sort((a, b) => a.pid - b.pid)) byKey.set(`${r.port} ${r.dataDir}`, r);
  return [...byKey.values()];
}
