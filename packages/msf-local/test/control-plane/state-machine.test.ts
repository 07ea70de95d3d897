/** The application status table: declared transitions move the status, anything else is refused. */
import { describe, expect, it } from 'vitest';
import type { Application, ApplicationStatus } from '../../src/control-plane/model.js';
import { assertAllowed, isAllowed, transition } from '../../src/control-plane/state-machine.js';

const app = (status: ApplicationStatus) => ({ name: 'orders', status }) as Application;

describe('application status transitions', () => {
  it('moves the status as the table declares, for API calls and job outcomes alike', () => {
    const a = app('READY');
    expect(transition(a, 'StartApplication')).toBe('STARTING');
    expect(transition(a, 'JobRunning')).toBe('RUNNING');
    expect(transition(a, 'UpdateApplication')).toBe('UPDATING');
    expect(transition(a, 'SystemRollback')).toBe('ROLLING_BACK');
    expect(transition(a, 'JobFailed')).toBe('READY');
    expect(a.status).toBe('READY');
  });

  it('refuses an undeclared transition as an internal error and leaves the status alone', () => {
    const a = app('STOPPING');
    expect(() => transition(a, 'JobRunning')).toThrow(
      'msf-local internal error: application orders cannot go from STOPPING on JobRunning',
    );
    expect(a.status).toBe('STOPPING');
    expect(() => transition(app('RUNNING'), 'CreateApplicationSnapshot')).toThrow(
      /does not change the status/,
    );
    expect(() => transition(app('DELETING'), 'RecoveredIdle')).toThrow(/cannot go from DELETING/);
  });

  it('answers calls outside their statuses with ResourceInUseException, from the same table', () => {
    expect(isAllowed('StopApplication', 'RUNNING')).toBe(true);
    expect(isAllowed('StopApplication', 'READY')).toBe(false);
    expect(() => assertAllowed('ForceStopApplication', app('READY'))).toThrow(
      'Application orders is in READY status. StopApplication with Force is allowed only when the application ' +
        'is in STARTING, UPDATING, STOPPING, AUTOSCALING, RUNNING, ROLLING_BACK, MAINTENANCE status.',
    );
  });
});
