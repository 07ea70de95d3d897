/**
 * The verbs with enhanced snapshots against the in-memory MSF and exporter: snapshots of the right kind, a start
 * from another application's snapshot by ARN, destroy in each mode (export first in legacy mode, the snapshots
 * outliving the application in enhanced mode), housekeeping of snapshots that outlived their application, import.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RunContext } from '../../src/controller/context.js';
import {
  createSnapshot,
  deleteEnhancedSnapshots,
  deleteSnapshots,
  exportSnapshot,
  importSnapshot,
} from '../../src/controller/snapshots.js';
import { destroyApplication, restartApplication, startApplication } from '../../src/controller/verbs.js';
import { readLedger } from '../../src/controller/state/ledger-store.js';
import { createSilentHost } from '../../src/adapters/io/memory-host.js';
import { LocalObjectStore } from '../../src/adapters/state/local-object-store.js';
import { MsfctlError } from '../../src/model/errors.js';
import { FakeSnapshotExporter } from '../fakes/fake-exporter.js';
import { FakeMsf, fakeClock } from '../fakes/fake-msf.js';
import { config } from '../unit/fixtures.js';

const latest = { from: 'latest' as const, allowNonRestoredState: false };
const ENHANCED = { runtime: 'FLINK-1_20', snapshotMode: 'enhanced' as const };
let msf: FakeMsf;
let state: LocalObjectStore;

function context(application: string, exporter?: FakeSnapshotExporter): RunContext {
  return {
    gateway: msf,
    host: createSilentHost(),
    state,
    application,
    clock: fakeClock(),
    ...(exporter ? { exporter } : {}),
  };
}

async function running(application: string, overrides = ENHANCED as object) {
  await msf.create(application, config(overrides));
  await msf.start(application, latest);
  for (let i = 0; i < 5; i++) await msf.describe(application);
}

beforeEach(() => {
  msf = new FakeMsf({ polls: 1 });
  state = new LocalObjectStore(mkdtempSync(path.join(tmpdir(), 'msfctl-enhanced-')));
});

describe('snapshots in enhanced mode', () => {
  it('snapshot create takes an enhanced snapshot named after the application; the ledger keeps its ARN', async () => {
    await running('orders');
    const created = await createSnapshot(context('orders'));
    expect(created.ok).toBe(true);
    expect(created.snapshot?.name).toMatch(/^msfctl-orders-\d{8}-\d{6}$/);
    expect(created.snapshot?.enhanced).toMatchObject({ initiator: 'USER', sourceApplication: 'orders' });
    expect(msf.calls).toContain(`snapshot ${created.snapshot!.name} (enhanced)`);
    const { ledger } = await readLedger(state, 'orders');
    expect(ledger.snapshots).toEqual([
      expect.objectContaining({ name: created.snapshot!.name, arn: created.snapshot!.enhanced!.arn }),
    ]);
    expect(ledger.entries.at(-1)?.operations.map((o) => o.operation)).toEqual(['CreateSnapshot']);
  });

  it("start --snapshot ARN restores another application's snapshot; a name resolves to its ARN", async () => {
    await running('orders');
    await createSnapshot(context('orders'), 'orders-snap');
    const arn = (await msf.describeEnhancedSnapshot('orders-snap'))!.enhanced!.arn;
    await msf.create('copy', config(ENHANCED));
    const started = await startApplication(context('copy'), {
      from: 'snapshot',
      snapshot: 'orders-snap',
      snapshotArn: arn,
      allowNonRestoredState: false,
    });
    expect(started.ok).toBe(true);
    expect(msf.calls).toContain(`start copy snapshot ${arn}`);
    expect(started.actions[0]!.effect!.stateDetail).toBe(`restored from snapshot orders-snap (${arn})`);

    const restarted = await restartApplication(context('copy'), {
      from: 'snapshot',
      snapshot: 'orders-snap',
      allowNonRestoredState: false,
    });
    expect(restarted.ok).toBe(true);
    expect(msf.calls.filter((c) => c === `start copy snapshot ${arn}`)).toHaveLength(2);
  });

  it('refuses an ARN for a legacy-mode application before any call', async () => {
    await running('orders');
    await createSnapshot(context('orders'), 'orders-snap');
    await msf.create('legacy', config({ runtime: 'FLINK-1_20' }));
    const arn = (await msf.describeEnhancedSnapshot('orders-snap'))!.enhanced!.arn;
    const refused = await startApplication(context('legacy'), {
      from: 'snapshot',
      snapshot: 'orders-snap',
      snapshotArn: arn,
      allowNonRestoredState: false,
    }).catch((e: unknown) => e);
    expect(MsfctlError.is(refused, 'SNAPSHOT')).toBe(true);
    expect((refused as Error).message).toContain('legacy is in legacy snapshot mode');
    expect(msf.calls.some((c) => c.startsWith('start legacy'))).toBe(false);
  });
});

describe('destroy', () => {
  it('enhanced: the final snapshot outlives the application and is reported with its ARN', async () => {
    await running('orders');
    const result = await destroyApplication(context('orders'), {
      skipSnapshot: false,
      approve: async (actions, fate) => {
        expect(actions.map((a) => a.type)).toEqual(['snapshot', 'force-stop', 'delete']);
        expect(fate[0]).toContain('Enhanced snapshots outlive their application');
        return true;
      },
      now: new Date('2026-12-01T10:00:00Z'),
    });
    expect(result.ok).toBe(true);
    expect(result.finalSnapshot).toBe('msfctl-orders-20261201-100000-final');
    expect(msf.apps.has('orders')).toBe(false);
    const survivor = await msf.describeEnhancedSnapshot('msfctl-orders-20261201-100000-final');
    expect(survivor?.status).toBe('READY');
    expect(result.kept).toEqual([{ name: survivor!.name, arn: survivor!.enhanced!.arn }]);
    const { ledger } = await readLedger(state, 'orders');
    expect(ledger.snapshots[0]).toMatchObject({
      reason: 'destroy: final snapshot',
      arn: survivor!.enhanced!.arn,
    });
  });

  it('legacy: the final snapshot is exported first where the target can export it', async () => {
    await running('legacy', {});
    const exporter = new FakeSnapshotExporter(msf, { legacy: true });
    const result = await destroyApplication(context('legacy', exporter), {
      skipSnapshot: false,
      approve: async () => true,
      now: new Date('2026-12-01T10:00:00Z'),
    });
    expect(result.ok).toBe(true);
    expect(result.actions.map((a) => a.type)).toEqual(['snapshot', 'export', 'force-stop', 'delete']);
    expect(result.exported).toEqual({
      snapshot: 'msfctl-20261201-100000-final',
      to: { bucket: 'artifacts', prefix: 'msfctl/final-snapshots/legacy/export-1/' },
    });
    expect(msf.objects.has('artifacts/msfctl/final-snapshots/legacy/export-1/_metadata')).toBe(true);
    const { ledger } = await readLedger(state, 'legacy');
    expect(ledger.snapshots[0]).toMatchObject({
      name: 'msfctl-20261201-100000-final',
      exportedTo: 's3://artifacts/msfctl/final-snapshots/legacy/export-1/',
    });
    expect(ledger.entries.at(-1)?.operations.map((o) => o.operation)).toEqual([
      'CreateApplicationSnapshot',
      'FakeExport',
      'StopApplication',
      'DeleteApplication',
    ]);
  });

  it('legacy on a target that exports only enhanced snapshots: no export, and the approval says the state is lost', async () => {
    await running('legacy', {});
    const exporter = new FakeSnapshotExporter(msf, { legacy: false });
    let told: string[] = [];
    const result = await destroyApplication(context('legacy', exporter), {
      skipSnapshot: false,
      approve: async (_actions, fate) => {
        told = fate;
        return true;
      },
    });
    expect(result.ok).toBe(true);
    expect(result.actions.map((a) => a.type)).toEqual(['snapshot', 'force-stop', 'delete']);
    expect(told[0]).toMatch(/^WARNING: its 1 snapshot, the final one included, will be deleted/);
    expect(told[0]).toContain('this target exports only enhanced snapshots');
    expect(exporter.exports).toEqual([]);
  });
});

describe('housekeeping', () => {
  it('deletes a snapshot that outlived its application, by name under that name, or account-wide', async () => {
    await running('orders');
    await createSnapshot(context('orders'), 'keep-1');
    await createSnapshot(context('orders'), 'keep-2');
    await destroyApplication(context('orders'), { skipSnapshot: true, approve: async () => true });
    expect((await deleteSnapshots(context('orders'), ['keep-1'], 'test')).deleted).toEqual(['keep-1']);
    const arn = (await msf.describeEnhancedSnapshot('keep-2'))!.enhanced!.arn;
    expect(
      (await deleteEnhancedSnapshots({ gateway: msf, host: createSilentHost() }, [arn])).deleted,
    ).toEqual(['keep-2']);
    expect(msf.enhanced).toEqual([]);
    await expect(
      deleteEnhancedSnapshots({ gateway: msf, host: createSilentHost() }, ['keep-2']),
    ).rejects.toThrow(/There is no enhanced snapshot keep-2/);
  });

  it('exports with the application role by default; refuses an application snapshot the target cannot export', async () => {
    await running('orders');
    await createSnapshot(context('orders'), 'e1');
    const exporter = new FakeSnapshotExporter(msf, { legacy: false });
    const out = await exportSnapshot(context('orders', exporter), {
      snapshot: 'e1',
      to: { bucket: 'artifacts', prefix: 'exports/' },
    });
    expect(out.exported.location).toEqual({ bucket: 'artifacts', prefix: 'exports/export-1/' });
    expect(exporter.exports[0]?.role).toBe(config().role);

    await running('legacy', {});
    await createSnapshot(context('legacy'), 'l1');
    const refused = await exportSnapshot(context('legacy', exporter), {
      snapshot: 'l1',
      to: { bucket: 'artifacts', prefix: 'exports/' },
    }).catch((e: unknown) => e);
    expect((refused as Error).message).toBe(
      'Cannot export snapshot l1 of legacy: this target exports only enhanced snapshots',
    );
  });

  it('imports a savepoint; a prefix without one fails with the reason and the name to free', async () => {
    msf.objects.set('artifacts/sp/_metadata', Buffer.from('savepoint'));
    const ctx = { gateway: msf, host: createSilentHost(), clock: fakeClock() };
    const role = config().role;
    const imported = await importSnapshot(ctx, {
      name: 'imp',
      from: { bucket: 'artifacts', prefix: 'sp/' },
      role,
    });
    expect(imported).toMatchObject({ status: 'READY', enhanced: { initiatorOperation: 'ImportSnapshot' } });
    const failed = await importSnapshot(ctx, {
      name: 'bad',
      from: { bucket: 'artifacts', prefix: 'empty/' },
      role,
    }).catch((e: unknown) => e);
    expect(MsfctlError.is(failed, 'SNAPSHOT')).toBe(true);
    expect((failed as MsfctlError).message).toBe(
      'Import of s3://artifacts/empty/ as snapshot bad FAILED: InvalidSavepoint: no _metadata under empty/.',
    );
    expect((failed as MsfctlError).hint).toContain('msfctl snapshot delete --all bad');
  });
});
