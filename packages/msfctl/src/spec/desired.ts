/** Turns a validated spec (plus the resolved code location) into the desired application the planner diffs. */
import { SERVICE_DEFAULTS, type CodeLocation, type DesiredApplication } from '../model/application.js';
import type { ApplicationSpec } from './schema.js';

export function desiredFromSpec(spec: ApplicationSpec, code: CodeLocation): DesiredApplication {
  return {
    name: spec.application,
    ...(spec.description !== undefined ? { description: spec.description } : {}),
    running: spec.running,
    restore: {
      from: spec.restore.from,
      ...(spec.restore.snapshot ? { snapshot: spec.restore.snapshot } : {}),
      allowNonRestoredState: spec.restore.allowNonRestoredState,
    },
    config: {
      runtime: spec.runtime,
      role: spec.role,
      code,
      properties: spec.properties,
      parallelism: spec.parallelism
        ? { custom: true, ...spec.parallelism }
        : { ...SERVICE_DEFAULTS.parallelism },
      monitoring: spec.monitoring ? { custom: true, ...spec.monitoring } : { ...SERVICE_DEFAULTS.monitoring },
      checkpoints: spec.checkpoints
        ? { custom: true, ...spec.checkpoints }
        : { ...SERVICE_DEFAULTS.checkpoints },
      snapshotsEnabled: spec.snapshots.enabled,
      snapshotMode: spec.snapshots.mode,
      systemRollback: spec.systemRollback,
    },
  };
}
