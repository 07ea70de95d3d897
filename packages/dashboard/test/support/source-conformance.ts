/**
 * The DashboardSource conformance suite: what every implementation must hold, whatever applications it
 * finds. Run against MemoryDashboardSource here; msfctl's controller-backed source runs the same suite on
 * msf-local. `setup` gives a source with at least one application.
 */
import { describe, expect, it } from 'vitest';
import { HEALTH_STATES, SERIES_KEYS, type FleetRow } from '../../src/contract.js';
import type { DashboardSource } from '../../src/source.js';

const DRIFT_STATES = ['in-sync', 'drifted', 'pending', 'unmanaged', 'unknown'];
const OUTCOMES = ['in-progress', 'succeeded', 'failed', 'recovered', 'interrupted', 'cancelled'];
const UNKNOWN_APP = 'no-such-application-4f9c2';

const signal = () => AbortSignal.timeout(30_000);
const isIso = (v: string | undefined) => v === undefined || !Number.isNaN(Date.parse(v));
const descending = (times: string[]) =>
  times.every((t, i) => i === 0 || Date.parse(times[i - 1]!) >= Date.parse(t));

export function describeDashboardSource(name: string, setup: () => Promise<DashboardSource>): void {
  describe(`DashboardSource conformance: ${name}`, () => {
    it('lists each application once, with valid states, numbers and times', async () => {
      const source = await setup();
      const rows = await source.fleet(signal());
      expect(rows.length).toBeGreaterThan(0);
      expect(new Set(rows.map((r) => r.name)).size).toBe(rows.length);
      for (const r of rows) checkRow(r);
    });

    it('describes every listed application consistently with its fleet row', async () => {
      const source = await setup();
      for (const row of await source.fleet(signal())) {
        const detail = await source.application(row.name, signal());
        expect(detail, row.name).toBeDefined();
        const d = detail!;
        expect(d.row).toEqual(row);
        expect(d.health.state).toBe(row.health.state);
        expect(descending(d.timeline.map((e) => e.at)), 'timeline newest first').toBe(true);
        expect(descending(d.snapshots.map((s) => s.createdAt)), 'snapshots newest first').toBe(true);
        expect(new Set(d.timeline.map((e) => e.id)).size).toBe(d.timeline.length);
        for (const e of d.timeline) {
          expect(OUTCOMES).toContain(e.outcome);
          expect(['msfctl', 'service']).toContain(e.source);
          expect(isIso(e.at) && isIso(e.endedAt)).toBe(true);
        }
        for (const s of d.snapshots) {
          expect(['application', 'enhanced']).toContain(s.kind);
          if (s.kind === 'enhanced')
            expect(s.arn).toMatch(/^arn:aws[a-z-]*:kinesisanalytics:[^:]+:\d{12}:snapshot\//);
          else expect(s.arn).toBeUndefined();
        }
        const current = d.versions.filter((v) => v.current);
        if (row.version !== undefined && d.versions.length)
          expect(current.map((v) => v.versionId)).toEqual([row.version]);
        for (const f of d.specDiff.fields) expect(f.differs, f.field).toBe(f.spec !== f.live);
        if (d.specDiff.state === 'in-sync') expect(d.specDiff.fields.some((f) => f.differs)).toBe(false);
        if (d.specDiff.state === 'differs') expect(d.specDiff.fields.some((f) => f.differs)).toBe(true);
        if (row.newestSnapshot) {
          const newestReady = d.snapshots.find((s) => s.status === 'READY');
          expect(newestReady?.name).toBe(row.newestSnapshot.name);
        }
      }
    });

    it('answers health series as aligned columns inside the range asked for', async () => {
      const source = await setup();
      const [row] = await source.fleet(signal());
      const to = new Date();
      const from = new Date(to.getTime() - 30 * 60_000);
      const series = await source.series(row!.name, { from, to }, signal());
      expect(series).toBeDefined();
      const { columns, periodSeconds } = series!;
      expect(periodSeconds).toBeGreaterThan(0);
      for (const key of SERIES_KEYS) expect(columns[key], key).toHaveLength(columns.at.length);
      expect(columns.at.every((t, i) => i === 0 || t > columns.at[i - 1]!)).toBe(true);
      // A period that started up to one period before `from` overlaps the range.
      for (const t of columns.at) {
        expect(t).toBeGreaterThanOrEqual(from.getTime() - periodSeconds * 1000);
        expect(t).toBeLessThanOrEqual(to.getTime());
      }
    });

    it('answers at most `limit` log lines, oldest first', async () => {
      const source = await setup();
      for (const row of await source.fleet(signal())) {
        const logs = await source.logs(row.name, 3, signal());
        expect(logs).toBeDefined();
        expect(logs!.lines.length).toBeLessThanOrEqual(3);
        const times = logs!.lines.map((l) => Date.parse(l.at));
        expect(times.every((t, i) => i === 0 || t >= times[i - 1]!)).toBe(true);
      }
    });

    it('gives a Flink dashboard link or the reason there is none', async () => {
      const source = await setup();
      for (const row of await source.fleet(signal())) {
        const link = await source.flinkDashboard(row.name, signal());
        expect(link).toBeDefined();
        if ('url' in link!) expect(link.url).toMatch(/^https?:\/\//);
        else expect(link!.unavailable.length).toBeGreaterThan(0);
      }
    });

    it('answers undefined for an application it does not know', async () => {
      const source = await setup();
      expect(await source.application(UNKNOWN_APP, signal())).toBeUndefined();
      expect(
        await source.series(UNKNOWN_APP, { from: new Date(0), to: new Date() }, signal()),
      ).toBeUndefined();
      expect(await source.logs(UNKNOWN_APP, 10, signal())).toBeUndefined();
      expect(await source.flinkDashboard(UNKNOWN_APP, signal())).toBeUndefined();
    });

    it('gives up when its signal is aborted', async () => {
      const source = await setup();
      const aborted = AbortSignal.abort(new Error('page closed'));
      await expect(source.fleet(aborted)).rejects.toThrow();
    });
  });
}

function checkRow(r: FleetRow): void {
  expect(r.name).toMatch(/^[a-zA-Z0-9_.-]{1,128}$/);
  expect(HEALTH_STATES).toContain(r.health.state);
  expect(r.health.reason.length).toBeGreaterThan(0);
  expect(DRIFT_STATES).toContain(r.drift.state);
  if (r.version !== undefined) expect(Number.isInteger(r.version) && r.version >= 1).toBe(true);
  if (r.capacity) {
    const c = r.capacity;
    expect(c.kpusConfigured).toBe(Math.ceil(c.parallelism / Math.max(1, c.parallelismPerKpu)));
    if (r.status === 'READY') expect(c.kpus).toBe(0);
  }
  if (r.status === 'READY') expect(r.health.state).toBe('not-running');
  expect(isIso(r.health.checkedAt) && isIso(r.lastOperation?.at) && isIso(r.newestSnapshot?.createdAt)).toBe(
    true,
  );
}
