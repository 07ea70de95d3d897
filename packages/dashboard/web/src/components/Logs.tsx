/** The newest job log lines (from CloudWatch Logs, where the application has logging options). */
import type { LogsResponse } from '../../../src/contract.js';
import { formatTime } from '../format.js';
import type { Resource } from '../resource.js';
import { Empty, Failure, Loading } from './States.js';

export function Logs({ available, logs }: { available: boolean; logs: Resource<LogsResponse> }) {
  if (!available) {
    return <Empty title="No logs.">The application has no CloudWatch logging options.</Empty>;
  }
  if (!logs.data) {
    if (logs.error)
      return <Failure title="Could not read the logs" message={logs.error.message} retry={logs.reload} />;
    return <Loading what="log lines" />;
  }
  const { lines, location } = logs.data.logs;
  if (lines.length === 0) return <Empty title="No log lines yet." />;
  return (
    <div class="logs">
      {location && <div class="muted small mono">{location}</div>}
      <ol class="log-lines" aria-label="Latest log lines, oldest first" tabIndex={0}>
        {lines.map((l, i) => (
          <li key={i} class={`log log-${l.level.toLowerCase()}`}>
            <time dateTime={l.at}>{formatTime(l.at)}</time>
            <span class="log-level">{l.level}</span>
            {l.logger && <span class="log-logger">{l.logger.split('.').pop()}</span>}
            <span class="log-message">{l.message}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}
