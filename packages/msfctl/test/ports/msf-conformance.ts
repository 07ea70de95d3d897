/**
 * The MSF port's conformance suite: what the controller relies on of any MsfGateway, run against every
 * implementation — the in-memory fake the unit tests use, and the SDK adapter on msf-local. Only what needs no
 * running job (so no Flink): create, describe, update of a READY application (new version, a stale basis
 * refused), logging options and tags, versions, the operation record, the application list, delete; the snapshot mode (set at create,
 * switched one way only) and enhanced snapshots that need no job (imported: listed account-wide, described,
 * deleted; a bad import FAILED with its reason).
 */
import { describe, expect, it } from 'vitest';
import {
  waitForOutcome,
  waitForSnapshotGone,
  waitForSnapshotOperation,
  waitForStatus,
} from '../../src/controller/wait.js';
import type { AppConfig, S3Prefix } from '../../src/model/application.js';
import { MsfctlError } from '../../src/model/errors.js';
import type { MsfGateway } from '../../src/ports/msf.js';

const WAIT = { pollMs: 20, maxPollMs: 200, timeoutMs: 60_000 };

export function config(overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    runtime: 'FLINK-1_19',
    role: 'arn:aws:iam::000000000000:role/msf',
    code: { bucket: 'artifacts', key: 'app.jar' },
    properties: { Group0: { key: 'a' } },
    parallelism: { custom: true, parallelism: 1, perKpu: 1, autoscaling: false },
    monitoring: { custom: true, logLevel: 'INFO', metricsLevel: 'APPLICATION' },
    checkpoints: { custom: false, enabled: true, intervalMs: 60_000, minPauseMs: 5_000 },
    snapshotsEnabled: true,
    snapshotMode: 'legacy',
    systemRollback: false,
    ...overrides,
  };
}

export interface MsfConformanceOptions {
  /** Writes a Flink savepoint (`_metadata` with Flink's header) under the prefix, for imports. */
  putSavepoint(at: S3Prefix): Promise<void>;
  /** A bucket that exists. */
  bucket: string;
}

const TRANSFER_ROLE = 'arn:aws:iam::000000000000:role/snapshot-transfer';

export function runMsfConformance(
  name: string,
  open: () => Promise<MsfGateway>,
  options: MsfConformanceOptions,
): void {
  describe(`MsfGateway conformance: ${name}`, () => {
    let n = 0;
    const app = () => `conformance-${Date.now()}-${++n}`;

    it('says an application that does not exist is undefined, not an error', async () => {
      const msf = await open();
      expect(await msf.describe(app())).toBeUndefined();
    });

    it('creates an application READY at version 1 with the configuration asked for', async () => {
      const msf = await open();
      const name = app();
      const created = await msf.create(name, config());
      expect(created).toMatchObject({ name, status: 'READY', versionId: 1 });
      const live = await msf.describe(name);
      expect(live).toMatchObject({ name, status: 'READY', versionId: 1 });
      expect(live?.config.properties).toEqual({ Group0: { key: 'a' } });
      expect(live?.config.parallelism).toMatchObject({ parallelism: 1, perKpu: 1, autoscaling: false });
      expect((await msf.listApplications()).map((a) => a.name)).toContain(name);
      const again = await msf.create(name, config()).catch((error: unknown) => error);
      expect(MsfctlError.is(again)).toBe(true);
    });

    it('updates a READY application to a new version, records the operation, and refuses a stale basis', async () => {
      const msf = await open();
      const name = app();
      const v1 = await msf.create(name, config());
      const basis = {
        versionId: v1.versionId,
        ...(v1.conditionalToken ? { conditionalToken: v1.conditionalToken } : {}),
      };
      const started = await msf.update(name, basis, { properties: { Group0: { key: 'b' } } });
      const outcome = await waitForOutcome(msf, name, started.operationId, WAIT);
      expect(outcome.live).toMatchObject({ status: 'READY', versionId: 2 });
      expect(outcome.live?.config.properties).toEqual({ Group0: { key: 'b' } });
      expect(outcome.operation).toMatchObject({ operation: 'UpdateApplication', status: 'SUCCESSFUL' });
      expect((await msf.describeVersion(name, 1)).config.properties).toEqual({ Group0: { key: 'a' } });
      expect((await msf.listVersions(name)).map((v) => v.versionId).sort()).toEqual([1, 2]);

      const stale = await msf
        .update(name, basis, { properties: { Group0: { key: 'c' } } })
        .catch((e: unknown) => e);
      expect(MsfctlError.is(stale, 'PLAN_STALE')).toBe(true);
      expect((await msf.describe(name))?.versionId).toBe(2);
    });

    it('creates with a logging option and tags, adds and deletes options (a version each), sets and removes tags', async () => {
      const msf = await open();
      const name = app();
      const first = 'arn:aws:logs:us-east-1:000000000000:log-group:/msf/c:log-stream:first';
      const second = 'arn:aws:logs:us-east-1:000000000000:log-group:/msf/c:log-stream:second';
      const v1 = await msf.create(name, config({ logStream: first }), undefined, { team: 'data', cost: '1' });
      expect(v1.config.logStream).toBe(first);
      expect(v1.loggingOptions).toEqual([{ id: expect.any(String), logStreamArn: first }]);
      expect(await msf.listTags(v1.arn)).toEqual({ team: 'data', cost: '1' });

      const basis = (l: { versionId: number; conditionalToken?: string }) => ({
        versionId: l.versionId,
        ...(l.conditionalToken ? { conditionalToken: l.conditionalToken } : {}),
      });
      const deleted = await msf.deleteLoggingOption(name, basis(v1), v1.loggingOptions![0]!.id);
      const v2 = (await waitForOutcome(msf, name, deleted.operationId, WAIT)).live!;
      expect(v2).toMatchObject({ status: 'READY', versionId: 2 });
      expect(v2.config.logStream).toBeUndefined();
      expect(v2.loggingOptions ?? []).toEqual([]);
      const added = await msf.addLoggingOption(name, basis(v2), second);
      const v3 = (await waitForOutcome(msf, name, added.operationId, WAIT)).live!;
      expect(v3).toMatchObject({ status: 'READY', versionId: 3 });
      expect(v3.config.logStream).toBe(second);
      expect((await msf.describeVersion(name, 1)).config.logStream).toBe(first);
      const stale = await msf.addLoggingOption(name, basis(v2), first).catch((e: unknown) => e);
      expect(MsfctlError.is(stale, 'PLAN_STALE')).toBe(true);

      await msf.changeTags(v1.arn, { team: 'platform', env: 'dev' }, ['cost']);
      expect(await msf.listTags(v1.arn)).toEqual({ team: 'platform', env: 'dev' });
      expect((await msf.describe(name))?.versionId).toBe(3);
    });

    it('deletes a READY application', async () => {
      const msf = await open();
      const name = app();
      const created = await msf.create(name, config());
      await msf.delete(name, created.createdAt);
      expect(await waitForStatus(msf, name, (s) => s === undefined, WAIT)).toBeUndefined();
    });

    it('creates in enhanced snapshot mode on FLINK-1_20, switches a legacy one, and never switches back', async () => {
      const msf = await open();
      const enhanced = app();
      await msf.create(enhanced, config({ runtime: 'FLINK-1_20', snapshotMode: 'enhanced' }));
      expect((await msf.describe(enhanced))?.config.snapshotMode).toBe('enhanced');
      expect(await msf.listSnapshots(enhanced)).toEqual([]);

      const legacy = app();
      const v1 = await msf.create(legacy, config({ runtime: 'FLINK-1_20' }));
      expect(v1.config.snapshotMode).toBe('legacy');
      const switched = await msf.update(
        legacy,
        { versionId: 1, ...(v1.conditionalToken ? { conditionalToken: v1.conditionalToken } : {}) },
        { snapshotMode: 'enhanced', snapshotsEnabled: true },
      );
      const outcome = await waitForOutcome(msf, legacy, switched.operationId, WAIT);
      expect(outcome.live).toMatchObject({ versionId: 2, config: { snapshotMode: 'enhanced' } });
      const back = await msf
        .update(
          legacy,
          {
            versionId: 2,
            ...(outcome.live?.conditionalToken ? { conditionalToken: outcome.live.conditionalToken } : {}),
          },
          { snapshotMode: 'legacy', snapshotsEnabled: true },
        )
        .catch((e: unknown) => e);
      expect(MsfctlError.is(back)).toBe(true);
      expect((await msf.describe(legacy))?.config.snapshotMode).toBe('enhanced');

      const old = await msf.create(app(), config({ snapshotMode: 'enhanced' })).catch((e: unknown) => e);
      expect(MsfctlError.is(old)).toBe(true);
    });

    it('imports a savepoint as an enhanced snapshot: listed account-wide, described, deleted; a bad import FAILS with its reason', async () => {
      const msf = await open();
      const snapshot = app();
      const at = { bucket: options.bucket, prefix: `savepoints/${snapshot}/` };
      await options.putSavepoint(at);
      const started = await msf.importSnapshot(snapshot, at, TRANSFER_ROLE);
      expect(started.arn).toMatch(
        new RegExp(`^arn:aws:kinesisanalytics:[a-z0-9-]+:\\d{12}:snapshot/${snapshot}$`),
      );
      const op = await waitForSnapshotOperation(msf, snapshot, started.operationId, WAIT);
      expect(op).toMatchObject({ operation: 'ImportSnapshot', status: 'SUCCESSFUL' });
      const described = await msf.describeEnhancedSnapshot(snapshot);
      expect(described).toMatchObject({
        name: snapshot,
        status: 'READY',
        enhanced: { arn: started.arn, initiator: 'USER', initiatorOperation: 'ImportSnapshot' },
      });
      expect(described?.enhanced?.importedFrom).toBe(`s3://${at.bucket}/${at.prefix}`);
      const listed = (await msf.listEnhancedSnapshots()).find((s) => s.name === snapshot);
      expect(listed).toMatchObject({ status: 'READY', enhanced: { arn: started.arn } });

      await msf.deleteSnapshot('', described!);
      await waitForSnapshotGone(msf, '', described!, WAIT);
      expect(await msf.describeEnhancedSnapshot(snapshot)).toBeUndefined();

      const bad = app();
      const failed = await msf.importSnapshot(
        bad,
        { bucket: options.bucket, prefix: 'nothing-here/' },
        TRANSFER_ROLE,
      );
      const badOp = await waitForSnapshotOperation(msf, bad, failed.operationId, WAIT);
      expect(badOp.status).toBe('FAILED');
      expect(badOp.error?.code).toBe('InvalidSavepoint');
      expect((await msf.describeEnhancedSnapshot(bad))?.status).toBe('FAILED');
    });
  });
}
