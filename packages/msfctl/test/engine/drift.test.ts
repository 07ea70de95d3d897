import { describe, expect, it } from 'vitest';
import { detectDrift, hasDrift } from '../../src/engine/drift.js';
import { config, live } from '../unit/fixtures.js';

const at = '2026-01-01T00:00:00.000Z';
const expected = { versionId: 3, status: 'RUNNING' as const, config: config(), at, by: 'apply' };

describe('drift', () => {
  it('is empty when the service is where msfctl left it', () => {
    const report = detectDrift(expected, live(), [], new Set());
    expect(hasDrift(report)).toBe(false);
  });

  it('shows exactly the fields changed outside msfctl, and the operation that did it', () => {
    const changed = live(
      { versionId: 4 },
      { monitoring: { custom: true, logLevel: 'INFO', metricsLevel: 'APPLICATION' } },
    );
    const ops = [
      {
        id: 'outside',
        operation: 'UpdateApplication',
        status: 'SUCCESSFUL' as const,
        startedAt: Date.parse(at) + 1000,
      },
      {
        id: 'mine',
        operation: 'UpdateApplication',
        status: 'SUCCESSFUL' as const,
        startedAt: Date.parse(at) + 500,
      },
      {
        id: 'old',
        operation: 'StartApplication',
        status: 'SUCCESSFUL' as const,
        startedAt: Date.parse(at) - 1000,
      },
    ];
    const report = detectDrift(expected, changed, ops, new Set(['mine']));
    expect(report.versions).toEqual({ expected: 3, actual: 4 });
    expect(report.changes.map((c) => [c.field, c.before, c.after])).toEqual([
      ['monitoring.logLevel', 'ERROR', 'INFO'],
    ]);
    expect(report.operations.map((o) => o.id)).toEqual(['outside']);
  });

  it('reports a stop made outside msfctl as status drift', () => {
    const report = detectDrift(expected, live({ status: 'READY' }), [], new Set());
    expect(report.status).toEqual({ expected: 'RUNNING', actual: 'READY' });
  });

  it('explains a difference msfctl made itself (rollback, scale)', () => {
    const report = detectDrift({ ...expected, by: 'rollback' }, live(), [], new Set());
    expect(report.notes).toEqual([
      `msfctl rollback changed the application at ${at}; the plan returns it to the spec`,
    ]);
  });

  it('a snapshot by msfctl is no note in the plan (issue 16 item 7)', () => {
    const report = detectDrift({ ...expected, by: 'snapshot' }, live(), [], new Set());
    expect(report.notes).toEqual([]);
    expect(hasDrift(report)).toBe(false);
  });

  it('does not count snapshot operations as drift (issue 16 item 7)', () => {
    const ops = ['CreateApplicationSnapshot', 'DeleteApplicationSnapshot', 'CreateSnapshot'].map(
      (operation, i) => ({
        id: `s${i}`,
        operation,
        status: 'SUCCESSFUL' as const,
        startedAt: Date.parse(at) + 1000 * (i + 1),
      }),
    );
    const report = detectDrift(expected, live(), ops, new Set());
    expect(report.operations).toEqual([]);
    expect(hasDrift(report)).toBe(false);
  });

  it("takes what an interrupted msfctl apply had sent as msfctl's own change, not drift (issue 16 item 7)", () => {
    const moved = live({ versionId: 4 }, { parallelism: { ...config().parallelism, parallelism: 2 } });
    // Ctrl-C while UpdateApplication ran: its id never reached the ledger; the entry is interrupted.
    const update = {
      id: 'unrecorded',
      operation: 'UpdateApplication',
      status: 'SUCCESSFUL' as const,
      startedAt: Date.parse(at) + 60_000,
    };
    const run = {
      kind: 'apply' as const,
      who: 'dev@laptop',
      startedAt: new Date(Date.parse(at) + 59_000).toISOString(),
      endedAt: new Date(Date.parse(at) + 61_000).toISOString(),
    };
    const report = detectDrift(expected, moved, [update], new Set(), [run]);
    expect(hasDrift(report)).toBe(false);
    expect(report.interrupted).toEqual({ kind: 'apply', who: 'dev@laptop', startedAt: run.startedAt });
    expect(report.notes).toEqual([
      `msfctl apply by dev@laptop was interrupted (started ${run.startedAt}); the service finished what it had sent: version 3 → 4 is msfctl's own change, not drift`,
    ]);
    // An operation outside that run is still drift.
    const outside = { ...update, id: 'outside', startedAt: Date.parse(at) + 120_000 };
    const mixed = detectDrift(expected, moved, [outside, update], new Set(), [run]);
    expect(mixed.operations.map((o) => o.id)).toEqual(['outside']);
    expect(mixed.versions).toEqual({ expected: 3, actual: 4 });
  });
});
