/**
 * `msfctl controller` as a process against a real msf-local (control plane and S3, no job runtime): two
 * controllers on one state (one acts), an edited spec applied with reconcile: auto and only reported without it,
 * /metrics read with a Prometheus text-format parser, kill -9 of the leader (the standby takes over), and SIGTERM
 * (exit 0, no lock left behind).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startMsfLocal, type MsfLocal } from 'msf-local';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ControllerReport } from '../../src/model/controller-report.js';
import { EMPTY_ZIP, MSFCTL_BIN } from '../harness/msfctl-cli.js';

let server: MsfLocal;
let work: string;
let dir: string;
const children: ChildProcess[] = [];

function spec(name: string, extra: string): string {
  return `application: ${name}
runtime: FLINK-1_19
running: false
code:
  jar: ./app.jar
artifacts:
  bucket: artifacts
${extra}
target:
  kind: local
  port: ${server.port}
  dataDir: ${server.dataDir}
`;
}

interface Controller {
  child: ChildProcess;
  url: Promise<string>;
  log: () => string;
  exited: Promise<number | null>;
}

function controller(): Controller {
  const child = spawn(
    process.execPath,
    [
      MSFCTL_BIN,
      'controller',
      dir,
      '--interval',
      '1s',
      '--lease',
      '3s',
      '--http',
      '127.0.0.1:0',
      '--no-color',
    ],
    {
      cwd: work,
      env: { ...process.env, NO_COLOR: '1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const url = new Promise<string>((resolve, reject) => {
    const look = () => {
      const m = /serving (http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(out);
      if (m) resolve(m[1]!);
    };
    child.stdout!.on('data', look);
    child.once('exit', () => reject(new Error(`controller exited:\n${out}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, url, log: () => out, exited };
}

async function status(c: Controller): Promise<ControllerReport> {
  return (await fetch(`${await c.url}/status`)).json() as Promise<ControllerReport>;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const app = (r: ControllerReport, name: string) => r.applications.find((a) => a.application === name);

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'msfctl-controller-'));
  server = await startMsfLocal({
    dataDir: path.join(work, 'msf-local'),
    port: 0,
    runtime: null,
    kinesis: false,
    log: () => undefined,
  });
  dir = path.join(work, 'specs');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'app.jar'), EMPTY_ZIP);
  writeFileSync(path.join(dir, 'auto-1.yaml'), spec('auto-1', 'reconcile: auto'));
  writeFileSync(path.join(dir, 'auto-2.yaml'), spec('auto-2', 'reconcile: auto'));
  writeFileSync(path.join(dir, 'manual.yaml'), spec('manual', ''));
  writeFileSync(path.join(dir, 'broken.yaml'), spec('broken', 'reconcile: sometimes'));
});

afterAll(async () => {
  // Stop what the tests started, by PID, if a failed test left it running.
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null && child.pid) process.kill(child.pid, 'SIGKILL');
  await server?.close();
});

describe('msfctl controller', () => {
  let a: Controller;
  let b: Controller;

  it('two controllers on one state: one leads and acts, the other stands by', async () => {
    a = controller();
    const first = await until('the first controller to apply both auto specs', async () => {
      const r = await status(a);
      return r.leader && app(r, 'auto-1')?.status === 'READY' && app(r, 'auto-2')?.status === 'READY'
        ? r
        : undefined;
    });
    expect(app(first, 'manual')).toMatchObject({
      status: 'MISSING',
      lastReconcile: { result: 'pending' },
      pending: 1,
    });
    expect(first.errors).toEqual([
      {
        file: path.join(dir, 'broken.yaml'),
        message: expect.stringMatching(/broken\.yaml:\d+:\d+: reconcile: /),
      },
    ]);

    b = controller();
    const standby = await until('the second controller to pass twice', async () => {
      const r = await status(b);
      return r.passes >= 2 ? r : undefined;
    });
    expect(standby.leader).toBe(false);
    expect(standby.holder?.pid).toBe(a.child.pid);
    expect(standby.applications).toEqual([]);
    expect(b.log()).not.toMatch(/applied/);
    // Each auto application was created exactly once.
    for (const name of ['auto-1', 'auto-2']) expect(app(await status(a), name)?.versionId).toBe(1);
  });

  it('an edited spec: applied with reconcile: auto, reported as pending without it', async () => {
    writeFileSync(
      path.join(dir, 'auto-2.yaml'),
      spec('auto-2', 'reconcile: auto\nmonitoring: { logLevel: WARN }'),
    );
    await until('the edit to be applied', async () => {
      const r = await status(a);
      return app(r, 'auto-2')?.versionId === 2 && app(r, 'auto-2')?.lastReconcile.result === 'in sync'
        ? r
        : undefined;
    });
    expect(a.log()).toMatch(/auto-2: applied: update/);
    expect(b.log()).not.toMatch(/applied/);
  });

  it('/metrics parses with a Prometheus text-format parser', async () => {
    const text = await (await fetch(`${await a.url}/metrics`)).text();
    const families = parsePrometheusTextFormat(text);
    const value = (name: string, labels: Record<string, string> = {}) =>
      families
        .find((f) => f.name === name)
        ?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value;
    expect(value('msfctl_controller_leader')).toBe('1');
    expect(value('msfctl_controller_spec_errors')).toBe('1');
    expect(value('msfctl_application_status', { application: 'auto-1', status: 'READY' })).toBe('1');
    expect(value('msfctl_application_last_reconcile', { application: 'auto-1', result: 'in sync' })).toBe(
      '1',
    );
    expect(value('msfctl_application_last_reconcile', { application: 'manual', result: 'pending' })).toBe(
      '1',
    );
    expect(value('msfctl_application_pending_actions', { application: 'manual' })).toBe('1');
    expect(value('msfctl_application_drift', { application: 'auto-2' })).toBe('0');
    const standby = parsePrometheusTextFormat(await (await fetch(`${await b.url}/metrics`)).text());
    expect(standby.find((f) => f.name === 'msfctl_controller_leader')!.metrics[0]!.value).toBe('0');
  });

  it('kill -9 of the leader: the standby takes over and acts', async () => {
    process.kill(a.child.pid!, 'SIGKILL');
    await a.exited;
    await until('the standby to lead', async () => ((await status(b)).leader ? true : undefined), 30_000);
    expect(b.log()).toMatch(/leader \(took over from [0-9a-f-]+\)/);
    writeFileSync(
      path.join(dir, 'auto-1.yaml'),
      spec('auto-1', 'reconcile: auto\nmonitoring: { logLevel: WARN }'),
    );
    await until('the new leader to apply the edit', async () =>
      app(await status(b), 'auto-1')?.versionId === 2 ? true : undefined,
    );
  });

  it('SIGTERM: the pass under way finishes, the leader lock is released, exit 0', async () => {
    const lock = path.join(dir, '.msfctl', '.controller-leader', 'lock.json');
    expect(existsSync(lock)).toBe(true);
    process.kill(b.child.pid!, 'SIGTERM');
    expect(await b.exited).toBe(0);
    expect(b.log()).toMatch(/SIGTERM: finishing the pass under way/);
    expect(b.log()).toMatch(/released the leader lock/);
    expect(existsSync(lock)).toBe(false);
  });
});
