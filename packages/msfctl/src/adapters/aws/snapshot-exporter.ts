/**
 * The snapshot exporter (ports/snapshot-export.ts) on AWS: ExportSnapshot for an enhanced snapshot, waited on
 * through DescribeSnapshotOperation until the savepoint is in S3. AWS has no export of an application snapshot
 * (legacy mode): that is refused, saying how to keep snapshots instead.
 */
import type { SnapshotInfo } from '../../model/application.js';
import { MsfctlError } from '../../model/errors.js';
import { ENHANCED_MIN_RUNTIME } from '../../model/snapshot-refs.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import type {
  ExportedSnapshot,
  SnapshotExporter,
  SnapshotExportRequest,
} from '../../ports/snapshot-export.js';
import type { EnhancedSnapshotCalls } from './enhanced-snapshot-calls.js';

export interface ExportPolling {
  clock?: Clock;
  /** First poll interval. @default 500 */
  pollMs?: number;
  /** @default 3000 */
  maxPollMs?: number;
  /** @default 30 minutes */
  timeoutMs?: number;
}

export class AwsSnapshotExporter implements SnapshotExporter {
  constructor(
    private readonly calls: EnhancedSnapshotCalls,
    private readonly polling: ExportPolling = {},
  ) {}

  cannotExport(snapshot: Pick<SnapshotInfo, 'enhanced'>): string | undefined {
    return snapshot.enhanced
      ? undefined
      : `the service exports only enhanced snapshots (ExportSnapshot); an application snapshot (legacy snapshot mode) cannot leave its application. Enhanced snapshots (snapshots.mode: enhanced, ${ENHANCED_MIN_RUNTIME} or later) can be exported and outlive their application.`;
  }

  async export(request: SnapshotExportRequest): Promise<ExportedSnapshot> {
    const { snapshot, to } = request;
    const why = this.cannotExport(snapshot);
    if (why)
      throw new MsfctlError(
        'SNAPSHOT',
        `Cannot export snapshot ${snapshot.name} of ${request.application}: ${why}`,
      );
    const { operationId } = await this.calls.export(snapshot.name, to, request.role);
    const clock = this.polling.clock ?? systemClock;
    const started = clock.now();
    let interval = this.polling.pollMs ?? 500;
    for (;;) {
      const operation = await this.calls.describeOperation(snapshot.name, operationId);
      if (operation.status === 'SUCCESSFUL') {
        // AWS writes under <KeyPrefix><operation id>/ and says so in ExportedPrefix.
        const location = operation.exportedTo ?? { bucket: to.bucket, prefix: `${to.prefix}${operationId}/` };
        return { location, operationId, operation: 'ExportSnapshot' };
      }
      if (operation.status !== 'IN_PROGRESS') {
        const reason = operation.error
          ? `: ${[operation.error.code, operation.error.message].filter(Boolean).join(': ')}`
          : '';
        throw new MsfctlError(
          'SNAPSHOT',
          `ExportSnapshot of ${snapshot.name} to s3://${to.bucket}/${to.prefix} ended ${operation.status}${reason}.`,
          {
            hint: "Check that the bucket exists in the snapshot's Region and that the role may write to it.",
            details: { operationId, error: operation.error },
          },
        );
      }
      const waited = clock.now() - started;
      request.progress?.update(`exporting ${snapshot.name} (${Math.round(waited / 1000)}s)`);
      if (waited >= (this.polling.timeoutMs ?? 30 * 60_000))
        throw new MsfctlError(
          'TIMEOUT',
          `Gave up waiting for ExportSnapshot of ${snapshot.name} (operation ${operationId}).`,
          { hint: 'The export may still finish: `msfctl snapshot list` and the S3 prefix show it.' },
        );
      await clock.sleep(interval);
      interval = Math.min(this.polling.maxPollMs ?? 3_000, Math.round(interval * 1.5));
    }
  }
}
