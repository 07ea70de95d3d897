/**
 * ExportSnapshot and ImportSnapshot: savepoints between a snapshot's directory and msf-local's S3, in the
 * background, each settling its snapshot operation (a failure's reason in SnapshotOperationFailureDetails).
 */
import { promises as fs } from 'node:fs';
import { invalidArgument, limitExceeded, resourceInUse } from '../errors.js';
import { newOperationId } from '../ids.js';
import { AWS_OWNED_KEY } from './model.js';
import type { EncryptionConfig, EnhancedSnapshot, S3Prefix, SnapshotOperation } from './model.js';
import {
  checkBucketArn,
  checkEncryption,
  checkExportKeyPrefix,
  checkRoleArn,
  checkTags,
  exportedPrefixOf,
} from './request-checks.js';
import { savepointSize } from './savepoint-files.js';
import { exportSavepoint, importSavepoint, TransferFailure } from './savepoint-transfer.js';
import type { SnapshotObjectStore } from './savepoint-transfer.js';
import type { SnapshotRegistry } from './snapshot-registry.js';

export interface ExportInput extends S3Prefix {
  roleArn: string;
  encryption?: EncryptionConfig;
}

export interface ImportInput {
  name: string;
  source: S3Prefix & { roleArn: string; encryption?: EncryptionConfig };
  destinationEncryption?: EncryptionConfig;
  description?: string;
  tags?: { key: string; value: string }[];
}

export class SnapshotTransfers {
  /** Exports in progress by snapshot name: one at a time per snapshot, and a delete waits for it. */
  private readonly exports = new Map<string, Promise<void>>();

  constructor(
    private readonly registry: SnapshotRegistry,
    private readonly objects: SnapshotObjectStore | undefined,
    private readonly track: (work: Promise<void>) => void,
  ) {}

  /** The export of `name` in progress, if any. */
  exportOf(name: string): Promise<void> | undefined {
    return this.exports.get(name);
  }

  async export(name: string, destination: ExportInput): Promise<SnapshotOperation> {
    const snapshot = this.registry.get(name);
    if (snapshot.status !== 'READY') {
      throw resourceInUse(`Snapshot ${name} is ${snapshot.status}; only a READY snapshot can be exported.`);
    }
    if (this.exports.has(name)) {
      throw limitExceeded(`Snapshot ${name} is already being exported; a snapshot has one export at a time.`);
    }
    checkRoleArn(destination.roleArn, 'ExportRoleArn');
    checkBucketArn(destination.bucketArn);
    checkEncryption(destination.encryption, 'DestinationEncryptionConfiguration');
    checkExportKeyPrefix(destination.keyPrefix);
    const operation = this.registry.addOperation(snapshot, 'ExportSnapshot', {
      destination: { bucketArn: destination.bucketArn, keyPrefix: destination.keyPrefix },
      destinationEncryption: destination.encryption ?? AWS_OWNED_KEY,
    });
    await this.registry.save(snapshot);
    const work = this.settle(snapshot, operation, async () => {
      const exportedPrefix = exportedPrefixOf(destination.keyPrefix, operation.id);
      const dir = this.registry.store.savepointDir(snapshot);
      await exportSavepoint(this.store(), dir, destination.bucketArn, exportedPrefix);
      operation.destination!.exportedPrefix = exportedPrefix;
    });
    this.exports.set(name, work);
    void work.finally(() => this.exports.delete(name));
    this.track(work);
    return operation;
  }

  async import(
    input: ImportInput,
    region: string,
  ): Promise<{ snapshot: EnhancedSnapshot; operation: SnapshotOperation }> {
    this.registry.checkNewName(input.name);
    checkTags(input.tags ?? []);
    checkRoleArn(input.source.roleArn, 'ImportRoleArn');
    checkBucketArn(input.source.bucketArn);
    checkEncryption(input.source.encryption, 'SourceEncryptionConfiguration');
    checkEncryption(input.destinationEncryption, 'DestinationEncryptionConfiguration');
    const source = { bucketArn: input.source.bucketArn, keyPrefix: input.source.keyPrefix };
    const snapshot = this.registry.newSnapshot(input.name, region, {
      initiator: 'USER',
      initiatorOperation: 'ImportSnapshot',
      description: input.description,
      tags: input.tags,
      source: { s3: source },
      encryption: input.destinationEncryption ?? AWS_OWNED_KEY,
    });
    const operation = this.registry.addOperation(snapshot, 'ImportSnapshot', {
      source,
      sourceEncryption: input.source.encryption ?? AWS_OWNED_KEY,
      destinationEncryption: snapshot.encryption,
    });
    await this.registry.add(snapshot);
    this.track(
      this.settle(snapshot, operation, async () => {
        const staging = await this.registry.store.stagingDir();
        try {
          await importSavepoint(this.store(), source.bucketArn, source.keyPrefix, staging);
          const dir = await this.registry.store.adoptSavepoint(staging, snapshot);
          snapshot.sizeBytes = await savepointSize(dir);
          snapshot.status = 'READY';
        } finally {
          await fs.rm(staging, { recursive: true, force: true });
        }
      }),
    );
    return { snapshot, operation };
  }

  /**
   * Writes a savepoint directory to S3 as ExportSnapshot does (same checks, same layout), synchronously: for
   * msf-local's ExportApplicationSnapshot extension (application snapshots, legacy). Returns ExportedPrefix.
   */
  async exportNow(dir: string, destination: S3Prefix, region: string): Promise<string> {
    checkBucketArn(destination.bucketArn);
    checkExportKeyPrefix(destination.keyPrefix);
    const exportedPrefix = exportedPrefixOf(destination.keyPrefix, newOperationId());
    try {
      this.checkBucket(destination.bucketArn, region);
      await exportSavepoint(this.store(), dir, destination.bucketArn, exportedPrefix);
    } catch (error) {
      if (error instanceof TransferFailure) throw invalidArgument(error.message);
      throw error;
    }
    return exportedPrefix;
  }

  /** Runs `work` and settles the operation; an import that fails leaves its snapshot FAILED. */
  private async settle(
    snapshot: EnhancedSnapshot,
    operation: SnapshotOperation,
    work: () => Promise<void>,
  ): Promise<void> {
    try {
      this.checkBucket((operation.destination ?? operation.source)!.bucketArn, regionOf(snapshot.arn));
      await work();
      this.registry.finish(operation, 'SUCCESSFUL');
    } catch (error) {
      if (operation.type === 'ImportSnapshot') snapshot.status = 'FAILED';
      this.registry.finish(operation, 'FAILED', {
        errorCode: error instanceof TransferFailure ? error.code : 'InternalFailure',
        errorString: error instanceof Error ? error.message : String(error),
      });
    }
    await this.registry.save(snapshot);
  }

  /** The bucket must exist in msf-local's S3, in the Region of the request (as on MSF). */
  private checkBucket(bucketArn: string, region: string): void {
    const bucketRegion = this.store().bucketRegion(bucketArn);
    const bucket = bucketArn.replace(/^arn:[^:]*:s3:::/, '');
    if (bucketRegion === undefined) {
      throw new TransferFailure('BucketNotFound', `The bucket ${bucket} does not exist.`);
    }
    if (bucketRegion !== region) {
      throw new TransferFailure(
        'BucketInOtherRegion',
        `The bucket ${bucket} is in ${bucketRegion}; it must be in the Region of the request (${region}).`,
      );
    }
  }

  private store(): SnapshotObjectStore {
    if (!this.objects) throw new TransferFailure('InternalFailure', 'msf-local was started without S3.');
    return this.objects;
  }
}

function regionOf(arn: string): string {
  return arn.split(':')[3] ?? '';
}
