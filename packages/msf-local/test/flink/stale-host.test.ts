import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FLINK_HOST_MAIN, killStaleHost, recordHost } from '../../src/flink/stale-host.js';

const started: ChildProcess[] = [];

afterEach(() => {
  for (const child of started.splice(0)) child.kill('SIGKILL');
});

/** A process whose command line looks like a cluster JVM of `confDir` (or like nothing of ours). */
function fakeProcess(args: string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', ...args], { stdio: 'ignore' });
  started.push(child);
  return new Promise((resolve) => child.once('spawn', () => resolve(child)));
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once('exit', () => resolve()));

describe('stale cluster JVMs', () => {
  it('kills the host a killed msf-local left for this application before a new one starts', async () => {
    const confDir = mkdtempSync(path.join(os.tmpdir(), 'msf-stale-'));
    const host = await fakeProcess([FLINK_HOST_MAIN, '--conf', path.join(confDir, 'flink-conf.properties')]);
    recordHost(confDir, host.pid!);
    expect(await killStaleHost(confDir)).toBe(true);
    await exited(host);
    expect(host.signalCode).toBe('SIGKILL');
  });

  it('never kills a process that merely reuses the PID, nor another application\u2019s host', async () => {
    const confDir = mkdtempSync(path.join(os.tmpdir(), 'msf-stale-'));
    const unrelated = await fakeProcess(['something-else']);
    recordHost(confDir, unrelated.pid!);
    expect(await killStaleHost(confDir)).toBe(false);
    const otherDir = mkdtempSync(path.join(os.tmpdir(), 'msf-stale-other-'));
    const otherHost = await fakeProcess([
      FLINK_HOST_MAIN,
      '--conf',
      path.join(otherDir, 'flink-conf.properties'),
    ]);
    recordHost(confDir, otherHost.pid!);
    expect(await killStaleHost(confDir)).toBe(false);
    expect(unrelated.exitCode).toBeNull();
    expect(otherHost.exitCode).toBeNull();
    expect(unrelated.signalCode).toBeNull();
  });

  it('does nothing when no host was recorded', async () => {
    expect(await killStaleHost(mkdtempSync(path.join(os.tmpdir(), 'msf-stale-')))).toBe(false);
  });
});
