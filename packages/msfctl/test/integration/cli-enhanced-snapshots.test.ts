/**
 * Enhanced snapshots through the msfctl binary against a real msf-local (control plane and S3; no job runtime, so
 * applications stay READY and snapshots come from imports): snapshot import (and its failure reason), list --all,
 * export, delete --all, the spec's snapshots block, the plan's one-way switch, usage errors without stack traces.
 * Snapshots of running jobs, restores and destroy with a final snapshot are in test/e2e/enhanced-snapshots.flink.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startMsfLocal, type MsfLocal } from 'msf-local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_ZIP, msfctl, type CliResult } from '../harness/msfctl-cli.js';
import { flinkSavepointMetadata } from '../support/savepoint.js';

const ROLE = 'arn:aws:iam::000000000000:role/snapshot-transfer';
let server: MsfLocal;
let work: string;
let s3: S3Client;

interface SnapshotJson {
  name: string;
  kind: string;
  status: string;
  arn?: string;
  initiator?: string;
  initiatorOperation?: string;
  importedFrom?: string;
}

function spec(name: string, extra: string): string {
  return `application: ${name}
runtime: FLINK-1_20
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

function ok(result: CliResult): CliResult {
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
  return result;
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'msfctl-it-enhanced-'));
  server = await startMsfLocal({
    dataDir: path.join(work, 'msf-local'),
    port: 0,
    runtime: null,
    kinesis: false,
    log: () => undefined,
  });
  s3 = new S3Client({
    endpoint: server.url,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  await s3.send(new CreateBucketCommand({ Bucket: 'savepoints' }));
  await s3.send(
    new PutObjectCommand({
      Bucket: 'savepoints',
      Key: 'sp-1/_metadata',
      Body: flinkSavepointMetadata('one'),
    }),
  );
});

afterAll(async () => {
  s3?.destroy();
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('snapshot import | list --all | export | delete --all through the binary', () => {
  it('imports a savepoint as an enhanced snapshot, lists it account-wide, exports it, deletes it', async () => {
    const cwd = project('importer');
    const imported = ok(
      await msfctl(['snapshot', 'import', 's3://savepoints/sp-1', '--name', 'imported-1', '--json'], { cwd }),
    );
    const snapshot = (imported.json as { snapshot: SnapshotJson }).snapshot;
    expect(snapshot).toMatchObject({
      name: 'imported-1',
      kind: 'enhanced',
      status: 'READY',
      initiator: 'USER',
      initiatorOperation: 'ImportSnapshot',
      importedFrom: 's3://savepoints/sp-1/',
      arn: 'arn:aws:kinesisanalytics:us-east-1:000000000000:snapshot/imported-1',
    });

    const all = ok(await msfctl(['snapshot', 'list', '--all', '--json'], { cwd }));
    expect((all.json as { snapshots: SnapshotJson[] }).snapshots.map((s) => s.name)).toEqual(['imported-1']);
    const human = ok(await msfctl(['snapshot', 'list', '--all'], { cwd }));
    expect(human.stdout).toMatch(/imported-1\s+READY\s+USER \(import\)\s+import/);

    // Exporting an enhanced snapshot that is not the application's: found account-wide by its ARN.
    const exported = ok(
      await msfctl(
        ['snapshot', 'export', snapshot.arn!, '--to', 's3://savepoints/exports/', '--role', ROLE, '--json'],
        { cwd },
      ),
    );
    const { prefix, exportedTo } = exported.json as { prefix: string; exportedTo: string };
    expect(prefix).toMatch(/^exports\/[^/]+\/$/);
    expect(exportedTo).toBe(`s3://savepoints/${prefix}`);
    const copied = await s3.send(new GetObjectCommand({ Bucket: 'savepoints', Key: `${prefix}_metadata` }));
    expect(Buffer.from(await copied.Body!.transformToByteArray())).toEqual(flinkSavepointMetadata('one'));

    const deleted = ok(await msfctl(['snapshot', 'delete', '--all', 'imported-1', '--json'], { cwd }));
    expect(deleted.json).toEqual({ account: true, deleted: ['imported-1'] });
    const none = ok(await msfctl(['snapshot', 'list', '--all'], { cwd }));
    expect(none.stdout).toContain('The account has no enhanced snapshots in this Region.');
  });

  it('a prefix without a savepoint: the import fails with the service reason; the name stays taken until deleted', async () => {
    const cwd = project('bad-import');
    const failed = await msfctl(['snapshot', 'import', 's3://savepoints/nothing/', '--name', 'bad-1'], {
      cwd,
    });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(
      /Import of s3:\/\/savepoints\/nothing\/ as snapshot bad-1 FAILED: InvalidSavepoint: .+/,
    );
    expect(failed.stderr).toContain('msfctl snapshot delete --all bad-1');
    expect(failed.stderr).not.toMatch(/\n\s+at /);
    const again = await msfctl(['snapshot', 'import', 's3://savepoints/sp-1/', '--name', 'bad-1'], { cwd });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/bad-1/);
    ok(await msfctl(['snapshot', 'delete', '--all', 'bad-1'], { cwd }));
    ok(await msfctl(['snapshot', 'import', 's3://savepoints/sp-1/', '--name', 'bad-1'], { cwd }));
    ok(await msfctl(['snapshot', 'delete', '--all', 'bad-1'], { cwd }));
  });

  it('usage errors name what is wrong, without a stack trace', async () => {
    const cwd = project('usage');
    const cases: [string[], RegExp][] = [
      [
        ['snapshot', 'import', 'savepoints/sp-1', '--name', 'x'],
        /the source "savepoints\/sp-1" is not s3:\/\/bucket\/prefix/,
      ],
      [
        ['snapshot', 'export', 'x', '--to', 's3://Bad_Bucket/p/'],
        /--to "s3:\/\/Bad_Bucket\/p\/" names no valid bucket/,
      ],
      [
        ['start', '--snapshot', 'not a name'],
        /--snapshot "not a name" is neither a snapshot name nor a snapshot ARN/,
      ],
      [['snapshot', 'delete', '--all', 'no-such-snapshot'], /There is no enhanced snapshot no-such-snapshot/],
    ];
    for (const [args, message] of cases) {
      const result = await msfctl(args, { cwd });
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    // No spec, no --role: an AWS-kind target at msf-local's endpoint (nothing is started in the background).
    const empty = mkdtempSync(path.join(work, 'no-spec-'));
    const noRole = await msfctl(
      ['snapshot', 'import', 's3://savepoints/sp-1/', '--name', 'x', '--endpoint-url', server.url],
      { cwd: empty, env: { MSFCTL_ROLE_ARN: '' } },
    );
    expect(noRole.code).toBe(1);
    expect(noRole.stderr).toContain(
      'Importing needs a role the service assumes to read s3://savepoints/sp-1/',
    );
  });
});

describe('the snapshot mode in the spec and the plan', () => {
  it('validate names snapshots.mode when the runtime is too old', async () => {
    const cwd = project('too-old', 'snapshots: { mode: enhanced }\n');
    writeFileSync(
      path.join(cwd, 'msfctl.yaml'),
      spec('too-old', 'snapshots: { mode: enhanced }\n').replace('FLINK-1_20', 'FLINK-1_19'),
    );
    const result = await msfctl(['validate'], { cwd });
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toMatch(
      /msfctl\.yaml:\d+:\d+: snapshots\.mode: enhanced needs runtime FLINK-1_20 or later \(runtime is FLINK-1_19\)/,
    );
  });

  it('plans the switch as one-way, applies it, and refuses to go back', async () => {
    const cwd = project('switch');
    ok(await msfctl(['apply', '--auto-approve'], { cwd }));
    writeFileSync(
      path.join(cwd, 'msfctl.yaml'),
      spec('switch', 'snapshots: { enabled: true, mode: enhanced }\n'),
    );
    const plan = await msfctl(['plan', '--detailed-exitcode'], { cwd });
    expect(plan.code, plan.stderr).toBe(2);
    expect(plan.stdout).toContain('~ snapshots.mode: legacy → enhanced (one-way: cannot be undone)');
    expect(plan.stdout).toContain('snapshots.mode legacy → enhanced is ONE-WAY');
    ok(await msfctl(['apply', '--auto-approve'], { cwd }));
    const status = ok(await msfctl(['snapshot', 'list', '--json'], { cwd }));
    expect(status.json).toEqual({ application: 'switch', snapshots: [] });

    writeFileSync(path.join(cwd, 'msfctl.yaml'), spec('switch', 'snapshots: true\n'));
    const back = await msfctl(['plan', '--detailed-exitcode'], { cwd });
    expect(back.code).toBe(1);
    expect(back.stdout + back.stderr).toContain('the switch to them is one-way');
    const refused = await msfctl(['apply', '--auto-approve'], { cwd });
    expect(refused.code).toBe(1);
  });

  it('destroy of a READY application without snapshots says there is no state to keep', async () => {
    const cwd = project('empty');
    ok(await msfctl(['apply', '--auto-approve'], { cwd }));
    const destroyed = ok(await msfctl(['destroy', '--auto-approve', '--json'], { cwd }));
    expect((destroyed.json as { snapshots: { fate: string[] } }).snapshots.fate).toEqual([
      'It has no snapshot: there is no state to keep.',
    ]);
  });
});
