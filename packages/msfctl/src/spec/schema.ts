/**
 * The msfctl spec: one application per file, optionally with named environments that override parts of it.
 * Validated with zod; `describeIssues` (spec/issues.ts) turns zod issues into "path: reason" lines.
 *
 * Omitted configuration blocks (parallelism, monitoring, checkpoints) mean the service's DEFAULT configuration.
 */
import { z } from 'zod';
import { DEFAULT_DEPLOY } from '../model/deploy-settings.js';
import { REHEARSAL_MODES, windowSeconds } from '../model/rehearsal.js';
import { ENHANCED_MIN_RUNTIME, supportsEnhancedSnapshots } from '../model/snapshot-refs.js';
import { parseDuration } from '../model/duration.js';
import { BLACKOUT, scheduleProblem } from '../model/schedule.js';
import { LOG_GROUP_NAME, LOG_STREAM_NAME, parseLogStreamArn } from '../model/log-streams.js';

const NAME = /^[a-zA-Z0-9_.-]+$/;

export const RUNTIMES = [
  'FLINK-1_13',
  'FLINK-1_15',
  'FLINK-1_18',
  'FLINK-1_19',
  'FLINK-1_20',
  'FLINK-2_2',
  'FLINK-2_3',
] as const;

const applicationName = z
  .string()
  .min(1)
  .max(128)
  .regex(NAME, 'must contain only letters, digits, "_", "." and "-"');

/** MSF property values are strings; YAML numbers and booleans are accepted and written as strings. */
const propertyValue = z
  .union([z.string(), z.number(), z.boolean()], { error: 'must be a string, number or boolean' })
  .transform(String)
  .pipe(z.string().min(1, 'must not be empty').max(2048));

const propertyGroups = z
  .record(
    z
      .string()
      .min(1)
      .max(50)
      .regex(NAME, 'property group ids contain only letters, digits, "_", "." and "-"'),
    z.record(z.string().min(1).max(2048), propertyValue),
  )
  .refine((groups) => Object.keys(groups).length <= 50, 'at most 50 property groups')
  .refine(
    (groups) => Object.values(groups).every((g) => Object.keys(g).length >= 1 && Object.keys(g).length <= 50),
    {
      message: 'each property group needs 1 to 50 properties',
    },
  );

const mavenCode = z.union([
  z.string().min(1),
  z.strictObject({
    dir: z.string().min(1),
    /** Extra Maven arguments, e.g. ["-Pflink-1.20"]. */
    args: z.array(z.string()).optional(),
    /** Glob-free path of the JAR under the project when `target/` holds several. */
    jar: z.string().optional(),
  }),
]);

const codeSchema = z
  .strictObject({
    maven: mavenCode.optional(),
    jar: z.string().min(1).optional(),
    s3: z
      .strictObject({
        bucket: z.string().min(3).max(63),
        key: z.string().min(1).max(1024),
        objectVersion: z.string().min(1).optional(),
      })
      .optional(),
  })
  .superRefine((code, ctx) => {
    const given = (['maven', 'jar', 's3'] as const).filter((k) => code[k] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message:
          given.length === 0
            ? 'needs exactly one of maven (a project directory), jar (a file) or s3 ({bucket, key})'
            : `needs exactly one of maven, jar or s3, not ${given.join(' and ')}`,
      });
    }
  });

const targetSchema = z.preprocess(
  (value) => (typeof value === 'string' ? { kind: value } : value),
  z.strictObject({
    /** `local`: msf-local on this machine, started in the background when not running. */
    kind: z.enum(['aws', 'local']).default('aws'),
    region: z.string().min(1).optional(),
    profile: z.string().min(1).optional(),
    endpoint: z.url().optional(),
    /** local only: port of msf-local (default 4577). */
    port: z.number().int().min(1).max(65535).optional(),
    /** local only: msf-local's data directory (default ~/.msf-local). */
    dataDir: z.string().min(1).optional(),
  }),
);

const restoreSchema = z.preprocess(
  (value) => (typeof value === 'string' ? { from: value } : value),
  z
    .strictObject({
      from: z.enum(['latest', 'none', 'snapshot']).default('latest'),
      snapshot: z.string().min(1).max(256).regex(NAME).optional(),
      allowNonRestoredState: z.boolean().default(false),
    })
    .superRefine((restore, ctx) => {
      if (restore.from === 'snapshot' && !restore.snapshot) {
        ctx.addIssue({ code: 'custom', path: ['snapshot'], message: 'is required when from is "snapshot"' });
      }
      if (restore.from !== 'snapshot' && restore.snapshot) {
        ctx.addIssue({
          code: 'custom',
          path: ['snapshot'],
          message: `is only used with from: snapshot (from is "${restore.from}")`,
        });
      }
    }),
);

/**
 * `snapshots: true | false` (= `{ enabled }`) or the object form. enabled: ApplicationSnapshotConfiguration.
 * SnapshotsEnabled. mode: SnapshotMode — legacy (application snapshots, deleted with their application) or
 * enhanced (account-level snapshots with ARNs that outlive it; FLINK-1_20 or later; the switch is one-way).
 * protect: names or `*` patterns prune leaves alone.
 */
const snapshotsSchema = z.preprocess(
  (value, ctx) => {
    if (typeof value === 'boolean') return { enabled: value };
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      ctx.addIssue({ code: 'custom', message: 'must be true, false or an object { enabled, mode }' });
      return z.NEVER;
    }
    return value;
  },
  z.strictObject({
    enabled: z.boolean().default(true),
    mode: z.enum(['legacy', 'enhanced']).default('legacy'),
    /** The controller's schedule: `every 6h` or a cron expression (5 or 6 fields, UTC). */
    schedule: z
      .string()
      .refine((text) => scheduleProblem(text) === undefined, {
        error: (issue) => scheduleProblem(String(issue.input)) ?? 'is not a schedule',
      })
      .optional(),
    /** Daily UTC windows in which no scheduled snapshot is taken, e.g. "08:00-18:00" (may wrap midnight). */
    blackout: z.array(z.string().regex(BLACKOUT, 'must be a daily UTC window HH:MM-HH:MM')).optional(),
    /** What the controller prunes after each scheduled snapshot; the newest READY snapshot is never deleted. */
    retention: z
      .strictObject({
        keep: z.number().int().min(1).optional(),
        olderThan: z
          .string()
          .refine((d) => parseDuration(d) !== undefined, 'must be a duration such as 30m, 12h or 7d')
          .optional(),
      })
      .refine((r) => r.keep !== undefined || r.olderThan !== undefined, 'needs keep, olderThan or both')
      .optional(),
    /**
     * Snapshot names `msfctl snapshot prune` never deletes: exact names or patterns with `*` (e.g. `release-*`).
     * (MSF snapshots carry no tags, so a name is what can mark one.)
     */
    protect: z.array(z.string().min(1)).optional(),
  }),
);

const LOG_LEVELS = ['INFO', 'WARN', 'ERROR', 'DEBUG'] as const;
const METRICS_LEVELS = ['APPLICATION', 'TASK', 'OPERATOR', 'PARALLELISM'] as const;

/**
 * `logging`: where MSF ships the job's logs (the application's CloudWatch logging option) and at which level.
 * logStream is a log stream ARN, or { group, stream } in the target's region and the role's account; level and
 * metricsLevel set the MonitoringConfiguration (so does `monitoring`: use one of the two).
 */
const loggingSchema = z.strictObject({
  logStream: z
    .union([
      z.string().refine((arn) => parseLogStreamArn(arn) !== undefined, {
        message:
          'must be a log stream ARN (arn:aws:logs:<region>:<account>:log-group:<group>:log-stream:<stream>) or { group, stream }',
      }),
      z.strictObject({
        group: z.string().regex(LOG_GROUP_NAME, 'a log group name is 1-512 of letters, digits and . - _ / #'),
        stream: z.string().regex(LOG_STREAM_NAME, 'a log stream name is 1-512 characters without ":" or "*"'),
      }),
    ])
    .optional(),
  level: z.enum(LOG_LEVELS).optional(),
  metricsLevel: z.enum(METRICS_LEVELS).optional(),
});

/** Resource tags: at most 50, keys 1-128 characters not starting with "aws:", values up to 256. */
const tagsSchema = z
  .record(
    z.string().min(1).max(128),
    z
      .union([z.string(), z.number(), z.boolean()], { error: 'must be a string, number or boolean' })
      .transform(String)
      .pipe(z.string().max(256)),
  )
  .superRefine((tags, ctx) => {
    const keys = Object.keys(tags);
    if (keys.length > 50) ctx.addIssue({ code: 'custom', message: `at most 50 tags (${keys.length} given)` });
    for (const key of keys.filter((k) => k.toLowerCase().startsWith('aws:')))
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: 'tag keys starting with "aws:" are reserved by AWS',
      });
  });

/** Fields an environment may override: everything but the environments themselves. */
export const applicationFields = {
  application: applicationName,
  description: z.string().max(1024).optional(),
  runtime: z.enum(RUNTIMES),
  /** Service execution role ARN. */
  role: z
    .string()
    .regex(
      /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/,
      'must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)',
    ),
  /** Desired state: true keeps the job RUNNING, false keeps it stopped (READY). */
  running: z.boolean().default(true),
  code: codeSchema,
  artifacts: z
    .strictObject({
      bucket: z.string().min(3).max(63),
      prefix: z.string().default('msfctl/artifacts/'),
    })
    .optional(),
  parallelism: z
    .strictObject({
      parallelism: z.number().int().min(1).default(1),
      perKpu: z.number().int().min(1).max(8).default(1),
      autoscaling: z.boolean().default(true),
    })
    .optional(),
  monitoring: z
    .strictObject({
      logLevel: z.enum(LOG_LEVELS).default('INFO'),
      metricsLevel: z.enum(METRICS_LEVELS).default('APPLICATION'),
    })
    .optional(),
  logging: loggingSchema.optional(),
  /** The application's tags; omitted: msfctl leaves the application's tags as they are. */
  tags: tagsSchema.optional(),
  checkpoints: z
    .strictObject({
      enabled: z.boolean().default(true),
      intervalMs: z.number().int().min(1).default(60_000),
      minPauseMs: z.number().int().min(0).default(5_000),
    })
    .optional(),
  snapshots: snapshotsSchema.default({ enabled: true, mode: 'legacy' }),
  /** ApplicationSystemRollbackConfiguration.RollbackEnabled: the service rolls back a failed update itself. */
  systemRollback: z.boolean().default(false),
  restore: restoreSchema.default({ from: 'latest', allowNonRestoredState: false }),
  properties: propertyGroups.default({}),
  target: targetSchema.default({ kind: 'aws' }),
  /** Where the ledger and lock live: a directory (default .msfctl) or s3://bucket/prefix. */
  state: z.string().min(1).optional(),
  /**
   * Safe deploys: after every deploy (and start, restart, rollback) that leaves the job RUNNING, watch its
   * health for bakeSeconds (0: no watch); on a failed operation or a crash loop, recover as onFailure says;
   * acceptStateLoss lets a deploy go ahead when the state of an operator whose uid or generated id changed
   * will not be restored.
   */
  deploy: z
    .strictObject({
      bakeSeconds: z.number().int().min(0).max(3600).default(DEFAULT_DEPLOY.bakeSeconds),
      onFailure: z.enum(['rollback', 'stop', 'none']).default(DEFAULT_DEPLOY.onFailure),
      acceptStateLoss: z.boolean().default(DEFAULT_DEPLOY.acceptStateLoss),
      /** The deploy rehearsal (issue 14): off, auto (the default) or required. */
      rehearse: z.enum(REHEARSAL_MODES).optional(),
      /** How long the rehearsed job must run: seconds or a duration such as 30s, 2m (default 30s). */
      rehearsalWindow: z
        .union([z.number(), z.string()])
        .optional()
        .superRefine((value, ctx) => {
          try {
            windowSeconds(value);
          } catch {
            ctx.addIssue({ code: 'custom', message: 'must be whole seconds from 1s to 1h, e.g. 30s or 2m' });
          }
        }),
    })
    .default({ ...DEFAULT_DEPLOY }),
  /** The controller: `auto` applies a changed spec (and drift) itself; `manual` (default) only reports it. */
  reconcile: z.enum(['auto', 'manual']).optional(),
  limits: z
    .strictObject({
      /** KPU quota per application (the service default is 64). */
      kpus: z.number().int().min(1).default(64),
    })
    .optional(),
};

export const applicationSpecSchema = z.strictObject(applicationFields).superRefine((spec, ctx) => {
  if ((spec.code.jar !== undefined || spec.code.maven !== undefined) && !spec.artifacts) {
    ctx.addIssue({
      code: 'custom',
      path: ['artifacts', 'bucket'],
      message: 'is required when code is built or given as a jar: msfctl uploads it there (or use code.s3)',
    });
  }
  if (spec.snapshots.mode === 'enhanced' && !supportsEnhancedSnapshots(spec.runtime)) {
    ctx.addIssue({
      code: 'custom',
      path: ['snapshots', 'mode'],
      message: `enhanced needs runtime ${ENHANCED_MIN_RUNTIME} or later (runtime is ${spec.runtime})`,
    });
  }
  if (spec.monitoring && (spec.logging?.level !== undefined || spec.logging?.metricsLevel !== undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: ['logging'],
      message:
        'level and metricsLevel set the same MonitoringConfiguration as monitoring: give them in one of the two',
    });
  }
  if (spec.target.kind === 'aws' && (spec.target.port !== undefined || spec.target.dataDir !== undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: ['target'],
      message: 'port and dataDir only apply to target kind "local"',
    });
  }
});

export type ApplicationSpec = z.output<typeof applicationSpecSchema>;
export type TargetSpec = ApplicationSpec['target'];
export type CodeSpec = ApplicationSpec['code'];
export type DeploySpec = ApplicationSpec['deploy'];
export type SnapshotsSpec = ApplicationSpec['snapshots'];

/** The file as written: application fields plus `environments`, each a partial override checked after merging. */
export const specFileSchema = z.looseObject({
  environments: z
    .record(
      z.string().regex(NAME, 'environment names contain only letters, digits, "_", "." and "-"'),
      z.record(z.string(), z.unknown()),
    )
    .optional(),
  defaultEnvironment: z.string().optional(),
});
