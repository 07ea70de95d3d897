import { describe, expect, it } from 'vitest';
import { SERVICE_DEFAULTS } from '../../src/model/application.js';
import { MsfctlError } from '../../src/model/errors.js';
import { diffConfig } from '../../src/model/changes.js';
import { planChanges } from '../../src/engine/planner.js';
import { config, desired, live, snapshot } from '../unit/fixtures.js';

const quota = 64;

describe('planner: actions and their effects', () => {
  it('creates and starts a new application; the job starts with empty state', () => {
    const out = planChanges({ desired: desired(), live: undefined, kpuQuota: quota });
    expect(out.actions.map((a) => a.type)).toEqual(['create', 'start']);
    expect(out.actions[0]!.effect!).toMatchObject({
      restart: false,
      snapshot: false,
      state: 'unchanged',
      kpus: { before: 0, after: 0 },
    });
    expect(out.actions[1]!.effect!).toMatchObject({
      restart: false,
      snapshot: false,
      state: 'none',
      kpus: { before: 0, after: 1 },
    });
    expect(out.actions[1]!.effect!.stateDetail).toContain('no snapshot exists yet');
  });

  it('creates without starting when running: false', () => {
    expect(
      planChanges({ desired: desired({ running: false }), live: undefined, kpuQuota: quota }).actions.map(
        (a) => a.type,
      ),
    ).toEqual(['create']);
  });

  it('plans nothing when the service matches the spec', () => {
    const out = planChanges({ desired: desired(), live: live(), kpuQuota: quota });
    expect(out.actions).toEqual([]);
    expect(out.changes).toEqual([]);
  });

  it('code change on a RUNNING application: restart, snapshot taken, state restored', () => {
    const out = planChanges({
      desired: desired({}, { code: { bucket: 'artifacts', key: 'msfctl/artifacts/bbb.jar' } }),
      live: live(),
      kpuQuota: quota,
    });
    expect(out.actions).toHaveLength(1);
    const update = out.actions[0]!;
    expect(update.type).toBe('update');
    if (update.type !== 'update') return;
    expect(update.kinds).toEqual(['code']);
    expect(update.update).toEqual({ code: { bucket: 'artifacts', key: 'msfctl/artifacts/bbb.jar' } });
    expect(update.run).toEqual({ from: 'latest', allowNonRestoredState: false });
    expect(update.effect!).toMatchObject({
      restart: true,
      snapshot: true,
      state: 'restored',
      kpus: { before: 1, after: 1 },
    });
    expect(update.effect!.stateDetail).toBe('restored from the snapshot this update takes');
  });

  it.each([
    [
      'snapshots disabled',
      { snapshotsEnabled: false },
      { from: 'latest' as const },
      { snapshot: false, state: 'dropped' },
    ],
    ['restore none', {}, { from: 'none' as const }, { snapshot: true, state: 'dropped' }],
    [
      'restore a named snapshot',
      {},
      { from: 'snapshot' as const, snapshot: 'snap-1' },
      { snapshot: true, state: 'restored' },
    ],
  ])('update of a RUNNING application with %s', (_name, liveConfig, restore, effect) => {
    const out = planChanges({
      desired: desired(
        { restore: { ...restore, allowNonRestoredState: false } },
        { monitoring: { custom: true, logLevel: 'INFO', metricsLevel: 'APPLICATION' }, ...liveConfig },
      ),
      live: live({}, liveConfig),
      snapshots: [snapshot('snap-1', 1)],
      kpuQuota: quota,
    });
    expect(out.actions.map((a) => a.type)).toEqual(['update']);
    expect(out.actions[0]!.effect!).toMatchObject({ restart: true, ...effect });
  });

  it('says when AllowNonRestoredState drops state of missing operators', () => {
    const out = planChanges({
      desired: desired(
        { restore: { from: 'latest', allowNonRestoredState: true } },
        { code: { bucket: 'artifacts', key: 'new.jar' } },
      ),
      live: live(),
      kpuQuota: quota,
    });
    expect(out.actions[0]!.effect!.stateDetail).toContain('allowNonRestoredState');
  });

  it('config change while READY and running: true: update without restart, then start from the latest snapshot', () => {
    const out = planChanges({
      desired: desired({}, { monitoring: { custom: true, logLevel: 'INFO', metricsLevel: 'APPLICATION' } }),
      live: live({ status: 'READY' }),
      snapshots: [snapshot('older', 1), snapshot('newest', 2), snapshot('failed', 3, 'FAILED')],
      kpuQuota: quota,
    });
    expect(out.actions.map((a) => a.type)).toEqual(['update', 'start']);
    expect(out.actions[0]!.effect!).toMatchObject({ restart: false, snapshot: false, state: 'unchanged' });
    expect(out.actions[1]!.effect!).toMatchObject({ state: 'restored', kpus: { before: 0, after: 1 } });
    expect(out.actions[1]!.effect!.stateDetail).toBe('restored from the latest snapshot, newest');
  });

  it('running: true on a READY application with no change: just start (Terraform would not)', () => {
    const out = planChanges({
      desired: desired(),
      live: live({ status: 'READY' }),
      snapshots: [],
      kpuQuota: quota,
    });
    expect(out.actions.map((a) => a.type)).toEqual(['start']);
    expect(out.actions[0]!.effect!.state).toBe('none');
  });

  it('running: false with changes: stop first (snapshot), then update without a restart', () => {
    const out = planChanges({
      desired: desired({ running: false }, { runtime: 'FLINK-1_20' }),
      live: live(),
      kpuQuota: quota,
    });
    expect(out.actions.map((a) => a.type)).toEqual(['stop', 'update']);
    expect(out.actions[0]!.effect!).toMatchObject({
      snapshot: true,
      state: 'saved',
      kpus: { before: 1, after: 0 },
    });
    expect(out.actions[1]!.effect!.restart).toBe(false);
    expect(out.kpus).toEqual({ before: 1, after: 0, quota });
  });

  it('scale: KPUs before → after from parallelism and per-KPU', () => {
    const out = planChanges({
      desired: desired({}, { parallelism: { custom: true, parallelism: 5, perKpu: 2, autoscaling: false } }),
      live: live(),
      kpuQuota: quota,
    });
    const update = out.actions[0]!;
    expect(update.type === 'update' && update.kinds).toEqual(['scale']);
    expect(update.effect!.kpus).toEqual({ before: 1, after: 3 });
  });

  it('refuses a parallelism over the KPU quota, with the arithmetic', () => {
    const out = planChanges({
      desired: desired(
        {},
        { parallelism: { custom: true, parallelism: 130, perKpu: 2, autoscaling: false } },
      ),
      live: live(),
      kpuQuota: 64,
    });
    expect(out.findings).toEqual([
      expect.objectContaining({
        severity: 'refusal',
        code: 'QUOTA_EXCEEDED',
        message: expect.stringContaining('⌈130 ÷ 2⌉ = 65 KPUs, over the quota of 64'),
      }),
    ]);
    expect(
      planChanges({
        desired: desired(
          {},
          { parallelism: { custom: true, parallelism: 130, perKpu: 2, autoscaling: false } },
        ),
        live: live(),
        kpuQuota: 65,
      }).findings,
    ).toEqual([]);
  });

  it('refuses to restore from a snapshot that does not exist', () => {
    const out = planChanges({
      desired: desired({ restore: { from: 'snapshot', snapshot: 'gone', allowNonRestoredState: false } }),
      live: live({ status: 'READY' }),
      snapshots: [snapshot('x', 1)],
      kpuQuota: quota,
    });
    expect(out.findings.map((f) => f.code)).toEqual(['SNAPSHOT_MISSING']);
  });

  it('refuses to plan while the application is in a transient status', () => {
    try {
      planChanges({ desired: desired(), live: live({ status: 'UPDATING' }), kpuQuota: quota });
      expect.unreachable();
    } catch (error) {
      expect(MsfctlError.is(error, 'APP_BUSY')).toBe(true);
      expect((error as MsfctlError).hint).toContain('stop --force');
    }
  });

  it('runtime upgrade, code and config in one update, ordered runtime, code, scale, config', () => {
    const out = planChanges({
      desired: desired(
        {},
        { runtime: 'FLINK-1_20', code: { bucket: 'artifacts', key: 'v2.jar' }, systemRollback: true },
      ),
      live: live(),
      kpuQuota: quota,
    });
    const update = out.actions[0]!;
    expect(update.type === 'update' && update.kinds).toEqual(['runtime', 'code', 'config']);
    expect(update.type === 'update' && Object.keys(update.update).sort()).toEqual([
      'code',
      'runtime',
      'systemRollback',
    ]);
  });
});

describe('config diff', () => {
  it('treats a DEFAULT block and a CUSTOM block with the same values as equal', () => {
    const a = config({
      parallelism: { ...SERVICE_DEFAULTS.parallelism },
      monitoring: { ...SERVICE_DEFAULTS.monitoring },
    });
    const b = config({
      parallelism: { custom: true, parallelism: 1, perKpu: 1, autoscaling: true },
      monitoring: { custom: true, logLevel: 'INFO', metricsLevel: 'APPLICATION' },
    });
    expect(diffConfig(a, b)).toEqual([]);
  });

  it('lists property changes per key, and sends all groups when any changes', () => {
    const changes = diffConfig(
      config(),
      config({
        properties: { OutputStream0: { 'stream.name': 'other', 'aws.region': 'us-east-1' }, New: { k: 'v' } },
      }),
    );
    expect(changes.map((c) => [c.field, c.before, c.after])).toEqual([
      ['properties.New["k"]', undefined, 'v'],
      ['properties.OutputStream0["stream.name"]', 'out', 'other'],
    ]);
    const out = planChanges({
      desired: desired(
        {},
        { properties: { OutputStream0: { 'stream.name': 'other', 'aws.region': 'us-east-1' } } },
      ),
      live: live(),
      kpuQuota: quota,
    });
    const update = out.actions[0]!;
    expect(update.type === 'update' && update.update.properties).toEqual({
      OutputStream0: { 'stream.name': 'other', 'aws.region': 'us-east-1' },
    });
  });
});
