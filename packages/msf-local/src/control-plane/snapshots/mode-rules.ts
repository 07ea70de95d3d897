/**
 * The rules of snapshot modes (msf-api.md §7): enhanced mode needs FLINK-1_20 or later and is one-way, and an
 * application restores a legacy snapshot by name or an enhanced snapshot by ARN, never the other. Pure checks
 * that throw the service's errors.
 */
import { invalidArgument, unsupportedOperation } from '../errors.js';
import type { ApplicationConfig, ApplicationVersion } from '../model.js';
import { isEnhanced } from './model.js';
import type { SnapshotMode } from './model.js';

const FIRST_ENHANCED_RUNTIME = 'FLINK-1_20';

/** FLINK-X_Y as a comparable number (X * 1000 + Y); undefined for other runtimes. */
export function flinkRuntimeRank(runtime: string): number | undefined {
  const match = /^FLINK-(\d+)_(\d+)$/.exec(runtime);
  return match ? Number(match[1]) * 1000 + Number(match[2]) : undefined;
}

export function supportsEnhancedSnapshots(runtime: string): boolean {
  return (flinkRuntimeRank(runtime) ?? 0) >= flinkRuntimeRank(FIRST_ENHANCED_RUNTIME)!;
}

function needsNewerRuntime(runtime: string, what: string) {
  return invalidArgument(
    `${what}: SnapshotMode ENHANCED_SNAPSHOTS requires Apache Flink 1.20 or later (FLINK-1_20 or a later ` +
      `RuntimeEnvironment); the application uses ${runtime}.`,
  );
}

export function checkModeOnCreate(mode: SnapshotMode | undefined, runtime: string): void {
  if (mode === 'ENHANCED_SNAPSHOTS' && !supportsEnhancedSnapshots(runtime)) {
    throw needsNewerRuntime(runtime, 'Cannot create the application');
  }
}

/**
 * An UpdateApplication may switch legacy → enhanced (judged on the application's current runtime, not on a
 * RuntimeEnvironmentUpdate in the same request, as MSF documents), never back, and an enhanced application
 * cannot move to a runtime older than FLINK-1_20.
 */
export function checkModeUpdate(
  previous: ApplicationConfig,
  update: { snapshotMode?: SnapshotMode; runtimeEnvironment?: string },
): void {
  const wasEnhanced = isEnhanced(previous);
  if (wasEnhanced && update.snapshotMode === 'APPLICATION_SNAPSHOTS_LEGACY') {
    throw invalidArgument(
      'SnapshotModeUpdate cannot change ENHANCED_SNAPSHOTS back to APPLICATION_SNAPSHOTS_LEGACY: the switch to ' +
        'enhanced snapshots is one-way. RollbackApplication returns to the previous version only if the ' +
        'application was not updated after the switch.',
    );
  }
  if (!wasEnhanced && update.snapshotMode === 'ENHANCED_SNAPSHOTS') {
    if (!supportsEnhancedSnapshots(previous.runtimeEnvironment)) {
      throw needsNewerRuntime(
        previous.runtimeEnvironment,
        'Cannot switch to enhanced snapshots (upgrade the runtime in a separate UpdateApplication first)',
      );
    }
  }
  const enhancedAfter = wasEnhanced || update.snapshotMode === 'ENHANCED_SNAPSHOTS';
  if (enhancedAfter && update.runtimeEnvironment && !supportsEnhancedSnapshots(update.runtimeEnvironment)) {
    throw needsNewerRuntime(
      update.runtimeEnvironment,
      `Cannot change the runtime to ${update.runtimeEnvironment}`,
    );
  }
}

/** A rollback may leave enhanced mode only from the version that switched to it (MSF's documented rule). */
export function checkRollbackMode(
  name: string,
  current: ApplicationVersion,
  target: ApplicationVersion,
): void {
  if (isEnhanced(current.config) && !isEnhanced(target.config) && current.rolledBackFrom !== undefined) {
    throw unsupportedOperation(
      `Application ${name} cannot be rolled back to version ${target.id} (APPLICATION_SNAPSHOTS_LEGACY): it was ` +
        `updated after switching to ENHANCED_SNAPSHOTS.`,
    );
  }
}

/** RESTORE_FROM_CUSTOM_SNAPSHOT names exactly one snapshot, of the kind the application's mode uses. */
export function checkCustomRestoreReference(
  name: string,
  run: { snapshotName?: string; snapshotArn?: string },
  enhanced: boolean,
): void {
  if (run.snapshotName !== undefined && run.snapshotArn !== undefined) {
    throw invalidArgument(
      'ApplicationRestoreConfiguration takes exactly one of SnapshotName and SnapshotArn, not both.',
    );
  }
  if (run.snapshotName === undefined && run.snapshotArn === undefined) {
    throw invalidArgument(
      enhanced
        ? 'SnapshotArn is required when ApplicationRestoreType is RESTORE_FROM_CUSTOM_SNAPSHOT.'
        : 'SnapshotName is required when ApplicationRestoreType is RESTORE_FROM_CUSTOM_SNAPSHOT.',
    );
  }
  if (enhanced && run.snapshotName !== undefined) {
    throw invalidArgument(
      `Application ${name} uses SnapshotMode ENHANCED_SNAPSHOTS: restore from an enhanced snapshot with ` +
        `SnapshotArn; SnapshotName identifies an application snapshot (legacy).`,
    );
  }
  if (!enhanced && run.snapshotArn !== undefined) {
    throw invalidArgument(
      `Application ${name} uses SnapshotMode APPLICATION_SNAPSHOTS_LEGACY: SnapshotArn identifies an enhanced ` +
        `snapshot, which only an application in ENHANCED_SNAPSHOTS mode can restore; use SnapshotName.`,
    );
  }
}

/** CreateApplicationSnapshot belongs to legacy mode; enhanced applications use CreateSnapshot. */
export function checkLegacySnapshotOperation(
  name: string,
  config: ApplicationConfig,
  operation: string,
): void {
  if (isEnhanced(config)) {
    throw unsupportedOperation(
      `${operation} is for application snapshots (legacy); application ${name} uses SnapshotMode ` +
        `ENHANCED_SNAPSHOTS: use CreateSnapshot.`,
    );
  }
}
