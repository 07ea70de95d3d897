// Over 400 lines: sample data spelled out field by field, so that pages and screenshots read true.
/**
 * Believable dashboard data for the in-memory source: a small named fleet in every health state (with
 * timelines, recoveries, snapshots, a spec diff and logs), `fleetOf(n)` for the benchmark, and `crashLoop()`,
 * which turns a healthy application into a crash-looping one as msfctl would report it.
 */
import type {
  ApplicationDetail,
  FleetRow,
  HealthSeries,
  HealthState,
  LogLine,
  SpecField,
} from '../../src/contract.js';
import type { MemoryApplication } from '../../src/memory-source.js';

const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const ARN_PREFIX = 'arn:aws:kinesisanalytics:eu-west-1:123456789012';

interface Template {
  name: string;
  state: HealthState;
  status: FleetRow['status'];
  runtime: string;
  parallelism: number;
  perKpu: number;
  version: number;
  reason: string;
  snapshotAgeMin?: number;
  drift?: FleetRow['drift'];
  enhanced?: boolean;
}

const TEMPLATES: Template[] = [
  {
    name: 'orders-enricher',
    state: 'healthy',
    status: 'RUNNING',
    runtime: 'FLINK-1_20',
    parallelism: 4,
    perKpu: 1,
    version: 12,
    reason: 'healthy: running 3 h 12 min, 38 checkpoints, no restarts',
    snapshotAgeMin: 42,
    enhanced: true,
  },
  {
    name: 'payments-fraud',
    state: 'healthy',
    status: 'RUNNING',
    runtime: 'FLINK-1_19',
    parallelism: 8,
    perKpu: 2,
    version: 31,
    reason: 'healthy: running 2 d, no restarts',
    snapshotAgeMin: 310,
  },
  {
    name: 'clickstream-sessions',
    state: 'unhealthy',
    status: 'RUNNING',
    runtime: 'FLINK-1_20',
    parallelism: 2,
    perKpu: 1,
    version: 7,
    reason: '4 failed checkpoints in 10 min (numberOfFailedCheckpoints 0 → 4)',
    snapshotAgeMin: 1900,
    drift: {
      state: 'drifted',
      fields: ['parallelism.parallelism'],
      summary: 'scaled outside msfctl (UpdateApplication by the console)',
    },
  },
  {
    name: 'inventory-sync',
    state: 'not-running',
    status: 'READY',
    runtime: 'FLINK-1_19',
    parallelism: 1,
    perKpu: 1,
    version: 3,
    reason: 'not running (READY)',
    snapshotAgeMin: 60 * 24 * 5,
  },
  {
    name: 'stock-prices',
    state: 'unknown',
    status: 'STARTING',
    runtime: 'FLINK-2_2',
    parallelism: 2,
    perKpu: 1,
    version: 2,
    reason: 'no datapoints yet: the job started 40 s ago',
    drift: { state: 'pending', fields: ['code'], summary: 'the spec has a new JAR' },
  },
  {
    name: 'telemetry-rollup',
    state: 'healthy',
    status: 'RUNNING',
    runtime: 'FLINK-2_2',
    parallelism: 16,
    perKpu: 4,
    version: 58,
    reason: 'healthy: running 9 h, 108 checkpoints',
    snapshotAgeMin: 95,
    enhanced: true,
  },
];

function capacity(t: Template): FleetRow['capacity'] {
  const running = t.status !== 'READY';
  const kpusConfigured = Math.ceil(t.parallelism / t.perKpu);
  return {
    parallelism: t.parallelism,
    parallelismPerKpu: t.perKpu,
    autoscaling: t.parallelism > 4,
    kpus: running ? kpusConfigured : 0,
    kpusConfigured,
  };
}

/** One point a minute over the last `minutes`; `restartAt` minutes (ago) restart the job. */
export function healthSeries(
  now: number,
  options: {
    minutes?: number;
    rate?: number;
    restartsAgo?: number[];
    failedCheckpointsAgo?: number[];
    running?: boolean;
  } = {},
): HealthSeries {
  const minutes = options.minutes ?? 180;
  const rate = options.rate ?? 1200;
  const restarts = [...(options.restartsAgo ?? [])].sort((a, b) => b - a);
  const columns: HealthSeries['columns'] = {
    at: [],
    restarts: [],
    uptimeMs: [],
    completedCheckpoints: [],
    failedCheckpoints: [],
    recordsInPerSecond: [],
    recordsOutPerSecond: [],
  };
  const end = Math.floor(now / MINUTE) * MINUTE;
  let lastStart = end - (minutes + 200) * MINUTE;
  for (let i = minutes; i >= 0; i--) {
    const at = end - i * MINUTE;
    columns.at.push(at);
    if (options.running === false) {
      for (const key of [
        'restarts',
        'uptimeMs',
        'completedCheckpoints',
        'failedCheckpoints',
        'recordsInPerSecond',
        'recordsOutPerSecond',
      ] as const)
        columns[key].push(null);
      continue;
    }
    const restarted = restarts.filter((ago) => ago >= i).length;
    if (restarts.includes(i)) lastStart = at;
    const up = restarted && restarts.some((ago) => ago - i < 1 && ago - i >= 0) ? 0 : at - lastStart;
    const wave = 1 + 0.25 * Math.sin(i / 9) + 0.08 * Math.sin(i / 2.3);
    const down = restarts.some((ago) => ago === i);
    columns.restarts.push(restarted);
    columns.uptimeMs.push(up);
    columns.completedCheckpoints.push(Math.floor((minutes - i) / 2) + 40);
    columns.failedCheckpoints.push((options.failedCheckpointsAgo ?? []).filter((ago) => ago >= i).length);
    columns.recordsInPerSecond.push(down ? 0 : Math.round(rate * wave));
    columns.recordsOutPerSecond.push(down ? 0 : Math.round(rate * 0.92 * wave));
  }
  return { periodSeconds: 60, from: iso(end - minutes * MINUTE), to: iso(end), columns };
}

function specFields(t: Template, live: { parallelism: number }): SpecField[] {
  const field = (
    name: string,
    kind: string,
    spec: string | undefined,
    liveValue: string | undefined,
  ): SpecField => ({
    field: name,
    kind,
    ...(spec !== undefined ? { spec } : {}),
    ...(liveValue !== undefined ? { live: liveValue } : {}),
    differs: spec !== liveValue,
  });
  const drifted = t.drift?.fields ?? [];
  return [
    field('runtime', 'runtime', t.runtime, t.runtime),
    field(
      'code',
      'code',
      `s3://artifacts/${t.name}/${drifted.includes('code') ? 'b41c09' : '9f2e1a'}.jar`,
      `s3://artifacts/${t.name}/9f2e1a.jar`,
    ),
    field(
      'parallelism.parallelism',
      'scale',
      String(drifted.includes('parallelism.parallelism') ? live.parallelism * 2 : live.parallelism),
      String(live.parallelism),
    ),
    field('parallelism.perKpu', 'scale', String(t.perKpu), String(t.perKpu)),
    field('parallelism.autoscaling', 'scale', String(t.parallelism > 4), String(t.parallelism > 4)),
    field('monitoring.logLevel', 'config', 'INFO', 'INFO'),
    field('checkpoints.intervalMs', 'config', '60000', '60000'),
    field('properties.OutputStream0["stream.name"]', 'config', `${t.name}-out`, `${t.name}-out`),
  ];
}

function logLines(now: number, name: string, crashing: boolean): LogLine[] {
  const lines: LogLine[] = [];
  for (let i = 24; i >= 0; i--) {
    const at = iso(now - i * 9_000);
    if (crashing && i % 6 === 0) {
      lines.push({
        at,
        level: 'ERROR',
        logger: 'org.apache.flink.runtime.taskmanager.Task',
        thread: 'Sink: out (1/2)',
        message: `Sink: out (1/2) switched from RUNNING to FAILED: java.lang.IllegalStateException: connector refused record for ${name}-out`,
      });
      lines.push({
        at,
        level: 'INFO',
        logger: 'org.apache.flink.runtime.executiongraph.ExecutionGraph',
        message: `Job ${name} switched from state RUNNING to RESTARTING.`,
      });
    } else if (i % 5 === 0) {
      lines.push({
        at,
        level: 'INFO',
        logger: 'org.apache.flink.runtime.checkpoint.CheckpointCoordinator',
        message: `Completed checkpoint ${140 - i} for job 8f1e2c (41.2 kB in 212 ms).`,
      });
    } else if (i % 7 === 3) {
      lines.push({
        at,
        level: 'WARN',
        logger: 'org.apache.kafka.clients.NetworkClient',
        message: 'Connection to node 2 could not be established. Broker may not be available.',
      });
    } else {
      lines.push({
        at,
        level: 'INFO',
        logger: 'com.example.flink.StreamingJob',
        message: `Processed ${1100 + i * 13} records in the last 9 s`,
      });
    }
  }
  return lines;
}

export function application(t: Template, now: number): MemoryApplication {
  const cap = capacity(t)!;
  const snapshots =
    t.snapshotAgeMin === undefined
      ? []
      : [t.snapshotAgeMin, t.snapshotAgeMin + 360, t.snapshotAgeMin + 1440].map((ago, i) => {
          const system = i === 0 && t.enhanced === true;
          const name = system
            ? `SYSTEMSNAPSHOT-${t.name}-${t.version}`
            : `msfctl-${t.name}-v${t.version - i}`;
          return {
            name,
            kind: t.enhanced ? ('enhanced' as const) : ('application' as const),
            ...(t.enhanced ? { arn: `${ARN_PREFIX}:snapshot/${name}` } : {}),
            status: 'READY',
            createdAt: iso(now - ago * MINUTE),
            versionId: t.version - i,
            runtime: t.runtime,
            sizeBytes: 48_213 * (i + 3) * cap.parallelism,
            initiator: system ? 'SYSTEM' : 'msfctl',
            reason: i === 0 ? 'before update' : 'scheduled (every 6h)',
          };
        });
  const row: FleetRow = {
    name: t.name,
    status: t.status!,
    health: { state: t.state, reason: t.reason, checkedAt: iso(now - 20_000) },
    version: t.version,
    runtime: t.runtime,
    capacity: cap,
    lastOperation: {
      operation: 'UpdateApplication',
      outcome: 'succeeded',
      at: iso(now - 190 * MINUTE),
      who: 'ana@build-7',
    },
    drift: t.drift ?? { state: 'in-sync', fields: [] },
    ...(snapshots[0]
      ? {
          newestSnapshot: {
            name: snapshots[0].name,
            kind: snapshots[0].kind,
            createdAt: snapshots[0].createdAt,
          },
        }
      : {}),
    spec: `apps/${t.name}.yaml`,
  };
  const fields = specFields(t, cap);
  const running = t.status !== 'READY';
  const detail: ApplicationDetail = {
    row,
    arn: `${ARN_PREFIX}:application/${t.name}`,
    createdAt: iso(now - 40 * 24 * 60 * MINUTE),
    updatedAt: iso(now - 190 * MINUTE),
    code: {
      location: `s3://artifacts/${t.name}/9f2e1a.jar`,
      sha256: '9f2e1a7c0d4b55e1b0a3c1f6e2d9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1',
    },
    health: {
      ...row.health,
      evidence:
        t.state === 'unhealthy'
          ? [
              {
                signal: 'failed-checkpoints',
                message: '4 failed checkpoints in 10 min',
                metric: 'numberOfFailedCheckpoints',
              },
            ]
          : [],
    },
    versions: Array.from({ length: Math.min(5, t.version) }, (_, i) => ({
      versionId: t.version - i,
      current: i === 0,
      lastGood: i === 0 && t.state === 'healthy',
      at: iso(now - (190 + i * 1440) * MINUTE),
      ...(i === 0
        ? { summary: 'code change' }
        : i === 2
          ? { summary: `scale ${cap.parallelism / 2} → ${cap.parallelism}` }
          : {}),
    })),
    timeline: [
      {
        id: `${t.name}-3`,
        source: 'msfctl',
        at: iso(now - 190 * MINUTE),
        endedAt: iso(now - 186 * MINUTE),
        kind: 'apply',
        who: 'ana@build-7',
        summary: 'code change: s3://artifacts/…/9f2e1a.jar, from the newest snapshot',
        outcome: 'succeeded',
        versionBefore: t.version - 1,
        versionAfter: t.version,
        operations: [{ id: 'op-3', operation: 'UpdateApplication', status: 'SUCCESSFUL' }],
      },
      {
        id: `${t.name}-2`,
        source: 'service',
        at: iso(now - 1500 * MINUTE),
        kind: 'UpdateApplication',
        summary: 'Changed outside msfctl (the console)',
        outcome: 'succeeded',
        versionBefore: t.version - 2,
        versionAfter: t.version - 1,
        operations: [{ id: 'op-2', operation: 'UpdateApplication', status: 'SUCCESSFUL' }],
      },
      {
        id: `${t.name}-recovered`,
        source: 'msfctl',
        at: iso(now - 2000 * MINUTE),
        endedAt: iso(now - 1992 * MINUTE),
        kind: 'apply',
        who: 'ana@build-7',
        summary: 'runtime upgrade; the update failed and msfctl rolled back',
        outcome: 'recovered',
        versionBefore: t.version - 3,
        versionAfter: t.version - 2,
        operations: [
          {
            id: 'op-r1',
            operation: 'UpdateApplication',
            status: 'FAILED',
            error: 'savepoint not compatible',
          },
          { id: 'op-r2', operation: 'RollbackApplication', status: 'SUCCESSFUL' },
        ],
        error: 'UpdateApplication failed: the job could not restore from the savepoint',
        recovery: {
          trigger: 'failed operation UpdateApplication',
          steps: [
            {
              action: 'rollback',
              description: `rolled back to v${t.version - 3}'s configuration with its state`,
              outcome: 'succeeded',
            },
            { action: 'verify', description: 'healthy for 120 s after the rollback', outcome: 'succeeded' },
          ],
          result: `back on v${t.version - 3}'s configuration as v${t.version - 2}, healthy`,
        },
      },
      {
        id: `${t.name}-1`,
        source: 'msfctl',
        at: iso(now - 2900 * MINUTE),
        kind: 'restart',
        who: 'controller',
        summary: 'restart from snapshot msfctl-nightly',
        outcome: 'interrupted',
        versionBefore: t.version - 3,
        versionAfter: t.version - 3,
        operations: [{ id: 'op-1', operation: 'StopApplication', status: 'SUCCESSFUL' }],
        error: 'msfctl stopped before this finished; the next run reconciled with the service',
      },
    ],
    snapshots,
    specDiff: {
      state: fields.some((f) => f.differs) ? 'differs' : 'in-sync',
      spec: row.spec!,
      fields,
      notes: [],
    },
    flinkDashboard: running ? { available: true } : { available: false, reason: 'The job is not running.' },
    logsAvailable: t.state !== 'not-running',
  };
  return {
    detail,
    series: healthSeries(now, {
      rate: 200 * cap.parallelism,
      running,
      ...(t.state === 'unhealthy' ? { failedCheckpointsAgo: [9, 7, 4, 2] } : {}),
    }),
    logs: {
      location: `/aws/kinesis-analytics/${t.name} · kinesis-analytics-log-stream`,
      lines: logLines(now, t.name, false),
    },
    ...(running ? { flinkDashboardUrl: `https://flink.example.invalid/${t.name}/#/overview` } : {}),
  };
}

/** Six applications, one or more in each health state but crash-looping (see crashLoop). */
export function demoFleet(now = Date.now()): MemoryApplication[] {
  return TEMPLATES.map((t) => application(t, now));
}

/** `n` applications cycling through the templates (names numbered), for the benchmark. */
export function fleetOf(n: number, now = Date.now()): MemoryApplication[] {
  return Array.from({ length: n }, (_, i) => {
    const t = TEMPLATES[i % TEMPLATES.length]!;
    return application({ ...t, name: `${t.name}-${String(i + 1).padStart(3, '0')}` }, now);
  });
}

/**
 * What msfctl reports once a deploy crash-loops and rollback recovers it partially: the job restarts every
 * ~30 s, the health is crash-looping (red), the timeline has the failed apply with its recovery steps.
 */
export function crashLoop(app: MemoryApplication, now = Date.now()): void {
  const d = app.detail;
  const version = (d.row.version ?? 1) + 1;
  const reason =
    '3 restarts in 1 min 30 s (numRestarts 0 → 3): java.lang.IllegalStateException: connector refused record';
  d.row.status = 'RUNNING';
  d.row.version = version;
  d.row.health = { state: 'crash-looping', reason, checkedAt: iso(now) };
  d.row.lastOperation = {
    operation: 'apply',
    outcome: 'failed',
    at: iso(now - 4 * MINUTE),
    who: 'ana@build-7',
  };
  d.health = {
    ...d.row.health,
    evidence: [
      { signal: 'restarts', message: '3 restarts in 1 min 30 s (numRestarts 0 → 3)', metric: 'numRestarts' },
      { signal: 'uptime-reset', message: 'uptime went back to 0 three times', metric: 'uptime' },
      {
        signal: 'exception',
        message: 'java.lang.IllegalStateException: connector refused record (Sink: out)',
      },
    ],
  };
  d.versions = [
    { versionId: version, current: true, lastGood: false, at: iso(now - 4 * MINUTE), summary: 'code change' },
    ...d.versions.map((v) => ({ ...v, current: false })),
  ];
  d.timeline.unshift({
    id: `${d.row.name}-crash`,
    source: 'msfctl',
    at: iso(now - 4 * MINUTE),
    kind: 'apply',
    who: 'ana@build-7',
    summary: `code change to v${version}; the job crash-looped during the bake`,
    outcome: 'failed',
    versionBefore: version - 1,
    versionAfter: version,
    operations: [{ id: 'op-crash', operation: 'UpdateApplication', status: 'SUCCESSFUL' }],
    error:
      'crash loop declared at the 2nd restart: java.lang.IllegalStateException: connector refused record',
    recovery: {
      trigger: 'crash loop during the bake (2 restarts in 55 s)',
      steps: [
        {
          action: 'force-stop',
          description: `stopped v${version} without a snapshot (the job is down)`,
          outcome: 'succeeded',
          at: iso(now - 3 * MINUTE),
        },
        {
          action: 'rollback',
          description: `rolled back to v${version - 1}`,
          outcome: 'failed',
          at: iso(now - 2 * MINUTE),
          detail: 'ConcurrentModificationException: an update is in progress',
        },
      ],
      result: 'recovery failed: the application stays on the broken version; run msfctl rollback',
    },
  });
  app.series = healthSeries(now, { rate: 900, restartsAgo: [3, 2, 1] });
  app.logs = { ...(app.logs ?? {}), lines: logLines(now, d.row.name, true) };
}
