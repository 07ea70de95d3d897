/**
 * Waiters: poll DescribeApplicationOperation and DescribeApplication until the service says an operation
 * ended and the application settled. Never a fixed sleep: the poll interval grows from `pollMs` to
 * `maxPollMs`, and every poll updates the progress display. Time comes from an injected clock.
 */
import type { MsfGateway } from '../ports/msf.js';
import {
  isSteady,
  type AppStatus,
  type LiveApplication,
  type OperationInfo,
  type SnapshotInfo,
  type SnapshotOperationInfo,
} from '../model/application.js';
import { MsfctlError } from '../model/errors.js';
import type { Progress } from '../ports/io-host.js';
import { systemClock, type Clock } from '../ports/clock.js';
import { formatDuration } from '../model/duration.js';

export interface WaitOptions {
  clock?: Clock;
  /** First poll interval. @default 500 */
  pollMs?: number;
  /** Longest poll interval. @default 3000 */
  maxPollMs?: number;
  /** Give up after this long. @default 30 minutes */
  timeoutMs?: number;
  progress?: Progress;
  /** Prefix for progress text, e.g. "Updating stock-prices". */
  label?: string;
}

const DEFAULTS = { pollMs: 500, maxPollMs: 3_000, timeoutMs: 30 * 60_000 };

async function poll<T>(
  options: WaitOptions,
  what: string,
  step: () => Promise<{ done: true; value: T } | { done: false; text: string }>,
): Promise<T> {
  const clock = options.clock ?? systemClock;
  const started = clock.now();
  const timeout = options.timeoutMs ?? DEFAULTS.timeoutMs;
  let interval = options.pollMs ?? DEFAULTS.pollMs;
  for (;;) {
    const result = await step();
    if (result.done) return result.value;
    options.progress?.update(options.label ? `${options.label}: ${result.text}` : result.text);
    if (clock.now() - started >= timeout) {
      throw new MsfctlError(
        'TIMEOUT',
        `Gave up waiting for ${what} after ${formatDuration(clock.now() - started)} (last seen: ${result.text}).`,
        {
          hint: 'The operation may still finish: check `msfctl status`.',
        },
      );
    }
    await clock.sleep(interval);
    interval = Math.min(options.maxPollMs ?? DEFAULTS.maxPollMs, Math.round(interval * 1.5));
  }
}

/** Resolves with the operation once it is no longer IN_PROGRESS. */
export function waitForOperation(
  gateway: MsfGateway,
  application: string,
  operationId: string,
  options: WaitOptions = {},
): Promise<OperationInfo> {
  return poll(options, `operation ${operationId} of ${application}`, async () => {
    const op = await gateway.describeOperation(application, operationId);
    if (op.status !== 'IN_PROGRESS') return { done: true, value: op };
    const live = await gateway.describe(application);
    return { done: false, text: `${live?.status ?? 'gone'} (${op.operation} in progress)` };
  });
}

/** Resolves with the application once `accept` holds for its status (undefined: the application is gone). */
export function waitForStatus(
  gateway: MsfGateway,
  application: string,
  accept: (status: AppStatus | undefined) => boolean,
  options: WaitOptions = {},
): Promise<LiveApplication | undefined> {
  return poll(options, `${application} to settle`, async () => {
    const live = await gateway.describe(application);
    if (accept(live?.status)) return { done: true, value: live };
    return { done: false, text: live ? live.status : 'deleted' };
  });
}

export function waitUntilSteady(
  gateway: MsfGateway,
  application: string,
  options: WaitOptions = {},
): Promise<LiveApplication | undefined> {
  return waitForStatus(gateway, application, (s) => s === undefined || isSteady(s), options);
}

/**
 * Waits for an operation (when the service returned its id) and then for a steady status. Without an
 * operation id, the newest operation of the application is looked up once the status settles.
 */
export async function waitForOutcome(
  gateway: MsfGateway,
  application: string,
  operationId: string | undefined,
  options: WaitOptions = {},
): Promise<{ live: LiveApplication | undefined; operation?: OperationInfo }> {
  let operation = operationId
    ? await waitForOperation(gateway, application, operationId, options)
    : undefined;
  const live = await waitUntilSteady(gateway, application, options);
  if (!operation && live) operation = (await gateway.listOperations(application, 1))[0];
  return { live, ...(operation ? { operation } : {}) };
}

/** Resolves with the snapshot (an enhanced one, or an application snapshot) once it is READY or FAILED. */
export function waitForSnapshot(
  gateway: MsfGateway,
  application: string,
  name: string,
  options: WaitOptions & { enhanced?: boolean } = {},
): Promise<SnapshotInfo> {
  return poll(options, `snapshot ${name} of ${application}`, async () => {
    const snapshot = (await gateway.listSnapshots(application)).find(
      (s) => s.name === name && Boolean(s.enhanced) === (options.enhanced ?? false),
    );
    if (snapshot && (snapshot.status === 'READY' || snapshot.status === 'FAILED'))
      return { done: true, value: snapshot };
    return { done: false, text: `snapshot ${name} ${snapshot?.status ?? 'requested'}` };
  });
}

/**
 * Resolves once the snapshot no longer exists (deletion is asynchronous: DELETING → gone). An enhanced snapshot
 * is looked up by name account-wide (its application may be gone), an application snapshot in its application.
 */
export function waitForSnapshotGone(
  gateway: MsfGateway,
  application: string,
  snapshot: Pick<SnapshotInfo, 'name' | 'enhanced' | 'createdAt'>,
  options: WaitOptions = {},
): Promise<void> {
  const { name } = snapshot;
  return poll(
    options,
    `snapshot ${name}${snapshot.enhanced ? '' : ` of ${application}`} to be deleted`,
    async () => {
      const left = snapshot.enhanced
        ? await gateway.describeEnhancedSnapshot(name)
        : (await gateway.listSnapshots(application)).find((s) => s.name === name && !s.enhanced);
      // A new snapshot may take a deleted one's name (and so its ARN): it is another one.
      if (!left || left.createdAt !== snapshot.createdAt) return { done: true, value: undefined };
      return { done: false, text: `snapshot ${name} ${left.status}` };
    },
  );
}

/** Resolves with a snapshot operation (ImportSnapshot, ExportSnapshot, …) once it is no longer IN_PROGRESS. */
export function waitForSnapshotOperation(
  gateway: MsfGateway,
  snapshot: string,
  operationId: string,
  options: WaitOptions = {},
): Promise<SnapshotOperationInfo> {
  return poll(options, `operation ${operationId} of snapshot ${snapshot}`, async () => {
    const operation = await gateway.describeSnapshotOperation(snapshot, operationId);
    if (operation.status !== 'IN_PROGRESS') return { done: true, value: operation };
    return { done: false, text: `${operation.operation} in progress` };
  });
}
