/**
 * One cluster JVM per application, across msf-local restarts too. A JVM outlives a killed msf-local for the
 * 10–20 s it takes to notice its stdin closed and shut down; a restarted msf-local would meanwhile start a second
 * one for the same application. So each host's PID is recorded in its conf directory, and a host still running
 * from that record — checked by its command line, so a reused PID is never touched — is killed before the next.
 */
import { promises as fs, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The class every cluster JVM runs (java/flink-host); part of the command line checked before a kill. */
export const FLINK_HOST_MAIN = 'msflocal.flinkhost.FlinkHost';
const PID_FILE = 'host.pid';

/** Synchronous: called between spawning the JVM and listening to it, where an await could miss its exit. */
export function recordHost(confDir: string, pid: number): void {
  writeFileSync(path.join(confDir, PID_FILE), `${pid}\n`);
}

/** Kills the host recorded in `confDir` if it still runs; resolves once it is gone. True if one was killed. */
export async function killStaleHost(confDir: string, timeoutMs = 10_000): Promise<boolean> {
  let pid: number;
  try {
    pid = Number((await fs.readFile(path.join(confDir, PID_FILE), 'utf8')).trim());
  } catch {
    return false; // never started here
  }
  if (!Number.isInteger(pid) || pid <= 1 || !isHostOf(pid, confDir)) return false;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return false; // exited in between
  }
  const deadline = Date.now() + timeoutMs;
  while (isHostOf(pid, confDir) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return true;
}

/** True while `pid` is a running cluster JVM started for `confDir` (Linux /proc; elsewhere never). */
function isHostOf(pid: number, confDir: string): boolean {
  try {
    const status = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (/\) Z /.test(status)) return false; // a zombie is dead, only not yet reaped
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return args.includes(FLINK_HOST_MAIN) && args.some((arg) => arg.startsWith(confDir));
  } catch {
    return false;
  }
}
