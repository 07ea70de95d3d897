/**
 * The state-compatibility preflight inside msfctl's real planning (makePlan, planner, findings) over the
 * in-memory MSF, with the JAR inspector replaced by operator tables (the inspector itself is tested on real
 * JARs in test/inspect, and the whole check through the binary in test/e2e/safe-deploy.flink.test.ts).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { CodeLocation } from '../../src/model/application.js';
import type { JarInspection } from '../../src/model/inspection.js';
import type { InspectJarOptions } from '../../src/ports/jar-inspector.js';
import type { InspectedOperator } from '../../src/model/inspection.js';
import { operatorIdFromUid } from '../../src/adapters/inspector/operator-id.js';
import { makePlan } from '../../src/controller/make-plan.js';
import { createSilentHost } from '../../src/adapters/io/memory-host.js';
import { refusals, type Plan } from '../../src/model/plan.js';
import {
  stateCompatibilityCheck,
  type StateCheckReport,
} from '../../src/controller/preflight/state-check.js';
import { deploySettings } from '../../src/model/deploy-settings.js';
import type { LoadedSpec } from '../../src/spec/load.js';
import { applicationSpecSchema } from '../../src/spec/schema.js';
import { emptyLedger } from '../../src/model/ledger.js';
import { LocalObjectStore } from '../../src/adapters/state/local-object-store.js';
import { applyWith, fakeArtifacts } from '../fakes/artifacts.js';
import { FakeMsf, fakeClock } from '../fakes/fake-msf.js';

function op(
  name: string,
  uid: string | null,
  state: InspectedOperator['state'],
  keyed = false,
): InspectedOperator {
  const operatorId = operatorIdFromUid(uid ?? `auto:${name}`);
  return {
    nodeId: 1,
    name,
    uid,
    userHash: null,
    operatorId,
    userDefinedOperatorId: null,
    vertexId: operatorId,
    vertexName: name,
    parallelism: 1,
    maxParallelism: -1,
    keyed,
    operatorClass: keyed ? 'org.apache.flink.streaming.runtime.operators.windowing.WindowOperator' : null,
    state,
    stateReasons: state === 'stateless' ? [] : ['test'],
  };
}

const source = op('Source: data-generator', 'source-stream', 'stateful');
const window = op('windowed-avg-price', 'windowed-avg-price', 'stateful', true);
const sink = op('kinesis-sink: Writer', 'kinesis-sink', 'stateful');

/** What the "inspector" reports for each JAR key, and the Flink version it was built against. */
const JARS: Record<string, { operators: InspectedOperator[]; flink: string }> = {
  'v1.jar': { operators: [source, window, sink], flink: '1.19.1' },
  'no-window.jar': { operators: [source, sink], flink: '1.19.1' },
  'uid-renamed.jar': {
    operators: [source, op('windowed-avg-price', 'windowed-avg-price-v2', 'stateful', true), sink],
    flink: '1.19.1',
  },
  'flink-120.jar': { operators: [source, window, sink], flink: '1.20.0' },
  'broken.jar': { operators: [], flink: '1.19.1' },
};

let inspected: InspectJarOptions[];
let fetched: { location: CodeLocation; sha256?: string }[];

async function fakeInspect(options: InspectJarOptions): Promise<JarInspection> {
  inspected.push(options);
  const key = path.basename(options.jarPath);
  // Like real jobs, v1.jar builds its graph from its properties: group Job, window.uid and window.enabled.
  const job = options.properties?.find((g) => g.PropertyGroupId === 'Job')?.PropertyMap ?? {};
  if (key === 'v1.jar' && (job['window.uid'] || job['window.enabled'] === 'false')) {
    const operators =
      job['window.enabled'] === 'false'
        ? [source, sink]
        : [source, op('windowed-avg-price', job['window.uid']!, 'stateful', true), sink];
    return { ...(await fakeInspect({ ...options, properties: [] })), operators };
  }
  if (key === 'broken.jar')
    throw new Error(
      'the application could not build its job graph: java.lang.ClassNotFoundException: NoSuchJob',
    );
  const jar = JARS[key]!;
  const [major, minor] = jar.flink.split('.');
  return {
    jarPath: options.jarPath,
    jarSha256: key,
    runtime: options.runtime,
    inspectorFlinkVersion: jar.flink,
    flinkVersion: {
      version: jar.flink,
      line: `${major}.${minor}`,
      source: 'manifest attribute Flink-Version',
      ambiguous: false,
      basis: 'build-metadata',
      evidence: [],
    },
    job: { name: 'job', mainClass: 'Main', defaultParallelism: 1, vertices: 3 },
    operators: jar.operators,
    sandbox: 'jvm-guards',
    fromCache: false,
    durationMs: 1,
  };
}

const check = () =>
  stateCompatibilityCheck({
    inspect: fakeInspect,
    cacheDir: '/nowhere',
    fetchJar: async (location, options) => {
      fetched.push({ location, ...(options.sha256 ? { sha256: options.sha256 } : {}) });
      return { path: `/jars/${location.key}`, sha256: location.key, downloaded: true };
    },
  });

function spec(fields: Record<string, unknown> = {}): LoadedSpec {
  const parsed = applicationSpecSchema.parse({
    application: 'app',
    runtime: 'FLINK-1_19',
    role: 'arn:aws:iam::123456789012:role/r',
    code: { s3: { bucket: 'code', key: 'v1.jar' } },
    systemRollback: true,
    ...fields,
  });
  return {
    spec: parsed,
    source: { kind: 'spec', path: 'msfctl.yaml' },
    baseDir: '/tmp',
    warnings: [],
    digest: 'd',
  };
}

let msf: FakeMsf;

async function plan(
  key: string,
  fields: Record<string, unknown> = {},
  flags: Record<string, unknown> = {},
): Promise<Plan> {
  const s = spec({ code: { s3: { bucket: 'code', key } }, ...fields });
  const { plan } = await makePlan({
    spec: s,
    ledger: emptyLedger('app'),
    gateway: msf,
    artifacts: fakeArtifacts(),
    host: createSilentHost(),
    target: { kind: 'aws', region: 'us-east-1' },
    checks: [check()],
    flags,
    deploy: deploySettings({ ...(flags.acceptStateLoss ? { acceptStateLoss: true } : {}) }, s.spec.deploy),
  });
  return plan;
}

const codes = (p: Plan) => p.findings.map((f) => [f.severity, f.code]);

beforeEach(async () => {
  msf = new FakeMsf();
  inspected = [];
  fetched = [];
  const state = new LocalObjectStore(mkdtempSync(path.join(tmpdir(), 'msfctl-state-check-')));
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
});

describe('state-compatibility preflight', () => {
  it('inspects the JAR the application runs, fetched by its recorded S3 location, and the new one', async () => {
    const p = await plan('v1.jar', { monitoring: { logLevel: 'WARN' } });
    // A change that cannot touch the job graph needs no inspection.
    expect(p.actions.map((a) => a.type)).toEqual(['update']);
    expect(inspected).toEqual([]);
    expect(p.preflight?.stateCompatibility).toBeUndefined();

    const q = await plan('no-window.jar', {}, { allowNonRestoredState: true });
    expect(fetched.map((f) => f.location.key)).toEqual(['v1.jar', 'no-window.jar']);
    expect(inspected.map((i) => [path.basename(i.jarPath), i.runtime, i.parallelism])).toEqual([
      ['v1.jar', 'FLINK-1_19', 1],
      ['no-window.jar', 'FLINK-1_19', 1],
    ]);
    expect((q.preflight?.stateCompatibility as StateCheckReport).checked).toBe(true);
  });

  it('a property change is checked: the same JAR inspected with the running and with the new properties', async () => {
    const p = await plan('v1.jar', { properties: { Out: { 'stream.name': 's' } } });
    expect(inspected.map((i) => [path.basename(i.jarPath), i.properties])).toEqual([
      ['v1.jar', []],
      ['v1.jar', [{ PropertyGroupId: 'Out', PropertyMap: { 'stream.name': 's' } }]],
    ]);
    expect(fetched.map((f) => f.location.key)).toEqual(['v1.jar']);
    expect(refusals(p)).toEqual([]);
    expect(p.preflight?.stateCompatibility).toMatchObject({ checked: true, because: ['properties'] });
  });

  it('a property-driven uid rename is refused like a code one, saying the properties changed the graph', async () => {
    const p = await plan('v1.jar', { properties: { Job: { 'window.uid': 'avg-v2' } } });
    expect(refusals(p)).toEqual([
      expect.objectContaining({
        code: 'STATE_NOT_RESTORED',
        message: expect.stringMatching(
          /^state of windowed-avg-price will not be restored: its uid changed from "windowed-avg-price" to "avg-v2".*\(same JAR: the new properties build this job graph\)$/,
        ),
      }),
    ]);
  });

  it('a property-driven removal of a stateful operator is refused unless AllowNonRestoredState', async () => {
    const fields = { properties: { Job: { 'window.enabled': 'false' } } };
    expect(refusals(await plan('v1.jar', fields))).toEqual([
      expect.objectContaining({ code: 'STATEFUL_OPERATOR_REMOVED' }),
    ]);
    expect(refusals(await plan('v1.jar', fields, { allowNonRestoredState: true }))).toEqual([]);
  });

  it('a parallelism change and a restore from a named snapshot are checked too; restore "none" of the same JAR is not', async () => {
    const scaled = await plan('v1.jar', { parallelism: { parallelism: 2, autoscaling: false } });
    expect(scaled.preflight?.stateCompatibility).toMatchObject({ checked: true, because: ['parallelism'] });
    expect(inspected.map((i) => i.parallelism)).toEqual([1, 2]);
    inspected = [];
    const none = await plan('v1.jar', { properties: { Out: { 'stream.name': 's' } }, restore: 'none' });
    expect(none.preflight?.stateCompatibility).toBeUndefined();
    expect(inspected).toEqual([]);
  });

  it('scenario 10: a removed stateful operator is refused, naming it and what accepts it', async () => {
    const p = await plan('no-window.jar');
    const [refusal] = refusals(p);
    expect(refusal).toMatchObject({ code: 'STATEFUL_OPERATOR_REMOVED' });
    expect(refusal!.message).toContain('stateful operator windowed-avg-price removed');
    expect(refusal!.hint).toContain('restore.allowNonRestoredState: true');
    expect(refusal!.hint).toContain('--allow-non-restored-state');
    expect(p.findings.find((f) => f.code === 'STATE_RESTORED')?.message).toContain(
      'state of source-stream, kinesis-sink is restored',
    );
  });

  it('scenario 10: accepted by the flag or the spec field, AllowNonRestoredState reaches that very update', async () => {
    for (const accepted of [
      await plan('no-window.jar', {}, { allowNonRestoredState: true }),
      await plan('no-window.jar', { restore: { allowNonRestoredState: true } }),
    ]) {
      expect(refusals(accepted)).toEqual([]);
      expect(codes(accepted)).toContainEqual(['warning', 'STATEFUL_OPERATOR_REMOVED']);
      expect(accepted.actions).toEqual([
        expect.objectContaining({
          type: 'update',
          run: expect.objectContaining({ allowNonRestoredState: true }),
        }),
      ]);
    }
  });

  it('scenario 11: a renamed uid is "state of X will not be restored" and refused unless the loss is accepted', async () => {
    const refused = await plan('uid-renamed.jar');
    expect(refusals(refused)).toEqual([
      expect.objectContaining({
        code: 'STATE_NOT_RESTORED',
        message: expect.stringMatching(
          /^state of windowed-avg-price will not be restored: its uid changed from "windowed-avg-price" to "windowed-avg-price-v2"/,
        ),
      }),
    ]);
    expect(refusals(refused)[0]!.hint).toContain('--accept-state-loss');

    // Accepted without AllowNonRestoredState: Flink will refuse the restore, and the plan says what follows.
    const forced = await plan('uid-renamed.jar', {}, { acceptStateLoss: true });
    expect(refusals(forced)).toEqual([]);
    const willFail = forced.findings.find((f) => f.code === 'STATE_RESTORE_WILL_FAIL');
    expect(willFail?.message).toMatch(
      /the update will fail; system rollback is on, so the service will roll app back to version 1's configuration$/,
    );

    const both = await plan(
      'uid-renamed.jar',
      { deploy: { acceptStateLoss: true } },
      { allowNonRestoredState: true },
    );
    expect(refusals(both)).toEqual([]);
    expect(both.findings.map((f) => f.code)).not.toContain('STATE_RESTORE_WILL_FAIL');
  });

  it('a JAR built for another Flink version than the target runtime is refused, naming both', async () => {
    const p = await plan('flink-120.jar', {}, { allowNonRestoredState: true, acceptStateLoss: true });
    expect(refusals(p)).toEqual([expect.objectContaining({ code: 'FLINK_VERSION_MISMATCH' })]);
    expect(refusals(p)[0]!.message).toContain(
      'built against Flink 1.20.0 but the target runtime FLINK-1_19 runs Flink 1.19',
    );
  });

  it('with restore "none" the job starts empty on purpose: no state refusal', async () => {
    const p = await plan('no-window.jar', { restore: 'none' });
    expect(refusals(p)).toEqual([]);
    expect(codes(p)).toEqual([['info', 'STATE_RESTORE_NONE']]);
  });

  it('a JAR that cannot be inspected is a warning, not a refusal (the service reports the real failure)', async () => {
    const p = await plan('broken.jar');
    expect(refusals(p)).toEqual([]);
    expect(p.findings).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'STATE_CHECK_SKIPPED',
        message: expect.stringContaining('ClassNotFoundException: NoSuchJob'),
      }),
    ]);
  });

  it('a runtime msfctl cannot inspect is said, not guessed', async () => {
    const p = await plan('v1.jar', { runtime: 'FLINK-1_18' });
    expect(p.findings).toEqual([
      expect.objectContaining({
        code: 'STATE_CHECK_SKIPPED',
        message: expect.stringContaining('not FLINK-1_18'),
      }),
    ]);
  });
});
