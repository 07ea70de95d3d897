/** Turns a validated spec (plus the resolved code location) into the desired application the planner diffs. */
import {
  SERVICE_DEFAULTS,
  type CodeLocation,
  type DesiredApplication,
  type MonitoringSettings,
} from '../model/application.js';
import { MsfctlError } from '../model/errors.js';
import { accountOfRole, logStreamArn } from '../model/log-streams.js';
import type { ApplicationSpec } from './schema.js';

export interface DesiredContext {
  /** The target's region: a { group, stream } log stream is in it. */
  region?: string;
}

export function desiredFromSpec(
  spec: ApplicationSpec,
  code: CodeLocation,
  context: DesiredContext = {},
): DesiredApplication {
  const logStream = logStreamOf(spec, context);
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
      monitoring: monitoringOf(spec),
      checkpoints: spec.checkpoints
        ? { custom: true, ...spec.checkpoints }
        : { ...SERVICE_DEFAULTS.checkpoints },
      snapshotsEnabled: spec.snapshots.enabled,
      snapshotMode: spec.snapshots.mode,
      systemRollback: spec.systemRollback,
      ...(logStream ? { logStream } : {}),
    },
    ...(spec.tags ? { tags: spec.tags } : {}),
  };
}

/** `monitoring`, or logging.level / metricsLevel (the schema refuses both); neither: the service default. */
function monitoringOf(spec: ApplicationSpec): MonitoringSettings {
  if (spec.monitoring) return { custom: true, ...spec.monitoring };
  const { level, metricsLevel } = spec.logging ?? {};
  if (level === undefined && metricsLevel === undefined) return { ...SERVICE_DEFAULTS.monitoring };
  return {
    custom: true,
    logLevel: level ?? SERVICE_DEFAULTS.monitoring.logLevel,
    metricsLevel: metricsLevel ?? SERVICE_DEFAULTS.monitoring.metricsLevel,
  };
}

function logStreamOf(spec: ApplicationSpec, context: DesiredContext): string | undefined {
  const given = spec.logging?.logStream;
  if (given === undefined || typeof given === 'string') return given;
  const region = spec.target.region ?? context.region;
  const account = accountOfRole(spec.role);
  if (!region || !account)
    throw new MsfctlError(
      'SPEC_INVALID',
      `logging.logStream: { group, stream } needs the ${region ? "role's account" : 'region'} to make the log stream ARN.`,
      { hint: 'Give target.region (or --region), or write logging.logStream as the full log stream ARN.' },
    );
  return logStreamArn({ region, account, group: given.group, stream: given.stream });
}
