/**
 * The snapshot mode in a plan: the switch from legacy to enhanced snapshots is shown as the one-way step it is,
 * a switch back is refused (the service cannot go back), and enhanced mode on a runtime before FLINK-1_20 is
 * refused (at create, at the switch, or by a later runtime change). Pure.
 */
import type { DesiredApplication, LiveApplication, SnapshotInfo } from '../model/application.js';
import type { Finding } from '../model/plan.js';
import { ENHANCED_MIN_RUNTIME, supportsEnhancedSnapshots } from '../model/snapshot-refs.js';

export function snapshotModeFindings(
  desired: DesiredApplication,
  live: LiveApplication | undefined,
  snapshots: readonly SnapshotInfo[] | undefined,
): Finding[] {
  const wanted = desired.config.snapshotMode;
  const runtime = desired.config.runtime;
  const before = live?.config.snapshotMode ?? 'legacy';
  if (live && before === 'enhanced' && wanted === 'legacy') {
    return [
      {
        severity: 'refusal',
        code: 'SNAPSHOT_MODE_ONE_WAY',
        message: `snapshots.mode enhanced → legacy: ${desired.name} uses enhanced snapshots, and the switch to them is one-way (the service cannot go back to legacy mode)`,
        hint: `Set snapshots: { mode: enhanced } in the spec (${desired.name} is in enhanced mode already).`,
      },
    ];
  }
  if (wanted === 'enhanced' && !supportsEnhancedSnapshots(runtime)) {
    return [
      {
        severity: 'refusal',
        code: 'SNAPSHOT_MODE_RUNTIME',
        message: `snapshots.mode enhanced needs runtime ${ENHANCED_MIN_RUNTIME} or later; the spec asks for ${runtime}`,
        hint:
          before === 'enhanced'
            ? `${desired.name} is in enhanced mode, which cannot be undone: keep the runtime at ${ENHANCED_MIN_RUNTIME} or later.`
            : `Upgrade the runtime to ${ENHANCED_MIN_RUNTIME} or later (in this apply or an earlier one), or keep snapshots.mode: legacy.`,
      },
    ];
  }
  if (live && before === 'legacy' && wanted === 'enhanced') {
    const own = (snapshots ?? []).filter((s) => !s.enhanced).length;
    return [
      {
        severity: 'warning',
        code: 'SNAPSHOT_MODE_SWITCH',
        message: `snapshots.mode legacy → enhanced is ONE-WAY: once applied, ${desired.name} can never return to legacy mode. Its snapshots become account-level resources with ARNs that outlive it, can be exported to S3, and restore into any enhanced-mode application${own ? `; its ${own === 1 ? 'application snapshot stays' : `${own} application snapshots stay`} listed (and ${own === 1 ? 'is' : 'are'} deleted with it)` : ''}`,
      },
    ];
  }
  return [];
}
