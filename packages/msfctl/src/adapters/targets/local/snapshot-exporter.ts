/**
 * The snapshot exporter on msf-local: enhanced snapshots as on AWS (ExportSnapshot), and application snapshots
 * (legacy mode), which AWS cannot export, through msf-local's public ExportApplicationSnapshot extension — the
 * same savepoint layout under the same kind of prefix.
 */
import { bucketArn } from '../../../model/application.js';
import type { SnapshotInfo } from '../../../model/application.js';
import type {
  ExportedSnapshot,
  SnapshotExporter,
  SnapshotExportRequest,
} from '../../../ports/snapshot-export.js';
import { translateAwsError } from '../../aws/aws-errors.js';
import { LOCAL_CREDENTIALS } from '../../aws/clients.js';
import { exportApplicationSnapshot, extensionClient } from './msf-local-extension.js';

export interface LocalSnapshotExporter extends SnapshotExporter {
  close(): void;
}

export function localSnapshotExporter(options: {
  endpoint: string;
  region: string;
  /** Exports enhanced snapshots (the AWS exporter over msf-local's ExportSnapshot). */
  enhanced: SnapshotExporter;
}): LocalSnapshotExporter {
  let client: ReturnType<typeof extensionClient> | undefined;
  return {
    cannotExport: (_snapshot: Pick<SnapshotInfo, 'enhanced'>) => undefined,
    async export(request: SnapshotExportRequest): Promise<ExportedSnapshot> {
      if (request.snapshot.enhanced) return options.enhanced.export(request);
      client ??= extensionClient({
        endpoint: options.endpoint,
        region: options.region,
        credentials: LOCAL_CREDENTIALS,
      });
      request.progress?.update(`exporting ${request.snapshot.name}`);
      try {
        const out = await exportApplicationSnapshot(client, {
          ApplicationName: request.application,
          SnapshotName: request.snapshot.name,
          DestinationS3PrefixLocation: {
            BucketARN: bucketArn(request.to.bucket),
            KeyPrefix: request.to.prefix,
          },
        });
        return {
          location: { bucket: request.to.bucket, prefix: out.ExportedPrefix },
          operation: 'ExportApplicationSnapshot',
        };
      } catch (error) {
        throw translateAwsError(
          error,
          `ExportApplicationSnapshot (msf-local) of ${request.snapshot.name} of ${request.application}`,
        );
      }
    },
    close: () => client?.destroy(),
  };
}
