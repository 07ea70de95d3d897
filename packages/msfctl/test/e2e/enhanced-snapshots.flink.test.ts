/**
 * Enhanced snapshots through the msfctl binary on msf-local with real Flink 1.20 and the counter test job, whose
 * count is keyed Flink state written to a file after every record ("startedFrom" is 1 after an empty start, N+1
 * after a restore at count N — what a restored state looks like from outside). One msf-local and its
 * applications are shared by the tests, which run in order: the one-way switch of a running application, an
 * enhanced snapshot exported to S3 and imported back, a second application started from the first one's
 * snapshot ARN with its state, prune, destroy in enhanced mode (the final snapshot survives and restores into a
 * re-created application) and in legacy mode (the final snapshot exported first, then imported and restored).
 * At most two Flink clusters run at a time.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { readCountFile, waitFor } from '../../../msf-local/test/fixtures/flink-launch.js';
import { buildTestJobs } from '../../../msf-local/test/fixtures/test-jobs.js';
import type { CliResult } from '../harness/msfctl-cli.js';
import type { Plan } from '../../src/model/plan.js';
import { CREDENTIALS, json, startE2E, type E2E } from './support/e2e.js';

interface SnapshotJson {
  name: string;
  kind: 'application' | 'enhanced';
  status: string;
  arn?: string;
  initiator?: string;
  initiatorOperation?: string;
  sourceApplication?: string;
}

const BUCKET = 'counter-artifacts';
let e: E2E;
let s3: S3Client;
let counterJar: string;

beforeAll(async () => {
  counterJar = (await buildTestJobs()).counter;
  e = await startE2E();
  s3 = new S3Client({
    endpoint: e.server.url,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: CREDENTIALS,
  });
  writeSpec('orders');
  ok(await msfctl('orders', 'apply', '--auto-approve'));
  await counted('orders', 20);
});

afterAll(async () => {
  s3?.destroy();
  await e?.close();
});

const countFile = (app: string) => path.join(e.dir, `${app}.count.json`);

/** The counter job's spec for `app` (FLINK-1_20), written to <app>.yaml. */
function writeSpec(app: string, fields: Record<string, unknown> = {}): void {
  const spec = {
    application: app,
    runtime: 'FLINK-1_20',
    running: true,
    code: { jar: counterJar },
    artifacts: { bucket: BUCKET },
    properties: { TestJob: { outputFile: countFile(app), ticksPerSecond: 20 } },
    target: { kind: 'local', port: e.server.port, dataDir: e.server.dataDir },
    deploy: { bakeSeconds: 0, rehearse: 'off' },
    ...fields,
  };
  writeFileSync(path.join(e.dir, `${app}.yaml`), stringify(spec));
}

const msfctl = (app: string, ...args: string[]) => e.run('-f', `${app}.yaml`, ...args);

function ok(result: CliResult): CliResult {
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
  return result;
}

/** The count file once the current run has counted `atLeast` records (and, if given, started from a restore). */
async function counted(app: string, atLeast: number, restored?: { from: number; to: number }) {
  return waitFor(
    `${app} to count ${atLeast}${restored ? ` after a restore at ${restored.from}..${restored.to}` : ''}`,
    async () => {
      const file = await readCountFile(countFile(app));
      if (!file || file.count - file.startedFrom + 1 < atLeast) return undefined;
      if (restored && (file.startedFrom <= restored.from || file.startedFrom > restored.to + 1))
        return undefined;
      return file;
    },
    180_000,
  );
}

const count = async (app: string) => (await readCountFile(countFile(app)))!.count;

const snapshots = async (app: string) =>
  json<{ snapshots: SnapshotJson[] }>(await msfctl(app, 'snapshot', 'list', '--json')).snapshots;

async function metadataAt(prefix: string): Promise<Buffer> {
  const out = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `${prefix}_metadata` }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

/** Flink's checkpoint-metadata magic number: the export is a real savepoint. */
const FLINK_MAGIC = 0x4960672d;

let s1Arn: string;
let s1Counts: { from: number; to: number };

describe('enhanced snapshots with msfctl on real Flink 1.20', () => {
  it("reads what the newest snapshot holds through msf-local's public export, and leaves no scratch object", async () => {
    ok(await msfctl('orders', 'snapshot', 'create', 'state-read'));
    // A property change restarts the job with its state: the state check reads the snapshot it would restore.
    writeSpec('orders', { properties: { TestJob: { outputFile: countFile('orders'), ticksPerSecond: 21 } } });
    // (The verdict is not the point here: the counter job declares Flink 1.19, which the check reports too.)
    const plan = await msfctl('orders', 'plan');
    expect(plan.stdout + plan.stderr).toContain('against snapshot state (state-read)');
    const scratch = await s3.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'msfctl/snapshot-state/' }),
    );
    expect(scratch.KeyCount ?? 0).toBe(0);
    writeSpec('orders');
  });

  it('switches a running legacy application to enhanced snapshots: shown as one-way, its state carried over', async () => {
    ok(await msfctl('orders', 'snapshot', 'create', 'before-switch'));
    writeSpec('orders', { snapshots: { mode: 'enhanced' } });
    const plan = json<Plan>(await msfctl('orders', 'plan', '--json'));
    expect(plan.changes.map((c) => [c.field, c.before, c.after])).toEqual([
      ['snapshots.mode', 'legacy', 'enhanced'],
    ]);
    expect(plan.findings).toContainEqual(expect.objectContaining({ code: 'SNAPSHOT_MODE_SWITCH' }));
    const human = ok(await msfctl('orders', 'plan'));
    expect(human.stdout).toContain('snapshots.mode legacy → enhanced is ONE-WAY');

    const before = await count('orders');
    ok(await msfctl('orders', 'apply', '--auto-approve'));
    // The update's snapshot (an enhanced one) carries the count over the restart.
    const after = await counted('orders', 1, { from: before, to: Number.MAX_SAFE_INTEGER - 1 });
    expect(after.startedFrom).toBeGreaterThan(before);

    const listed = await snapshots('orders');
    expect(listed).toContainEqual(expect.objectContaining({ name: 'before-switch', kind: 'application' }));
    expect(listed).toContainEqual(
      expect.objectContaining({
        kind: 'enhanced',
        status: 'READY',
        initiator: 'SYSTEM',
        initiatorOperation: 'SystemCreateSnapshot',
        sourceApplication: 'orders',
        arn: expect.stringMatching(
          /^arn:aws:kinesisanalytics:us-east-1:\d{12}:snapshot\/SYSTEMSNAPSHOT-orders-/,
        ),
      }),
    );

    writeSpec('orders', { snapshots: { mode: 'legacy' } });
    const back = await msfctl('orders', 'plan', '--detailed-exitcode');
    expect(back.code).toBe(1);
    expect(back.stdout + back.stderr).toContain('the switch to them is one-way');
    writeSpec('orders', { snapshots: { mode: 'enhanced' } });
  });

  it('snapshot create takes an enhanced snapshot; export writes a Flink savepoint to S3; import makes it a snapshot again; a bad import fails with a reason', async () => {
    const from = await count('orders');
    const created = json<{ snapshot: SnapshotJson }>(
      ok(await msfctl('orders', 'snapshot', 'create', 's1', '--json')),
    );
    s1Counts = { from, to: await count('orders') };
    expect(created.snapshot).toMatchObject({
      name: 's1',
      kind: 'enhanced',
      status: 'READY',
      initiator: 'USER',
    });
    s1Arn = created.snapshot.arn!;

    const exported = json<{ prefix: string; exportedTo: string }>(
      ok(
        await msfctl(
          'orders',
          'snapshot',
          'export',
          's1',
          '--to',
          `s3://${BUCKET}/exports/orders/`,
          '--json',
        ),
      ),
    );
    expect(exported.prefix).toMatch(/^exports\/orders\/[^/]+\/$/);
    expect((await metadataAt(exported.prefix)).readUInt32BE(0)).toBe(FLINK_MAGIC);

    const imported = json<{ snapshot: SnapshotJson }>(
      ok(
        await msfctl('orders', 'snapshot', 'import', exported.exportedTo, '--name', 's1-imported', '--json'),
      ),
    );
    expect(imported.snapshot).toMatchObject({ status: 'READY', initiatorOperation: 'ImportSnapshot' });

    const bad = await msfctl(
      'orders',
      'snapshot',
      'import',
      `s3://${BUCKET}/exports/nothing/`,
      '--name',
      'bad-import',
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /Import of s3:\/\/counter-artifacts\/exports\/nothing\/ as snapshot bad-import FAILED: InvalidSavepoint: /,
    );
    ok(await msfctl('orders', 'snapshot', 'delete', '--all', 'bad-import', 's1-imported'));
  });

  it("a second application starts from the first one's snapshot ARN, with its state", async () => {
    writeSpec('copy', { running: false, snapshots: { mode: 'enhanced' } });
    ok(await msfctl('copy', 'apply', '--auto-approve'));
    const started = ok(await msfctl('copy', 'start', '--snapshot', s1Arn));
    expect(started.stdout).toContain(`restored from snapshot s1 (${s1Arn})`);
    // The count goes on from where orders was when s1 was taken.
    const copy = await counted('copy', 5, s1Counts);
    expect(copy.startedFrom).toBeGreaterThan(s1Counts.from);
    expect(copy.startedFrom).toBeLessThanOrEqual(s1Counts.to + 1);
  });

  it('prune covers both kinds and never deletes the newest READY snapshot', async () => {
    const before = await snapshots('orders');
    expect(before.map((s) => s.kind)).toEqual(expect.arrayContaining(['application', 'enhanced']));
    const newest = before.find((s) => s.status === 'READY')!;
    const dry = json<{ wouldDelete: string[]; kept: { name: string; reason: string }[] }>(
      ok(await msfctl('orders', 'snapshot', 'prune', '--older-than', '0s', '--dry-run', '--json')),
    );
    expect(newest.name).toBe('s1');
    // Everything but the newest READY one: the application snapshot and the enhanced SYSTEM one.
    expect([...dry.wouldDelete].sort()).toEqual(
      before
        .filter((s) => s.name !== newest.name)
        .map((s) => s.name)
        .sort(),
    );
    expect(dry.wouldDelete).toContain('before-switch');
    expect(dry.wouldDelete.some((n) => n.startsWith('SYSTEMSNAPSHOT-orders-'))).toBe(true);
    expect(dry.kept).toContainEqual({ name: newest.name, reason: 'newest READY snapshot (never deleted)' });
    ok(await msfctl('orders', 'snapshot', 'prune', '--older-than', '0s', '--auto-approve'));
    expect((await snapshots('orders')).map((s) => s.name)).toEqual([newest.name]);
  });

  it('destroy in enhanced mode: the final snapshot survives with its ARN and restores into a re-created application', async () => {
    const last = await count('copy');
    const destroyed = json<{ snapshots: { fate: string[]; kept: { name: string; arn: string }[] } }>(
      ok(await msfctl('copy', 'destroy', '--auto-approve', '--json')),
    );
    expect(destroyed.snapshots.fate[0]).toMatch(
      /^Enhanced snapshots outlive their application: the final snapshot msfctl-copy-\d{8}-\d{6}-final/,
    );
    const final = destroyed.snapshots.kept.find((k) => k.name.endsWith('-final'))!;
    expect(final.arn).toBe(`arn:aws:kinesisanalytics:us-east-1:000000000000:snapshot/${final.name}`);
    const all = json<{ snapshots: SnapshotJson[] }>(
      ok(await msfctl('copy', 'snapshot', 'list', '--all', '--json')),
    );
    expect(all.snapshots).toContainEqual(
      expect.objectContaining({ name: final.name, status: 'READY', sourceApplication: 'copy' }),
    );

    // The application is gone; its state is not: a new application of that name starts from it.
    ok(await msfctl('copy', 'apply', '--auto-approve'));
    const human = ok(await msfctl('copy', 'start', '--snapshot', final.arn));
    expect(human.stdout).toContain(`restored from snapshot ${final.name}`);
    const restored = await counted('copy', 5, { from: last, to: Number.MAX_SAFE_INTEGER - 1 });
    expect(restored.startedFrom).toBeGreaterThan(last);
    ok(await msfctl('copy', 'destroy', '--auto-approve', '--skip-snapshot'));
    ok(await msfctl('copy', 'snapshot', 'delete', '--all', final.name));
  });

  it('destroy in legacy mode on msf-local: the final snapshot is exported to S3 first; imported, it restores', async () => {
    writeSpec('legacy-app');
    ok(await msfctl('legacy-app', 'apply', '--auto-approve'));
    await counted('legacy-app', 20);
    const from = await count('legacy-app');
    const destroyed = ok(await msfctl('legacy-app', 'destroy', '--auto-approve'));
    const to = await count('legacy-app');
    expect(destroyed.stderr + destroyed.stdout).toMatch(
      /Application snapshots die with their application \(legacy snapshot mode\): the final snapshot msfctl-\d{8}-\d{6}-final is exported to s3:\/\/counter-artifacts\/msfctl\/final-snapshots\/legacy-app\/ first/,
    );
    const where =
      /was exported to (s3:\/\/counter-artifacts\/(msfctl\/final-snapshots\/legacy-app\/[^/\s]+\/))/.exec(
        destroyed.stdout,
      );
    expect(where, destroyed.stdout).not.toBeNull();
    expect((await metadataAt(where![2]!)).readUInt32BE(0)).toBe(FLINK_MAGIC);
    const ledger = JSON.parse(
      readFileSync(path.join(e.dir, '.msfctl', 'legacy-app', 'ledger.json'), 'utf8'),
    ) as {
      snapshots: { reason: string; exportedTo?: string }[];
    };
    expect(ledger.snapshots).toContainEqual(
      expect.objectContaining({ reason: 'destroy: final snapshot', exportedTo: where![1] }),
    );

    // The exported savepoint is the legacy application's state: imported, it restores into orders.
    ok(await msfctl('orders', 'snapshot', 'import', where![1]!, '--name', 'legacy-final'));
    ok(await msfctl('orders', 'restart', '--snapshot', 'legacy-final'));
    const restored = await counted('orders', 5, { from, to });
    expect(restored.startedFrom).toBeGreaterThan(from);
    expect(restored.startedFrom).toBeLessThanOrEqual(to + 1);
  });
});
