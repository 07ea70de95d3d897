/** The fleet: every application on one sortable table, worst health first, with a count per health state. */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { HEALTH_STATES, type FleetRow, type HealthState } from '../../../src/contract.js';
import { DriftBadge, HealthBadge, OutcomeBadge, StatusBadge } from '../components/Badges.js';
import { Empty, Failure, Loading } from '../components/States.js';
import { ageOf, formatAge, formatAgo } from '../format.js';
import { DRIFT_RANK, HEALTH_LABEL, HEALTH_RANK } from '../health.js';
import { useNow, type FleetFeedState } from '../live.js';
import { appHref } from '../router.js';

type SortKey =
  'name' | 'health' | 'status' | 'version' | 'runtime' | 'kpus' | 'operation' | 'drift' | 'snapshot';
interface Sort {
  key: SortKey;
  descending: boolean;
}

const COLUMNS: { key: SortKey; label: string; numeric?: boolean }[] = [
  { key: 'name', label: 'Application' },
  { key: 'health', label: 'Health' },
  { key: 'status', label: 'Status' },
  { key: 'version', label: 'Version', numeric: true },
  { key: 'runtime', label: 'Runtime' },
  { key: 'kpus', label: 'KPUs', numeric: true },
  { key: 'operation', label: 'Last operation' },
  { key: 'drift', label: 'Drift' },
  { key: 'snapshot', label: 'Newest snapshot', numeric: true },
];

/** A snapshot older than this is flagged (a restore would lose more than a day). */
const OLD_SNAPSHOT_MS = 24 * 3600_000;

function compare(a: FleetRow, b: FleetRow, key: SortKey, now: number): number {
  const num = (x: number | undefined, y: number | undefined) =>
    (x ?? Number.POSITIVE_INFINITY) - (y ?? Number.POSITIVE_INFINITY);
  switch (key) {
    case 'name':
      return a.name.localeCompare(b.name);
    case 'health':
      return HEALTH_RANK[a.health.state] - HEALTH_RANK[b.health.state];
    case 'status':
      return (a.status ?? '').localeCompare(b.status ?? '');
    case 'version':
      return num(a.version, b.version);
    case 'runtime':
      return (a.runtime ?? '').localeCompare(b.runtime ?? '');
    case 'kpus':
      return num(a.capacity?.kpus, b.capacity?.kpus);
    case 'operation':
      // Most recent first when ascending reads "latest activity".
      return -num(
        a.lastOperation ? Date.parse(a.lastOperation.at) : undefined,
        b.lastOperation ? Date.parse(b.lastOperation.at) : undefined,
      );
    case 'drift':
      return DRIFT_RANK[a.drift.state] - DRIFT_RANK[b.drift.state];
    case 'snapshot': {
      const age = (r: FleetRow) => (r.newestSnapshot ? ageOf(r.newestSnapshot.createdAt, now) : undefined);
      return num(age(a), age(b));
    }
  }
}

function HealthSummaryBar({
  rows,
  filter,
  setFilter,
}: {
  rows: FleetRow[];
  filter: HealthState | undefined;
  setFilter: (f: HealthState | undefined) => void;
}) {
  const counts = new Map<HealthState, number>();
  for (const r of rows) counts.set(r.health.state, (counts.get(r.health.state) ?? 0) + 1);
  const kpus = rows.reduce((sum, r) => sum + (r.capacity?.kpus ?? 0), 0);
  return (
    <div class="summary" aria-label="Applications by health">
      <div class="summary-total">
        <strong>{rows.length}</strong> application{rows.length === 1 ? '' : 's'} · <strong>{kpus}</strong> KPU
        {kpus === 1 ? '' : 's'} in use
      </div>
      <div class="chips">
        {HEALTH_STATES.filter((s) => counts.get(s)).map((state) => (
          <button
            type="button"
            key={state}
            class={`chip health-${state}`}
            aria-pressed={filter === state}
            data-health={state}
            onClick={() => setFilter(filter === state ? undefined : state)}
          >
            <span class="dot" aria-hidden="true" />
            {HEALTH_LABEL[state]} <strong>{counts.get(state)}</strong>
          </button>
        ))}
      </div>
    </div>
  );
}

function Row({ row, now }: { row: FleetRow; now: number }) {
  const snapshotAge = row.newestSnapshot ? ageOf(row.newestSnapshot.createdAt, now) : undefined;
  const c = row.capacity;
  return (
    <tr class={`fleet-row row-${row.health.state}`} data-app={row.name} data-health={row.health.state}>
      <th scope="row">
        <a href={appHref(row.name)} data-route class="app-link">
          {row.name}
        </a>
        {row.spec && <div class="muted small">{row.spec}</div>}
        {row.error && <div class="row-error small">{row.error}</div>}
      </th>
      <td>
        <HealthBadge state={row.health.state} reason={row.health.reason} />
        <div class="muted small reason" title={row.health.reason}>
          {row.health.reason}
        </div>
      </td>
      <td>
        <StatusBadge status={row.status} />
      </td>
      <td class="num">{row.version ?? '–'}</td>
      <td>{row.runtime ?? '–'}</td>
      <td class="num" title={c ? `parallelism ${c.parallelism}, ${c.parallelismPerKpu} per KPU` : undefined}>
        {c ? c.kpus : '–'}
        {c?.autoscaling && <span class="muted small"> auto</span>}
      </td>
      <td>
        {row.lastOperation ? (
          <div class="last-op">
            <span>{row.lastOperation.operation}</span> <OutcomeBadge outcome={row.lastOperation.outcome} />
            <div class="muted small">
              {formatAgo(row.lastOperation.at, now)}
              {row.lastOperation.who && ` · ${row.lastOperation.who}`}
            </div>
          </div>
        ) : (
          <span class="muted">–</span>
        )}
      </td>
      <td>
        <DriftBadge drift={row.drift} />
      </td>
      <td class="num">
        {row.newestSnapshot ? (
          <span
            class={snapshotAge! > OLD_SNAPSHOT_MS ? 'snapshot-old' : undefined}
            title={`${row.newestSnapshot.name} (${row.newestSnapshot.kind})`}
          >
            {formatAge(snapshotAge!)}
          </span>
        ) : (
          <span class="muted">none</span>
        )}
      </td>
    </tr>
  );
}

export function FleetPage({ feed }: { feed: FleetFeedState }) {
  const now = useNow();
  const [sort, setSort] = useState<Sort>({ key: 'health', descending: false });
  const [filter, setFilter] = useState<HealthState>();
  const [text, setText] = useState('');
  useEffect(() => {
    document.title = 'Fleet · msfctl dashboard';
  }, []);
  const all = feed.fleet?.applications;
  const rows = useMemo(() => {
    if (!all) return [];
    const needle = text.trim().toLowerCase();
    const shown = all.filter(
      (r) => (!filter || r.health.state === filter) && (!needle || r.name.toLowerCase().includes(needle)),
    );
    return shown.sort((a, b) => {
      const c = compare(a, b, sort.key, now) || a.name.localeCompare(b.name);
      return sort.descending ? -c : c;
    });
  }, [all, sort, filter, text, now]);

  if (!feed.fleet) {
    if (feed.sourceError) return <Failure title="The dashboard's source failed" message={feed.sourceError} />;
    if (feed.connection === 'reconnecting') {
      return <Failure title="Cannot reach the dashboard server" message="Retrying every few seconds…" />;
    }
    return <Loading what="the fleet" />;
  }
  return (
    <section aria-labelledby="fleet-title">
      <div class="page-head">
        <h1 id="fleet-title">Fleet</h1>
        <input
          type="search"
          class="filter"
          placeholder="Filter by name"
          aria-label="Filter applications by name"
          value={text}
          onInput={(e) => setText((e.target as HTMLInputElement).value)}
        />
      </div>
      {feed.sourceError && (
        <div class="banner banner-error" role="alert">
          {feed.sourceError} The table shows the last applications read.
        </div>
      )}
      {all!.length === 0 ? (
        <Empty title="No applications yet.">
          Add a spec to the directory msfctl watches, or create an application: it shows up here within
          seconds.
        </Empty>
      ) : (
        <>
          <HealthSummaryBar rows={all!} filter={filter} setFilter={setFilter} />
          <div class="card table-wrap">
            <table class="fleet">
              <thead>
                <tr>
                  {COLUMNS.map((c) => {
                    const active = sort.key === c.key;
                    return (
                      <th
                        scope="col"
                        key={c.key}
                        class={c.numeric ? 'num' : undefined}
                        aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'}
                      >
                        <button
                          type="button"
                          class="sort"
                          data-sort={c.key}
                          onClick={() =>
                            setSort({ key: c.key, descending: active ? !sort.descending : false })
                          }
                        >
                          {c.label}
                          <span class="sort-mark" aria-hidden="true">
                            {active ? (sort.descending ? '▼' : '▲') : ''}
                          </span>
                        </button>
                      </th>
                    );
                  })}
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <Row key={row.name} row={row} now={now} />
                ))}
              </tbody>
            </table>
            {rows.length === 0 && <Empty title="No application matches the filter." />}
          </div>
        </>
      )}
    </section>
  );
}
