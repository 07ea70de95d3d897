/** Small labelled badges: colour always comes with a word, never alone. */
import type { DriftSummary, HealthState, Outcome } from '../../../src/contract.js';
import { titleCase } from '../format.js';
import { DRIFT_LABEL, HEALTH_LABEL, OUTCOME_LABEL } from '../health.js';

export function HealthBadge({ state, reason }: { state: HealthState; reason?: string }) {
  return (
    <span class={`badge health health-${state}`} data-health={state} title={reason}>
      <span class="dot" aria-hidden="true" />
      {HEALTH_LABEL[state]}
    </span>
  );
}

export function StatusBadge({ status }: { status?: string }) {
  if (!status) return <span class="badge status status-absent">Not created</span>;
  return (
    <span class={`badge status status-${status.toLowerCase()}`} data-status={status}>
      {titleCase(status)}
    </span>
  );
}

export function OutcomeBadge({ outcome }: { outcome: Outcome }) {
  return (
    <span class={`badge outcome outcome-${outcome}`} data-outcome={outcome}>
      {OUTCOME_LABEL[outcome]}
    </span>
  );
}

export function DriftBadge({ drift }: { drift: DriftSummary }) {
  const title = [drift.summary, ...drift.fields].filter(Boolean).join('\n');
  return (
    <span class={`badge drift drift-${drift.state}`} data-drift={drift.state} title={title || undefined}>
      {DRIFT_LABEL[drift.state]}
    </span>
  );
}
