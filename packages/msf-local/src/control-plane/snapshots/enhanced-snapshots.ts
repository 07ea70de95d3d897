// Long on purpose: the eight enhanced-snapshot operations over one registry (transfers, files: apart).
/**
 * Enhanced snapshots (msf-api.md §7): the eight operations, the snapshots the service takes itself on stop
 * and update, and restores by SnapshotArn.
 *
 * A snapshot is a real Flink savepoint: taken of the running job, then moved out of the application's
 * directory into the snapshot's own, so it outlives the application and any enhanced-mode application can
 * start from it. Calls answer once the new state is persisted; the work itself runs in the background.
 */
import {
  concurrentModification,
  invalidApplicationConfiguration,
  invalidArgument,
  limitExceeded,
  resourceInUse,
  resourceNotFound,
  unsupportedOperation,
} from '../errors.js';
import { currentVersion } from '../model.js';
import type { Application, ApplicationVersion, Operation, RunConfig } from '../model.js';
import { assertAllowed } from '../state-machine.js';
import { AWS_OWNED_KEY, isEnhanced, sourceApplicationOf } from './model.js';
import type {
  EnhancedSnapshot,
  S3Prefix,
  SnapshotInitiator,
  SnapshotInitiatorOperation,
  SnapshotOperation,
  SnapshotOperationStatus,
  SnapshotOperationType,
} from './model.js';
import { flinkRuntimeRank, supportsEnhancedSnapshots } from './mode-rules.js';
import { checkTags } from './request-checks.js';
import { localSavepointPath, savepointSize } from './savepoint-files.js';
import type { SnapshotObjectStore } from './savepoint-transfer.js';
import { SnapshotRegistry } from './snapshot-registry.js';
import { SnapshotStore } from './snapshot-store.js';
import { SnapshotTransfers } from './snapshot-transfers.js';

/** What the snapshots need of the applications (implemented by the control plane). */
export interface SnapshotApplications {
  /** ResourceNotFoundException when there is no such application. */
  get(name: string): Application;
  /** Refuses, as MSF does, to snapshot a job that is failing or restarting. */
  assertSnapshotPossible(app: Application): Promise<void>;
  /** Takes a savepoint of the application's running job; resolves with its location. */
  savepoint(app: Application): Promise<string>;
}

export interface EnhancedSnapshotsOptions {
  dataDir: string;
  applications: SnapshotApplications;
  /** msf-local's S3; without it, exports and imports fail with a clear reason. */
  objects?: SnapshotObjectStore;
  account: string;
  now: () => number;
  /** Enhanced snapshots per source application (MSF: 1,000). */
  snapshotLimit?: number;
  log: (message: string) => void;
}

export interface ListFilter {
  sourceApplicationName?: string;
  initiator?: SnapshotInitiator;
  initiatorOperation?: SnapshotInitiatorOperation;
  status?: EnhancedSnapshot['status'];
}

type Tag = { key: string; value: string };

export class EnhancedSnapshots {
  private readonly registry: SnapshotRegistry;
  /** ExportSnapshot, ImportSnapshot and the ExportApplicationSnapshot extension. */
  readonly transfers: SnapshotTransfers;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: EnhancedSnapshotsOptions) {
    this.registry = new SnapshotRegistry(new SnapshotStore(options.dataDir), options.account, options.now);
    this.transfers = new SnapshotTransfers(this.registry, options.objects, (work) => this.track(work));
  }

  /** Loads the snapshots and finishes deletions a restart interrupted. */
  async open(): Promise<void> {
    for (const snapshot of await this.registry.open()) this.track(this.finishDelete(snapshot));
  }

  /** Waits for background work (savepoints being moved, transfers, deletions). */
  async close(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  // ---------------------------------------------------------------- operations

  async create(
    input: { applicationName: string; name: string; description?: string; tags?: Tag[] },
    region: string,
  ): Promise<{ snapshot: EnhancedSnapshot; operation: SnapshotOperation }> {
    const app = this.options.applications.get(input.applicationName);
    const version = currentVersion(app);
    const runtime = version.config.runtimeEnvironment;
    if (!supportsEnhancedSnapshots(runtime)) {
      throw invalidApplicationConfiguration(
        `CreateSnapshot needs Apache Flink 1.20 or later and SnapshotMode ENHANCED_SNAPSHOTS; application ` +
          `${app.name} uses ${runtime}.`,
      );
    }
    if (!isEnhanced(version.config)) {
      throw unsupportedOperation(
        `Application ${app.name} uses SnapshotMode APPLICATION_SNAPSHOTS_LEGACY: CreateSnapshot needs ` +
          `ENHANCED_SNAPSHOTS (UpdateApplication with SnapshotModeUpdate). CreateApplicationSnapshot takes ` +
          `application snapshots (legacy).`,
      );
    }
    assertAllowed('CreateApplicationSnapshot', app, 'CreateSnapshot');
    this.registry.checkNewName(input.name);
    checkTags(input.tags ?? []);
    const mine = this.registry.ofApplication(app);
    if (mine.some((s) => s.status === 'CREATING' && s.initiatorOperation === 'CreateSnapshot')) {
      throw concurrentModification(
        `A snapshot of application ${app.name} is already being created: an application has one ` +
          `CreateSnapshot in progress at a time.`,
      );
    }
    const limit = this.options.snapshotLimit ?? 1000;
    if (mine.length >= limit) {
      throw limitExceeded(`Application ${app.name} has reached the limit of ${limit} enhanced snapshots.`);
    }
    await this.options.applications.assertSnapshotPossible(app);
    this.registry.checkNewName(input.name); // again: another request may have taken it meanwhile
    const snapshot = this.registry.newSnapshot(input.name, region, {
      initiator: 'USER',
      initiatorOperation: 'CreateSnapshot',
      description: input.description,
      tags: input.tags,
      ...fromApplication(app, version),
    });
    const operation = this.registry.addOperation(snapshot, 'CreateSnapshot');
    await this.registry.add(snapshot);
    this.track(this.takeSavepoint(app, snapshot, operation));
    return { snapshot, operation };
  }

  describe(name: string): EnhancedSnapshot {
    return this.registry.get(name);
  }

  /** Newest first; at most one filter. */
  list(filter: ListFilter): EnhancedSnapshot[] {
    if (Object.values(filter).filter((v) => v !== undefined).length > 1) {
      throw invalidArgument(
        'Specify at most one of SourceApplicationName, SnapshotInitiator, SnapshotInitiatorOperation and ' +
          'SnapshotStatus.',
      );
    }
    return this.registry
      .newestFirst()
      .filter(
        (s) =>
          (filter.sourceApplicationName === undefined ||
            sourceApplicationOf(s)?.name === filter.sourceApplicationName) &&
          (filter.initiator === undefined || s.initiator === filter.initiator) &&
          (filter.initiatorOperation === undefined || s.initiatorOperation === filter.initiatorOperation) &&
          (filter.status === undefined || s.status === filter.status),
      );
  }

  /** READY or FAILED only; DELETING until a running export of it has finished, then gone. */
  async delete(
    name: string,
    creationTimestampMs: number,
  ): Promise<{ snapshot: EnhancedSnapshot; operation: SnapshotOperation }> {
    const snapshot = this.registry.get(name);
    if (Math.floor(creationTimestampMs / 1000) !== Math.floor(snapshot.createdAt / 1000)) {
      throw invalidArgument(
        `SnapshotCreationTimestamp does not match the creation time of snapshot ${name}.`,
      );
    }
    if (snapshot.status !== 'READY' && snapshot.status !== 'FAILED') {
      throw resourceInUse(
        `Snapshot ${name} is ${snapshot.status}; only a READY or FAILED snapshot can be deleted.`,
      );
    }
    snapshot.status = 'DELETING';
    const operation = this.registry.addOperation(snapshot, 'DeleteSnapshot');
    await this.registry.save(snapshot);
    this.track(this.finishDelete(snapshot));
    return { snapshot, operation };
  }

  /** The last 90 days of the snapshot's operations, newest first; at most one filter. */
  listOperations(
    name: string,
    filter: { type?: SnapshotOperationType; status?: SnapshotOperationStatus },
  ): SnapshotOperation[] {
    const snapshot = this.registry.get(name);
    if (filter.type !== undefined && filter.status !== undefined) {
      throw invalidArgument('Specify at most one of SnapshotOperation and SnapshotOperationStatus.');
    }
    return this.registry
      .operationsOf(snapshot)
      .filter(
        (o) =>
          (filter.type === undefined || o.type === filter.type) &&
          (filter.status === undefined || o.status === filter.status),
      );
  }

  describeOperation(name: string, id: string): { snapshot: EnhancedSnapshot; operation: SnapshotOperation } {
    const snapshot = this.registry.get(name);
    const operation = this.registry.operationsOf(snapshot).find((o) => o.id === id);
    if (!operation) throw resourceNotFound(`Operation ${id} does not exist for snapshot ${name}.`);
    return { snapshot, operation };
  }

  // ---------------------------------------------------------------- tags of snapshot ARNs

  listTags(arn: string): Tag[] {
    return this.byArn(arn).tags;
  }

  async tag(arn: string, tags: Tag[]): Promise<void> {
    const snapshot = this.byArn(arn);
    const merged = [...snapshot.tags];
    for (const tag of tags) {
      const existing = merged.find((t) => t.key === tag.key);
      if (existing) existing.value = tag.value;
      else merged.push({ ...tag });
    }
    checkTags(merged);
    snapshot.tags = merged;
    await this.registry.save(snapshot);
  }

  async untag(arn: string, keys: string[]): Promise<void> {
    const snapshot = this.byArn(arn);
    snapshot.tags = snapshot.tags.filter((t) => !keys.includes(t.key));
    await this.registry.save(snapshot);
  }

  // ---------------------------------------------------------------- the application lifecycle

  /**
   * Records the savepoint the service took on stop or update of an enhanced-mode application as a SYSTEM
   * snapshot. Never throws: the stop or update it belongs to has happened whatever becomes of the record.
   */
  async recordSystemSnapshot(
    app: Application,
    location: string,
    of: ApplicationVersion,
    by: Operation,
  ): Promise<void> {
    const snapshot = this.registry.newSnapshot(this.registry.systemSnapshotName(app), app.region, {
      initiator: 'SYSTEM',
      initiatorOperation: 'SystemCreateSnapshot',
      ...fromApplication(app, of),
    });
    const operation = this.registry.addOperation(snapshot, 'SystemCreateSnapshot', {
      applicationOperation: { applicationName: app.name, operationId: by.id },
    });
    await this.adopt(location, snapshot, operation, 'InternalFailure');
    await this.registry.add(snapshot).catch((error: Error) => {
      this.options.log(`could not record system snapshot ${snapshot.name} of ${app.name}: ${error.message}`);
    });
  }

  /** StartApplication / UpdateApplication with a SnapshotArn: InvalidArgumentException unless restorable. */
  checkRestorable(app: Application, arn: string, runtime: string): void {
    const snapshot = this.registry.findByArn(arn);
    if (!snapshot || snapshot.status !== 'READY') {
      throw invalidArgument(`Snapshot ${arn} does not exist or is not READY.`);
    }
    if (arn.split(':')[3] !== app.region) {
      throw invalidArgument(
        `Snapshot ${arn} is not in the Region of application ${app.name} (${app.region}); an application ` +
          `restores enhanced snapshots of its own account and Region.`,
      );
    }
    const from = snapshot.runtimeEnvironment ? flinkRuntimeRank(snapshot.runtimeEnvironment) : undefined;
    const to = flinkRuntimeRank(runtime);
    if (from !== undefined && to !== undefined && to < from) {
      throw invalidArgument(
        `Snapshot ${snapshot.name} was taken on ${snapshot.runtimeEnvironment}; application ${app.name} ` +
          `(${runtime}) cannot restore state written by a newer Apache Flink.`,
      );
    }
  }

  /**
   * The savepoint an enhanced-mode application restores from: the snapshot `run` names by ARN, or its newest
   * READY snapshot for RESTORE_FROM_LATEST_SNAPSHOT (undefined when it has none).
   */
  restorePath(app: Application, run: RunConfig): string | undefined {
    if (run.restoreType === 'SKIP_RESTORE_FROM_SNAPSHOT') return undefined;
    if (run.restoreType === 'RESTORE_FROM_CUSTOM_SNAPSHOT') {
      const snapshot = run.snapshotArn === undefined ? undefined : this.registry.findByArn(run.snapshotArn);
      if (!snapshot || snapshot.status !== 'READY') {
        throw new Error(`Snapshot ${run.snapshotArn} does not exist or is not READY.`);
      }
      return this.registry.store.savepointDir(snapshot);
    }
    return this.latest(app)?.path;
  }

  /** The application's newest READY enhanced snapshot. */
  latest(app: Application): { path: string; createdAt: number } | undefined {
    const snapshot = this.registry.latestOf(app);
    return snapshot && { path: this.registry.store.savepointDir(snapshot), createdAt: snapshot.createdAt };
  }

  /**
   * msf-local's ExportApplicationSnapshot extension: writes an application snapshot's (legacy) savepoint to S3
   * the way ExportSnapshot writes an enhanced one, and answers once it is there with the ExportedPrefix.
   */
  async exportApplicationSnapshot(
    applicationName: string,
    snapshotName: string,
    destination: S3Prefix,
    region: string,
  ): Promise<string> {
    const app = this.options.applications.get(applicationName);
    const snapshot = app.snapshots.find((s) => s.name === snapshotName);
    if (!snapshot)
      throw resourceNotFound(`Snapshot ${snapshotName} does not exist for application ${app.name}`);
    if (snapshot.status !== 'READY' || !snapshot.path) {
      throw resourceInUse(
        `Snapshot ${snapshotName} is ${snapshot.status}; only a READY snapshot can be exported.`,
      );
    }
    return this.transfers.exportNow(localSavepointPath(snapshot.path), destination, region);
  }

  /** Deletes the snapshot once an export of it in progress has finished. */
  private async finishDelete(snapshot: EnhancedSnapshot): Promise<void> {
    await this.transfers.exportOf(snapshot.name)?.catch(() => undefined);
    try {
      await this.registry.remove(snapshot);
    } catch (error) {
      this.options.log(`could not delete snapshot ${snapshot.name}: ${messageOf(error)}`);
    }
  }

  private byArn(arn: string): EnhancedSnapshot {
    const snapshot = this.registry.findByArn(arn);
    if (!snapshot) throw resourceNotFound(`Resource ${arn} does not exist`);
    return snapshot;
  }

  private async takeSavepoint(app: Application, snapshot: EnhancedSnapshot, operation: SnapshotOperation) {
    let location: string;
    try {
      location = await this.options.applications.savepoint(app);
    } catch (error) {
      snapshot.status = 'FAILED';
      this.registry.finish(operation, 'FAILED', {
        errorCode: 'SavepointFailed',
        errorString: messageOf(error),
      });
      await this.registry.save(snapshot);
      return;
    }
    await this.adopt(location, snapshot, operation, 'InternalFailure');
    await this.registry.save(snapshot);
  }

  /** Moves a finished savepoint into the snapshot's directory; READY and SUCCESSFUL, or FAILED. */
  private async adopt(
    location: string,
    snapshot: EnhancedSnapshot,
    operation: SnapshotOperation,
    errorCode: string,
  ) {
    try {
      const dir = await this.registry.store.adoptSavepoint(localSavepointPath(location), snapshot);
      snapshot.sizeBytes = await savepointSize(dir);
      snapshot.status = 'READY';
      this.registry.finish(operation, 'SUCCESSFUL');
    } catch (error) {
      snapshot.status = 'FAILED';
      this.registry.finish(operation, 'FAILED', { errorCode, errorString: messageOf(error) });
    }
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) =>
      this.options.log(`snapshot work failed: ${messageOf(error)}`),
    );
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
  }
}

function fromApplication(app: Application, version: ApplicationVersion) {
  return {
    runtimeEnvironment: version.config.runtimeEnvironment,
    source: { application: { name: app.name, createdAt: app.createdAt, versionId: version.id } },
    encryption: version.config.encryption ? { ...version.config.encryption } : AWS_OWNED_KEY,
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
