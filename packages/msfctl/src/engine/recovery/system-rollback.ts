/**
 * Scenario 11: the service rolled a failed update back by itself (system rollback, msf-api.md §4.4). The
 * failed operation names the rollback in OperationFailureDetails.RollbackOperationId, which only
 * DescribeApplicationOperation returns (ListApplicationOperations carries no failure details). The decision is
 * pure (`findSystemRollback` over described operations); `detectSystemRollback` does the few calls.
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

/** What detection needs of the MSF gateway. */
export interface OperationsReader {
  /** Newest first. */
  listOperations(application: string, limit?: number): Promise<OperationInfo[]>;
  describeOperation(application: string, operationId: string): Promise<OperationInfo>;
}

/**
 * Lists recent operations, describes the failed ones since `since` (at most `maxDescribe`), and the rollback
 * the newest of them points at. Throws what the reader throws: the caller reports a failed read.
 */
export async function detectSystemRollback(
  reader: OperationsReader,
  application: string,
  query: SystemRollbackQuery & { limit?: number; maxDescribe?: number } = {},
): Promise<SystemRollback | undefined> {
  const listed = await reader.listOperations(application, query.limit ?? 20);
  const candidates = listed
    .filter((op) => op.status === 'FAILED' && op.operation !== 'RollbackApplication')
    .filter((op) => (query.operationId ? op.id === query.operationId : true))
    .filter((op) => (query.since === undefined ? true : (op.startedAt ?? 0) >= query.since))
    .slice(0, query.maxDescribe ?? 3);
  const described = await Promise.all(
    candidates.map((op) => (op.rollbackOperationId ? op : reader.describeOperation(application, op.id))),
  );
  const pointing = described.filter((op) => op.rollbackOperationId);
  const rollbackIds = new Set(pointing.map((op) => op.rollbackOperationId!));
  const rollbacks = await Promise.all(
    [...rollbackIds].map(
      (id) =>
        listed.find((op) => op.id === id && op.status !== 'IN_PROGRESS') ??
        reader.describeOperation(application, id),
    ),
  );
  return findSystemRollback([...pointing, ...rollbacks], query);
}
