/** Snapshot schedules, blackout windows and retention in the spec; the controller's metrics as Prometheus reads them. */
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import { metricsRegistry } from '../../src/adapters/http/controller-http.js';
import type { ControllerReport } from '../../src/model/controller-report.js';
import { inBlackout, nextDue, parseSchedule, scheduleProblem } from '../../src/model/schedule.js';
import { applicationSpecSchema } from '../../src/spec/schema.js';

const at = (iso: string) => Date.parse(iso);

describe('snapshot schedules', () => {
  it('every DURATION: due that long after the last snapshot, at once when there is none', () => {
    const s = parseSchedule('every 6h');
    expect(s).toEqual({ every: 6 * 3600_000 });
    expect(nextDue(s, at('2026-01-01T00:00:00Z'), 0)).toBe(at('2026-01-01T06:00:00Z'));
    expect(nextDue(s, undefined, 1234)).toBe(1234);
  });

  it('a cron expression (UTC): due at its first run after the last snapshot, or after the start', () => {
    const s = parseSchedule('0 */6 * * *');
    expect(nextDue(s, at('2026-01-01T01:30:00Z'), 0)).toBe(at('2026-01-01T06:00:00Z'));
    expect(nextDue(s, undefined, at('2026-01-01T13:00:00Z'))).toBe(at('2026-01-01T18:00:00Z'));
    expect(nextDue(parseSchedule('*/20 * * * * *'), at('2026-01-01T00:00:05Z'), 0)).toBe(
      at('2026-01-01T00:00:20Z'),
    );
  });

  it('says what is wrong with a schedule', () => {
    expect(scheduleProblem('every 6h')).toBeUndefined();
    expect(scheduleProblem('every soon')).toMatch(/"every" needs a duration/);
    expect(scheduleProblem('every 0s')).toMatch(/1s or more/);
    expect(scheduleProblem('at noon')).toMatch(/neither "every DURATION" nor a cron expression/);
    expect(scheduleProblem('61 * * * *')).toMatch(/cron expression/);
  });

  it('blackout windows are daily UTC ranges, which may wrap midnight', () => {
    expect(inBlackout(['08:00-18:00'], at('2026-01-01T12:00:00Z'))).toBe(true);
    expect(inBlackout(['08:00-18:00'], at('2026-01-01T18:00:00Z'))).toBe(false);
    expect(inBlackout(['22:00-02:00'], at('2026-01-01T23:30:00Z'))).toBe(true);
    expect(inBlackout(['22:00-02:00'], at('2026-01-02T01:59:00Z'))).toBe(true);
    expect(inBlackout(['22:00-02:00'], at('2026-01-02T02:00:00Z'))).toBe(false);
    expect(inBlackout(undefined, at('2026-01-01T12:00:00Z'))).toBe(false);
  });
});

describe('the spec: reconcile and snapshots.schedule / blackout / retention', () => {
  const base = {
    application: 'a',
    runtime: 'FLINK-1_19',
    role: 'arn:aws:iam::123456789012:role/r',
    code: { s3: { bucket: 'bucket', key: 'k.jar' } },
  };
  const issues = (extra: Record<string, unknown>) => {
    const r = applicationSpecSchema.safeParse({ ...base, ...extra });
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('accepts a full controller block', () => {
    const r = applicationSpecSchema.parse({
      ...base,
      reconcile: 'auto',
      snapshots: {
        schedule: '0 3 * * *',
        blackout: ['08:00-18:00'],
        retention: { keep: 3, olderThan: '7d' },
      },
    });
    expect(r.reconcile).toBe('auto');
    expect(r.snapshots).toMatchObject({ enabled: true, schedule: '0 3 * * *', retention: { keep: 3 } });
  });

  it('names the field and the reason for each mistake', () => {
    expect(issues({ reconcile: 'sometimes' })).toEqual([expect.stringMatching(/^reconcile: /)]);
    expect(issues({ snapshots: { schedule: 'every now' } })).toEqual([
      expect.stringMatching(/^snapshots\.schedule: "every now": "every" needs a duration/),
    ]);
    expect(issues({ snapshots: { blackout: ['8-18'] } })).toEqual([
      'snapshots.blackout.0: must be a daily UTC window HH:MM-HH:MM',
    ]);
    expect(issues({ snapshots: { retention: {} } })).toEqual([
      'snapshots.retention: needs keep, olderThan or both',
    ]);
    expect(issues({ snapshots: { retention: { olderThan: 'a week' } } })).toEqual([
      'snapshots.retention.olderThan: must be a duration such as 30m, 12h or 7d',
    ]);
  });
});

describe('controller metrics', () => {
  it('parse with a Prometheus text-format parser: per application status, health, restarts, snapshot age, reconcile, drift', async () => {
    const now = at('2026-01-01T12:00:00Z');
    const report: ControllerReport = {
      leader: true,
      startedAt: '2026-01-01T11:00:00.000Z',
      passes: 7,
      intervalMs: 60_000,
      errors: [{ file: 'bad.yaml', message: 'bad' }],
      applications: [
        {
          application: 'orders',
          file: 'orders.yaml',
          status: 'RUNNING',
          versionId: 3,
          health: 'healthy',
          restarts: 0,
          drift: false,
          pending: 0,
          lastReconcile: { at: '2026-01-01T11:59:00.000Z', result: 'in sync' },
          lastSnapshot: { name: 's', createdAt: '2026-01-01T11:00:00.000Z' },
          did: [],
        },
        {
          application: 'clicks',
          file: 'clicks.yaml',
          status: 'READY',
          versionId: 1,
          drift: true,
          pending: 2,
          lastReconcile: { at: '2026-01-01T11:59:30.000Z', result: 'pending' },
          did: [],
        },
      ],
    };
    const families = parsePrometheusTextFormat(await metricsRegistry(report, now).metrics());
    const value = (name: string, labels: Record<string, string> = {}) =>
      families
        .find((f) => f.name === name)
        ?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value;
    expect(value('msfctl_controller_leader')).toBe('1');
    expect(value('msfctl_controller_passes_total')).toBe('7');
    expect(value('msfctl_controller_spec_errors')).toBe('1');
    expect(value('msfctl_application_status', { application: 'orders', status: 'RUNNING' })).toBe('1');
    expect(value('msfctl_application_status', { application: 'orders', status: 'READY' })).toBe('0');
    expect(value('msfctl_application_health', { application: 'orders', health: 'healthy' })).toBe('1');
    expect(value('msfctl_application_restarts', { application: 'orders' })).toBe('0');
    expect(value('msfctl_application_last_snapshot_age_seconds', { application: 'orders' })).toBe('3600');
    expect(value('msfctl_application_last_reconcile', { application: 'clicks', result: 'pending' })).toBe(
      '1',
    );
    expect(value('msfctl_application_drift', { application: 'clicks' })).toBe('1');
    expect(value('msfctl_application_pending_actions', { application: 'clicks' })).toBe('2');
    expect(families.find((f) => f.name === 'msfctl_application_health')!.metrics).toHaveLength(3);
  });
});
