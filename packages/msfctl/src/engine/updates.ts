/** The UpdateApplication payload between two configurations: every changed section, sent whole. Pure. */
import type { AppConfig, ConfigUpdate } from '../model/application.js';
import { diffConfig, sectionsOf, type FieldChange } from '../model/changes.js';

export function configUpdateBetween(
  from: AppConfig,
  to: AppConfig,
): { update: ConfigUpdate; changes: FieldChange[] } {
  const changes = diffConfig(from, to);
  const update: ConfigUpdate = {};
  for (const section of sectionsOf(changes)) {
    switch (section) {
      case 'runtime':
        update.runtime = to.runtime;
        break;
      case 'role':
        update.role = to.role;
        break;
      case 'code':
        update.code = to.code;
        break;
      case 'properties':
        // The service replaces the whole set of property groups, so it is always sent complete.
        update.properties = to.properties;
        break;
      case 'parallelism':
        update.parallelism = to.parallelism;
        break;
      case 'monitoring':
        update.monitoring = to.monitoring;
        break;
      case 'checkpoints':
        update.checkpoints = to.checkpoints;
        break;
      case 'snapshotsEnabled':
        update.snapshotsEnabled = to.snapshotsEnabled;
        break;
      case 'snapshotMode':
        // SnapshotModeUpdate travels in ApplicationSnapshotConfigurationUpdate, whose SnapshotsEnabledUpdate is required.
        update.snapshotMode = to.snapshotMode;
        update.snapshotsEnabled = to.snapshotsEnabled;
        break;
      case 'systemRollback':
        update.systemRollback = to.systemRollback;
        break;
      case 'logging':
      case 'tags':
        // Not UpdateApplication's: the planner adds their own actions (engine/logging.ts).
        break;
    }
  }
  return { update, changes };
}
