/**
 * One application: health and its evidence, charts over time, the timeline, snapshots, the spec against the
 * live configuration, and logs. Refetched whenever its fleet row changes on the live feed.
 */
import { useEffect, useState } from 'preact/hooks';
import type { ApplicationResponse, LogsResponse, SeriesResponse } from '../../../src/contract.js';
import { applicationPath, flinkDashboardHref } from '../api.js';
import { HealthBadge, StatusBadge } from '../components/Badges.js';
import { Chart, HEALTH_CHARTS } from '../components/Charts.js';
import { Logs } from '../components/Logs.js';
import { Snapshots } from '../components/Snapshots.js';
import { SpecDiffTable } from '../components/SpecDiff.js';
import { Failure, Loading } from '../components/States.js';
import { Timeline, Versions } from '../components/Timeline.js';
import { formatAgo, formatDateTime } from '../format.js';
import { useNow, type FleetFeedState } from '../live.js';
import { useResource } from '../resource.js';

const WINDOWS = [
  { minutes: 15, label: '15 min' },
  { minutes: 60, label: '1 h' },
  { minutes: 360, label: '6 h' },
  { minutes: 1440, label: '24 h' },
];
/** Charts and logs follow the clock even when the fleet row does not change. */
const CLOCK_REFRESH_MS = 15_000;

function useTicker(everyMs: number): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return tick;
}

export function ApplicationPage({ name, feed }: { name: string; feed: FleetFeedState }) {
  const now = useNow();
  const [minutes, setMinutes] = useState(60);
  const tick = useTicker(CLOCK_REFRESH_MS);
  // The fleet row on the live feed: when it changes, so may everything on this page.
  const row = feed.fleet?.applications.find((r) => r.name === name);
  const version = JSON.stringify(row ?? null);
  const path = applicationPath(name);
  const detail = useResource<ApplicationResponse>(path, version);
  const series = useResource<SeriesResponse>(`${path}/series?minutes=${minutes}`, `${version}|${tick}`);
  const logs = useResource<LogsResponse>(`${path}/logs?limit=100`, `${version}|${tick}`);

  useEffect(() => {
    document.title = `${name} · msfctl dashboard`;
  }, [name]);

  const back = (
    <a href="/" data-route class="back">
      ← Fleet
    </a>
  );
  if (!detail.data) {
    if (detail.error?.status === 404) {
      return (
        <section>
          {back}
          <Failure
            title={`No application named ${name}`}
            message="It may have been deleted, or never existed."
          />
        </section>
      );
    }
    if (detail.error) {
      return (
        <section>
          {back}
          <Failure title={`Could not read ${name}`} message={detail.error.message} retry={detail.reload} />
        </section>
      );
    }
    return <Loading what={name} />;
  }

  const app = detail.data.application;
  const r = app.row;
  const c = r.capacity;
  return (
    <article class="app-page" aria-labelledby="app-title" data-app={name}>
      {back}
      <header class="app-head">
        <div>
          <h1 id="app-title">{name}</h1>
          <div class="facts">
            <HealthBadge state={app.health.state} reason={app.health.reason} />
            <StatusBadge status={r.status} />
            {r.version !== undefined && <span>version {r.version}</span>}
            {r.runtime && <span>{r.runtime}</span>}
            {c && (
              <span title={`parallelism ${c.parallelism}, ${c.parallelismPerKpu} per KPU`}>
                {c.kpus} KPU{c.kpus === 1 ? '' : 's'} · parallelism {c.parallelism}
                {c.autoscaling ? ' · autoscaling' : ''}
              </span>
            )}
            {app.updatedAt && <span class="muted">updated {formatAgo(app.updatedAt, now)}</span>}
          </div>
          {app.code && (
            <div class="muted small mono" title={app.code.sha256 ? `sha256 ${app.code.sha256}` : undefined}>
              {app.code.location}
            </div>
          )}
        </div>
        <div class="app-actions">
          {app.flinkDashboard.available ? (
            <a class="button" href={flinkDashboardHref(name)} target="_blank" rel="noopener noreferrer">
              Flink dashboard ↗
            </a>
          ) : (
            <span class="button button-disabled" aria-disabled="true" title={app.flinkDashboard.reason}>
              Flink dashboard
            </span>
          )}
          {!app.flinkDashboard.available && app.flinkDashboard.reason && (
            <div class="muted small">{app.flinkDashboard.reason}</div>
          )}
        </div>
      </header>

      {detail.error && (
        <div class="banner banner-error" role="alert">
          Could not refresh: {detail.error.message} Showing what was read{' '}
          {formatAgo(detail.data.generatedAt, now)}.
        </div>
      )}
      {r.error && (
        <div class="banner banner-error" role="alert">
          {r.error}
        </div>
      )}
      {app.lock && (
        <div class="banner banner-info">
          {app.lock.state === 'held'
            ? `${app.lock.holder} is running a command on it (since ${formatDateTime(app.lock.since)}).`
            : `A lock left by ${app.lock.holder} (since ${formatDateTime(app.lock.since)}) will be taken over by the next command.`}
        </div>
      )}

      <section class={`card health-panel panel-${app.health.state}`} aria-label="Health">
        <div class="health-reason">
          <strong>{app.health.reason}</strong>
          {app.health.checkedAt && (
            <span class="muted small"> · checked {formatAgo(app.health.checkedAt, now)}</span>
          )}
        </div>
        {app.health.evidence.length > 0 && (
          <ul class="evidence">
            {app.health.evidence.map((e, i) => (
              <li key={i}>
                <span class="evidence-signal">{e.signal}</span> {e.message}
                {e.metric && <span class="muted small"> ({e.metric})</span>}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="charts-title">
        <div class="section-head">
          <h2 id="charts-title">Health over time</h2>
          <div class="segmented" role="group" aria-label="Time window">
            {WINDOWS.map((w) => (
              <button
                type="button"
                key={w.minutes}
                aria-pressed={minutes === w.minutes}
                onClick={() => setMinutes(w.minutes)}
              >
                {w.label}
              </button>
            ))}
          </div>
        </div>
        {series.data ? (
          <div class="charts">
            {HEALTH_CHARTS.map((spec) => (
              <Chart key={spec.id} spec={spec} columns={series.data!.series.columns} />
            ))}
          </div>
        ) : series.error ? (
          <Failure title="Could not read the metrics" message={series.error.message} retry={series.reload} />
        ) : (
          <Loading what="metrics" />
        )}
      </section>

      <div class="columns">
        <section class="card" aria-labelledby="timeline-title">
          <h2 id="timeline-title">Versions and operations</h2>
          <Versions versions={app.versions} />
          <Timeline entries={app.timeline} now={now} />
        </section>
        <section class="card" aria-labelledby="spec-title">
          <h2 id="spec-title">Spec against live</h2>
          <SpecDiffTable diff={app.specDiff} />
        </section>
      </div>

      <section class="card" aria-labelledby="snapshots-title">
        <h2 id="snapshots-title">Snapshots</h2>
        <Snapshots snapshots={app.snapshots} now={now} />
      </section>

      <section class="card" aria-labelledby="logs-title">
        <h2 id="logs-title">Latest log lines</h2>
        <Logs available={app.logsAvailable} logs={logs} />
      </section>
    </article>
  );
}
