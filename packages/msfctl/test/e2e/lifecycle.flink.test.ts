/**
 * The imperative lifecycle through the msfctl binary on msf-local with real Flink: scenarios 13 (start/stop
 * and running: false), 14 (restart from a named snapshot, or none), 15 (snapshot housekeeping), 5 (manual
 * rollback, then plan reports the difference), 16 (two applies at once) and 18 (destroy).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/model/plan.js';
import type { StatusReport } from '../../src/controller/queries/status.js';
import type { HistoryReport } from '../../src/controller/queries/history.js';
import { createStream, jar, json, recordsAfter, restoredFrom, startE2E, type E2E } from './support/e2e.js';

let e: E2E;
let baseline: string;

interface SnapshotList {
  snapshots: { name: string; status: string; createdAt: string }[];
}

beforeAll(async () => {
  baseline = await jar('baseline');
  e = await startE2E();
  await createStream(e.kinesis, 'ExampleOutputStream');
  e.writeSpec({ code: { jar: baseline } });
  const applied = await e.run('apply', '--auto-approve');
  if (applied.code !== 0) throw new Error(`setup apply failed:\n${applied.stdout}\n${applied.stderr}`);
});

afterAll(async () => {
  await e?.close();
});

const status = async () => json<StatusReport>(await e.run('status', '--json'));
const snapshots = async () => json<SnapshotList>(await e.run('snapshot', 'list', '--json')).snapshots;

describe('lifecycle of stock-prices with msfctl', () => {
  it('13: stop takes a snapshot, start restores it; running: false in the spec stops, true starts', async () => {
    const before = (await snapshots()).length;
    const stopped = await e.run('stop');
    expect(stopped.code, stopped.stdout + stopped.stderr).toBe(0);
    expect(stopped.stdout).toContain('The spec says running: true');
    expect(await status()).toMatchObject({ status: 'READY' });
    expect((await snapshots()).length).toBe(before + 1);
    const started = await e.run('start');
    expect(started.code, started.stdout + started.stderr).toBe(0);
    expect(await status()).toMatchObject({ status: 'RUNNING' });
    expect(await restoredFrom(e.kda)).toMatchObject({ is_savepoint: true });
    const since = Date.now();
    await recordsAfter(e.kinesis, 'ExampleOutputStream', since, 1);

    e.writeSpec({ code: { jar: baseline }, running: false });
    const plan = json<Plan>(await e.run('plan', '--json'));
    expect(plan.actions.map((a) => a.type)).toEqual(['stop']);
    expect((await e.run('apply', '--auto-approve')).code).toBe(0);
    expect(await status()).toMatchObject({ status: 'READY' });
    e.writeSpec({ code: { jar: baseline } });
    expect((await e.run('apply', '--auto-approve')).code).toBe(0);
    expect(await status()).toMatchObject({ status: 'RUNNING' });
  });

  it('13: stop --force takes no snapshot', async () => {
    const before = (await snapshots()).length;
    const stopped = await e.run('stop', '--force');
    expect(stopped.code, stopped.stdout + stopped.stderr).toBe(0);
    expect((await snapshots()).length).toBe(before);
    expect((await e.run('start')).code).toBe(0);
  });

  it('14: restart --snapshot NAME restores that snapshot; --no-restore starts empty', async () => {
    expect((await e.run('snapshot', 'create', 'first')).code).toBe(0);
    expect((await e.run('snapshot', 'create', 'second')).code).toBe(0);
    const fromFirst = await e.run('restart', '--snapshot', 'first');
    expect(fromFirst.code, fromFirst.stdout + fromFirst.stderr).toBe(0);
    const first = await restoredFrom(e.kda);
    expect((await e.run('restart', '--snapshot', 'second')).code).toBe(0);
    const second = await restoredFrom(e.kda);
    expect((await e.run('restart', '--snapshot', 'first')).code).toBe(0);
    const firstAgain = await restoredFrom(e.kda);
    // The named snapshot decides what Flink restores: the same name, the same savepoint.
    expect(first?.is_savepoint).toBe(true);
    expect(second?.external_path).not.toBe(first?.external_path);
    expect(firstAgain?.external_path).toBe(first?.external_path);

    const missing = await e.run('restart', '--snapshot', 'no-such-snapshot');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Snapshot no-such-snapshot of stock-prices does not exist');

    const empty = await e.run('restart', '--no-restore');
    expect(empty.code, empty.stdout + empty.stderr).toBe(0);
    expect(empty.stdout).toContain('restore is "none": the job starts with empty state');
    expect(await restoredFrom(e.kda)).toBeUndefined();
  });

  it('15: prune deletes only snapshots outside the policy, never the newest READY one', async () => {
    const all = await snapshots();
    expect(all.length).toBeGreaterThanOrEqual(3);
    const dryRun = await e.run('snapshot', 'prune', '--keep', '2', '--dry-run', '--json');
    const wouldDelete = json<{ wouldDelete: string[] }>(dryRun).wouldDelete;
    expect(wouldDelete).toHaveLength(all.length - 2);
    expect((await snapshots()).length).toBe(all.length);
    // Deleting snapshots is asked like destroy (issue 16 item 9): no terminal, no --auto-approve, nothing deleted.
    const asked = await e.run('snapshot', 'prune', '--keep', '2');
    expect(asked.code).toBe(1);
    expect(asked.stderr).toContain('no terminal to ask on');
    expect((await snapshots()).length).toBe(all.length);
    const pruned = await e.run('snapshot', 'prune', '--keep', '2', '--auto-approve');
    expect(pruned.code, pruned.stdout + pruned.stderr).toBe(0);
    const left = await snapshots();
    expect(left.map((s) => s.name)).toEqual(all.slice(0, 2).map((s) => s.name));
    // Everything is older than 0s, yet the newest READY snapshot stays.
    expect((await e.run('snapshot', 'prune', '--older-than', '0s', '--auto-approve')).code).toBe(0);
    expect((await snapshots()).map((s) => s.name)).toEqual([all[0]!.name]);
    expect((await e.run('snapshot', 'delete', all[0]!.name)).code).toBe(0);
    expect(await snapshots()).toEqual([]);
  });

  it('5: rollback returns to the previous version; the next plan reports the difference from the spec', async () => {
    e.writeSpec({ code: { jar: baseline }, monitoring: { logLevel: 'INFO', metricsLevel: 'APPLICATION' } });
    expect((await e.run('apply', '--auto-approve')).code).toBe(0);
    const updated = await status();
    const rolledBack = await e.run('rollback');
    expect(rolledBack.code, rolledBack.stdout + rolledBack.stderr).toBe(0);
    const after = await status();
    expect(after.status).toBe('RUNNING');
    expect(after.versionId).not.toBe(updated.versionId);
    const plan = json<Plan>(await e.run('plan', '--json'));
    expect(plan.changes.map((c) => [c.field, c.before, c.after])).toEqual([
      ['monitoring.logLevel', 'ERROR', 'INFO'],
    ]);
    expect(plan.drift.notes.join(' ')).toContain('msfctl rollback changed the application');
  });

  it('16: two applies at once: one holds the lock, the other fails fast naming it; no lost update', async () => {
    e.writeSpec({ code: { jar: baseline }, monitoring: { logLevel: 'WARN', metricsLevel: 'APPLICATION' } });
    const before = await status();
    const [a, b] = await Promise.all([e.run('apply', '--auto-approve'), e.run('apply', '--auto-approve')]);
    // The update takes seconds on Flink; both processes start within a second of each other.
    expect([a.code, b.code].sort()).toEqual([0, 1]);
    const loser = a.code === 0 ? b : a;
    expect(loser.stderr).toMatch(
      /Application stock-prices is locked by .+ \(apply, since .+, lock ID [0-9a-f-]+\)/,
    );
    expect(loser.stderr).toContain('msfctl force-unlock');
    const after = await status();
    expect(after.versionId).toBe(before.versionId! + 1);
    expect(json<Plan>(await e.run('plan', '--json')).actions).toEqual([]);
  });

  it('18: destroy takes a final snapshot, deletes the application, and keeps its history', async () => {
    const destroyed = await e.run('destroy', '--auto-approve');
    expect(destroyed.code, destroyed.stdout + destroyed.stderr).toBe(0);
    expect(destroyed.stdout).toMatch(
      /Destroy complete: stock-prices is deleted, after a final snapshot msfctl-\d{8}-\d{6}-final/,
    );
    expect(await status()).toMatchObject({ exists: false, deletedAt: expect.any(String) });
    const ledger = e.ledger();
    expect(ledger.snapshots.some((s) => s.reason === 'destroy: final snapshot')).toBe(true);
    const history = json<HistoryReport>(await e.run('history', '--json'));
    expect(history.rows.some((r) => r.by.startsWith('msfctl destroy'))).toBe(true);
    expect(history.rows.some((r) => r.by.startsWith('msfctl apply'))).toBe(true);
  });
});
