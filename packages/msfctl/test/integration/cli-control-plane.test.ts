/**
 * The msfctl binary against a real msf-local (control plane, S3; no job runtime, so applications stay
 * READY): create, update, drift, saved plans, locks, import, destroy, tfvars, JSON output and exit codes.
 * Scenarios that run jobs are in test/e2e/*.flink.test.ts.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startMsfLocal, type MsfLocal } from 'msf-local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalObjectStore } from '../../src/adapters/state/local-object-store.js';
import { acquireLock } from '../../src/controller/state/lock.js';
import { EMPTY_ZIP, msfctl } from '../harness/msfctl-cli.js';

const execFileAsync = promisify(execFile);

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
monitoring:
  logLevel: ERROR
properties:
  OutputStream0:
    stream.name: ExampleOutputStream
    aws.region: us-east-1
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

/** The AWS CLI, asynchronously: msf-local runs in this process and must keep serving while the CLI waits. */
async function awsCli(args: string[]): Promise<string> {
  const { stdout } = await execFileAsync(
    'aws',
    ['--endpoint-url', server.url, '--region', 'us-east-1', '--output', 'json', ...args],
    {
      env: { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_PAGER: '' },
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  return stdout;
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'msfctl-it-'));
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

describe('msfctl against msf-local (control plane)', () => {
  it('plan, apply, plan again: create once, upload once, then no changes', async () => {
    const cwd = project('create');
    const plan = await msfctl(['plan', '--detailed-exitcode'], { cwd });
    expect(plan.code, plan.stderr).toBe(2);
    expect(plan.stdout).toContain('create application (FLINK-1_19');
    const applied = await msfctl(['apply', '--auto-approve'], { cwd });
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);
    expect(applied.stdout).toMatch(/Uploaded JAR sha256:[0-9a-f]{12}/);
    expect(applied.stdout).toContain('Apply complete: create is READY at version 1');
    const again = await msfctl(['plan', '--detailed-exitcode'], { cwd });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('No changes: create matches the spec.');
    const status = await msfctl(['status', '--json'], { cwd });
    expect(status.json).toMatchObject({
      application: 'create',
      exists: true,
      status: 'READY',
      versionId: 1,
      runtime: 'FLINK-1_19',
      snapshots: { count: 0 },
      lastGoodVersion: 1,
    });
    expect((status.json as { code: { sha256: string } }).code.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a config change on a READY application: new version, no restart; the JAR is not uploaded again', async () => {
    const cwd = project('config');
    expect((await msfctl(['apply', '--auto-approve'], { cwd })).code).toBe(0);
    writeFileSync(path.join(cwd, 'msfctl.yaml'), spec('config').replace('logLevel: ERROR', 'logLevel: INFO'));
    const plan = await msfctl(['plan', '--json'], { cwd });
    const value = plan.json as {
      changes: { field: string; before: string; after: string }[];
      actions: { type: string; effect: { restart: boolean } }[];
    };
    expect(value.changes).toEqual([
      expect.objectContaining({ field: 'monitoring.logLevel', before: 'ERROR', after: 'INFO' }),
    ]);
    expect(value.actions.map((a) => [a.type, a.effect.restart])).toEqual([['update', false]]);
    const applied = await msfctl(['apply', '--auto-approve'], { cwd });
    expect(applied.code).toBe(0);
    expect(applied.stdout).not.toContain('Uploaded JAR');
    expect(applied.stdout).toContain('at version 2');
  });

  it('shows exactly the drift of an out-of-band AWS CLI update-application (scenario 17)', async () => {
    const cwd = project('drift');
    expect((await msfctl(['apply', '--auto-approve'], { cwd })).code).toBe(0);
    await awsCli([
      'kinesisanalyticsv2',
      'update-application',
      '--application-name',
      'drift',
      '--current-application-version-id',
      '1',
      '--application-configuration-update',
      JSON.stringify({
        FlinkApplicationConfigurationUpdate: {
          MonitoringConfigurationUpdate: { ConfigurationTypeUpdate: 'CUSTOM', LogLevelUpdate: 'DEBUG' },
        },
      }),
    ]);
    const plan = await msfctl(['plan', '--json', '--detailed-exitcode'], { cwd });
    expect(plan.code).toBe(2);
    const value = plan.json as {
      drift: {
        versions: unknown;
        changes: { field: string; before: string; after: string }[];
        operations: { operation: string }[];
      };
    };
    expect(value.drift.versions).toEqual({ expected: 1, actual: 2 });
    expect(value.drift.changes.map((c) => [c.field, c.before, c.after])).toEqual([
      ['monitoring.logLevel', 'ERROR', 'DEBUG'],
    ]);
    expect(value.drift.operations.map((o) => o.operation)).toEqual(['UpdateApplication']);
    const human = await msfctl(['plan'], { cwd });
    expect(human.stdout).toContain('Drift');
    expect(human.stdout).toContain('monitoring.logLevel: ERROR → DEBUG');
  });

  it('refuses a saved plan made stale by a change since (ConditionalToken / version)', async () => {
    const cwd = project('stale');
    expect((await msfctl(['apply', '--auto-approve'], { cwd })).code).toBe(0);
    writeFileSync(path.join(cwd, 'msfctl.yaml'), spec('stale').replace('logLevel: ERROR', 'logLevel: WARN'));
    expect((await msfctl(['plan', '--out', 'plan.json'], { cwd })).code).toBe(0);
    await awsCli([
      'kinesisanalyticsv2',
      'update-application',
      '--application-name',
      'stale',
      '--current-application-version-id',
      '1',
      '--application-configuration-update',
      JSON.stringify({ ApplicationSnapshotConfigurationUpdate: { SnapshotsEnabledUpdate: false } }),
    ]);
    const applied = await msfctl(['apply', 'plan.json', '--auto-approve'], { cwd });
    expect(applied.code).toBe(1);
    expect(applied.stderr).toContain(
      'Saved plan is stale: application stale is at version 2, the plan was made at version 1',
    );
    expect(applied.stderr).toContain('Run `msfctl plan --out FILE` again');
  });

  it('applies a saved plan exactly', async () => {
    const cwd = project('saved');
    expect((await msfctl(['plan', '--out', 'plan.json'], { cwd })).code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(cwd, 'plan.json'), 'utf8')).format).toBe('msfctl-plan/2');
    const applied = await msfctl(['apply', 'plan.json', '--auto-approve'], { cwd });
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('Created saved (version 1, READY)');
  });

  it('without a terminal and without --auto-approve, apply refuses and changes nothing', async () => {
    const cwd = project('noprompt');
    const applied = await msfctl(['apply'], { cwd });
    expect(applied.code).toBe(1);
    expect(applied.stderr).toContain('no terminal to ask on');
    expect(applied.stderr).toContain('--auto-approve');
    expect(await awsCli(['kinesisanalyticsv2', 'list-applications'])).not.toContain('noprompt');
  });

  it('fails fast while the lock is held, naming the holder; force-unlock frees it', async () => {
    const cwd = project('locked');
    // Held from another machine: nothing here can tell whether its process is gone.
    const held = await acquireLock(new LocalObjectStore(path.join(cwd, '.msfctl')), 'locked', 'apply', {
      who: 'alice@build-7',
      host: 'build-7',
    });
    const started = Date.now();
    const applied = await msfctl(['apply', '--auto-approve'], { cwd });
    expect(applied.code).toBe(1);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(applied.stderr).toContain('Application locked is locked by alice@build-7 (apply');
    expect(applied.stderr).toContain(`msfctl force-unlock ${held.info.id}`);
    const status = await msfctl(['status'], { cwd });
    expect(status.code).toBe(1); // does not exist yet
    const unlocked = await msfctl(['force-unlock', held.info.id], { cwd });
    expect(unlocked.code, unlocked.stderr).toBe(0);
    expect((await msfctl(['apply', '--auto-approve'], { cwd })).code).toBe(0);
  });

  it('import writes a spec that plans no changes', async () => {
    const cwd = project('imported');
    expect((await msfctl(['apply', '--auto-approve'], { cwd })).code).toBe(0);
    const other = mkdtempSync(path.join(work, 'import-'));
    const imported = await msfctl(['import', 'imported', '--target', 'local', '--endpoint-url', server.url], {
      cwd: other,
    });
    expect(imported.code, imported.stderr).toBe(0);
    const text = readFileSync(path.join(other, 'msfctl.yaml'), 'utf8');
    expect(text).toContain('application: imported');
    expect(text).toContain('logLevel: ERROR');
    // The spec finds the same msf-local again as written: no editing of its target.
    expect(text).toContain(`target:\n  kind: local\n  endpoint: ${server.url}\n`);
    const plan = await msfctl(['plan', '--detailed-exitcode'], { cwd: other });
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);

    // From the project's own spec (msf-local on its port and data directory), to another directory.
    const copy = mkdtempSync(path.join(work, 'import-'));
    const fromSpec = await msfctl(['import', 'imported', '--out', path.join(copy, 'msfctl.yaml')], { cwd });
    expect(fromSpec.code, fromSpec.stderr).toBe(0);
    expect(readFileSync(path.join(copy, 'msfctl.yaml'), 'utf8')).toContain(
      `target:\n  kind: local\n  port: ${server.port}\n  dataDir: ${server.dataDir}\n`,
    );
    expect((await msfctl(['plan', '--detailed-exitcode'], { cwd: copy })).code).toBe(0);
  });

  it('destroy deletes the application and keeps its history', async () => {
    const cwd = project('doomed');
    expect((await msfctl(['apply', '--auto-approve'], { cwd })).code).toBe(0);
    const refused = await msfctl(['destroy'], { cwd });
    expect(refused.code).toBe(1);
    const destroyed = await msfctl(['destroy', '--auto-approve'], { cwd });
    expect(destroyed.code, destroyed.stderr).toBe(0);
    expect(destroyed.stdout).toContain('Destroy complete: doomed is deleted');
    const status = await msfctl(['status', '--json'], { cwd });
    expect(status.json).toMatchObject({ exists: false, deletedAt: expect.any(String) });
    const history = await msfctl(['history', '--json'], { cwd });
    const rows = (history.json as { rows: { by: string; status: string }[] }).rows;
    expect(rows.map((r) => r.by)).toEqual([
      expect.stringContaining('msfctl destroy'),
      expect.stringContaining('msfctl apply'),
    ]);
  });

  it("deploys from the seed's config.tfvars.json with --jar and --role", async () => {
    const dir = mkdtempSync(path.join(work, 'tfvars-'));
    writeFileSync(path.join(dir, 'app.jar'), EMPTY_ZIP);
    writeFileSync(
      path.join(dir, 'config.tfvars.json'),
      JSON.stringify({
        flink_app_name: 'from-tfvars',
        flink_app_runtime_environment: 'FLINK-1_19',
        flink_app_environment_variables: {
          OutputStream0: { 'stream.name': 'ExampleOutputStream', 'aws.region': 'us-east-1' },
        },
        s3_bucket_name: 'tfvars-bucket',
        flink_app_start: false,
        flink_app_monitoring_log_level: 'ERROR',
      }),
    );
    const s3 = new S3Client({
      endpoint: server.url,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    await s3.send(new CreateBucketCommand({ Bucket: 'tfvars-bucket' }));
    s3.destroy();
    const args = [
      '--tfvars',
      'config.tfvars.json',
      '--jar',
      'app.jar',
      '--role',
      'arn:aws:iam::123456789012:role/flink',
      '--endpoint-url',
      server.url,
    ];
    const validate = await msfctl(['validate', ...args], { cwd: dir });
    expect(validate.code, validate.stdout + validate.stderr).toBe(0);
    expect(validate.stdout).toMatch(/flink_app_monitoring_log_level\s+"ERROR"\s+monitoring\.logLevel/);
    const applied = await msfctl(['apply', '--auto-approve', ...args], { cwd: dir });
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/s3:\/\/tfvars-bucket\/flink-app\/[0-9a-f]{64}\.jar/);
    const described = JSON.parse(
      await awsCli(['kinesisanalyticsv2', 'describe-application', '--application-name', 'from-tfvars']),
    );
    const flink =
      described.ApplicationDetail.ApplicationConfigurationDescription
        .FlinkApplicationConfigurationDescription;
    expect(flink.ParallelismConfigurationDescription).toMatchObject({
      ConfigurationType: 'CUSTOM',
      Parallelism: 1,
      AutoScalingEnabled: true,
    });
    expect(flink.MonitoringConfigurationDescription).toMatchObject({
      ConfigurationType: 'CUSTOM',
      LogLevel: 'ERROR',
    });
  });

  it('keeps the ledger and lock in S3 with --state s3://bucket/prefix', async () => {
    const cwd = project('s3state');
    const s3 = new S3Client({
      endpoint: server.url,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    await s3.send(new CreateBucketCommand({ Bucket: 'team-state' }));
    const applied = await msfctl(['apply', '--auto-approve', '--state', 's3://team-state/msfctl'], { cwd });
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    const ledger = await s3.send(
      new GetObjectCommand({ Bucket: 'team-state', Key: 'msfctl/s3state/ledger.json' }),
    );
    expect(JSON.parse(await ledger.Body!.transformToString())).toMatchObject({
      application: 's3state',
      entries: [{ kind: 'apply', outcome: 'succeeded' }],
    });
    // The lock is there while someone holds it, and named to the next one.
    await s3.send(
      new PutObjectCommand({
        Bucket: 'team-state',
        Key: 'msfctl/s3state/lock.json',
        Body: JSON.stringify({
          id: 'held-1',
          application: 's3state',
          who: 'bob@ci',
          operation: 'apply',
          createdAt: new Date().toISOString(),
          expiresAt: new Date(Date.now() + 600_000).toISOString(),
          host: 'ci',
          pid: 1,
        }),
        IfNoneMatch: '*',
      }),
    );
    const blocked = await msfctl(['apply', '--auto-approve', '--state', 's3://team-state/msfctl'], { cwd });
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain('locked by bob@ci');
    expect(
      (await msfctl(['force-unlock', 'held-1', '--state', 's3://team-state/msfctl'], { cwd })).code,
    ).toBe(0);
    expect(
      (await msfctl(['plan', '--detailed-exitcode', '--state', 's3://team-state/msfctl'], { cwd })).code,
    ).toBe(0);
    expect(existsSync(path.join(cwd, '.msfctl'))).toBe(false);
    s3.destroy();
  });

  it('--json errors are one JSON document with a code and a hint', async () => {
    const cwd = project('jsonerr');
    const result = await msfctl(['status', '--json'], { cwd });
    expect(result.code).toBe(1);
    expect(result.json).toMatchObject({ application: 'jsonerr', exists: false });
    const bad = await msfctl(['snapshot', 'prune', '--json'], { cwd });
    expect(bad.code).toBe(1);
    expect(bad.json).toMatchObject({
      ok: false,
      error: { code: 'USAGE', message: expect.stringContaining('needs a policy') },
    });
  });
});
