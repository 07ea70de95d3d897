/**
 * What a first-time user hit (issue 16), through the msfctl binary against a real msf-local (control plane
 * and S3; no job runtime, so applications stay READY): each case failed before its fix.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startMsfLocal, type MsfLocal } from 'msf-local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_ZIP, msfctl } from '../harness/msfctl-cli.js';

let server: MsfLocal;
let work: string;

function spec(name: string, extra = ''): string {
  return `application: ${name}
runtime: FLINK-1_19
running: false
code:
  jar: ./app.jar
artifacts:
  bucket: artifacts
target:
  kind: local
  port: ${server.port}
  dataDir: ${server.dataDir}
${extra}`;
}

function project(name: string, extra = ''): string {
  const dir = mkdtempSync(path.join(work, `${name}-`));
  writeFileSync(path.join(dir, 'app.jar'), EMPTY_ZIP);
  writeFileSync(path.join(dir, 'msfctl.yaml'), spec(name, extra));
  return dir;
}

const NO_STACK = /\n\s+at |MsfctlError|Node\.js v|Unexpected error/;

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'msfctl-frictions-'));
  server = await startMsfLocal({
    dataDir: path.join(work, 'msf-local'),
    port: 0,
    runtime: null,
    kinesis: false,
    log: () => undefined,
  });
});

afterAll(async () => {
  await server?.close();
});

describe('issue 16 item 11: expected AWS failures name the resource and the fix, never a stack trace', () => {
  it('--state in a bucket that does not exist', async () => {
    const cwd = project('state-app');
    const result = await msfctl(['--state', 's3://missing-bucket/x', 'plan'], { cwd, timeoutMs: 60_000 });
    expect(result.code).toBe(1);
    expect(result.stderr).not.toMatch(NO_STACK);
    expect(result.stderr).toContain(
      '✗ The state bucket missing-bucket (--state s3://missing-bucket/x) does not exist.',
    );
    expect(result.stderr).toMatch(/aws s3 mb s3:\/\/missing-bucket/);
    const json = await msfctl(['--state', 's3://missing-bucket/x', 'plan', '--json'], {
      cwd,
      timeoutMs: 60_000,
    });
    expect(json.code).toBe(1);
    expect(json.json).toMatchObject({ ok: false, error: { code: 'STATE' } });
  });
});

describe('issue 16 item 12: --json is honoured everywhere', () => {
  it('import --out - --json writes one JSON document (the YAML inside it), nothing else', async () => {
    const cwd = project('import-app');
    expect((await msfctl(['apply', '--auto-approve'], { cwd, timeoutMs: 60_000 })).code).toBe(0);
    const other = mkdtempSync(path.join(work, 'import-'));
    const env = { AWS_ENDPOINT_URL: server.url };
    const result = await msfctl(
      ['import', 'import-app', '--out', '-', '--json', '--state', path.join(other, 'state')],
      {
        cwd: other,
        env,
        timeoutMs: 60_000,
      },
    );
    expect(result.code).toBe(0);
    expect(result.json).toMatchObject({
      application: 'import-app',
      file: '-',
      spec: { application: 'import-app' },
    });
    expect((result.json as { yaml: string }).yaml).toMatch(/^application: import-app$/m);
    // Without --json, the YAML alone.
    const yaml = await msfctl(['import', 'import-app', '--out', '-', '--state', path.join(other, 'state2')], {
      cwd: other,
      env,
      timeoutMs: 60_000,
    });
    expect(yaml.code).toBe(0);
    expect(yaml.json).toBeUndefined();
    expect(yaml.stdout).toMatch(/^application: import-app$/m);
  });
});

describe('issue 16 item 5: restart on a READY application', () => {
  it('refuses, says to use start, and changes nothing', async () => {
    const cwd = project('ready-app');
    expect((await msfctl(['apply', '--auto-approve'], { cwd, timeoutMs: 60_000 })).code).toBe(0);
    const result = await msfctl(['restart'], { cwd, timeoutMs: 60_000 });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('✗ Cannot restart ready-app: it is not running (READY).');
    expect(result.stderr).toContain('`msfctl start ready-app` starts it');
    const status = await msfctl(['status', '--json'], { cwd, timeoutMs: 60_000 });
    expect(status.json).toMatchObject({ status: 'READY' });
    const json = await msfctl(['restart', '--json'], { cwd, timeoutMs: 60_000 });
    expect(json.json).toMatchObject({ ok: false, error: { code: 'NOT_RUNNING' } });
  });
});

/** A port nothing listens on (the OS picks it; closed again at once). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

describe('issue 16 item 6: which endpoint a command talks to', () => {
  it("a command for another application of the project uses the spec's target", async () => {
    const cwd = project('project-app');
    const result = await msfctl(['status', 'another-app'], { cwd, timeoutMs: 60_000 });
    expect(result.stderr).not.toContain('no AWS region is set');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('another-app: does not exist');
  });

  it('a read-only command never starts msf-local', async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(path.join(work, 'never-started-'));
    const cwd = mkdtempSync(path.join(work, 'ro-'));
    writeFileSync(path.join(cwd, 'app.jar'), EMPTY_ZIP);
    writeFileSync(
      path.join(cwd, 'msfctl.yaml'),
      `application: ro-app\nruntime: FLINK-1_19\ncode: { jar: ./app.jar }\nartifacts: { bucket: artifacts }\ntarget: { kind: local, port: ${port}, dataDir: ${dataDir} }\n`,
    );
    for (const args of [['status'], ['history'], ['health'], ['snapshot', 'list'], ['status', 'nosuchapp']]) {
      const result = await msfctl(args, { cwd, timeoutMs: 60_000 });
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr).toContain(
        `✗ msf-local is not running on http://127.0.0.1:${port} (data directory ${dataDir})`,
      );
      expect(result.stderr).not.toMatch(NO_STACK);
    }
    expect(existsSync(path.join(dataDir, 'msf-local.pid'))).toBe(false);
    expect(await freePort()).toBeGreaterThan(0);
  });

  it('one msf-local per data directory; local status lists what runs', async () => {
    const cwd = mkdtempSync(path.join(work, 'one-per-dir-'));
    const dataDir = mkdtempSync(path.join(work, 'shared-data-'));
    const first = await freePort();
    const second = await freePort();
    const up = await msfctl(['local', 'up', '--port', String(first), '--data-dir', dataDir, '--json'], {
      cwd,
      timeoutMs: 120_000,
    });
    const pid = (up.json as { pid?: number } | undefined)?.pid;
    try {
      expect(up.code, up.stderr).toBe(0);
      expect(pid).toBeGreaterThan(0);
      const again = await msfctl(['local', 'up', '--port', String(second), '--data-dir', dataDir], {
        cwd,
        timeoutMs: 60_000,
      });
      expect(again.code).toBe(1);
      expect(again.stderr).toContain(
        `✗ msf-local already runs with data directory ${dataDir} on port ${first} (PID ${pid})`,
      );
      const status = await msfctl(
        ['local', 'status', '--port', String(second), '--data-dir', dataDir, '--json'],
        {
          cwd,
          timeoutMs: 60_000,
        },
      );
      expect((status.json as { running: unknown[] }).running).toContainEqual({ pid, port: first, dataDir });
      const down = await msfctl(['local', 'down', '--port', String(first), '--data-dir', dataDir], {
        cwd,
        timeoutMs: 90_000,
      });
      expect(down.code, down.stderr).toBe(0);
    } finally {
      // Whatever happened above: stop what this test started, by its PID.
      const file = path.join(dataDir, 'msf-local.pid');
      if (existsSync(file)) {
        const started = (JSON.parse(readFileSync(file, 'utf8')) as { pid: number }).pid;
        try {
          process.kill(started, 'SIGTERM');
        } catch {
          /* already gone */
        }
      }
    }
  });
});
