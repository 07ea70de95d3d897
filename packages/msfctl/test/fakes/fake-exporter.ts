/**
 * An in-memory snapshot exporter over FakeMsf's "S3": it copies an imported snapshot's savepoint from where it was
 * imported, and writes a stand-in `_metadata` for a snapshot of a job. `legacy: false` behaves like AWS (enhanced
 * snapshots only), `legacy: true` like msf-local.
 */
import { MsfctlError } from '../../src/model/errors.js';
import type { SnapshotInfo } from '../../src/model/application.js';
import type {
  ExportedSnapshot,
  SnapshotExporter,
  SnapshotExportRequest,
} from '../../src/ports/snapshot-export.js';
import type { FakeMsf } from './fake-msf.js';

export class FakeSnapshotExporter implements SnapshotExporter {
  readonly exports: SnapshotExportRequest[] = [];
  private seq = 0;

  constructor(
    private readonly msf: FakeMsf,
    private readonly options: { legacy: boolean },
  ) {}

  cannotExport(snapshot: Pick<SnapshotInfo, 'enhanced'>): string | undefined {
    return snapshot.enhanced || this.options.legacy
      ? undefined
      : 'this target exports only enhanced snapshots';
  }

  async export(request: SnapshotExportRequest): Promise<ExportedSnapshot> {
    const { snapshot, to } = request;
    const why = this.cannotExport(snapshot);
    if (why) throw new MsfctlError('SNAPSHOT', `Cannot export snapshot ${snapshot.name}: ${why}`);
    const found = snapshot.enhanced
      ? await this.msf.describeEnhancedSnapshot(snapshot.name)
      : (await this.msf.listSnapshots(request.application)).find(
          (s) => s.name === snapshot.name && !s.enhanced,
        );
    if (!found)
      throw new MsfctlError('APP_NOT_FOUND', `ResourceNotFoundException: snapshot ${snapshot.name}`);
    if (!this.msf.buckets.has(to.bucket))
      throw new MsfctlError('SNAPSHOT', `Export of ${snapshot.name} FAILED: BucketNotFound: ${to.bucket}`);
    const source = found.enhanced?.importedFrom?.replace(/^s3:\/\//, '');
    const metadata =
      (source ? this.msf.objects.get(`${source}_metadata`) : undefined) ??
      Buffer.from(`savepoint of ${found.name}`);
    const prefix = `${to.prefix}export-${++this.seq}/`;
    this.msf.objects.set(`${to.bucket}/${prefix}_metadata`, metadata);
    this.exports.push(request);
    return { location: { bucket: to.bucket, prefix }, operation: 'FakeExport' };
  }
}
