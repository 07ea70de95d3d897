/**
 * import: writes a spec for an application that already exists, so msfctl can manage it from now on. The
 * ledger's baseline starts at the imported version, so later changes made elsewhere show as drift.
 */
import { Document } from 'yaml';
import type { LiveApplication, Tags } from '../model/application.js';
import { specTarget, type ResolvedTarget } from '../adapters/targets/target.js';

/** `tags`: the application's (the service's own aws:… tags are not written: the spec cannot set them). */
export function specFromLive(
  live: LiveApplication,
  target: ResolvedTarget,
  tags: Tags = {},
): Record<string, unknown> {
  const c = live.config;
  const spec: Record<string, unknown> = {
    application: live.name,
    ...(live.description ? { description: live.description } : {}),
    runtime: c.runtime,
    role: c.role,
    running: live.status === 'RUNNING',
    code: {
      s3: {
        bucket: c.code.bucket,
        key: c.code.key,
        ...(c.code.objectVersion ? { objectVersion: c.code.objectVersion } : {}),
      },
    },
  };
  if (c.parallelism.custom)
    spec.parallelism = {
      parallelism: c.parallelism.parallelism,
      perKpu: c.parallelism.perKpu,
      autoscaling: c.parallelism.autoscaling,
    };
  if (c.monitoring.custom)
    spec.monitoring = { logLevel: c.monitoring.logLevel, metricsLevel: c.monitoring.metricsLevel };
  if (c.checkpoints.custom)
    spec.checkpoints = {
      enabled: c.checkpoints.enabled,
      intervalMs: c.checkpoints.intervalMs,
      minPauseMs: c.checkpoints.minPauseMs,
    };
  spec.snapshots =
    c.snapshotMode === 'enhanced' ? { enabled: c.snapshotsEnabled, mode: 'enhanced' } : c.snapshotsEnabled;
  spec.systemRollback = c.systemRollback;
  if (live.lastRun) {
    spec.restore = {
      from: live.lastRun.from,
      ...(live.lastRun.snapshot ? { snapshot: live.lastRun.snapshot } : {}),
      allowNonRestoredState: live.lastRun.allowNonRestoredState,
    };
  }
  if (Object.keys(c.properties).length) spec.properties = c.properties;
  if (c.logStream) spec.logging = { logStream: c.logStream };
  const userTags = Object.entries(tags).filter(([key]) => !key.startsWith('aws:'));
  if (userTags.length) spec.tags = Object.fromEntries(userTags);
  spec.target = specTarget(target);
  return spec;
}

export function specYaml(spec: Record<string, unknown>, header: string): string {
  const doc = new Document(spec);
  doc.commentBefore = header;
  return doc.toString({ lineWidth: 0 });
}
