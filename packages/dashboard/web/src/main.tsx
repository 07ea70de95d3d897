/** The dashboard page: a header with the live state, then the fleet or one application. */
import './styles.css';
import { render } from 'preact';
import { lazy, Suspense } from 'preact/compat';
import { formatAgo } from './format.js';
import { useFleetFeed, useNow, type FleetFeedState } from './live.js';
import { Loading } from './components/States.js';
import { FleetPage } from './pages/FleetPage.js';
import { useRoute } from './router.js';

// The application page (and uPlot) loads on first use: the fleet page needs neither.
const ApplicationPage = lazy(() =>
  import('./pages/ApplicationPage.js').then((m) => ({ default: m.ApplicationPage })),
);

function LiveIndicator({ feed }: { feed: FleetFeedState }) {
  const now = useNow(5000);
  const stale = feed.sourceError !== undefined;
  const label =
    feed.connection === 'live'
      ? stale
        ? 'Live · source failing'
        : 'Live'
      : feed.connection === 'connecting'
        ? 'Connecting…'
        : 'Reconnecting…';
  return (
    <div
      class={`live live-${stale ? 'stale' : feed.connection}`}
      data-connection={feed.connection}
      role="status"
    >
      <span class="dot" aria-hidden="true" />
      <span>{label}</span>
      {feed.fleet && <span class="muted">updated {formatAgo(feed.fleet.generatedAt, now)}</span>}
    </div>
  );
}

function App() {
  const route = useRoute();
  const feed = useFleetFeed();
  return (
    <>
      <header class="topbar">
        <a class="brand" href="/" data-route>
          <img src="/favicon.svg" alt="" width="22" height="22" />
          <span>msfctl dashboard</span>
        </a>
        {feed.fleet?.target && (
          <span class="target" title="What this dashboard looks at">
            {feed.fleet.target}
          </span>
        )}
        <LiveIndicator feed={feed} />
      </header>
      <main id="main">
        {route.page === 'fleet' && <FleetPage feed={feed} />}
        {route.page === 'application' && (
          <Suspense fallback={<Loading what={route.name} />}>
            <ApplicationPage name={route.name} feed={feed} />
          </Suspense>
        )}
        {route.page === 'not-found' && (
          <div class="state state-empty">
            <strong>No such page.</strong>
            <p>
              <a href="/" data-route>
                Back to the fleet
              </a>
            </p>
          </div>
        )}
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
