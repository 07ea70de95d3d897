/**
 * The snapshot exporter port's conformance suite (ports/snapshot-export.ts), run against every implementation:
 * the in-memory fake, the AWS exporter and msf-local's exporter (both on a real msf-local). What needs no running
 * job: an enhanced snapshot (imported) exported under the prefix asked for, with its `_metadata`; a missing bucket
 * and a missing snapshot refused with an MsfctlError; application snapshots exported or refused with a reason.
 * Exports of snapshots of running jobs are in the Flink end-to-end tests.
 */
import { describe, expect, it } from 'vitest';
import type { S3Prefix } from '../../src/model/application.js';
import { MsfctlError } from '../../src/model/errors.js';
import type { MsfGateway } from '../../src/ports/msf.js';
import type { SnapshotExporter } from '../../src/ports/snapshot-export.js';

export const ROLE = 'arn:aws:iam::000000000000:role/snapshot-transfer';

export interface ExporterHarness {
  exporter: SnapshotExporter;
  gateway: MsfGateway;
  /** A bucket that exists. */
  bucket: string;
  /** Writes a Flink savepoint (`_metadata` with Flink's header) under the prefix; returns its `_metadata`. */
  putSavepoint(at: S3Prefix): Promise<Buffer>;
  /** An object's body; undefined when there is none. */
  readObject(bucket: string, key: string): Promise<Buffer | undefined>;
  /** Whether it exports application snapshots (legacy mode) too. */
  exportsApplicationSnapshots: boolean;
}

async function importedSnapshot(h: ExporterHarness, name: string): Promise<Buffer> {
  const metadata = await h.putSavepoint({ bucket: h.bucket, prefix: `sources/${name}/` });
  const { operationId } = await h.gateway.importSnapshot(
    name,
    { bucket: h.bucket, prefix: `sources/${name}/` },
    ROLE,
  );
  for (let i = 0; i < 400; i++) {
    const op = await h.gateway.describeSnapshotOperation(name, operationId);
    if (op.status === 'SUCCESSFUL') return metadata;
    if (op.status !== 'IN_PROGRESS') throw new Error(`import ${name} ended ${op.status}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`import ${name} did not finish`);
}

async function rejection(promise: Promise<unknown>): Promise<MsfctlError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!MsfctlError.is(error)) throw new Error(`expected an MsfctlError, got ${String(error)}`);
  return error;
}

export function runExporterConformance(name: string, open: () => Promise<ExporterHarness>): void {
  describe(`SnapshotExporter conformance: ${name}`, () => {
    let n = 0;
    const unique = (what: string) => `${what}-${Date.now()}-${++n}`;

    it('exports an enhanced snapshot under the prefix asked for, with its _metadata, and says where', async () => {
      const h = await open();
      const snapshotName = unique('exported');
      const metadata = await importedSnapshot(h, snapshotName);
      const snapshot = await h.gateway.describeEnhancedSnapshot(snapshotName);
      expect(h.exporter.cannotExport(snapshot!)).toBeUndefined();
      const to = { bucket: h.bucket, prefix: `exports/${snapshotName}/` };
      const exported = await h.exporter.export({ application: 'none', snapshot: snapshot!, to, role: ROLE });
      expect(exported.location.bucket).toBe(h.bucket);
      expect(exported.location.prefix.startsWith(to.prefix)).toBe(true);
      expect(exported.location.prefix.endsWith('/')).toBe(true);
      expect(await h.readObject(h.bucket, `${exported.location.prefix}_metadata`)).toEqual(metadata);
      expect(exported.operation).toMatch(/\w+/);
    });

    it('refuses a bucket that does not exist, naming it', async () => {
      const h = await open();
      const snapshotName = unique('nobucket');
      await importedSnapshot(h, snapshotName);
      const snapshot = await h.gateway.describeEnhancedSnapshot(snapshotName);
      const error = await rejection(
        h.exporter.export({
          application: 'none',
          snapshot: snapshot!,
          to: { bucket: 'no-such-bucket-here', prefix: 'x/' },
          role: ROLE,
        }),
      );
      expect(error.message).toMatch(/BucketNotFound/);
    });

    it('refuses a snapshot that does not exist', async () => {
      const h = await open();
      const error = await rejection(
        h.exporter.export({
          application: 'none',
          snapshot: {
            name: 'no-such-snapshot',
            enhanced: {
              arn: 'arn:aws:kinesisanalytics:us-east-1:000000000000:snapshot/no-such-snapshot',
              initiator: 'USER',
              initiatorOperation: 'CreateSnapshot',
            },
          },
          to: { bucket: h.bucket, prefix: 'x/' },
          role: ROLE,
        }),
      );
      expect(error.message).toContain('no-such-snapshot');
    });

    it('application snapshots: exported where the target can, else refused with the reason it gives', async () => {
      const h = await open();
      const why = h.exporter.cannotExport({});
      const request = {
        application: unique('no-such-application'),
        snapshot: { name: 'some-snapshot' },
        to: { bucket: h.bucket, prefix: 'x/' },
        role: ROLE,
      };
      const error = await rejection(h.exporter.export(request));
      if (h.exportsApplicationSnapshots) {
        expect(why).toBeUndefined();
        // It tried: the application is not there.
        expect(error.code).toBe('APP_NOT_FOUND');
      } else {
        expect(why).toMatch(/enhanced/);
        expect(error.code).toBe('SNAPSHOT');
        expect(error.message).toContain(why!);
      }
    });
  });
}
