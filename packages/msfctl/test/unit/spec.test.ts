import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MsfctlError } from '../../src/model/errors.js';
import { LOCAL_PLACEHOLDER_ROLE, loadAllEnvironments, loadSpec } from '../../src/spec/load.js';

const ROLE = 'arn:aws:iam::123456789012:role/flink';

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(path.join(tmpdir(), 'msfctl-spec-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(d, name), text);
  return d;
}

function specError(fn: () => unknown): MsfctlError {
  try {
    fn();
  } catch (error) {
    if (MsfctlError.is(error)) return error;
    throw error;
  }
  throw new Error('expected an MsfctlError');
}

const BASE = `application: stock-prices
runtime: FLINK-1_19
role: ${ROLE}
code:
  s3: { bucket: code-bucket, key: app.jar }
`;

describe('spec loading', () => {
  it('fills defaults: running, snapshots, restore, DEFAULT blocks absent', () => {
    const cwd = dir({ 'msfctl.yaml': BASE });
    const { spec, digest } = loadSpec({ cwd, env: {} });
    expect(spec.running).toBe(true);
    expect(spec.snapshots).toEqual({ enabled: true, mode: 'legacy' });
    expect(spec.systemRollback).toBe(false);
    expect(spec.restore).toEqual({ from: 'latest', allowNonRestoredState: false });
    expect(spec.parallelism).toBeUndefined();
    expect(spec.target.kind).toBe('aws');
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('names the file, line, field path and reason of every error', () => {
    const cwd = dir({
      'msfctl.yaml': `${BASE}paralelism:\n  parallelism: 2\nmonitoring:\n  logLevel: LOUD\nproperties:\n  OutputStream0:\n    stream.name: ""\n`,
    });
    const error = specError(() => loadSpec({ cwd, env: {} }));
    expect(error.code).toBe('SPEC_INVALID');
    expect(error.message).toContain(
      'msfctl.yaml:6:1: paralelism: unknown field (did you mean "parallelism"?)',
    );
    expect(error.message).toContain(
      'msfctl.yaml:9:13: monitoring.logLevel: must be one of "INFO", "WARN", "ERROR", "DEBUG"',
    );
    expect(error.message).toContain('properties.OutputStream0["stream.name"]: must not be empty');
  });

  it('rejects two code sources and a jar without an artifacts bucket', () => {
    const two = dir({ 'msfctl.yaml': BASE.replace('code:\n', 'code:\n  jar: a.jar\n') });
    expect(specError(() => loadSpec({ cwd: two, env: {} })).message).toContain(
      'code: needs exactly one of maven, jar or s3, not jar and s3',
    );
    const jar = dir({ 'msfctl.yaml': BASE.replace(/code:\n.*\n/, 'code:\n  jar: a.jar\n') });
    expect(specError(() => loadSpec({ cwd: jar, env: {} })).message).toContain(
      'artifacts.bucket: is required when code is built or given as a jar',
    );
  });

  it('snapshots: true | false is { enabled }; the object form adds mode, with errors naming the field', () => {
    const load = (snapshots: string, runtime = 'FLINK-1_20') =>
      loadSpec({
        cwd: dir({ 'msfctl.yaml': `${BASE.replace('FLINK-1_19', runtime)}snapshots: ${snapshots}\n` }),
        env: {},
      });
    expect(load('false').spec.snapshots).toEqual({ enabled: false, mode: 'legacy' });
    expect(load('{ mode: enhanced }').spec.snapshots).toEqual({ enabled: true, mode: 'enhanced' });
    expect(load('{ enabled: false, mode: legacy }').spec.snapshots).toEqual({
      enabled: false,
      mode: 'legacy',
    });
    expect(specError(() => load('{ mode: fancy }')).message).toContain(
      'snapshots.mode: must be one of "legacy", "enhanced"',
    );
    expect(specError(() => load('yes please')).message).toContain(
      'snapshots: must be true, false or an object { enabled, mode }',
    );
    expect(specError(() => load('{ enabeld: true }')).message).toContain(
      'snapshots.enabeld: unknown field (did you mean "enabled"?)',
    );
    expect(specError(() => load('{ mode: enhanced }', 'FLINK-1_19')).message).toContain(
      'snapshots.mode: enhanced needs runtime FLINK-1_20 or later (runtime is FLINK-1_19)',
    );
    expect(load('{ mode: enhanced }', 'FLINK-2_2').spec.snapshots.mode).toBe('enhanced');
  });

  it('checks the KPU-relevant ranges and the role ARN', () => {
    const cwd = dir({
      'msfctl.yaml': BASE.replace(ROLE, 'flink-role') + 'parallelism: { parallelism: 0, perKpu: 9 }\n',
    });
    const message = specError(() => loadSpec({ cwd, env: {} })).message;
    expect(message).toContain('role: must be an IAM role ARN');
    expect(message).toContain('parallelism.parallelism: must be ≥ 1');
    expect(message).toContain('parallelism.perKpu: must be ≤ 8');
  });

  it('applies environments: objects merge, code and target replace, null removes', () => {
    const cwd = dir({
      'msfctl.yaml': `${BASE}properties:
  OutputStream0: { stream.name: prod-stream, aws.region: us-east-1 }
  Extra: { a: 1 }
target: { region: eu-west-1, profile: prod }
environments:
  local:
    target: local
    properties:
      OutputStream0: { stream.name: local-stream }
      Extra: null
`,
    });
    const local = loadSpec({ cwd, environment: 'local', env: {} }).spec;
    expect(local.target).toEqual({ kind: 'local' });
    expect(local.properties).toEqual({
      OutputStream0: { 'stream.name': 'local-stream', 'aws.region': 'us-east-1' },
    });
    const base = loadSpec({ cwd, env: {} }).spec;
    expect(base.target).toMatchObject({ kind: 'aws', region: 'eu-west-1', profile: 'prod' });
    expect(base.properties.Extra).toEqual({ a: '1' });
  });

  it('chooses the environment from the flag, then MSFCTL_ENV, then defaultEnvironment', () => {
    const cwd = dir({
      'msfctl.yaml': `${BASE}defaultEnvironment: a\nenvironments:\n  a: { running: false }\n  b: { runtime: FLINK-1_20 }\n`,
    });
    expect(loadSpec({ cwd, env: {} }).source.environment).toBe('a');
    expect(loadSpec({ cwd, env: { MSFCTL_ENV: 'b' } }).spec.runtime).toBe('FLINK-1_20');
    expect(loadSpec({ cwd, environment: 'a', env: { MSFCTL_ENV: 'b' } }).spec.running).toBe(false);
    expect(specError(() => loadSpec({ cwd, environment: 'c', env: {} })).message).toContain(
      'has no environment "c"',
    );
  });

  it('a missing enum field is "required" (with its choices); a wrong or shorthand one is "must be one of"', () => {
    const cwd = dir({
      'msfctl.yaml': `${BASE.replace('runtime: FLINK-1_19', 'runtme: FLINK-1_19')}restore: latests\ntarget: locall\n`,
    });
    const message = specError(() => loadSpec({ cwd, env: {} })).message;
    expect(message).toContain('runtime: is required: one of "FLINK-1_13"');
    expect(message).toContain('runtme: unknown field (did you mean "runtime"?)');
    expect(message).toContain('restore.from: must be one of "latest", "none", "snapshot"');
    expect(message).toContain('target.kind: must be one of "aws", "local"');
  });

  it("points an error inside an environment at the environment's line", () => {
    const cwd = dir({ 'msfctl.yaml': `${BASE}environments:\n  prod:\n    runtime: FLINK-9\n` });
    const results = loadAllEnvironments({ cwd, env: {} });
    // The base spec (what plan uses without --env) first, then each environment.
    expect(results.map((r) => r.name)).toEqual([undefined, 'prod']);
    const error = results[1]!.result as MsfctlError;
    expect(error.message).toContain('(environment prod)');
    expect(error.message).toContain('msfctl.yaml:8:14: runtime: must be one of');
  });

  it('lets a local target leave the role out, and takes --role / MSFCTL_ROLE_ARN', () => {
    const noRole = BASE.replace(`role: ${ROLE}\n`, '');
    const local = dir({ 'msfctl.yaml': `${noRole}target: local\n` });
    expect(loadSpec({ cwd: local, env: {} }).spec.role).toBe(LOCAL_PLACEHOLDER_ROLE);
    const aws = dir({ 'msfctl.yaml': noRole });
    expect(specError(() => loadSpec({ cwd: aws, env: {} })).message).toContain(
      'role: is required (or give --role ARN / MSFCTL_ROLE_ARN)',
    );
    expect(loadSpec({ cwd: aws, env: { MSFCTL_ROLE_ARN: ROLE } }).spec.role).toBe(ROLE);
    expect(loadSpec({ cwd: aws, env: {}, overrides: { role: ROLE } }).spec.role).toBe(ROLE);
  });

  it('resolves code paths against the spec file, and flags against the working directory', () => {
    const cwd = dir({
      'msfctl.yaml': BASE.replace(/code:\n.*\n/, 'code:\n  maven: ./job\nartifacts: { bucket: bkt }\n'),
    });
    expect(loadSpec({ cwd, env: {} }).spec.code.maven).toBe(path.join(cwd, 'job'));
    expect(loadSpec({ cwd, env: {}, overrides: { code: { jar: 'x.jar' } } }).spec.code).toEqual({
      jar: path.join(cwd, 'x.jar'),
    });
  });

  it('reads JSON specs and reports a missing spec with what to do', () => {
    const cwd = dir({
      'msfctl.json': JSON.stringify({
        application: 'a',
        runtime: 'FLINK-1_20',
        role: ROLE,
        code: { s3: { bucket: 'bkt', key: 'k' } },
      }),
    });
    expect(loadSpec({ cwd, env: {} }).spec.application).toBe('a');
    const empty = dir({});
    const error = specError(() => loadSpec({ cwd: empty, env: {} }));
    expect(error.code).toBe('SPEC_NOT_FOUND');
    expect(error.hint).toContain('msfctl import');
  });

  it('reports YAML syntax errors with their line', () => {
    const cwd = dir({ 'msfctl.yaml': 'application: a\nruntime: [FLINK-1_19\n' });
    expect(specError(() => loadSpec({ cwd, env: {} })).message).toMatch(
      /msfctl\.yaml:\d+:\d+ cannot be parsed/,
    );
  });
});
