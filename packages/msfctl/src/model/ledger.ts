/**
 * The ledger: per application, what msfctl did (each deployment and lifecycle command: when, who, spec and
 * artifact digests, versions, operations, outcome), what it last left the application as (for drift), the
 * last known good version, and the snapshots it took. Pure functions over a plain value; state/ledger-store.ts
 * persists it. The service stays the source of truth: the ledger explains history and detects drift.
 */
import { randomUUID } from 'node:crypto';
import type { Tags, AppConfig, AppStatus, LiveApplication } from './application.js';
import { diffConfig } from './changes.js';

export const LEDGER_FORMAT = 'msfctl-ledger/1';
/** Entries kept; older ones are dropped (the service keeps its own history). */
export const MAX_ENTRIES = 500;

export type EntryKind =
  | 'apply'
  | 'start'
  | 'stop'
  | 'restart'
  | 'rollback'
  | 'scale'
  | 'snapshot'
  | 'destroy'
  | 'import'
  | 'recovery'
  | 'force-unlock';

export type Outcome = 'in-progress' | 'succeeded' | 'failed' | 'interrupted';

export interface OperationRecord {
  id?: string;
  operation: string;
  status: string;
  error?: string;
}

export interface ArtifactRecord {
  sha256: string;
  bucket: string;
  key: string;
  size?: number;
}

/**
 * The bake of a run, recorded as it starts (intent) and as it ends (verdict): an entry that was interrupted
 * with a bake begun and no verdict left a deploy nobody health-checked, which the next apply resumes.
 */
export interface BakeRecord {
  startedAt: string;
  bakeSeconds: number;
  /** The version the bake watches. */
  versionId?: number;
  endedAt?: string;
  status?: 'healthy' | 'unhealthy' | 'unknown';
}

export interface LedgerEntry {
  id: string;
  kind: EntryKind;
  startedAt: string;
  endedAt?: string;
  who: string;
  outcome: Outcome;
  summary: string;
  specDigest?: string;
  artifact?: ArtifactRecord;
  versionBefore?: number;
  versionAfter?: number;
  operations: OperationRecord[];
  error?: string;
  details?: Record<string, unknown>;
  bake?: BakeRecord;
}

/** What msfctl recorded after its last action on the application. */
export interface ExpectedState {
  versionId: number;
  status: AppStatus;
  config: AppConfig;
  at: string;
  /** The msfctl command that left it so (apply, rollback, scale...). */
  by: string;
  /** Why it differs from the spec, when msfctl knows better than "msfctl <by> changed it". */
  note?: string;
  /** The application's tags as msfctl last set or imported them (tags are not versioned: drift compares them). */
  tags?: Tags;
}

export interface LastGood {
  versionId: number;
  config: AppConfig;
  at: string;
  specDigest?: string;
  artifact?: ArtifactRecord;
}

export interface SnapshotRecord {
  name: string;
  takenAt: string;
  versionId?: number;
  reason: string;
  /** An enhanced snapshot's ARN (it outlives the application). */
  arn?: string;
  /** s3://… where its savepoint was exported. */
  exportedTo?: string;
}

export interface Ledger {
  format: typeof LEDGER_FORMAT;
  application: string;
  /** Incremented on every write. */
  serial: number;
  updatedAt: string;
  expected?: ExpectedState;
  lastGood?: LastGood;
  /** Known JAR digests by S3 location `bucket/key`. */
  artifacts: Record<string, ArtifactRecord>;
  snapshots: SnapshotRecord[];
  entries: LedgerEntry[];
  /** Set by destroy: the application was deleted, the history stays. */
  deletedAt?: string;
}

export function emptyLedger(application: string, now: Date = new Date()): Ledger {
  return {
    format: LEDGER_FORMAT,
    application,
    serial: 0,
    updatedAt: now.toISOString(),
    artifacts: {},
    snapshots: [],
    entries: [],
  };
}

export function newEntry(kind: EntryKind, who: string, summary: string, now: Date = new Date()): LedgerEntry {
  return {
    id: randomUUID(),
    kind,
    startedAt: now.toISOString(),
    who,
    outcome: 'in-progress',
    summary,
    operations: [],
  };
}

/** Entries left in progress by a process that no longer holds the lock are marked interrupted. */
export function markInterrupted(
  ledger: Ledger,
  now: Date = new Date(),
): { ledger: Ledger; interrupted: LedgerEntry[] } {
  const interrupted: LedgerEntry[] = [];
  const entries = ledger.entries.map((e) => {
    if (e.outcome !== 'in-progress') return e;
    const done: LedgerEntry = {
      ...e,
      outcome: 'interrupted',
      endedAt: now.toISOString(),
      error: 'msfctl stopped before this finished; the next run reconciled with the service',
    };
    interrupted.push(done);
    return done;
  });
  return { ledger: { ...ledger, entries }, interrupted };
}

/**
 * The bake an interrupted run left without a verdict, when that run is the last thing msfctl did to the
 * application and the application is still on the version it baked (else a later change superseded it).
 */
export function unfinishedBake(
  ledger: Ledger,
  live: { versionId: number; status: AppStatus } | undefined,
): BakeRecord | undefined {
  const last = ledger.entries.at(-1);
  const bake = last?.bake;
  if (!last || !bake || bake.status !== undefined || last.outcome !== 'interrupted') return undefined;
  if (!live || live.status !== 'RUNNING') return undefined;
  if (bake.versionId !== undefined && bake.versionId !== live.versionId) return undefined;
  return bake;
}

export function appendEntry(ledger: Ledger, entry: LedgerEntry): Ledger {
  const entries = [...ledger.entries, entry];
  return { ...ledger, entries: entries.length > MAX_ENTRIES ? entries.slice(-MAX_ENTRIES) : entries };
}

export function updateEntry(ledger: Ledger, id: string, patch: Partial<LedgerEntry>): Ledger {
  return { ...ledger, entries: ledger.entries.map((e) => (e.id === id ? { ...e, ...patch } : e)) };
}

export function recordArtifact(ledger: Ledger, artifact: ArtifactRecord): Ledger {
  return { ...ledger, artifacts: { ...ledger.artifacts, [`${artifact.bucket}/${artifact.key}`]: artifact } };
}

export function artifactAt(
  ledger: Ledger | undefined,
  bucket: string,
  key: string,
): ArtifactRecord | undefined {
  return ledger?.artifacts[`${bucket}/${key}`];
}

export function recordSnapshot(ledger: Ledger, snapshot: SnapshotRecord): Ledger {
  return { ...ledger, snapshots: [...ledger.snapshots.filter((s) => s.name !== snapshot.name), snapshot] };
}

/** Every operation id msfctl started, to tell its own operations from outside ones. */
export function msfctlOperationIds(ledger: Ledger | undefined): Set<string> {
  const ids = new Set<string>();
  for (const e of ledger?.entries ?? []) for (const op of e.operations) if (op.id) ids.add(op.id);
  return ids;
}

/**
 * The ledger's last good version, in its one shape: the version and configuration, when, and — where known —
 * the spec digest and the JAR it came from. `deployed` is what this run deployed (apply); otherwise the
 * provenance is kept only while it still describes the configuration (the earlier last good one had the same
 * configuration), and the JAR is looked up by the code location the configuration names.
 */
export function goodVersion(
  ledger: Ledger,
  live: LiveApplication,
  at: string,
  deployed?: { specDigest?: string; artifact?: ArtifactRecord },
): LastGood {
  const same =
    ledger.lastGood && diffConfig(ledger.lastGood.config, live.config).length === 0
      ? ledger.lastGood
      : undefined;
  const specDigest = deployed?.specDigest ?? same?.specDigest;
  const artifact =
    deployed?.artifact ?? artifactAt(ledger, live.config.code.bucket, live.config.code.key) ?? same?.artifact;
  return {
    versionId: live.versionId,
    config: live.config,
    at,
    ...(specDigest ? { specDigest } : {}),
    ...(artifact ? { artifact } : {}),
  };
}
