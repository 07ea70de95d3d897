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
});
