/**
 * The per-field change table: how each configuration field is compared and what kind of change it is.
 * Kinds order the plan's wording ("code change", "scale", ...); every kind is applied by UpdateApplication.
 */
import type { AppConfig, Tags } from './application.js';
import { describeCode } from './application.js';

export type ChangeKind = 'code' | 'runtime' | 'scale' | 'config';

/**
 * The UpdateApplication section a change travels in; a changed section is sent whole. Two travel in calls of
 * their own: logging (Add/DeleteApplicationCloudWatchLoggingOption) and tags (TagResource/UntagResource).
 */
export type UpdateSection =
  | 'runtime'
  | 'role'
  | 'code'
  | 'properties'
  | 'parallelism'
  | 'monitoring'
  | 'checkpoints'
  | 'snapshotsEnabled'
  | 'snapshotMode'
  | 'systemRollback'
  | 'logging'
  | 'tags';

export interface FieldChange {
  /** Spec-style path, e.g. `monitoring.logLevel`, `properties.OutputStream0["stream.name"]`. */
  field: string;
  kind: ChangeKind;
  section: UpdateSection;
  /** Display values; undefined = absent. */
  before: string | undefined;
  after: string | undefined;
  /** The service cannot undo this change (the switch to enhanced snapshots). */
  oneWay?: true;
}

const KIND_LABEL: Record<ChangeKind, string> = {
  code: 'code change',
  runtime: 'runtime upgrade',
  scale: 'scale',
  config: 'config change',
};

export function kindLabel(kind: ChangeKind): string {
  return KIND_LABEL[kind];
}

interface Rule {
  field: string;
  section: UpdateSection;
  kind: ChangeKind;
  read: (c: AppConfig) => string | undefined;
  /** The change to this value cannot be undone. */
  oneWayTo?: string;
}

const RULES: Rule[] = [
  { field: 'runtime', section: 'runtime', kind: 'runtime', read: (c) => c.runtime },
  { field: 'code', section: 'code', kind: 'code', read: (c) => describeCode(c.code) },
  { field: 'role', section: 'role', kind: 'config', read: (c) => c.role },
  {
    field: 'parallelism.parallelism',
    section: 'parallelism',
    kind: 'scale',
    read: (c) => String(c.parallelism.parallelism),
  },
  {
    field: 'parallelism.perKpu',
    section: 'parallelism',
    kind: 'scale',
    read: (c) => String(c.parallelism.perKpu),
  },
  {
    field: 'parallelism.autoscaling',
    section: 'parallelism',
    kind: 'scale',
    read: (c) => String(c.parallelism.autoscaling),
  },
  { field: 'monitoring.logLevel', section: 'monitoring', kind: 'config', read: (c) => c.monitoring.logLevel },
  {
    field: 'monitoring.metricsLevel',
    section: 'monitoring',
    kind: 'config',
    read: (c) => c.monitoring.metricsLevel,
  },
  {
    field: 'checkpoints.enabled',
    section: 'checkpoints',
    kind: 'config',
    read: (c) => String(c.checkpoints.enabled),
  },
  {
    field: 'checkpoints.intervalMs',
    section: 'checkpoints',
    kind: 'config',
    read: (c) => String(c.checkpoints.intervalMs),
  },
  {
    field: 'checkpoints.minPauseMs',
    section: 'checkpoints',
    kind: 'config',
    read: (c) => String(c.checkpoints.minPauseMs),
  },
  {
    field: 'snapshots.enabled',
    section: 'snapshotsEnabled',
    kind: 'config',
    read: (c) => String(c.snapshotsEnabled),
  },
  {
    field: 'snapshots.mode',
    section: 'snapshotMode',
    kind: 'config',
    // Configurations recorded before the mode existed (ledgers) were legacy.
    read: (c) => c.snapshotMode ?? 'legacy',
    oneWayTo: 'enhanced',
  },
  {
    field: 'systemRollback',
    section: 'systemRollback',
    kind: 'config',
    read: (c) => String(c.systemRollback),
  },
  { field: 'logging.logStream', section: 'logging', kind: 'config', read: (c) => c.logStream },
];

/**
 * Field-by-field differences from `from` to `to`, compared on effective values: a DEFAULT block equals a
 * CUSTOM block holding the same values.
 */
export function diffConfig(from: AppConfig, to: AppConfig): FieldChange[] {
  return compareConfig(from, to).filter((c) => c.before !== c.after);
}

/** Every compared field of the two configurations, equal ones included (a side-by-side view shows them all). */
export function compareConfig(from: AppConfig, to: AppConfig): FieldChange[] {
  const fields: FieldChange[] = [];
  for (const rule of RULES) {
    const before = rule.read(from);
    const after = rule.read(to);
    fields.push({
      field: rule.field,
      kind: rule.kind,
      section: rule.section,
      before,
      after,
      ...(before !== after && rule.oneWayTo === after ? { oneWay: true as const } : {}),
    });
  }
  fields.push(...compareProperties(from.properties, to.properties));
  return fields;
}

function compareProperties(from: AppConfig['properties'], to: AppConfig['properties']): FieldChange[] {
  const fields: FieldChange[] = [];
  const groups = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
  for (const group of groups) {
    const a = from[group] ?? {};
    const b = to[group] ?? {};
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const key of keys) {
      fields.push({
        field: `properties.${group}[${JSON.stringify(key)}]`,
        kind: 'config',
        section: 'properties',
        before: a[key],
        after: b[key],
      });
    }
  }
  return fields;
}

export function sectionsOf(changes: readonly FieldChange[]): Set<UpdateSection> {
  return new Set(changes.map((c) => c.section));
}

/** Tag by tag, from `from` to `to`; the service's own tags (aws:…) are not the user's to change. */
export function diffTags(from: Tags, to: Tags): FieldChange[] {
  const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])]
    .filter((k) => !k.startsWith('aws:'))
    .sort();
  return keys
    .filter((key) => from[key] !== to[key])
    .map((key) => ({
      field: `tags[${JSON.stringify(key)}]`,
      kind: 'config' as const,
      section: 'tags' as const,
      before: from[key],
      after: to[key],
    }));
}
