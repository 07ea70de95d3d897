/**
 * The pure parts of enhanced snapshots: the planner's one-way switch and its refusals, retention over both kinds,
 * which snapshot a restore sends (by name or ARN), and what destroy does to the snapshots of each mode.
 */
import { describe, expect, it } from 'vitest';
import { planChanges } from '../../src/engine/planner.js';
import { destroyDecision, defaultExportLocation } from '../../src/engine/destroy.js';
import { resolveRestore } from '../../src/engine/restore.js';
import { forcedDeployRestore } from '../../src/engine/forced-path.js';
import { defaultSnapshotName, findSnapshot, selectPrunable } from '../../src/engine/snapshots.js';
import { MsfctlError } from '../../src/model/errors.js';
import type { Action } from '../../src/model/actions.js';
import { config, desired, enhancedSnapshot, live, snapshot } from '../unit/fixtures.js';

const quota = 64;
const ENHANCED_20 = { runtime: 'FLINK-1_20', snapshotMode: 'enhanced' as const };

function refusal(fn: () => unknown): MsfctlError {
  try {
    fn();
  } catch (error) {
    if (MsfctlError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('planner: the snapshot mode', () => {
  it('shows legacy → enhanced as a one-way switch, sent with SnapshotsEnabledUpdate', () => {
    const out = planChanges({
      desired: desired({}, ENHANCED_20),
      live: live({}, { runtime: 'FLINK-1_20' }),
      snapshots: [snapshot('s1', 1), snapshot('s2', 2)],
      kpuQuota: quota,
    });
    expect(out.changes).toEqual([
      {
        field: 'snapshots.mode',
        kind: 'config',
        section: 'snapshotMode',
        before: 'legacy',
        after: 'enhanced',
        oneWay: true,
      },
    ]);
    const update = out.actions[0] as Extract<Action, { type: 'update' }>;
    expect(update.update).toEqual({ snapshotMode: 'enhanced', snapshotsEnabled: true });
    expect(out.findings).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'SNAPSHOT_MODE_SWITCH' }),
    ]);
    expect(out.findings[0]!.message).toMatch(/^snapshots.mode legacy → enhanced is ONE-WAY/);
    expect(out.findings[0]!.message).toContain('its 2 application snapshots stay listed');
  });

  it('refuses enhanced → legacy: the switch is one-way', () => {
    const out = planChanges({
      desired: desired({}, { runtime: 'FLINK-1_20' }),
      live: live({}, ENHANCED_20),
      kpuQuota: quota,
    });
    expect(out.findings).toEqual([
      expect.objectContaining({ severity: 'refusal', code: 'SNAPSHOT_MODE_ONE_WAY' }),
    ]);
    expect(out.findings[0]!.hint).toContain('snapshots: { mode: enhanced }');
  });

  it('refuses enhanced mode on a runtime older than FLINK-1_20: at the switch, at create, by a later downgrade', () => {
    const atSwitch = planChanges({
      desired: desired({}, { snapshotMode: 'enhanced' }),
      live: live(),
      kpuQuota: quota,
    });
    expect(atSwitch.findings).toEqual([
      expect.objectContaining({ severity: 'refusal', code: 'SNAPSHOT_MODE_RUNTIME' }),
    ]);
    expect(atSwitch.findings[0]!.message).toBe(
      'snapshots.mode enhanced needs runtime FLINK-1_20 or later; the spec asks for FLINK-1_19',
    );
    const atCreate = planChanges({
      desired: desired({}, { snapshotMode: 'enhanced' }),
      live: undefined,
      kpuQuota: quota,
    });
    expect(atCreate.findings.map((f) => f.code)).toEqual(['SNAPSHOT_MODE_RUNTIME']);
    const downgrade = planChanges({
      desired: desired({}, { snapshotMode: 'enhanced', runtime: 'FLINK-1_19' }),
      live: live({}, ENHANCED_20),
      kpuQuota: quota,
    });
    expect(downgrade.findings[0]!.hint).toContain('cannot be undone');
  });

  it('says nothing of the mode when it does not change; FLINK-2_2 takes enhanced mode', () => {
    for (const runtime of ['FLINK-1_20', 'FLINK-2_2']) {
      const same = { runtime, snapshotMode: 'enhanced' as const };
      expect(
        planChanges({ desired: desired({}, same), live: live({}, same), kpuQuota: quota }).findings,
      ).toEqual([]);
    }
  });
});

describe('retention over both kinds', () => {
  const day = 86_400_000;
  const now = 100 * day;

  it('never deletes the newest READY snapshot of the application, whichever kind it is', () => {
    const snaps = [
      snapshot('legacy-old', now - 9 * day),
      snapshot('legacy-new', now - 8 * day),
      enhancedSnapshot('system-1', now - 5 * day, { initiator: 'SYSTEM' }),
      enhancedSnapshot('user-1', now - 2 * day),
      enhancedSnapshot('failed', now - 1 * day, { status: 'FAILED' }),
      enhancedSnapshot('creating', now - 1000, { status: 'CREATING' }),
    ];
    const all = selectPrunable(snaps, { olderThanMs: 0 }, now);
    expect(all.delete.map((s) => s.name)).toEqual(['failed', 'system-1', 'legacy-new', 'legacy-old']);
    expect(all.keep).toEqual([
      { snapshot: snaps[5], reason: 'CREATING' },
      { snapshot: snaps[3], reason: 'newest READY snapshot (never deleted)' },
    ]);
    const keep2 = selectPrunable(snaps, { keep: 2 }, now);
    expect(keep2.delete.map((s) => s.name)).toEqual(['failed', 'legacy-new', 'legacy-old']);
  });

  it("spares the spec's protected names and patterns (snapshots.protect; issue 16 item 9)", () => {
    const snaps = [
      snapshot('newest', now - day),
      snapshot('release-1.2', now - 5 * day),
      snapshot('pre-release-1', now - 6 * day),
      enhancedSnapshot('golden', now - 7 * day),
      snapshot('msfctl-20260101', now - 8 * day),
    ];
    const selection = selectPrunable(
      snaps,
      { olderThanMs: 0, protectPatterns: ['release-*', 'golden'] },
      now,
    );
    expect(selection.delete.map((s) => s.name)).toEqual(['pre-release-1', 'msfctl-20260101']);
    expect(selection.keep.map((k) => [k.snapshot.name, k.reason])).toEqual([
      ['newest', 'newest READY snapshot (never deleted)'],
      ['release-1.2', 'protected by snapshots.protect (release-*)'],
      ['golden', 'protected by snapshots.protect (golden)'],
    ]);
  });

  it('keeps an application snapshot and an enhanced snapshot of the same name apart', () => {
    const snaps = [snapshot('same', now - 3 * day), enhancedSnapshot('same', now - day)];
    const selection = selectPrunable(snaps, { keep: 1 }, now);
    expect(selection.delete).toEqual([snaps[0]]);
    expect(() => findSnapshot(snaps, 'same', 'stock-prices')).toThrow(/both named same/);
    expect(findSnapshot(snaps, snaps[1]!.enhanced!.arn, 'stock-prices')).toBe(snaps[1]);
  });

  it('names enhanced snapshots after their application: their names are unique in the whole account', () => {
    const at = new Date('2026-12-01T10:20:30Z');
    expect(defaultSnapshotName(at)).toBe('msfctl-20261201-102030');
    expect(defaultSnapshotName(at, { application: 'orders', mode: 'enhanced' })).toBe(
      'msfctl-orders-20261201-102030',
    );
  });
});

describe('restore: by name in legacy mode, by ARN in enhanced mode', () => {
  const legacyApp = { name: 'stock-prices', mode: 'legacy' as const, runtime: 'FLINK-1_20' };
  const enhancedApp = { name: 'copy', mode: 'enhanced' as const, runtime: 'FLINK-1_20' };
  const allow = { allowNonRestoredState: false };
  const other = enhancedSnapshot('of-orders', 5, { source: 'orders' });

  it('legacy: an application snapshot by name; an ARN is refused, saying how enhanced mode would take it', () => {
    expect(
      resolveRestore(legacyApp, { from: 'snapshot', snapshot: 's1', ...allow }, [snapshot('s1', 1)]),
    ).toEqual({ from: 'snapshot', snapshot: 's1', ...allow });
    const arn = refusal(() =>
      resolveRestore(
        legacyApp,
        { from: 'snapshot', snapshot: 'of-orders', snapshotArn: other.enhanced!.arn, ...allow },
        [other],
      ),
    );
    expect(arn.message).toContain('stock-prices is in legacy snapshot mode');
    expect(arn.hint).toContain('snapshots.mode: enhanced');
    expect(
      refusal(() => resolveRestore(legacyApp, { from: 'snapshot', snapshot: 'nope', ...allow }, [])).message,
    ).toBe('Snapshot nope of stock-prices does not exist.');
  });

  it("enhanced: another application's snapshot by ARN or by name is sent as SnapshotArn", () => {
    const expected = { from: 'snapshot', snapshot: 'of-orders', snapshotArn: other.enhanced!.arn, ...allow };
    expect(
      resolveRestore(
        enhancedApp,
        { from: 'snapshot', snapshot: 'of-orders', snapshotArn: other.enhanced!.arn, ...allow },
        [other],
      ),
    ).toEqual(expected);
    expect(
      resolveRestore(enhancedApp, { from: 'snapshot', snapshot: 'of-orders', ...allow }, [other]),
    ).toEqual(expected);
    expect(resolveRestore(enhancedApp, { from: 'latest', ...allow }, [])).toEqual({
      from: 'latest',
      ...allow,
    });
  });

  it('enhanced: refuses a pre-switch application snapshot, a missing or FAILED one, one of a newer Flink', () => {
    expect(
      refusal(() =>
        resolveRestore(enhancedApp, { from: 'snapshot', snapshot: 'old', ...allow }, [snapshot('old', 1)]),
      ).message,
    ).toContain('is an application snapshot from before it switched to enhanced snapshots');
    expect(
      refusal(() => resolveRestore(enhancedApp, { from: 'snapshot', snapshot: 'gone', ...allow }, []))
        .message,
    ).toBe('Snapshot gone does not exist (no enhanced snapshot of that name in this account and Region).');
    const failed = enhancedSnapshot('bad', 1, { status: 'FAILED' });
    expect(
      refusal(() => resolveRestore(enhancedApp, { from: 'snapshot', snapshot: 'bad', ...allow }, [failed]))
        .message,
    ).toBe('Snapshot bad is FAILED, not READY.');
    const newer = enhancedSnapshot('on-2-2', 1, { runtime: 'FLINK-2_2' });
    expect(
      refusal(() => resolveRestore(enhancedApp, { from: 'snapshot', snapshot: 'on-2-2', ...allow }, [newer]))
        .message,
    ).toContain('was taken on FLINK-2_2, newer than copy');
  });
});

describe('a forced deploy or a recovery restores only what the mode can name', () => {
  it('enhanced mode: an enhanced snapshot, by ARN, never a pre-switch application snapshot', () => {
    const preSwitch = { ...snapshot('pre-switch', 30), versionId: 2 };
    const enhanced = enhancedSnapshot('e-good', 20);
    const latest = { from: 'latest' as const, allowNonRestoredState: false };
    const inEnhanced = forcedDeployRestore({
      restore: latest,
      snapshots: [preSwitch, enhanced],
      mode: 'enhanced',
      lastGoodVersionId: 2,
    });
    expect(inEnhanced.run).toEqual({
      from: 'snapshot',
      snapshot: 'e-good',
      snapshotArn: enhanced.enhanced!.arn,
      allowNonRestoredState: false,
    });
    const inLegacy = forcedDeployRestore({
      restore: latest,
      snapshots: [preSwitch, enhanced],
      mode: 'legacy',
      lastGoodVersionId: 2,
    });
    expect(inLegacy.run).toEqual({ from: 'snapshot', snapshot: 'pre-switch', allowNonRestoredState: false });
  });
});

describe('destroy: what happens to the snapshots', () => {
  const to = defaultExportLocation('artifacts', 'stock-prices');

  it('legacy: the final snapshot is exported before the snapshots die with the application', () => {
    const d = destroyDecision({
      live: live(),
      snapshots: [snapshot('s1', 1)],
      finalSnapshot: 'final',
      export: { to, role: config().role },
    });
    if ('nothing' in d) throw new Error('expected actions');
    expect(d.actions.map((a) => a.type)).toEqual(['snapshot', 'export', 'force-stop', 'delete']);
    expect(d.actions[1]).toMatchObject({ type: 'export', snapshot: 'final', enhanced: false, to });
    expect(to).toEqual({ bucket: 'artifacts', prefix: 'msfctl/final-snapshots/stock-prices/' });
    expect(d.fate).toEqual([
      'Application snapshots die with their application (legacy snapshot mode): the final snapshot final is exported to s3://artifacts/msfctl/final-snapshots/stock-prices/ first; the 2 snapshots are then deleted with it.',
    ]);
  });

  it('legacy on a target that cannot export: the user is told plainly that the state is lost', () => {
    const d = destroyDecision({
      live: live(),
      snapshots: [snapshot('s1', 1)],
      finalSnapshot: 'final',
      export: { none: 'this target cannot export them: AWS exports only enhanced snapshots' },
    });
    if ('nothing' in d) throw new Error('expected actions');
    expect(d.actions.map((a) => a.type)).toEqual(['snapshot', 'force-stop', 'delete']);
    expect(d.fate).toEqual([
      'WARNING: its 2 snapshots, the final one included, will be deleted with it (legacy snapshot mode) and not exported (this target cannot export them: AWS exports only enhanced snapshots): the state in them is lost.',
    ]);
  });

  it('legacy and READY: the newest READY snapshot (the stopped job state) is the one exported', () => {
    const d = destroyDecision({
      live: live({ status: 'READY' }),
      snapshots: [snapshot('older', 1), snapshot('newest', 2), snapshot('broken', 3, 'FAILED')],
      finalSnapshot: 'final',
      export: { to, role: config().role },
    });
    if ('nothing' in d) throw new Error('expected actions');
    expect(d.actions.map((a) => a.type)).toEqual(['export', 'delete']);
    expect(d.actions[0]).toMatchObject({ snapshot: 'newest' });
  });

  it('enhanced: no export; the snapshots outlive the application, the pre-switch ones do not', () => {
    const d = destroyDecision({
      live: live({}, ENHANCED_20),
      snapshots: [snapshot('pre-switch', 1), enhancedSnapshot('e1', 2)],
      finalSnapshot: 'msfctl-stock-prices-final',
      export: { none: 'enhanced snapshots stay' },
    });
    if ('nothing' in d) throw new Error('expected actions');
    expect(d.actions.map((a) => a.type)).toEqual(['snapshot', 'force-stop', 'delete']);
    expect(d.fate).toEqual([
      'Enhanced snapshots outlive their application: the final snapshot msfctl-stock-prices-final and its 1 other enhanced snapshot stay, with their ARNs (printed after the delete).',
      'Its application snapshot from before the switch to enhanced mode is deleted with it.',
    ]);
  });
});
