/**
 * Reads the seed's `terraform/config.tfvars.json` (design.md §2.3) into a spec document, so that a Terraform
 * user can switch without rewriting anything. Variables the file leaves out take the seed's variables.tf
 * defaults, as Terraform would. Every variable's fate is recorded in `mapping` (for `msfctl validate`);
 * unknown variables become warnings, never silently dropped.
 */

export interface TfvarsMappingEntry {
  variable: string;
  value: unknown;
  /** Spec field(s) the variable became, or undefined when it has no effect on the application. */
  fields: string[];
  /** `file`: set in the file; `default`: the seed's variables.tf default; `flag`: replaced by a command-line flag. */
  source: 'file' | 'default' | 'flag';
  note?: string;
}

export interface TfvarsProblem {
  variable: string;
  message: string;
}

export interface TfvarsResult {
  document: Record<string, unknown>;
  mapping: TfvarsMappingEntry[];
  warnings: string[];
  problems: TfvarsProblem[];
}

export interface TfvarsOptions {
  /** Code given on the command line (--jar / --maven): replaces s3_file_key, uploads to s3_bucket_name. */
  codeOverride?: { jar: string } | { maven: string };
}

type Kind = 'string' | 'number' | 'bool' | 'map(map)' | 'string|bool';

interface VariableRule {
  kind: Kind;
  /** The seed's variables.tf default; absent means the variable is required there. */
  default?: unknown;
  fields: string[];
  note?: string;
}

const RESTORE_TYPES: Record<string, 'latest' | 'none' | 'snapshot'> = {
  RESTORE_FROM_LATEST_SNAPSHOT: 'latest',
  SKIP_RESTORE_FROM_SNAPSHOT: 'none',
  RESTORE_FROM_CUSTOM_SNAPSHOT: 'snapshot',
};

export const TFVARS_RULES: Record<string, VariableRule> = {
  flink_app_name: {
    kind: 'string',
    default: 'flink-terraform-lifecycle',
    fields: ['application', 'logging.logStream'],
  },
  flink_app_runtime_environment: { kind: 'string', default: 'FLINK-1_18', fields: ['runtime'] },
  flink_app_environment_variables: { kind: 'map(map)', fields: ['properties'] },
  flink_app_parallelism: { kind: 'number', default: 1, fields: ['parallelism.parallelism'] },
  flink_app_parallelism_per_kpu: { kind: 'number', default: 1, fields: ['parallelism.perKpu'] },
  flink_app_autoscaling_enabled: { kind: 'bool', default: true, fields: ['parallelism.autoscaling'] },
  flink_app_monitoring_log_level: { kind: 'string', default: 'INFO', fields: ['monitoring.logLevel'] },
  flink_app_monitoring_metrics_level: {
    kind: 'string',
    default: 'APPLICATION',
    fields: ['monitoring.metricsLevel'],
  },
  flink_app_snapshots_enabled: { kind: 'bool', default: true, fields: ['snapshots.enabled'] },
  flink_app_restore_type: {
    kind: 'string',
    default: 'RESTORE_FROM_LATEST_SNAPSHOT',
    fields: ['restore.from'],
  },
  flink_app_snapshot_name: { kind: 'string', default: '', fields: ['restore.snapshot'] },
  flink_app_allow_non_restored_state: {
    kind: 'string|bool',
    default: 'false',
    fields: ['restore.allowNonRestoredState'],
  },
  flink_app_start: { kind: 'bool', default: true, fields: ['running'] },
  s3_bucket_name: { kind: 'string', fields: ['code.s3.bucket'] },
  s3_file_key: { kind: 'string', fields: ['code.s3.key'] },
  code_content_type: {
    kind: 'string',
    default: 'ZIPFILE',
    fields: [],
    note: 'must be ZIPFILE (a JAR); msfctl always uses ZIPFILE',
  },
  region: { kind: 'string', default: 'us-east-1', fields: ['target.region'] },
  cloudwatch_log_retention: {
    kind: 'number',
    default: 365,
    fields: [],
    note: 'informational: the log group is created by Terraform, msfctl does not manage it (it attaches its stream)',
  },
};

export function readTfvars(vars: unknown, options: TfvarsOptions = {}): TfvarsResult {
  const problems: TfvarsProblem[] = [];
  const warnings: string[] = [];
  const mapping: TfvarsMappingEntry[] = [];
  if (typeof vars !== 'object' || vars === null || Array.isArray(vars)) {
    return {
      document: {},
      mapping,
      warnings,
      problems: [{ variable: '(file)', message: 'must be a JSON object of variables' }],
    };
  }
  const given = vars as Record<string, unknown>;

  for (const name of Object.keys(given)) {
    if (!(name in TFVARS_RULES)) {
      warnings.push(
        `unknown variable "${name}" is ignored: msfctl maps only the seed's variables (see msfctl validate --tfvars)`,
      );
      mapping.push({
        variable: name,
        value: given[name],
        fields: [],
        source: 'file',
        note: 'unknown: ignored',
      });
    }
  }

  const values: Record<string, unknown> = {};
  for (const [name, rule] of Object.entries(TFVARS_RULES)) {
    const inFile = Object.hasOwn(given, name);
    const raw = inFile ? given[name] : rule.default;
    if (raw === undefined) continue;
    const coerced = coerce(name, rule.kind, raw, problems);
    if (coerced === undefined) continue;
    values[name] = coerced;
    mapping.push({
      variable: name,
      value: coerced,
      fields: rule.fields,
      source: inFile ? 'file' : 'default',
      ...(rule.note ? { note: rule.note } : {}),
    });
  }

  if (values.flink_app_environment_variables === undefined) {
    problems.push({
      variable: 'flink_app_environment_variables',
      message: 'is required (the seed declares it without a default)',
    });
  }
  if (values.s3_bucket_name === undefined) {
    problems.push({
      variable: 's3_bucket_name',
      message: 'is required (the seed declares it without a default)',
    });
  }
  if (values.code_content_type !== undefined && values.code_content_type !== 'ZIPFILE') {
    problems.push({
      variable: 'code_content_type',
      message: `must be "ZIPFILE" for a Flink JAR (got ${JSON.stringify(values.code_content_type)})`,
    });
  }

  const restoreType = values.flink_app_restore_type as string | undefined;
  const from = restoreType === undefined ? 'latest' : RESTORE_TYPES[restoreType];
  if (restoreType !== undefined && from === undefined) {
    problems.push({
      variable: 'flink_app_restore_type',
      message: `must be one of ${Object.keys(RESTORE_TYPES).join(', ')} (got ${JSON.stringify(restoreType)})`,
    });
  }
  const snapshotName = values.flink_app_snapshot_name as string | undefined;

  const document: Record<string, unknown> = {
    application: values.flink_app_name,
    runtime: values.flink_app_runtime_environment,
    running: values.flink_app_start,
    properties: values.flink_app_environment_variables ?? {},
    // The seed sets parallelism and monitoring with configuration type CUSTOM and checkpointing DEFAULT.
    parallelism: {
      parallelism: values.flink_app_parallelism,
      perKpu: values.flink_app_parallelism_per_kpu,
      autoscaling: values.flink_app_autoscaling_enabled,
    },
    monitoring: {
      logLevel: values.flink_app_monitoring_log_level,
      metricsLevel: values.flink_app_monitoring_metrics_level,
    },
    // The seed's main.tf names its log group and log stream after the application and attaches that stream.
    logging: { logStream: { group: values.flink_app_name, stream: values.flink_app_name } },
    snapshots: values.flink_app_snapshots_enabled,
    restore: {
      from: from ?? 'latest',
      // Terraform passes "" for "no snapshot name"; the spec leaves the field out instead.
      ...(from === 'snapshot' && snapshotName ? { snapshot: snapshotName } : {}),
      allowNonRestoredState: values.flink_app_allow_non_restored_state,
    },
    target: { kind: 'aws', region: values.region },
  };

  const bucket = values.s3_bucket_name as string | undefined;
  const key = values.s3_file_key as string | undefined;
  if (options.codeOverride) {
    // Like the seed's build.sh: the JAR goes to s3_bucket_name under flink-app/, here named by its digest.
    document.code = options.codeOverride;
    document.artifacts = { bucket, prefix: 'flink-app/' };
    if (!mapping.some((m) => m.variable === 's3_file_key'))
      mapping.push({ variable: 's3_file_key', value: undefined, fields: [], source: 'flag' });
    for (const entry of mapping) {
      if (entry.variable === 's3_bucket_name') entry.fields = ['artifacts.bucket'];
      if (entry.variable === 's3_file_key') {
        entry.fields = [];
        entry.source = 'flag';
        entry.note = `replaced by ${'jar' in options.codeOverride ? '--jar' : '--maven'}: ${'jar' in options.codeOverride ? options.codeOverride.jar : options.codeOverride.maven} → code (uploaded to s3_bucket_name under flink-app/<sha256>.jar)`;
      }
    }
  } else if (key === undefined) {
    problems.push({
      variable: 's3_file_key',
      message:
        'is not set: the seed passes it on the command line (build.sh: -var s3_file_key=flink-app/<jar>). ' +
        'Give msfctl --jar FILE or --maven DIR instead (it uploads the JAR to s3_bucket_name), or add s3_file_key to the file',
    });
  } else {
    document.code = { s3: { bucket, key } };
  }
  if (from === 'snapshot' && !snapshotName) {
    problems.push({
      variable: 'flink_app_snapshot_name',
      message: 'is required when flink_app_restore_type is RESTORE_FROM_CUSTOM_SNAPSHOT',
    });
  }

  return { document: dropUndefined(document), mapping, warnings, problems };
}

function coerce(name: string, kind: Kind, raw: unknown, problems: TfvarsProblem[]): unknown {
  const fail = (expected: string): undefined => {
    problems.push({ variable: name, message: `must be ${expected} (got ${JSON.stringify(raw)})` });
    return undefined;
  };
  switch (kind) {
    case 'string':
      return typeof raw === 'string'
        ? raw
        : typeof raw === 'number' || typeof raw === 'boolean'
          ? String(raw)
          : fail('a string');
    case 'number': {
      // Terraform converts numeric strings to numbers.
      const n =
        typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      return Number.isFinite(n) ? n : fail('a number');
    }
    case 'bool':
    case 'string|bool':
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === 'false') return raw === 'true';
      return fail('true or false');
    case 'map(map)': {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('a map of maps');
      for (const [group, inner] of Object.entries(raw)) {
        if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) {
          problems.push({
            variable: name,
            message: `group "${group}" must be a map of property names to values`,
          });
          return undefined;
        }
      }
      return raw;
    }
  }
}

function dropUndefined(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    out[k] =
      typeof v === 'object' && v !== null && !Array.isArray(v)
        ? dropUndefined(v as Record<string, unknown>)
        : v;
  }
  return out;
}
