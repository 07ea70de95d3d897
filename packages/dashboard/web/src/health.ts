/** Labels and order of health, drift and outcome; their colours are CSS classes (styles.css). */
import type { DriftState, HealthState, Outcome } from '../../src/contract.js';

export const HEALTH_LABEL: Record<HealthState, string> = {
  'crash-looping': 'Crash-looping',
  unhealthy: 'Unhealthy',
  unknown: 'Unknown',
  'not-running': 'Not running',
  healthy: 'Healthy',
};

/** Worst first: the fleet sorts by it. */
export const HEALTH_RANK: Record<HealthState, number> = {
  'crash-looping': 0,
  unhealthy: 1,
  unknown: 2,
  'not-running': 3,
  healthy: 4,
};

export const DRIFT_LABEL: Record<DriftState, string> = {
  drifted: 'Drifted',
  pending: 'Changes pending',
  unknown: 'Unknown',
  unmanaged: 'Unmanaged',
  'in-sync': 'In sync',
};

export const DRIFT_RANK: Record<DriftState, number> = {
  drifted: 0,
  pending: 1,
  unknown: 2,
  unmanaged: 3,
  'in-sync': 4,
};

export const OUTCOME_LABEL: Record<Outcome, string> = {
  'in-progress': 'In progress',
  succeeded: 'Succeeded',
  failed: 'Failed',
  recovered: 'Recovered',
  interrupted: 'Interrupted',
  cancelled: 'Cancelled',
};
