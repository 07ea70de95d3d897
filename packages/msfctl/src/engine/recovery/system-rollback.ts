/**
 * Scenario 11: the service rolled a failed update back by itself (system rollback, msf-api.md §4.4). The
 * failed operation names the rollback in OperationFailureDetails.RollbackOperationId, which only
 * DescribeApplicationOperation returns (ListApplicationOperations carries no failure details). The decision is
 * pure (`findSystemRollback` over described operations); controller/watch.ts does the few calls.
 */
import type { OperationInfo } from '../../model/application.js';

export interface SystemRollback {
  /** The operation that failed and triggered the rollback (usually UpdateApplication). */
  failed: OperationInfo;
  /** The service's RollbackApplication operation, when it could be read. */
  rollback?: OperationInfo;
  /** in-progress: ROLLING_BACK; succeeded: RUNNING on the previous version; failed: the app ended READY. */
  state: 'in-progress' | 'succeeded' | 'failed' | 'unknown';
}

export interface SystemRollbackQuery {
  /** Only operations started at or after this (epoch ms), e.g. when the deploy began. */
  since?: number;
  /** Only this failed operation (the deploy's own). */
  operationId?: string;
}

function rollbackState(rollback: OperationInfo | undefined): SystemRollback['state'] {
  switch (rollback?.status) {
    case 'IN_PROGRESS':
      return 'in-progress';
    case 'SUCCESSFUL':
      return 'succeeded';
    case 'FAILED':
    case 'CANCELLED':
      return 'failed';
    default:
      return 'unknown';
  }
}

/** The newest failed operation that points at a rollback, with that rollback's state. */
export function findSystemRollback(
  operations: readonly OperationInfo[],
  query: SystemRollbackQuery = {},
): SystemRollback | undefined {
  const failed = operations
    .filter((op) => op.status === 'FAILED' && op.rollbackOperationId)
    .filter((op) => (query.operationId ? op.id === query.operationId : true))
    .filter((op) => (query.since === undefined ? true : (op.startedAt ?? 0) >= query.since))
    .sort((a, b) => (b.startedAt ?? 0) - (a.startedAt ?? 0))[0];
  if (!failed) return undefined;
  const rollback = operations.find((op) => op.id === failed.rollbackOperationId);
  return { failed, ...(rollback ? { rollback } : {}), state: rollbackState(rollback) };
}
