/**
 * The executor: runs actions in order, one service call each, waiting for each to finish. It makes no
 * decisions of its own (the plan, or the lifecycle command, made them); it stops at the first failure and
 * returns what happened, with the failed operation's ErrorString, for the caller to report (and recover).
 */
import type { MsfGateway, Started } from '../ports/msf.js';
import type { AppStatus, LiveApplication, OperationInfo } from '../model/application.js';
import { MsfctlError } from '../model/errors.js';
import type { IoHost, Progress } from '../ports/io-host.js';
import type { PlannedAction } from '../model/plan.js';
import type { OperationRecord } from '../model/ledger.js';
import type { Clock } from '../ports/clock.js';
import { waitForOutcome, waitForSnapshot, waitForStatus, type WaitOptions } from './wait.js';

export interface ExecutionContext {
  gateway: MsfGateway;
  host: IoHost;
  application: string;
  /** The application as last described before the first action (undefined: it does not exist). */
  basis: LiveApplication | undefined;
  clock?: Clock;
  wait?: Omit<WaitOptions, 'progress' | 'label' | 'clock'>;
  /** Called as each service operation starts and ends (the ledger records them). */
  onOperation?: (record: OperationRecord) => Promise<void>;
  /** Throws if the lock was lost; checked before every action. */
  assertLockHeld?: () => void;
}

export interface ActionFailure {
  action: PlannedAction;
  error: MsfctlError;
  operation?: OperationInfo;
}

export interface ExecutionResult {
  ok: boolean;
  /** The application as the last wait saw it (undefined after a delete). */
  live: LiveApplication | undefined;
  completed: PlannedAction[];
  operations: OperationRecord[];
  failure?: ActionFailure;
}

const VERB: Record<PlannedAction['type'], [string, string]> = {
  create: ['Creating', 'Created'],
  update: ['Updating', 'Updated'],
  start: ['Starting', 'Started'],
  stop: ['Stopping', 'Stopped'],
  rollback: ['Rolling back', 'Rolled back'],
  snapshot: ['Taking snapshot of', 'Took snapshot of'],
  delete: ['Deleting', 'Deleted'],
};

const OPERATION: Record<PlannedAction['type'], string> = {
  create: 'CreateApplication',
  update: 'UpdateApplication',
  start: 'StartApplication',
  stop: 'StopApplication',
  rollback: 'RollbackApplication',
  snapshot: 'CreateApplicationSnapshot',
  delete: 'DeleteApplication',
};

/** The steady status an action must end in to count as successful. */
function expectedStatus(action: PlannedAction, before: LiveApplication | undefined): AppStatus | undefined {
  switch (action.type) {
    case 'start':
    case 'rollback':
      return 'RUNNING';
    case 'stop':
      return 'READY';
    case 'update':
      return before?.status === 'RUNNING' ? 'RUNNING' : 'READY';
    default:
      return undefined;
  }
}

export async function executePlan(
  actions: readonly PlannedAction[],
  ctx: ExecutionContext,
): Promise<ExecutionResult> {
  const { host, application } = ctx;
  let live = ctx.basis;
  const completed: PlannedAction[] = [];
  const operations: OperationRecord[] = [];
  const record = async (op: OperationRecord) => {
    const i = op.id === undefined ? -1 : operations.findIndex((o) => o.id === op.id);
    if (i >= 0) operations[i] = op;
    else operations.push(op);
    await ctx.onOperation?.(op);
  };

  for (const action of actions) {
    const [verb, done] = VERB[action.type];
    const label = `${verb} ${application}`;
    const progress = host.progress(`${label}…`);
    try {
      ctx.assertLockHeld?.();
      const outcome = await runAction(action, live, ctx, progress, label, record);
      live = outcome.live;
      if (outcome.failure) {
        progress.done(`${label} failed`, false);
        return { ok: false, live, completed, operations, failure: { action, ...outcome.failure } };
      }
      progress.done(`${done} ${application}${live ? ` (version ${live.versionId}, ${live.status})` : ''}`);
      completed.push(action);
    } catch (error) {
      progress.done(`${label} failed`, false);
      const e = MsfctlError.is(error)
        ? error
        : new MsfctlError('AWS', (error as Error).message, { cause: error });
      if (!e.message.startsWith(OPERATION[action.type]))
        await record({ operation: OPERATION[action.type], status: 'FAILED', error: e.message });
      return { ok: false, live, completed, operations, failure: { action, error: e } };
    }
  }
  return { ok: true, live, completed, operations };
}

async function runAction(
  action: PlannedAction,
  before: LiveApplication | undefined,
  ctx: ExecutionContext,
  progress: Progress,
  label: string,
  record: (op: OperationRecord) => Promise<void>,
): Promise<{
  live: LiveApplication | undefined;
  failure?: { error: MsfctlError; operation?: OperationInfo };
}> {
  const { gateway, application } = ctx;
  const wait: WaitOptions = { ...ctx.wait, ...(ctx.clock ? { clock: ctx.clock } : {}), progress, label };
  const operation = OPERATION[action.type];
  const need = (): LiveApplication => {
    if (!before) throw new MsfctlError('APP_NOT_FOUND', `Application ${application} does not exist.`);
    return before;
  };

  let started: Started;
  switch (action.type) {
    case 'create': {
      const live = await gateway.create(application, action.config, action.description);
      await record({ operation, status: 'SUCCESSFUL' });
      return { live };
    }
    case 'snapshot': {
      need();
      await gateway.createSnapshot(application, action.name);
      const snapshot = await waitForSnapshot(gateway, application, action.name, wait);
      await record({ operation, status: snapshot.status === 'READY' ? 'SUCCESSFUL' : 'FAILED' });
      const live = await gateway.describe(application);
      if (snapshot.status !== 'READY') {
        return {
          live,
          failure: {
            error: new MsfctlError(
              'SNAPSHOT',
              `Snapshot ${action.name} of ${application} ended ${snapshot.status}.`,
            ),
          },
        };
      }
      return { live };
    }
    case 'delete': {
      await gateway.delete(application, need().createdAt);
      await waitForStatus(gateway, application, (s) => s === undefined, wait);
      await record({ operation, status: 'SUCCESSFUL' });
      return { live: undefined };
    }
    case 'update': {
      const current = need();
      const out = await gateway.update(
        application,
        {
          versionId: current.versionId,
          ...(current.conditionalToken ? { conditionalToken: current.conditionalToken } : {}),
        },
        action.update,
        action.run,
      );
      started = out;
      break;
    }
    case 'start':
      started = await gateway.start(application, action.run);
      break;
    case 'stop':
      started = await gateway.stop(application, action.force);
      break;
    case 'rollback':
      started = await gateway.rollback(application, need().versionId);
      break;
  }

  await record({
    ...(started.operationId ? { id: started.operationId } : {}),
    operation,
    status: 'IN_PROGRESS',
  });
  const outcome = await waitForOutcome(gateway, application, started.operationId, wait);
  const op = outcome.operation;
  const live = outcome.live;
  const expected = expectedStatus(action, before);
  const opFailed = op?.status === 'FAILED' || op?.status === 'CANCELLED';
  const statusWrong = expected !== undefined && live?.status !== expected;
  await record({
    ...(op?.id || started.operationId ? { id: op?.id || started.operationId } : {}),
    operation: op?.operation ?? operation,
    status: op?.status ?? (statusWrong ? 'FAILED' : 'SUCCESSFUL'),
    ...(op?.error ? { error: op.error } : {}),
  });
  if (!opFailed && !statusWrong) return { live };
  const why = op?.error
    ? `: ${op.error}`
    : statusWrong
      ? `: ${application} ended ${live?.status ?? 'deleted'}, expected ${expected}`
      : '';
  const rolledBack = op?.rollbackOperationId
    ? ` The service rolled back (operation ${op.rollbackOperationId}).`
    : '';
  const sentence = `${op?.operation ?? operation} of ${application} ${op?.status ?? 'FAILED'}${why}`;
  const error = new MsfctlError(
    'OPERATION_FAILED',
    `${sentence}${/[.!?]$/.test(sentence) ? '' : '.'}${rolledBack}`,
    {
      hint: live
        ? `${application} is now ${live.status} at version ${live.versionId}. Fix the cause, then run msfctl apply again (msfctl history shows the operations).`
        : undefined,
      details: { operation: op, status: live?.status, versionId: live?.versionId },
    },
  );
  return { live, failure: { error, ...(op ? { operation: op } : {}) } };
}
