/**
 * The deploy rehearsal as a plan check, inside msfctl's real planning and apply over the in-memory MSF: which
 * changes are rehearsed and on which state, the fetch (snapshot, export, download) and its cleanup, and how a
 * verdict becomes a finding. The rehearser is a fake here (the verdict is msf-local's, tested on real Flink
 * there, and through the binary in test/e2e/rehearsal.flink.test.ts).
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSilentHost } from '../../src/adapters/io/memory-host.js';
import { LocalObjectStore } from '../../src/adapters/state/local-object-store.js';
import { makePlan } from '../../src/controller/make-plan.js';
import { rehearsalCheck } from '../../src/controller/preflight/rehearsal-check.js';
import { deploySettings } from '../../src/model/deploy-settings.js';
import { emptyLedger } from '../../src/model/ledger.js';
import { refusals, type Plan } from '../../src/model/plan.js';
import { rehearsalSettings, type RehearsalReport } from '../../src/model/rehearsal.js';
import type { RehearsalOutcome, RehearsalRequest, Rehearser } from '../../src/ports/rehearsal.js';
import type { SavepointFiles } from '../../src/ports/savepoint-files.js';
import type { LoadedSpec } from '../../src/spec/load.js';
import { applicationSpecSchema } from '../../src/spec/schema.js';
import { applyWith, fakeArtifacts } from '../fakes/artifacts.js';
import { FakeSnapshotExporter } from '../fakes/fake-exporter.js';
import { FakeMsf, fakeClock } from '../fakes/fake-msf.js';

let msf: FakeMsf;
let state: LocalObjectStore;
let requests: (Omit<RehearsalRequest, 'savepoint'> & { metadata: string; dir: string })[];
let verdict: (request: RehearsalRequest) => Partial<RehearsalOutcome>;

const JAR = path.join(mkdtempSync(path.join(tmpdir(), 'msfctl-rehearsal-jar-')), 'v2.jar');

const rehearser: Rehearser = {
  rehearsable: (runtime) => runtime !== 'FLINK-1_18',
  async rehearse(request) {
    const dir = await request.savepoint;
    const { savepoint: _, ...rest } = request;
    requests.push({ ...rest, dir, metadata: readFileSync(path.join(dir, '_metadata'), 'utf8') });
    return {
      passed: true,
      flinkVersion: '1.19.1',
      savepoint: { path: dir, sizeBytes: 10, files: 1 },
      checkpointsCompleted: 3,
      restarts: 0,
      durationMs: 35_000,
      timings: { clusterBootMs: 3000, submitMs: 1000, restoreMs: 1000, windowMs: 30_000 },
      blockedConnections: [],
      ...verdict(request),
    };
  },
};

/** S3 as FakeMsf keeps it ("bucket/key" → bytes). */
const files: SavepointFiles = {
  async download(from, toDir) {
    let n = 0;
    for (const [k, body] of msf.objects) {
      if (!k.startsWith(`${from.bucket}/${from.prefix}`)) continue;
      const target = path.join(toDir, k.slice(`${from.bucket}/${from.prefix}`.length));
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, body);
      n++;
    }
    return { files: n, bytes: n * 10 };
  },
  async remove(prefix, olderThan) {
    // The fake's objects are all new: none is older than a rehearsal can run.
    if (olderThan !== undefined) return 0;
    const keys = [...msf.objects.keys()].filter((k) => k.startsWith(`${prefix.bucket}/${prefix.prefix}`));
    for (const k of keys) msf.objects.delete(k);
    return keys.length;
  },
};

function spec(fields: Record<string, unknown> = {}): LoadedSpec {
  return {
    spec: applicationSpecSchema.parse({
      application: 'app',
      runtime: 'FLINK-1_20',
      role: 'arn:aws:iam::123456789012:role/r',
      code: { s3: { bucket: 'artifacts', key: 'v1.jar' } },
      parallelism: { parallelism: 2, perKpu: 2, autoscaling: false },
      ...fields,
    }),
    source: { kind: 'spec', path: 'msfctl.yaml' },
    baseDir: '/tmp',
    warnings: [],
    digest: 'd',
  };
}

const v2 = { code: { jar: JAR }, artifacts: { bucket: 'artifacts' } };

async function plan(
  fields: Record<string, unknown>,
  flag?: boolean,
  exporter = new FakeSnapshotExporter(msf, { legacy: true }),
): Promise<{ plan: Plan; report: RehearsalReport }> {
  const s = spec(fields);
  const { plan } = await makePlan({
    spec: s,
    ledger: emptyLedger('app'),
    gateway: msf,
    artifacts: fakeArtifacts({
      fetchJar: async () => ({ path: JAR, sha256: 'v1', downloaded: false }),
    }),
    host: createSilentHost(),
    target: { kind: 'aws', region: 'us-east-1' },
    checks: [rehearsalCheck(rehearsalSettings(flag, s.spec.deploy))],
    deploy: deploySettings({}, s.spec.deploy),
    rehearser,
    exporter,
    savepointFiles: files,
  });
  return { plan, report: plan.preflight?.rehearsal as RehearsalReport };
}

const scratchObjects = () => [...msf.objects.keys()].filter((k) => k.includes('msfctl/rehearsals/'));
const snapshotNames = async () => (await msf.listSnapshots('app')).map((s) => s.name);

/** A RUNNING application on a fresh in-memory MSF whose clock is `now`. */
async function setup(now?: () => number): Promise<void> {
  msf = new FakeMsf(now ? { now } : {});
  requests = [];
  verdict = () => ({});
  await writeFile(JAR, 'new jar');
  state = new LocalObjectStore(mkdtempSync(path.join(tmpdir(), 'msfctl-rehearsal-state-')));
  const created = await applyWith({
    application: 'app',
    spec: spec(),
    gateway: msf,
    artifacts: fakeArtifacts(),
    state,
    host: createSilentHost(),
    target: { region: 'us-east-1' },
    autoApprove: true,
    clock: fakeClock(),
  });
  expect(created.live?.status).toBe('RUNNING');
}

beforeEach(() => setup());

describe('deploy rehearsal check', () => {
  it('a code change is rehearsed on a fresh snapshot with the new JAR, properties, parallelism; nothing is left behind', async () => {
    const { plan: p, report } = await plan({
      ...v2,
      properties: { Out: { 'stream.name': 'out' } },
      restore: { allowNonRestoredState: true },
    });
    expect(requests).toHaveLength(1);
    const r = requests[0]!;
    expect(r).toMatchObject({
      runtime: 'FLINK-1_20',
      jarPath: JAR,
      properties: [{ PropertyGroupId: 'Out', PropertyMap: { 'stream.name': 'out' } }],
      parallelism: 2,
      parallelismPerKpu: 2,
      allowNonRestoredState: true,
      windowSeconds: 30,
    });
    // The fresh snapshot, exported under a scratch prefix of the artifacts bucket and downloaded.
    expect(r.metadata).toMatch(/^savepoint of msfctl-rehearsal-\d{8}-\d{6}$/);
    expect(report).toMatchObject({
      rehearsed: true,
      passed: true,
      state: {
        source: 'fresh',
        files: 1,
        exportedTo: expect.stringMatching(/^s3:\/\/artifacts\/msfctl\/rehearsals\/app\//),
      },
      checkpointsCompleted: 3,
    });
    expect(refusals(p)).toEqual([]);
    expect(p.findings).toEqual([
      expect.objectContaining({
        severity: 'info',
        code: 'REHEARSAL_PASSED',
        message: expect.stringContaining('3 checkpoints completed, no restart in 30s'),
      }),
    ]);
    // Left behind: nothing (scratch objects, the download, the snapshot taken for the rehearsal).
    expect(scratchObjects()).toEqual([]);
    expect(existsSync(r.dir)).toBe(false);
    expect(await snapshotNames()).not.toContainEqual(expect.stringMatching(/^msfctl-rehearsal-/));
    expect(report.cleanedUp).toEqual([
      expect.stringContaining('1 scratch object under s3://artifacts/msfctl/rehearsals/app/'),
      expect.stringMatching(/^snapshot msfctl-rehearsal-.* \(taken for the rehearsal\)$/),
    ]);
  });

  it('a failed rehearsal refuses the plan, naming the operator, the kind of break and Flink’s root cause; apply sends no update', async () => {
    verdict = () => ({
      passed: false,
      failure: {
        kind: 'serializer-incompatible',
        phase: 'restore',
        message: 'the state of counter cannot be read by the new serializer',
        rootCause:
          'org.apache.flink.util.StateMigrationException: The new state serializer must not be incompatible StackTrace: at …',
        operator: { vertexId: 'abc', vertexName: 'counter' },
      },
    });
    const { plan: p, report } = await plan(v2);
    expect(refusals(p)).toEqual([
      expect.objectContaining({
        code: 'REHEARSAL_FAILED',
        message: expect.stringMatching(
          /^rehearsal failed \(serializer incompatibility\) at operator counter while restoring a fresh snapshot/,
        ),
        hint: expect.stringContaining(
          'Flink: org.apache.flink.util.StateMigrationException: The new state serializer must not be incompatible.',
        ),
      }),
    ]);
    expect(report.failure).toMatchObject({ kind: 'serializer-incompatible', operator: { name: 'counter' } });

    const version = (await msf.describe('app'))!.versionId;
    const applied = applyWith({
      application: 'app',
      spec: spec(v2),
      gateway: msf,
      artifacts: fakeArtifacts(),
      state,
      host: createSilentHost(),
      target: { region: 'us-east-1' },
      autoApprove: true,
      clock: fakeClock(),
      checks: [rehearsalCheck(rehearsalSettings(undefined, undefined))],
      rehearser,
      exporter: new FakeSnapshotExporter(msf, { legacy: true }),
      savepointFiles: files,
    });
    await expect(applied).rejects.toMatchObject({ code: 'PLAN_REFUSED' });
    expect((await msf.describe('app'))!.versionId).toBe(version);
    expect(scratchObjects()).toEqual([]);
  });

  it('legacy snapshots where the service cannot export them: auto says so and how to enable enhanced mode; required refuses', async () => {
    const aws = () => new FakeSnapshotExporter(msf, { legacy: false });
    const auto = await plan(v2, undefined, aws());
    expect(auto.plan.findings).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'REHEARSAL_SKIPPED',
        hint: expect.stringContaining('snapshots.mode: enhanced'),
      }),
    ]);
    const required = await plan({ ...v2, deploy: { rehearse: 'required' } }, undefined, aws());
    expect(refusals(required.plan)).toEqual([expect.objectContaining({ code: 'REHEARSAL_IMPOSSIBLE' })]);
    const flag = await plan(v2, true, aws());
    expect(refusals(flag.plan)[0]?.hint).toContain('--rehearse');
    expect(requests).toEqual([]);
    expect(await snapshotNames()).toEqual([]);
  });

  it('auto rehearses changes that can break the restore; a config-only change only with --rehearse; off never', async () => {
    const logs = { monitoring: { logLevel: 'WARN' } };
    expect((await plan(logs)).report).toMatchObject({
      rehearsed: false,
      note: expect.stringContaining('--rehearse'),
    });
    expect((await plan(logs, true)).report).toMatchObject({ rehearsed: true, passed: true });
    expect((await plan({ ...v2, deploy: { rehearse: 'off', rehearsalWindow: '1m' } })).report).toMatchObject({
      rehearsed: false,
      note: 'deploy.rehearse is off',
    });
    expect((await plan(v2, false)).report).toMatchObject({ rehearsed: false, note: '--no-rehearse' });
    await plan({ ...v2, deploy: { rehearsalWindow: '2m' } });
    expect(requests.map((r) => r.windowSeconds)).toEqual([30, 120]);
  });

  it('what an interrupted rehearsal left (its snapshot) is swept by the next one, once stale', async () => {
    let clock = Date.now() - 3 * 3_600_000;
    await setup(() => clock);
    await msf.createSnapshot('app', 'msfctl-rehearsal-20261206-000000', 'legacy');
    await msf.createSnapshot('app', 'keep-me', 'legacy');
    clock = Date.now();
    await msf.createSnapshot('app', 'msfctl-rehearsal-running-now', 'legacy');
    const { report } = await plan(v2);
    expect(report.cleanedUp).toContain(
      'snapshot msfctl-rehearsal-20261206-000000 (left by an earlier rehearsal)',
    );
    expect(await snapshotNames()).toEqual(
      expect.arrayContaining(['keep-me', 'msfctl-rehearsal-running-now']),
    );
    expect(await snapshotNames()).not.toContain('msfctl-rehearsal-20261206-000000');
  });

  it('the spec names a bad window: a clear error naming the field', () => {
    expect(() => spec({ deploy: { rehearsalWindow: '2 minutes' } })).toThrow(/rehearsalWindow/);
  });
});
