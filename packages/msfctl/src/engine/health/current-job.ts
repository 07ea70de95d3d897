/**
 * Where the current job's history begins. Every StartApplication, UpdateApplication (of a running
 * application) and RollbackApplication submits a new job whose restart counter starts at 0 and whose uptime
 * starts over: an on-demand check that counted across them would call each deploy a restart. So a check of
 * "is it healthy now" starts at the end of the newest such operation, or `windowMs` ago when that is older.
 */
import type { OperationInfo } from '../../model/application.js';
import type { HealthBaseline } from '../../model/health.js';

export const JOB_STARTING_OPERATIONS: ReadonlySet<string> = new Set([
  'StartApplication',
  'UpdateApplication',
  'RollbackApplication',
]);

/** `operations` newest first (ListApplicationOperations). */
export function currentJobBaseline(
  operations: readonly OperationInfo[],
  now: number,
  windowMs: number,
): HealthBaseline & { startedBy?: OperationInfo } {
  const started = operations.find(
    (op) =>
      JOB_STARTING_OPERATIONS.has(op.operation) && op.status === 'SUCCESSFUL' && op.endedAt !== undefined,
  );
  if (started && started.endedAt! > now - windowMs)
    return { at: started.endedAt!, freshJob: true, startedBy: started };
  return { at: now - windowMs, freshJob: false };
}
