/** Versions and operations as one timeline, newest first: msfctl's ledger merged with the service's operations. */
import type { TimelineEntry, VersionEntry } from '../../../src/contract.js';
import { formatAgo, formatDateTime } from '../format.js';
import { OutcomeBadge } from './Badges.js';
import { Empty } from './States.js';

export function Versions({ versions }: { versions: VersionEntry[] }) {
  if (versions.length === 0) return null;
  return (
    <ol class="versions" aria-label="Versions, newest first">
      {versions.map((v) => (
        <li
          key={v.versionId}
          class={`version${v.current ? ' version-current' : ''}${v.lastGood ? ' version-good' : ''}`}
          title={[v.summary, v.at && formatDateTime(v.at), v.status].filter(Boolean).join(' · ') || undefined}
        >
          v{v.versionId}
          {v.current && <span class="version-tag">current</span>}
          {v.lastGood && <span class="version-tag">last good</span>}
        </li>
      ))}
    </ol>
  );
}

function VersionChange({ entry }: { entry: TimelineEntry }) {
  const { versionBefore: from, versionAfter: to } = entry;
  if (from === undefined && to === undefined) return null;
  if (from !== undefined && to !== undefined && from !== to) {
    return (
      <span class="version-change">
        v{from} → v{to}
      </span>
    );
  }
  return <span class="version-change">v{to ?? from}</span>;
}

function Entry({ entry, now }: { entry: TimelineEntry; now: number }) {
  return (
    <li class={`tl-entry tl-${entry.outcome}`} data-entry={entry.id} data-outcome={entry.outcome}>
      <span class="tl-dot" aria-hidden="true" />
      <div class="tl-head">
        <strong class="tl-kind">{entry.kind}</strong>
        <OutcomeBadge outcome={entry.outcome} />
        <VersionChange entry={entry} />
        <span class="muted small" title={formatDateTime(entry.at)}>
          {formatAgo(entry.at, now)}
        </span>
        <span class="muted small tl-who">
          {entry.who ? `by ${entry.who}` : entry.source === 'service' ? 'outside msfctl' : ''}
        </span>
      </div>
      <p class="tl-summary">{entry.summary}</p>
      {entry.error && <pre class="tl-error">{entry.error}</pre>}
      {entry.operations.length > 0 && (
        <ul class="tl-ops" aria-label="Service operations">
          {entry.operations.map((op, i) => (
            <li key={op.id ?? i}>
              <code>{op.operation}</code>{' '}
              <span class={`op-status op-${op.status.toLowerCase()}`}>{op.status}</span>
              {op.error && <span class="muted small"> · {op.error}</span>}
            </li>
          ))}
        </ul>
      )}
      {entry.recovery && (
        <div class="recovery" aria-label="Recovery">
          <div class="recovery-title">
            Recovery <span class="muted small">after: {entry.recovery.trigger}</span>
          </div>
          <ol class="recovery-steps">
            {entry.recovery.steps.map((step, i) => (
              <li key={i} class={`step step-${step.outcome}`} data-step={step.outcome}>
                <span class="step-mark" aria-hidden="true">
                  {step.outcome === 'succeeded' ? '✓' : step.outcome === 'failed' ? '✗' : '–'}
                </span>
                <span>
                  <strong>{step.action}</strong> {step.description}
                  {step.detail && <span class="muted small"> · {step.detail}</span>}
                </span>
              </li>
            ))}
          </ol>
          <div class="recovery-result">{entry.recovery.result}</div>
        </div>
      )}
    </li>
  );
}

export function Timeline({ entries, now }: { entries: TimelineEntry[]; now: number }) {
  if (entries.length === 0) {
    return (
      <Empty title="Nothing has happened yet.">Deployments, operations and recoveries show up here.</Empty>
    );
  }
  return (
    <ol class="timeline">
      {entries.map((e) => (
        <Entry key={e.id} entry={e} now={now} />
      ))}
    </ol>
  );
}
