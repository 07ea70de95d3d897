/**
 * Exporting a snapshot's savepoint to S3 (Flink's canonical savepoint: `_metadata` and the files it names), where
 * the target can: AWS exports enhanced snapshots (ExportSnapshot) and no application snapshot; msf-local exports
 * both kinds. `destroy` uses it to keep a legacy application's final snapshot, `snapshot export` any snapshot,
 * and a snapshot-state source can use it to read what a snapshot holds.
 */
import type { S3Prefix, SnapshotInfo } from '../model/application.js';
import type { Progress } from './io-host.js';

export interface SnapshotExportRequest {
  /** The application an application snapshot belongs to (its name is unique only there). */
  application: string;
  snapshot: Pick<SnapshotInfo, 'name' | 'enhanced'>;
  /** The savepoint lands under this prefix, in a sub-prefix the service chooses (AWS: the operation id). */
  to: S3Prefix;
  /** ExportRoleArn: the role the service assumes to write to the bucket. */
  role: string;
  progress?: Progress;
}

export interface ExportedSnapshot {
  /** Where the savepoint is: its `_metadata` is `<prefix>_metadata`. */
  location: S3Prefix;
  /** The snapshot operation that exported it, when there was one (ExportSnapshot). */
  operationId?: string;
  /** The service call that exported it, for the ledger. */
  operation: string;
}

export interface SnapshotExporter {
  /** Why this target cannot export this kind of snapshot; undefined when it can. */
  cannotExport(snapshot: Pick<SnapshotInfo, 'enhanced'>): string | undefined;
  /** Exports and resolves once the savepoint's files are there; rejects with an MsfctlError saying why not. */
  export(request: SnapshotExportRequest): Promise<ExportedSnapshot>;
}
