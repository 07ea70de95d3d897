/**
 * The account's enhanced snapshots and their operation logs, in memory and on disk (SnapshotStore): names,
 * lookups, the snapshot-operation log, and what a restart of msf-local does to work that was in flight.
 */
import { errorString } from '../application-history.js';
import { resourceNotFound } from '../errors.js';
import { invalidArgument, resourceInUse } from '../errors.js';
import { newOperationId, newResourceId } from '../ids.js';
import type { Application } from '../model.js';
import type {
  EnhancedSnapshot,
  SnapshotOperation,
  SnapshotOperationStatus,
  SnapshotOperationType,
} from './model.js';
import {
  AWS_OWNED_KEY,
  snapshotArn,
  snapshotNameOf,
  sourceApplicationOf,
  SYSTEM_SNAPSHOT_PREFIX,
} from './model.js';
import type { SnapshotStore } from './snapshot-store.js';

/** MSF keeps snapshot operations for 90 days. */
const OPERATION_RETENTION_MS = 90 * 24 * 3600 * 1000;

export class SnapshotRegistry {
  private readonly snapshots = new Map<string, EnhancedSnapshot>();
  private sequence = 0;

  constructor(
    readonly store: SnapshotStore,
    private readonly account: string,
    private readonly now: () => number,
  ) {}

  /**
   * Loads every snapshot. Work a restart interrupted is failed (a savepoint, an import or an export in
   * progress); returns the snapshots whose deletion must be finished.
   */
  async open(): Promise<EnhancedSnapshot[]> {
    for (const snapshot of await this.store.loadAll()) {
      this.snapshots.set(snapshot.name, snapshot);
      this.sequence = Math.max(this.sequence, snapshot.sequence);
      let changed = false;
      for (const op of snapshot.operations) {
        if (op.status !== 'IN_PROGRESS' || op.type === 'DeleteSnapshot') continue;
        this.finish(op, 'FAILED', {
          errorCode: 'Interrupted',
          errorString: 'msf-local was restarted while this operation was in progress.',
        });
        changed = true;
      }
      if (snapshot.status === 'CREATING') {
        snapshot.status = 'FAILED';
        changed = true;
      }
      if (changed) await this.store.save(snapshot);
    }
    return this.all().filter((s) => s.status === 'DELETING');
  }

  all(): EnhancedSnapshot[] {
    return [...this.snapshots.values()];
  }

  /** Newest first (ListSnapshots' order). */
  newestFirst(): EnhancedSnapshot[] {
    return this.all().sort((a, b) => b.createdAt - a.createdAt || b.sequence - a.sequence);
  }

  find(name: string): EnhancedSnapshot | undefined {
    return this.snapshots.get(name);
  }

  get(name: string): EnhancedSnapshot {
    const snapshot = this.snapshots.get(name);
    if (!snapshot) throw resourceNotFound(`Snapshot ${name} does not exist.`);
    return snapshot;
  }

  /** The snapshot an ARN names, when it exists with exactly that ARN. */
  findByArn(arn: string): EnhancedSnapshot | undefined {
    const name = snapshotNameOf(arn);
    const snapshot = name === undefined ? undefined : this.snapshots.get(name);
    return snapshot?.arn === arn ? snapshot : undefined;
  }

  /** A user's new snapshot name: not reserved by the service, not taken (in any status, FAILED included). */
  checkNewName(name: string): void {
    if (name.toUpperCase().startsWith(SYSTEM_SNAPSHOT_PREFIX)) {
      throw invalidArgument(
        `Snapshot names that begin with ${SYSTEM_SNAPSHOT_PREFIX} are reserved for the snapshots the service ` +
          `takes itself: ${name}.`,
      );
    }
    if (this.snapshots.has(name)) {
      throw resourceInUse(`Snapshot ${name} already exists; delete it before reusing its name.`);
    }
  }

  /** SYSTEMSNAPSHOT-<application>-<UTC time>: at most 100 characters, not taken. */
  systemSnapshotName(app: Pick<Application, 'name'>): string {
    const stamp = new Date(this.now())
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z');
    const base = `${SYSTEM_SNAPSHOT_PREFIX}-${app.name.slice(0, 60)}-${stamp}`;
    let name = base;
    for (let n = 2; this.snapshots.has(name); n++) name = `${base}-${n}`;
    return name;
  }

  /** A new CREATING snapshot record (not yet added). */
  newSnapshot(
    name: string,
    region: string,
    fields: Pick<EnhancedSnapshot, 'initiator' | 'initiatorOperation' | 'source'> &
      Partial<Pick<EnhancedSnapshot, 'description' | 'runtimeEnvironment' | 'encryption' | 'tags'>>,
  ): EnhancedSnapshot {
    return {
      id: newResourceId(),
      name,
      arn: snapshotArn(region, this.account, name),
      ...(fields.description !== undefined ? { description: fields.description } : {}),
      status: 'CREATING',
      createdAt: Math.floor(this.now() / 1000) * 1000,
      sequence: ++this.sequence,
      initiator: fields.initiator,
      initiatorOperation: fields.initiatorOperation,
      ...(fields.runtimeEnvironment ? { runtimeEnvironment: fields.runtimeEnvironment } : {}),
      source: fields.source,
      encryption: fields.encryption ?? AWS_OWNED_KEY,
      sizeBytes: 0,
      tags: (fields.tags ?? []).map((t) => ({ ...t })),
      operations: [],
    };
  }

  /** Adds a new snapshot and persists it before the request that made it is answered. */
  async add(snapshot: EnhancedSnapshot): Promise<void> {
    this.snapshots.set(snapshot.name, snapshot);
    await this.save(snapshot);
  }

  async save(snapshot: EnhancedSnapshot): Promise<void> {
    if (this.snapshots.get(snapshot.name) !== snapshot) return;
    await this.store.save(snapshot);
  }

  /** Deletes the snapshot's savepoint and record; the name is free again. */
  async remove(snapshot: EnhancedSnapshot): Promise<void> {
    await this.store.remove(snapshot);
    if (this.snapshots.get(snapshot.name) === snapshot) this.snapshots.delete(snapshot.name);
  }

  /** Snapshots taken from this application (this incarnation of its name). */
  ofApplication(app: Pick<Application, 'name' | 'createdAt'>): EnhancedSnapshot[] {
    return this.all().filter((s) => {
      const source = sourceApplicationOf(s);
      return source?.name === app.name && source.createdAt === app.createdAt;
    });
  }

  /** The newest READY snapshot taken from the application. */
  latestOf(app: Pick<Application, 'name' | 'createdAt'>): EnhancedSnapshot | undefined {
    return this.ofApplication(app)
      .filter((s) => s.status === 'READY')
      .sort((a, b) => b.createdAt - a.createdAt || b.sequence - a.sequence)[0];
  }

  // ---------------------------------------------------------------- the operation log

  addOperation(
    snapshot: EnhancedSnapshot,
    type: SnapshotOperationType,
    details: Partial<
      Pick<
        SnapshotOperation,
        'source' | 'destination' | 'sourceEncryption' | 'destinationEncryption' | 'applicationOperation'
      >
    > = {},
  ): SnapshotOperation {
    const operation: SnapshotOperation = {
      id: newOperationId(),
      type,
      status: 'IN_PROGRESS',
      sequence: Math.max(0, ...snapshot.operations.map((o) => o.sequence)) + 1,
      startedAt: this.now(),
      ...details,
    };
    snapshot.operations.push(operation);
    return operation;
  }

  finish(
    operation: SnapshotOperation,
    status: Exclude<SnapshotOperationStatus, 'IN_PROGRESS'>,
    failure?: { errorCode: string; errorString: string },
  ): void {
    operation.status = status;
    operation.endedAt = this.now();
    if (failure)
      operation.failure = { errorCode: failure.errorCode, errorString: errorString(failure.errorString) };
  }

  /** The snapshot's operations of the last 90 days, newest first. */
  operationsOf(snapshot: EnhancedSnapshot): SnapshotOperation[] {
    const since = this.now() - OPERATION_RETENTION_MS;
    return snapshot.operations.filter((o) => o.startedAt >= since).sort((a, b) => b.sequence - a.sequence);
  }
}
