/**
 * What a first-time user hit (issue 16), through the msfctl binary against a real msf-local (control plane
 * and S3; no job runtime, so applications stay READY): each case failed before its fix.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
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
