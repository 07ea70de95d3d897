/**
 * The one executor: runs an action plan in order — a deploy, a lifecycle command or a recovery alike — one
 * service call (or wait, or health watch) per action, waiting for each to finish. It decides nothing (the verb
 * or the recovery policy did); it stops at the first failure and returns what happened, with the failed
 * operation's ErrorString. How actions look while they run is the caller's (a presenter), and so is where the
 * operations are recorded (the ledger).
 */
import type { Action, ActionRecord } from '../model/actions.js';
import type {
  AppStatus,
  LiveApplication,
  OperationInfo,
  S3Prefix,
  SnapshotInfo,
} from '../model/application.js';
import { MsfctlError } from '../model/errors.js';
import type { HealthResult } from '../model/health.js';
import type { OperationRecord } from '../model/ledger.js';
import { systemClock, type Clock } from '../ports/clock.js';
import type { Progress } from '../ports/io-host.js';
import type { MsfGateway, Started } from '../ports/msf.js';
import type { SnapshotExporter } from '../ports/snapshot-export.js';
import { waitForOutcome, waitForSnapshot, waitForStatus, type WaitOptions } from './wait.js';

/** How actions show while they run: a progress line each (a deploy), or numbered steps (a recovery). */
export interface ActionPresenter {
  begin(action: Action, index: number): Progress;
  end(record: ActionRecord, index: number, progress: Progress): void;
  /** The name an operation is recorded under, e.g. "UpdateApplication" or "recovery: update (UpdateApplication)". */
  operationName(action: Action, operation: string | undefined): string;
}

export interface ExecutionContext {
  gateway: MsfGateway;
  application: string;
  /** The application as last described before the first action (undefined: it does not exist). */
  basis: LiveApplication | undefined;
  presenter: ActionPresenter;
  clock?: Clock;
  wait?: Omit<WaitOptions, 'progress' | 'label' | 'clock'>;
  /** The health watch verify actions run; without one they are skipped (and say so). */
  verify?: (application: string, bakeSeconds: number) => Promise<HealthResult>;
  /** Called as each service operation starts and ends (the ledger records them). */
  onOperation?: (record: OperationRecord) => Promise<void>;
  /** Throws if the lock was lost; checked before every action. */
  assertLockHeld?: () => void;
  /** The target's snapshot exporter: export actions need it. */
  exporter?: SnapshotExporter;
}

export interface ActionFailure {
  action: Action;
  error: MsfctlError;
  operation?: OperationInfo;
}

export interface ExecutionResult {
  ok: boolean;
  /** The application as the last action left it (undefined after a delete). */
  live: LiveApplication | undefined;
  completed: Action[];
  records: ActionRecord[];
  operations: OperationRecord[];
  failure?: ActionFailure;
}

/** The service call behind each action (none for wait, reconcile and verify). */
export const OPERATION: Partial<Record<Action['type'], string>> = {
  create: 'CreateApplication',
  update: 'UpdateApplication',
  start: 'StartApplication',
  stop: 'StopApplication',
  'force-stop': 'StopApplication',
  rollback: 'RollbackApplication',
  snapshot: 'CreateApplicationSnapshot',
  export: 'ExportSnapshot',
  delete: 'DeleteApplication',
  'add-logging': 'AddApplicationCloudWatchLoggingOption',
  'delete-logging': 'DeleteApplicationCloudWatchLoggingOption',
  tag: 'TagResource',
};

/** The steady status an action must end in to count as successful. */
function expectedStatus(action: Action, before: LiveApplication | undefined): AppStatus | undefined {
  switch (action.type) {
    case 'start':
    case 'rollback':
      return 'RUNNING';
    case 'stop':
    case 'force-stop':
      return 'READY';
    case 'update':
    case 'add-logging':
    case 'delete-logging':
      return before?.status === 'RUNNING' ? 'RUNNING' : 'READY';
    default:
      return undefined;
  }
}

interface Outcome {
  live: LiveApplication | undefined;
  skipped?: string;
  operation?: OperationInfo;
  health?: HealthResult;
  snapshot?: SnapshotInfo;
  exported?: S3Prefix;
  failure?: { error: MsfctlError; operation?: OperationInfo };
}

export async function executePlan(
  actions: readonly Action[],
  ctx: ExecutionContext,
): Promise<ExecutionResult> {
  const clock = ctx.clock ?? systemClock;
  let live = ctx.basis;
  const completed: Action[] = [];
  const records: ActionRecord[] = [];
  const operations: OperationRecord[] = [];
  const record = async (op: OperationRecord) => {
    const i = op.id === undefined ? -1 : operations.findIndex((o) => o.id === op.id);
    if (i >= 0) operations[i] = op;
    else operations.push(op);
    await ctx.onOperation?.(op);
  };

  for (const [index, action] of actions.entries()) {
    const progress = ctx.presenter.begin(action, index);
    const startedAt = clock.now();
    let outcome: Outcome;
    try {
      ctx.assertLockHeld?.();
      outcome = await runAction(action, live, ctx, progress, record);
    } catch (error) {
      const e = MsfctlError.is(error)
        ? error
        : new MsfctlError('AWS', (error as Error).message ?? String(error), { cause: error });
      const name = OPERATION[action.type];
      outcome = { live, failure: { error: e } };
      // A call the service refused (no operation started): recorded as failed under the call's name.
      if (name && !e.message.startsWith(name))
        await record({
          operation: ctx.presenter.operationName(action, name),
          status: 'FAILED',
          error: e.message,
        });
    }
    if ('live' in outcome) live = outcome.live;
    const done: ActionRecord = {
      action,
      ok: !outcome.failure,
      startedAt,
      endedAt: clock.now(),
      live,
      ...(outcome.skipped ? { skipped: outcome.skipped } : {}),
      ...(outcome.operation ? { operation: outcome.operation } : {}),
      ...(outcome.health ? { health: outcome.health } : {}),
      ...(outcome.snapshot ? { snapshot: outcome.snapshot } : {}),
      ...(outcome.exported ? { exported: outcome.exported } : {}),
      ...(outcome.failure ? { error: outcome.failure.error.message } : {}),
    };
    records.push(done);
    ctx.presenter.end(done, index, progress);
    if (outcome.failure)
      return { ok: false, live, completed, records, operations, failure: { action, ...outcome.failure } };
    completed.push(action);
  }
  return { ok: true, live, completed, records, operations };
}

async function runAction(
  action: Action,
  before: LiveApplication | undefined,
  ctx: ExecutionContext,
  progress: Progress,
  record: (op: OperationRecord) => Promise<void>,
): Promise<Outcome> {
  const { gateway, application } = ctx;
  const wait: WaitOptions = { ...ctx.wait, ...(ctx.clock ? { clock: ctx.clock } : {}), progress };
  const name = (operation?: string) => ctx.presenter.operationName(action, operation);
  const need = async (): Promise<LiveApplication> => {
    const live = before ?? (await gateway.describe(application));
    if (!live) throw new MsfctlError('APP_NOT_FOUND', `Application ${application} does not exist.`);
    return live;
  };

  let started: Started;
  switch (action.type) {
    case 'create': {
      const live = await gateway.create(application, action.config, action.description, action.tags);
      await record({ operation: name(OPERATION.create), status: 'SUCCESSFUL' });
      return { live };
    }
    case 'snapshot': {
      const mode = (await need()).config.snapshotMode;
      const operation = mode === 'enhanced' ? 'CreateSnapshot' : OPERATION.snapshot;
      await gateway.createSnapshot(application, action.name, mode);
      const snapshot = await waitForSnapshot(gateway, application, action.name, {
        ...wait,
        enhanced: mode === 'enhanced',
      });
      await record({
        operation: name(operation),
        status: snapshot.status === 'READY' ? 'SUCCESSFUL' : 'FAILED',
      });
      const live = await gateway.describe(application);
      if (snapshot.status !== 'READY') {
        return {
          live,
          snapshot,
          failure: {
            error: new MsfctlError(
              'SNAPSHOT',
              `Snapshot ${action.name} of ${application} ended ${snapshot.status}.`,
            ),
          },
        };
      }
      return { live, snapshot };
    }
    case 'export': {
      if (!ctx.exporter) throw new MsfctlError('SNAPSHOT', 'This target offers no snapshot export.');
      const snapshot = (await gateway.listSnapshots(application)).find(
        (s) => s.name === action.snapshot && Boolean(s.enhanced) === action.enhanced,
      );
      if (!snapshot || snapshot.status !== 'READY')
        throw new MsfctlError(
          'SNAPSHOT',
          `Snapshot ${action.snapshot} of ${application} ${snapshot ? `is ${snapshot.status}` : 'does not exist'}: nothing to export.`,
        );
      const exported = await ctx.exporter.export({
        application,
        snapshot,
        to: action.to,
        role: action.role,
        progress,
      });
      await record({
        ...(exported.operationId ? { id: exported.operationId } : {}),
        operation: name(exported.operation),
        status: 'SUCCESSFUL',
      });
      return { live: before, snapshot, exported: exported.location };
    }
    case 'delete': {
      await gateway.delete(application, (await need()).createdAt);
      await waitForStatus(gateway, application, (s) => s === undefined, wait);
      await record({ operation: name(OPERATION.delete), status: 'SUCCESSFUL' });
      return { live: undefined };
    }
    case 'wait': {
      const outcome = await waitForOutcome(gateway, application, action.operationId, wait);
      await record({
        id: action.operationId,
        operation: name(outcome.operation?.operation),
        status: outcome.operation?.status ?? 'SUCCESSFUL',
      });
      return { live: outcome.live, ...(outcome.operation ? { operation: outcome.operation } : {}) };
    }
    case 'reconcile': {
      const live = await gateway.describe(application);
      await record({ operation: name(undefined), status: 'SUCCESSFUL' });
      return { live };
    }
    case 'verify': {
      if (!ctx.verify) {
        await record({ operation: name(undefined), status: 'SKIPPED' });
        return { live: before, skipped: 'no health watch available' };
      }
      const health = await ctx.verify(application, action.bakeSeconds);
      if (health.status === 'unhealthy') {
        const error = `still unhealthy: ${health.reason}`;
        await record({ operation: name(undefined), status: 'FAILED', error });
        return { live: before, health, failure: { error: new MsfctlError('OPERATION_FAILED', error) } };
      }
      const skipped = health.status === 'unknown' ? `health not known: ${health.reason}` : undefined;
      await record({ operation: name(undefined), status: skipped ? 'SKIPPED' : 'SUCCESSFUL' });
      return { live: before, health, ...(skipped ? { skipped } : {}) };
    }
    case 'force-stop': {
      const current = await need();
      if (current.status === 'READY') {
        await record({ operation: name(undefined), status: 'SKIPPED' });
        return { live: current, skipped: `${application} is already READY` };
      }
      started = await gateway.stop(application, true);
      break;
    }
    case 'update': {
      const current = await need();
      started = await gateway.update(
        application,
        {
          versionId: current.versionId,
          ...(current.conditionalToken ? { conditionalToken: current.conditionalToken } : {}),
        },
        action.update,
        action.run,
      );
      before = current;
      break;
    }
    case 'add-logging':
    case 'delete-logging': {
      const current = await need();
      const basis = {
        versionId: current.versionId,
        ...(current.conditionalToken ? { conditionalToken: current.conditionalToken } : {}),
      };
      started =
        action.type === 'add-logging'
          ? await gateway.addLoggingOption(application, basis, action.logStream)
          : await gateway.deleteLoggingOption(application, basis, action.optionId);
      before = current;
      break;
    }
    case 'tag': {
      const current = await need();
      await gateway.changeTags(current.arn, action.set, action.remove);
      await record({ operation: name(OPERATION.tag), status: 'SUCCESSFUL' });
      return { live: current };
    }
    case 'start':
      started = await gateway.start(application, action.run);
      break;
    case 'stop':
      started = await gateway.stop(application, false);
      break;
    case 'rollback':
      started = await gateway.rollback(application, (await need()).versionId);
      break;
  }

  const operation = OPERATION[action.type]!;
  await record({
    ...(started.operationId ? { id: started.operationId } : {}),
    operation: name(operation),
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
    operation: name(op?.operation ?? operation),
    status: op?.status ?? (statusWrong ? 'FAILED' : 'SUCCESSFUL'),
    ...(op?.error ? { error: op.error } : {}),
  });
  if (!opFailed && !statusWrong) return { live, ...(op ? { operation: op } : {}) };
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
  return { live, ...(op ? { operation: op } : {}), failure: { error, ...(op ? { operation: op } : {}) } };
}
