/**
 * msf-local exits with its launcher: `npx msf-local start` runs it under npx, and killing npx must not leave the
 * server (and its children) holding the port. `--background` (what `msfctl local up` uses) keeps it running.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/msf-local.js', import.meta.url));
const dirs: string[] = [];
const started: number[] = [];

afterAll(async () => {
  for (const pid of started) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone, as it should be
    }
  }
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** PIDs whose parent is `pid` (from /proc). */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        return readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1]?.split(' ')[1] === String(pid);
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function until(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A launcher (as npx is) that starts msf-local and reports its PID; resolves once msf-local listens, with
 * both PIDs.
 */
async function launch(extra: string[]): Promise<{ launcher: number; server: number }> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'msf-launcher-'));
  dirs.push(dataDir);
  const script = `
    const { spawn } = require('node:child_process');
    const child = spawn(process.execPath, ${JSON.stringify([BIN, 'start', '--port', '0', '--quiet', '--data-dir', dataDir, ...extra])}, { stdio: ['ignore', 'pipe', 'inherit'] });
    process.stdout.write('server ' + child.pid + '\\n');
    child.stdout.pipe(process.stdout);
    setInterval(() => {}, 1000);`;
  const launcher = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  started.push(launcher.pid!);
  let out = '';
  launcher.stdout.on('data', (c: Buffer) => (out += c.toString()));
  await until('msf-local listens', () => out.includes('msf-local listening on'), 90_000);
  const server = Number(/server (\d+)/.exec(out)![1]);
  started.push(server);
  return { launcher: launcher.pid!, server };
}

describe('msf-local and its launcher', () => {
  it('stops, children included, when its launcher is killed', async () => {
    const { launcher, server } = await launch([]);
    const children = childrenOf(server);
    expect(children.length).toBeGreaterThan(0); // kinesis-local
    process.kill(launcher, 'SIGKILL');
    await until('msf-local exits', () => !alive(server), 30_000);
    await until('its children exit', () => children.every((pid) => !alive(pid)), 30_000);
  });

  it('keeps running with --background', async () => {
    const { launcher, server } = await launch(['--background']);
    process.kill(launcher, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 2_000));
    expect(alive(server)).toBe(true);
    process.kill(server, 'SIGTERM');
    await until('msf-local stops on SIGTERM', () => !alive(server), 30_000);
  });
});
