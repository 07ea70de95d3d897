/**
 * How snapshots are referred to, pure: enhanced-snapshot ARNs, s3:// prefixes (export, import), which runtimes
 * have enhanced snapshots, a snapshot's identity, and the restore settings that start from one.
 */
import type { RestoreSettings, S3Prefix, SnapshotInfo, SnapshotMode } from './application.js';
import { MsfctlError } from './errors.js';

/** arn:<partition>:kinesisanalytics:<region>:<account>:snapshot/<name> (msf-api.md §7). */
const SNAPSHOT_ARN = /^arn:aws[a-z-]*:kinesisanalytics:[a-z0-9-]+:\d{12}:snapshot\/([a-zA-Z0-9_.-]{1,256})$/;

export function isSnapshotArn(value: string): boolean {
  return SNAPSHOT_ARN.test(value);
}

export function snapshotNameFromArn(arn: string): string | undefined {
  return SNAPSHOT_ARN.exec(arn)?.[1];
}

const SNAPSHOT_NAME = /^[a-zA-Z0-9_.-]{1,256}$/;

/** A snapshot named on the command line: a snapshot name, or an enhanced snapshot's ARN. */
export function parseSnapshotRef(value: string, what: string): string {
  if (SNAPSHOT_NAME.test(value) || isSnapshotArn(value)) return value;
  throw new MsfctlError(
    'USAGE',
    `${what} ${JSON.stringify(value)} is neither a snapshot name nor a snapshot ARN.`,
    {
      hint: 'A name has 1 to 256 letters, digits, "_", "." and "-"; an ARN is arn:aws:kinesisanalytics:<region>:<account>:snapshot/<name>.',
    },
  );
}

/** Enhanced snapshots need Apache Flink 1.20 or later (FLINK-1_20, FLINK-2_2, …). */
export const ENHANCED_MIN_RUNTIME = 'FLINK-1_20';

/** FLINK-1_20 → 1020, FLINK-2_2 → 2002; undefined for anything else. */
export function flinkRuntimeRank(runtime: string): number | undefined {
  const m = /^FLINK-(\d+)_(\d+)$/.exec(runtime);
  return m ? Number(m[1]) * 1000 + Number(m[2]) : undefined;
}

export function supportsEnhancedSnapshots(runtime: string): boolean {
  return (flinkRuntimeRank(runtime) ?? 0) >= 1020;
}

/** A snapshot's identity: an enhanced snapshot by ARN, an application snapshot by (application and) name. */
export function snapshotKey(snapshot: Pick<SnapshotInfo, 'name' | 'enhanced'>): string {
  return snapshot.enhanced ? snapshot.enhanced.arn : `application-snapshot:${snapshot.name}`;
}

/**
 * The snapshots a start can name in this mode: application snapshots in legacy mode (by name), enhanced ones in
 * enhanced mode (by ARN; an application snapshot from before the switch cannot be named any more).
 */
export function restorableIn(mode: SnapshotMode, snapshots: readonly SnapshotInfo[]): SnapshotInfo[] {
  return snapshots.filter((s) => Boolean(s.enhanced) === (mode === 'enhanced'));
}

/** Starts from this snapshot: an enhanced one by SnapshotArn, an application snapshot by SnapshotName. */
export function restoreFromSnapshot(snapshot: SnapshotInfo, allowNonRestoredState: boolean): RestoreSettings {
  return {
    from: 'snapshot',
    snapshot: snapshot.name,
    ...(snapshot.enhanced ? { snapshotArn: snapshot.enhanced.arn } : {}),
    allowNonRestoredState,
  };
}

/** "name" or, for an enhanced snapshot of another application, "name (of application other)". */
export function describeSnapshotRef(run: RestoreSettings): string {
  return run.snapshotArn
    ? `${run.snapshot ?? snapshotNameFromArn(run.snapshotArn)} (${run.snapshotArn})`
    : `${run.snapshot}`;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Parses s3://bucket/prefix (the prefix is a directory: "/" is appended when missing). */
export function parseS3Prefix(url: string, option: string): S3Prefix {
  const fail = (why: string): never => {
    throw new MsfctlError('USAGE', `${option} ${JSON.stringify(url)} ${why}.`, {
      hint: 'Give an S3 prefix as s3://bucket/some/prefix/.',
    });
  };
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(url) ?? fail('is not s3://bucket/prefix (with a non-empty prefix)');
  const bucket = m[1]!;
  if (!BUCKET.test(bucket)) fail(`names no valid bucket (${bucket})`);
  const prefix = m[2]!.endsWith('/') ? m[2]! : `${m[2]!}/`;
  if (prefix.length > 200) fail('has a prefix over 200 characters');
  if (prefix.split('/').some((part, i, all) => part === '..' || (part === '' && i < all.length - 1)))
    fail('has an empty or ".." path segment');
  return { bucket, prefix };
}

export function describeS3Prefix(location: S3Prefix): string {
  return `s3://${location.bucket}/${location.prefix}`;
}
