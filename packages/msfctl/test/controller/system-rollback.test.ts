import { describe, expect, it } from 'vitest';
import type { OperationInfo } from '../../src/model/application.js';
import { detectSystemRollback } from '../../src/controller/watch.js';
import { findSystemRollback } from '../../src/engine/recovery/system-rollback.js';
import type { MsfGateway } from '../../src/ports/msf.js';

type OperationsReader = Pick<MsfGateway, 'listOperations' | 'describeOperation'>;
import { T0, operation } from './support/apps.js';

const update = operation('upd000000001', 'UpdateApplication', 'FAILED', T0, {
  error: 'java.lang.IllegalStateException: Failed to rollback to checkpoint/savepoint StackTrace: ...',
});
const rollback = operation('rb0000000001', 'RollbackApplication', 'SUCCESSFUL', T0 + 1000);

/** ListApplicationOperations answers without failure details; DescribeApplicationOperation has them. */
function reader(
  listed: OperationInfo[],
  described: Record<string, OperationInfo>,
): OperationsReader & { described: string[] } {
  const log: string[] = [];
  return {
    described: log,
    listOperations: async (_app, limit = 50) => listed.slice(0, limit),
    describeOperation: async (_app, id) => {
      log.push(id);
      const op = described[id];
      if (!op) throw new Error(`no operation ${id}`);
      return op;
    },
  };
}

describe('findSystemRollback', () => {
  it('finds the failed operation that names a rollback, and the rollback state', () => {
    const failed = { ...update, rollbackOperationId: 'rb0000000001' };
    expect(findSystemRollback([rollback, failed])).toEqual({ failed, rollback, state: 'succeeded' });
    expect(findSystemRollback([{ ...rollback, status: 'IN_PROGRESS' }, failed])?.state).toBe('in-progress');
    expect(findSystemRollback([{ ...rollback, status: 'FAILED' }, failed])?.state).toBe('failed');
    expect(findSystemRollback([failed])?.state).toBe('unknown');
  });

  it('ignores failures without a rollback, older than the deploy, or of another operation', () => {
    const failed = { ...update, rollbackOperationId: 'rb0000000001' };
    expect(findSystemRollback([update])).toBeUndefined();
    expect(findSystemRollback([failed], { since: T0 + 1 })).toBeUndefined();
    expect(findSystemRollback([failed], { operationId: 'other' })).toBeUndefined();
    expect(findSystemRollback([failed], { operationId: 'upd000000001', since: T0 })?.failed.id).toBe(
      'upd000000001',
    );
  });
});

describe('detectSystemRollback', () => {
  it('describes the recent failed operations to read RollbackOperationId, then the rollback', async () => {
    const r = reader([rollback, update, operation('start1', 'StartApplication', 'SUCCESSFUL', T0 - 5000)], {
      upd000000001: { ...update, rollbackOperationId: 'rb0000000001' },
    });
    const found = await detectSystemRollback(r, 'stock-prices', { since: T0 });
    expect(found).toMatchObject({
      failed: { id: 'upd000000001', rollbackOperationId: 'rb0000000001' },
      rollback: { id: 'rb0000000001', status: 'SUCCESSFUL' },
      state: 'succeeded',
    });
    expect(r.described).toEqual(['upd000000001']);
  });

  it('re-reads a rollback still in progress', async () => {
    const r = reader([{ ...rollback, status: 'IN_PROGRESS' }, update], {
      upd000000001: { ...update, rollbackOperationId: 'rb0000000001' },
      rb0000000001: { ...rollback, status: 'SUCCESSFUL' },
    });
    expect((await detectSystemRollback(r, 'stock-prices'))?.state).toBe('succeeded');
    expect(r.described).toEqual(['upd000000001', 'rb0000000001']);
  });

  it('finds nothing when the failed update was not rolled back', async () => {
    const r = reader([update], { upd000000001: update });
    expect(await detectSystemRollback(r, 'stock-prices')).toBeUndefined();
  });

  it('describes at most maxDescribe failures', async () => {
    const failures = [1, 2, 3, 4, 5].map((i) => operation(`f${i}`, 'UpdateApplication', 'FAILED', T0 + i));
    const r = reader(failures, Object.fromEntries(failures.map((f) => [f.id, f])));
    await detectSystemRollback(r, 'stock-prices', { maxDescribe: 2 });
    expect(r.described).toEqual(['f1', 'f2']);
  });
});
