/**
 * Wiring: msfctl's MsfGateway and waiters (apply/wait.ts) as the RecoveryPort, with the bake watch as the
 * verify step. Nothing else of recovery depends on msfctl's service layer.
 */
import type { MsfGateway } from '../../ports/msf.js';
import { waitForOutcome, type WaitOptions } from '../wait.js';
import type { HealthResult } from '../../model/health.js';
import type { RecoveryPort } from './recovery-executor.js';

export interface GatewayPortOptions {
  wait?: WaitOptions;
  /** Runs a bake watch on the application (e.g. `(app, s) => bakeWatch({ ... }).then((o) => o.result)`). */
  verify?: (application: string, bakeSeconds: number) => Promise<HealthResult>;
}

export function recoveryPortFor(gateway: MsfGateway, options: GatewayPortOptions = {}): RecoveryPort {
  return {
    describe: (application) => gateway.describe(application),
    stop: (application, force) => gateway.stop(application, force),
    update: (application, basis, update) => gateway.update(application, basis, update),
    start: (application, run) => gateway.start(application, run),
    rollback: (application, versionId) => gateway.rollback(application, versionId),
    waitForOutcome: (application, operationId) =>
      waitForOutcome(gateway, application, operationId, options.wait),
    ...(options.verify ? { verify: options.verify } : {}),
  };
}
