/**
 * The application status machine, in one table: which API calls the service accepts in which status
 * (msf-api.md §4.1; a call outside them is ResourceInUseException, the service's "not available for this
 * operation") and which status each call or job outcome moves the application to. The control plane and the
 * job supervisor change `app.status` only through `transition`; a transition the table does not declare is an
 * internal error (a bug in msf-local, never the caller's fault).
 */
import { resourceInUse } from './errors.js';
import type { Application, ApplicationStatus } from './model.js';

/** API calls whose status rules the table declares. */
export type Action =
  | 'StartApplication'
  | 'StopApplication'
  | 'ForceStopApplication'
  | 'UpdateApplication'
  | 'RollbackApplication'
  | 'CreateApplicationSnapshot'
  | 'DeleteApplication'
  | 'UpdateApplicationMaintenanceConfiguration'
  | 'ChangeApplicationResources'
  | 'CreateApplicationPresignedUrl';

/** What the job supervisor observes: the outcome of the work an API call started, or msf-local's own restart. */
export type JobEvent =
  | 'JobRunning'
  | 'JobFailed'
  | 'JobStopped'
  | 'StopFailed'
  | 'ForceStopped'
  | 'SystemRollback'
  | 'ChangeSettledReady'
  | 'ChangeSettledRunning'
  | 'RecoveredIdle'
  | 'RecoveredWithJob';

export type StatusEvent = Action | JobEvent;

interface Rule {
  from: readonly ApplicationStatus[];
  /** Absent: the call is allowed in `from` and leaves the status as it is. */
  to?: ApplicationStatus;
}

const EVERY_STATUS_BUT_DELETING: readonly ApplicationStatus[] = [
  'STARTING',
  'STOPPING',
  'READY',
  'RUNNING',
  'UPDATING',
  'AUTOSCALING',
  'FORCE_STOPPING',
  'ROLLING_BACK',
  'MAINTENANCE',
];

const TABLE: Record<StatusEvent, Rule> = {
  // ---- API calls
  StartApplication: { from: ['READY'], to: 'STARTING' },
  StopApplication: { from: ['RUNNING'], to: 'STOPPING' },
  // Force stop is the way out of any stuck transient status except DELETING.
  ForceStopApplication: {
    from: ['STARTING', 'UPDATING', 'STOPPING', 'AUTOSCALING', 'RUNNING', 'ROLLING_BACK', 'MAINTENANCE'],
    to: 'FORCE_STOPPING',
  },
  UpdateApplication: { from: ['READY', 'RUNNING'], to: 'UPDATING' },
  RollbackApplication: { from: ['UPDATING', 'AUTOSCALING', 'RUNNING'], to: 'ROLLING_BACK' },
  CreateApplicationSnapshot: { from: ['RUNNING'] },
  DeleteApplication: { from: ['READY', 'RUNNING'], to: 'DELETING' },
  UpdateApplicationMaintenanceConfiguration: { from: ['READY', 'RUNNING'] },
  // Add/Delete CloudWatch logging options and VPC configurations.
  ChangeApplicationResources: { from: ['READY', 'RUNNING'], to: 'UPDATING' },
  CreateApplicationPresignedUrl: { from: ['RUNNING'] },

  // ---- job outcomes (job-supervisor.ts)
  /** The job of a start, update or rollback runs. */
  JobRunning: { from: ['STARTING', 'UPDATING', 'ROLLING_BACK'], to: 'RUNNING' },
  /** It did not start (or, after a restart of msf-local, could not be brought back). */
  JobFailed: { from: ['STARTING', 'UPDATING', 'ROLLING_BACK', 'RUNNING'], to: 'READY' },
  JobStopped: { from: ['STOPPING'], to: 'READY' },
  /** The stop's savepoint failed and Flink keeps the job running: so does MSF. */
  StopFailed: { from: ['STOPPING'], to: 'RUNNING' },
  ForceStopped: { from: ['FORCE_STOPPING'], to: 'READY' },
  /** A failed update with system rollback enabled rolls back (msf-api.md §4.4). */
  SystemRollback: { from: ['UPDATING'], to: 'ROLLING_BACK' },
  /** A change that needed no job restart settles back where it started. */
  ChangeSettledReady: { from: ['UPDATING'], to: 'READY' },
  ChangeSettledRunning: { from: ['UPDATING'], to: 'RUNNING' },
  /** msf-local restarted: an application without a job is READY, one with a job comes back RUNNING. */
  RecoveredIdle: { from: EVERY_STATUS_BUT_DELETING, to: 'READY' },
  RecoveredWithJob: {
    from: ['STARTING', 'RUNNING', 'UPDATING', 'AUTOSCALING', 'ROLLING_BACK', 'MAINTENANCE'],
    to: 'RUNNING',
  },
};

export function isAllowed(action: Action, status: ApplicationStatus): boolean {
  return TABLE[action].from.includes(status);
}

/** `calledAs` names the API operation in the message when the action is not one (ChangeApplicationResources). */
export function assertAllowed(action: Action, app: Application, calledAs?: string): void {
  if (isAllowed(action, app.status)) return;
  const verb = calledAs ?? (action === 'ForceStopApplication' ? 'StopApplication with Force' : action);
  throw resourceInUse(
    `Application ${app.name} is in ${app.status} status. ${verb} is allowed only when the application is in ` +
      `${TABLE[action].from.join(', ')} status.`,
  );
}

/** Moves `app` to the status `event` leads to from its current one; an undeclared transition is a bug. */
export function transition(app: Application, event: StatusEvent): ApplicationStatus {
  const rule = TABLE[event];
  if (rule.to === undefined || !rule.from.includes(app.status)) {
    throw new Error(
      `msf-local internal error: application ${app.name} cannot go from ${app.status} on ${event}` +
        (rule.to === undefined ? ' (that call does not change the status)' : ''),
    );
  }
  app.status = rule.to;
  return rule.to;
}

/** The outcome that settles a configuration change back to `steady` (the status it started from). */
export function settledEvent(steady: ApplicationStatus): JobEvent {
  return steady === 'RUNNING' ? 'ChangeSettledRunning' : 'ChangeSettledReady';
}
