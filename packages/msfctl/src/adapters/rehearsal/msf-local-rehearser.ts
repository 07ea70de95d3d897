/**
 * The Rehearser port over msf-local's public library API `rehearse()` (packages/msf-local README, "Deploy
 * rehearsal"): a private real Flink of the runtime, the job's AWS clients pointed at a private local endpoint.
 * A RehearsalError (no verdict: bad savepoint, a sandbox that does not start) becomes an MsfctlError.
 */
import { isSupportedRuntime } from 'msf-flink-runtime';
import { rehearse, RehearsalError, type RuntimeEnvironment } from 'msf-local';
import { MsfctlError } from '../../model/errors.js';
import type { Rehearser, RehearsalOutcome, RehearsalRequest } from '../../ports/rehearsal.js';

export function msfLocalRehearser(): Rehearser {
  return {
    rehearsable: (runtime) => isSupportedRuntime(runtime),
    async rehearse(request: RehearsalRequest): Promise<RehearsalOutcome> {
      try {
        const result = await rehearse({
          runtime: request.runtime as RuntimeEnvironment,
          jar: request.jarPath,
          savepoint: request.savepoint,
          propertyGroups: request.properties,
          parallelism: request.parallelism,
          parallelismPerKpu: request.parallelismPerKpu,
          allowNonRestoredState: request.allowNonRestoredState,
          windowSeconds: request.windowSeconds,
          ...(request.region ? { region: request.region } : {}),
          ...(request.signal ? { signal: request.signal } : {}),
          onProgress: (e) => request.onProgress?.(e.message),
          log: () => undefined,
        });
        const f = result.failure;
        return {
          passed: result.passed,
          flinkVersion: result.flinkVersion,
          savepoint: {
            path: result.savepoint.path,
            sizeBytes: result.savepoint.sizeBytes,
            files: result.savepoint.files,
          },
          ...(result.restoredFrom ? { restoredFrom: result.restoredFrom } : {}),
          checkpointsCompleted: result.checkpointsCompleted,
          restarts: result.restarts,
          durationMs: result.durationMs,
          timings: { ...result.timings },
          blockedConnections: result.blockedConnections,
          ...(f
            ? {
                failure: {
                  kind: f.kind,
                  message: f.message,
                  phase: f.phase,
                  ...(f.rootCause ? { rootCause: f.rootCause } : {}),
                  ...(f.operator ? { operator: { ...f.operator } } : {}),
                },
              }
            : {}),
        };
      } catch (error) {
        if (error instanceof RehearsalError)
          throw new MsfctlError('LOCAL_RUNTIME', `The rehearsal could not run: ${error.message}`, {
            cause: error,
          });
        throw error;
      }
    },
  };
}
