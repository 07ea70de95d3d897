/**
 * The MSF port's conformance suite: what the controller relies on of any MsfGateway, run against every
 * implementation — the in-memory fake the unit tests use, and the SDK adapter on msf-local. Only what needs no
 * running job (so no Flink): create, describe, update of a READY application (new version, a stale basis
 * refused), versions, the operation record, the application list, delete.
 */
import { describe, expect, it } from 'vitest';
import { waitForOutcome, waitForStatus } from '../../src/controller/wait.js';
import type { AppConfig } from '../../src/model/application.js';
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
    systemRollback: false,
    ...overrides,
  };
}

export function runMsfConformance(name: string, open: () => Promise<MsfGateway>): void {
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

    it('deletes a READY application', async () => {
      const msf = await open();
      const name = app();
      const created = await msf.create(name, config());
      await msf.delete(name, created.createdAt);
      expect(await waitForStatus(msf, name, (s) => s === undefined, WAIT)).toBeUndefined();
    });
  });
}
