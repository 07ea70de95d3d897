/** apply and the executor against an in-memory MSF (the AWS boundary faked; msf-local tests use the real one). */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { MsfctlError } from '../../src/model/errors.js';
import type { ApplyInput } from '../../src/controller/apply.js';
import type { RunContext } from '../../src/controller/context.js';
import { makePlan } from '../../src/controller/make-plan.js';
import { statusJson } from '../../src/cli/commands/status.js';
import { getStatus } from '../../src/controller/queries/status.js';
import { createSilentHost } from '../../src/adapters/io/memory-host.js';
import { createStyle } from '../../src/adapters/io/style.js';
import { renderStatus } from '../../src/cli/views/views.js';
import type { LoadedSpec } from '../../src/spec/load.js';
import { applicationSpecSchema } from '../../src/spec/schema.js';
import { readLedger } from '../../src/controller/state/ledger-store.js';
import { LocalObjectStore } from '../../src/adapters/state/local-object-store.js';
import { acquireLock } from '../../src/controller/state/lock.js';
import { applyWith, fakeArtifacts } from '../fakes/artifacts.js';
import { FakeMsf, fakeClock } from '../fakes/fake-msf.js';

function spec(fields: Record<string, unknown> = {}): LoadedSpec {
  const parsed = applicationSpecSchema.parse({
    application: 'app',
    runtime: 'FLINK-1_19',
    role: 'arn:aws:iam::123456789012:role/r',
    code: { s3: { bucket: 'code', key: 'v1.jar' } },
    monitoring: { logLevel: 'ERROR' },
    ...fields,
  });
  return {
    spec: parsed,
    source: { kind: 'spec', path: 'msfctl.yaml' },
    baseDir: '/tmp',
    warnings: [],
    digest: 'digest',
  };
}

let msf: FakeMsf;
let state: LocalObjectStore;

function input(overrides: Partial<RunContext & ApplyInput> = {}): RunContext & ApplyInput {
  return {
    application: 'app',
    spec: spec(),
    gateway: msf,
    artifacts: fakeArtifacts(),
    state,
    host: createSilentHost(),
    target: { region: 'us-east-1' },
    autoApprove: true,
    clock: fakeClock(),
    ...overrides,
  };
}

beforeEach(() => {
  msf = new FakeMsf();
  state = new LocalObjectStore(mkdtempSync(path.join(tmpdir(), 'msfctl-apply-')));
});

describe('apply', () => {
  it('creates and starts, waits on each operation, and records the deployment', async () => {
    const result = await applyWith(input());
    expect(result.ok).toBe(true);
    expect(result.live).toMatchObject({ status: 'RUNNING', versionId: 1 });
    expect(msf.calls.filter((c) => !c.startsWith('describe'))).toEqual(['create app', 'start app latest']);
    const { ledger } = await readLedger(state, 'app');
    expect(ledger.entries).toHaveLength(1);
    expect(ledger.entries[0]).toMatchObject({
      kind: 'apply',
      outcome: 'succeeded',
      specDigest: 'digest',
      versionAfter: 1,
      summary: 'create + start',
    });
    expect(ledger.entries[0]!.operations.map((o) => [o.operation, o.status])).toEqual([
      ['CreateApplication', 'SUCCESSFUL'],
      ['StartApplication', 'SUCCESSFUL'],
    ]);
    expect(ledger.expected).toMatchObject({ versionId: 1, status: 'RUNNING', by: 'apply' });
    expect(ledger.lastGood?.versionId).toBe(1);
  });

  it('does nothing, and records nothing, when the application matches the spec', async () => {
    await applyWith(input());
    const again = await applyWith(input());
    expect(again).toMatchObject({ changed: false, ok: true });
    expect((await readLedger(state, 'app')).ledger.entries).toHaveLength(1);
  });

  it('a code change updates the running application in place', async () => {
    await applyWith(input());
    const result = await applyWith(
      input({ spec: spec({ code: { s3: { bucket: 'code', key: 'v2.jar' } } }) }),
    );
    expect(result.ok).toBe(true);
    expect(result.plan.actions.map((a) => a.type)).toEqual(['update']);
    expect(result.live).toMatchObject({
      status: 'RUNNING',
      versionId: 2,
      config: { code: { key: 'v2.jar' } },
    });
    expect((await readLedger(state, 'app')).ledger.lastGood?.versionId).toBe(2);
  });

  it("prints the failed operation's ErrorString, fails, and keeps the last good version", async () => {
    await applyWith(input());
    await msf.stop('app', false);
    for (let i = 0; i < 5; i++) await msf.describe('app');
    msf.failNext.StartApplication = 'java.lang.ClassNotFoundException: com.example.Nope StackTrace: ...';
    const result = await applyWith(input());
    expect(result.ok).toBe(false);
    expect(result.error?.code).toBe('OPERATION_FAILED');
    expect(result.error?.message).toContain(
      'StartApplication of app FAILED: java.lang.ClassNotFoundException: com.example.Nope',
    );
    const { ledger } = await readLedger(state, 'app');
    expect(ledger.entries.at(-1)).toMatchObject({
      outcome: 'failed',
      error: expect.stringContaining('ClassNotFoundException'),
    });
    expect(ledger.lastGood?.versionId).toBe(1);
  });

  it("an application created again after a delete does not inherit the old one's last good version", async () => {
    await applyWith(input());
    expect((await readLedger(state, 'app')).ledger.lastGood?.versionId).toBe(1);
    const old = await msf.describe('app');
    await msf.stop('app', true);
    for (let i = 0; i < 5; i++) await msf.describe('app');
    await msf.delete('app', old!.createdAt); // deleted outside msfctl (console, CLI)
    msf.failNext.StartApplication = 'java.lang.ClassNotFoundException: com.example.Nope';
    const again = await applyWith(input({ spec: spec({ monitoring: { logLevel: 'WARN' } }) }));
    expect(again.ok).toBe(false);
    const { ledger } = await readLedger(state, 'app');
    // Version 1 of the deleted application is no "last good" of this one: recovery must not revert to it.
    expect(ledger.lastGood).toBeUndefined();
    expect(ledger.entries).toHaveLength(2);
  });

  it('refuses without a terminal and without --auto-approve, changing nothing', async () => {
    const error = await applyWith(input({ autoApprove: false })).catch((e: unknown) => e);
    expect(MsfctlError.is(error, 'CONFIRMATION_REQUIRED')).toBe(true);
    expect((error as MsfctlError).hint).toContain('--auto-approve');
    expect(msf.apps.size).toBe(0);
  });

  it('asks on a terminal and stops on "no"', async () => {
    const error = await applyWith(input({ autoApprove: false, host: createSilentHost([false]) })).catch(
      (e: unknown) => e,
    );
    expect(MsfctlError.is(error, 'ABORTED')).toBe(true);
    expect(msf.apps.size).toBe(0);
    expect((await applyWith(input({ autoApprove: false, host: createSilentHost([true]) }))).ok).toBe(true);
  });

  it('refuses a saved plan once the application changed since (version moved)', async () => {
    await applyWith(input());
    const { plan } = await makePlan({
      spec: spec({ monitoring: { logLevel: 'INFO' } }),
      ledger: (await readLedger(state, 'app')).ledger,
      gateway: msf,
      artifacts: fakeArtifacts(),
      host: createSilentHost(),
      target: { region: 'us-east-1' },
    });
    msf.outOfBand('app', (c) => ({ ...c, monitoring: { ...c.monitoring, logLevel: 'WARN' } }));
    const error = await applyWith(input({ savedPlan: plan })).catch((e: unknown) => e);
    expect(MsfctlError.is(error, 'PLAN_STALE')).toBe(true);
    expect((error as Error).message).toContain('is at version 2, the plan was made at version 1');
  });

  it('applies exactly a saved plan that is still current', async () => {
    await applyWith(input());
    const { plan } = await makePlan({
      spec: spec({ monitoring: { logLevel: 'INFO' } }),
      ledger: (await readLedger(state, 'app')).ledger,
      gateway: msf,
      artifacts: fakeArtifacts(),
      host: createSilentHost(),
      target: { region: 'us-east-1' },
    });
    const result = await applyWith(input({ savedPlan: plan, spec: undefined }));
    expect(result.ok).toBe(true);
    expect(result.live?.config.monitoring.logLevel).toBe('INFO');
  });

  it('refuses a saved plan made for another endpoint', async () => {
    const { plan } = await makePlan({
      spec: spec(),
      ledger: (await readLedger(state, 'app')).ledger,
      gateway: msf,
      artifacts: fakeArtifacts(),
      host: createSilentHost(),
      target: { region: 'us-east-1', endpoint: 'http://127.0.0.1:4577' },
    });
    const error = await applyWith(input({ savedPlan: plan })).catch((e: unknown) => e);
    expect(MsfctlError.is(error, 'PLAN_INVALID')).toBe(true);
  });

  it('shows drift made outside msfctl in the next plan', async () => {
    await applyWith(input());
    msf.outOfBand('app', (c) => ({ ...c, monitoring: { ...c.monitoring, logLevel: 'INFO' } }));
    const { plan } = await makePlan({
      spec: spec(),
      ledger: (await readLedger(state, 'app')).ledger,
      gateway: msf,
      artifacts: fakeArtifacts(),
      host: createSilentHost(),
      target: { region: 'us-east-1' },
    });
    expect(plan.drift.changes.map((c) => [c.field, c.before, c.after])).toEqual([
      ['monitoring.logLevel', 'ERROR', 'INFO'],
    ]);
    expect(plan.drift.operations).toHaveLength(1);
    expect(plan.changes.map((c) => [c.field, c.before, c.after])).toEqual([
      ['monitoring.logLevel', 'INFO', 'ERROR'],
    ]);
  });

  it('takes drift that already matches the spec as the new baseline, so it is reported once', async () => {
    await applyWith(input());
    // e.g. an apply interrupted by Ctrl-C whose update the service finished: the spec's own change.
    msf.outOfBand('app', (c) => ({ ...c, monitoring: { ...c.monitoring, logLevel: 'INFO' } }));
    const withInfo = () => input({ spec: spec({ monitoring: { logLevel: 'INFO' } }) });
    const host = createSilentHost();
    const first = await applyWith({ ...withInfo(), host });
    expect(first).toMatchObject({ changed: false, ok: true });
    expect(first.plan.drift.versions).toEqual({ expected: 1, actual: 2 });
    expect(host.messages.map((m) => m.text)).toContainEqual(
      "Recorded app version 2 (RUNNING) as msfctl's baseline: it matches the spec, so the drift above needs no action.",
    );
    const { ledger } = await readLedger(state, 'app');
    expect(ledger.expected).toMatchObject({ versionId: 2, status: 'RUNNING', by: 'apply' });
    expect(ledger.entries).toHaveLength(1);
    const again = await applyWith(withInfo());
    expect(again.plan.drift).toEqual({ changes: [], operations: [], notes: [] });
  });

  it('status reports no drift while an msfctl command holds the lock and its update is in flight', async () => {
    await applyWith(input());
    const held = await acquireLock(state, 'app', 'apply', { who: 'alice@ci' });
    await msf.update(
      'app',
      { versionId: 1, conditionalToken: 'token-1' },
      { monitoring: { custom: true, logLevel: 'WARN', metricsLevel: 'APPLICATION' } },
    );
    const { ledger } = await readLedger(state, 'app');
    const during = await getStatus(msf, 'app', ledger, held.info);
    expect(during).toMatchObject({ status: 'UPDATING', lock: { who: 'alice@ci' } });
    expect(during.drift).toBeUndefined();
    // --json: times are ISO strings, as in history and snapshot list.
    expect(statusJson(during)).toMatchObject({
      lastOperation: {
        operation: 'UpdateApplication',
        startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      },
    });
    await held.release();
    // The same change with no msfctl command behind it is drift.
    expect((await getStatus(msf, 'app', ledger, undefined)).drift).toBe(true);
    // A lock left by a process that is gone (kill -9) protects nothing: status says so, and drift counts again.
    const gone = spawnSync('true').pid!;
    const left = { ...held.info, pid: gone, host: hostname() };
    const orphaned = await getStatus(msf, 'app', ledger, left);
    expect(orphaned.lock?.state).toBe('orphaned');
    expect(orphaned.drift).toBe(true);
    expect(renderStatus(orphaned, createStyle(false))).toContain(
      `lock            left by alice@ci (apply, since ${left.createdAt}, ID ${left.id}) — its process ${gone} is gone: the next command takes the lock over`,
    );
  });

  it('waits for an operation already in progress to finish before planning', async () => {
    await applyWith(input());
    await msf.update(
      'app',
      { versionId: 1, conditionalToken: 'token-1' },
      { monitoring: { custom: true, logLevel: 'WARN', metricsLevel: 'APPLICATION' } },
    );
    expect((await msf.describe('app'))?.status).toBe('UPDATING');
    const host = createSilentHost();
    const { plan } = await makePlan({
      spec: spec(),
      ledger: (await readLedger(state, 'app')).ledger,
      gateway: msf,
      artifacts: fakeArtifacts(),
      host,
      target: { region: 'us-east-1' },
      clock: fakeClock(),
    });
    expect(plan.basis).toMatchObject({ status: 'RUNNING', versionId: 2 });
    expect(plan.changes.map((c) => c.field)).toEqual(['monitoring.logLevel']);
    expect(
      host.messages.some((m) =>
        m.text.includes('is UPDATING: waiting for the operation in progress to finish'),
      ),
    ).toBe(true);
  });

  it('fails fast while another process holds the lock, naming it', async () => {
    const held = await acquireLock(state, 'app', 'apply', { who: 'alice@ci' });
    const error = await applyWith(input()).catch((e: unknown) => e);
    expect(MsfctlError.is(error, 'LOCK_HELD')).toBe(true);
    expect((error as Error).message).toContain('alice@ci');
    expect(msf.calls).toEqual([]);
    await held.release();
  });

  it('refuses a plan over the KPU quota before changing anything', async () => {
    const error = await applyWith(input({ spec: spec({ parallelism: { parallelism: 100 } }) })).catch(
      (e: unknown) => e,
    );
    expect(MsfctlError.is(error, 'PLAN_REFUSED')).toBe(true);
    expect((error as Error).message).toContain('= 100 KPUs, over the quota of 64');
    expect(msf.apps.size).toBe(0);
  });

  it('watches the started job; a crash loop fails the apply and records no last good version', async () => {
    const polled: number[] = [];
    const result = await applyWith(
      input({
        deploy: { bakeSeconds: 30, onFailure: 'none', acceptStateLoss: false },
        pollSeconds: 2,
        // A job that restarts every 5 s from the start of the watch.
        metrics: {
          periodSeconds: 1,
          async fetch(application, window) {
            polled.push(window.end);
            const points = [];
            for (let t = window.start; t <= window.end; t += 1000) {
              const s = (t - window.start) / 1000;
              points.push({ at: t, restarts: Math.floor(s / 5), uptimeMin: 0, uptimeMax: 0, down: 1000 });
            }
            return {
              ok: true as const,
              series: { application, periodSeconds: 1, points, sources: { restarts: 'numRestarts' } },
              fetchedAt: window.end,
            };
          },
        },
      }),
    );
    expect(polled.length).toBeGreaterThan(1);
    expect(result.execution?.ok).toBe(true);
    expect(result.ok).toBe(false);
    expect(result.failures).toEqual(['the job is crash-looping (no recovery attempted)']);
    expect(result.error?.message).toBe(
      'app after msfctl apply: the job is crash-looping (no recovery attempted).',
    );
    expect((await readLedger(state, 'app')).ledger.lastGood).toBeUndefined();
  });
});
