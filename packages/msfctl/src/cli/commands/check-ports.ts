/** What the plan checks (state preflight, snapshot feasibility, rehearsal) need from an opened target. */
import type { OpenedTarget } from '../../adapters/targets/open-target.js';

export function planCheckPorts(ports: OpenedTarget) {
  const { target, artifacts, inspector, metrics, exceptions, rehearser, savepointFiles } = ports;
  return {
    artifacts,
    inspector,
    metrics,
    exceptions,
    ...(target.snapshotState ? { snapshotState: target.snapshotState } : {}),
    rehearser,
    exporter: target.snapshotExporter,
    savepointFiles,
  };
}
