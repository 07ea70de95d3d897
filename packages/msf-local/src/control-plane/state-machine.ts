/**
 * Which calls the service accepts in which application status (msf-api.md §4.1). A call outside its allowed
 * statuses is answered with ResourceInUseException, the service's "not available for this operation".
 */
import { resourceInUse } from './errors.js';
import type { Application, ApplicationStatus } from './model.js';

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

const ALLOWED: Record<Action, readonly ApplicationStatus[]> = {
  StartApplication: ['READY'],
  StopApplication: ['RUNNING'],
  // Force stop is the way out of any stuck transient status except DELETING.
  ForceStopApplication: [
    'STARTING',
    'UPDATING',
    'STOPPING',
    'AUTOSCALING',
    'RUNNING',
    'ROLLING_BACK',
    'MAINTENANCE',
  ],
  UpdateApplication: ['READY', 'RUNNING'],
  RollbackApplication: ['UPDATING', 'AUTOSCALING', 'RUNNING'],
  CreateApplicationSnapshot: ['RUNNING'],
  DeleteApplication: ['READY', 'RUNNING'],
  UpdateApplicationMaintenanceConfiguration: ['READY', 'RUNNING'],
  // Add/Delete CloudWatch logging options and VPC configurations.
  ChangeApplicationResources: ['READY', 'RUNNING'],
  CreateApplicationPresignedUrl: ['RUNNING'],
};

export function isAllowed(action: Action, status: ApplicationStatus): boolean {
  return ALLOWED[action].includes(status);
}

/** `calledAs` names the API operation in the message when the action is not one (ChangeApplicationResources). */
export function assertAllowed(action: Action, app: Application, calledAs?: string): void {
  if (isAllowed(action, app.status)) return;
  const verb = calledAs ?? (action === 'ForceStopApplication' ? 'StopApplication with Force' : action);
  throw resourceInUse(
    `Application ${app.name} is in ${app.status} status. ${verb} is allowed only when the application is in ` +
      `${ALLOWED[action].join(', ')} status.`,
  );
}
