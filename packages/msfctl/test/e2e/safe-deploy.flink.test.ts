/**
 * Safe deploys through the msfctl binary on msf-local with real Flink (restart delay 2 s, metrics every
 * second): the Flink-version preflight, then scenarios 3 (code that cannot start), 7 (crash loop after a
 * "successful" deploy), 8 (reverting a crash-looping config), 10 (remove a stateful operator) and 11 (break
 * state compatibility, system rollback) of scenarios.md, in that order, on one application; and the bake
 * after a lifecycle command. Healthy deploys bake 8 s (spec deploy.bakeSeconds); the crash-loop deploys bake
 * up to 40 s (`--bake`), of which the loop needs about two cycles (~20 s) to be declared.
 */
import { DescribeApplicationCommand } from '@aws-sdk/client-kinesis-analytics-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileDigest } from '../../src/adapters/artifacts/digest.js';
import type { HealthCheck } from '../../src/model/health.js';
import { ensureInspector } from 'msf-flink-runtime';
import type { Plan } from '../../src/model/plan.js';
import type { StatusReport } from '../../src/controller/queries/status.js';
import { createStream, jar, json, recordsAfter, restoredFrom, startE2E, type E2E } from './support/e2e.js';

let e: E2E;
const jars: Record<string, string> = {};
let baselineSha: string;

const GOOD = { OutputStream0: { 'stream.name': 'ExampleOutputStream', 'aws.region': 'us-east-1' } };
const MISSING = { OutputStream0: { 'stream.name': 'NoSuchStream', 'aws.region': 'us-east-1' } };
const DEPLOY = { bakeSeconds: 8, rehearse: 'off' };

interface SafeDeploy {
  bake?: {
    status: string;
    evidence: { signal: string; message: string }[];
    facts?: { restarts: number };
    detectedAfterMs?: number;
    exception?: { summary: string; rootCause?: string };
  };
  recovery?: { situation: string; policy: string; ok: boolean; steps: { kind: string; ok: boolean }[] };
}
interface ApplyJson {
  ok: boolean;
  status: string;
  versionId: number;
  afterApply?: { 'safe deploy'?: SafeDeploy };
  error?: { message: string };
}

beforeAll(async () => {
  [jars.baseline, jars.wrongMain, jars.noWindow, jars.uidRenamed, jars.baseline120] = await Promise.all([
    jar('baseline'),
    jar('wrong-main-class'),
    jar('no-window'),
    jar('uid-renamed'),
    jar('baseline', '1.20'),
  ]);
  await ensureInspector('FLINK-1_19');
  baselineSha = (await fileDigest(jars.baseline!)).sha256;
  e = await startE2E();
  await createStream(e.kinesis, 'ExampleOutputStream');
  e.writeSpec({ code: { jar: jars.baseline }, deploy: DEPLOY });
  const applied = await e.run('apply', '--auto-approve');
  if (applied.code !== 0) throw new Error(`setup apply failed:\n${applied.stdout}\n${applied.stderr}`);
});

afterAll(async () => {
  await e?.close();
});

const status = async () => json<StatusReport>(await e.run('status', '--json'));
const describeApp = async () =>
  (await e.kda.send(new DescribeApplicationCommand({ ApplicationName: 'stock-prices' }))).ApplicationDetail!;
const guard = (result: ApplyJson) => result.afterApply?.['safe deploy'];

describe('safe deploys of stock-prices with msfctl', () => {
  it('preflight: a JAR built for another Flink version than the runtime is refused, naming both', async () => {
    e.writeSpec({ code: { jar: jars.baseline120 }, deploy: DEPLOY });
    const plan = await e.run('plan');
    expect(plan.code, plan.stdout + plan.stderr).toBe(1);
    expect(plan.stdout).toContain(
      'the JAR was built against Flink 1.20.0 but the target runtime FLINK-1_19 runs Flink 1.19',
    );
    const before = await status();
    expect((await e.run('apply', '--auto-approve')).code).toBe(1);
    expect((await status()).versionId).toBe(before.versionId);
  });

  it('3: code that cannot start: the ErrorString is shown and the last good version comes back RUNNING with its state', async () => {
    const before = await status();
    e.writeSpec({ code: { jar: jars.wrongMain }, deploy: DEPLOY });
    const applied = await e.run('apply', '--auto-approve', '--json');
    expect(applied.code).toBe(1);
    expect(applied.stderr).toContain(
      "The program's entry point class 'com.example.stockprices.NoSuchJob' was not found in the jar file",
    );
    const result = json<ApplyJson>(applied);
    expect(guard(result)?.recovery).toMatchObject({
      situation: 'operation-failed',
      policy: 'rollback',
      ok: true,
    });
    // The service left it READY: msfctl reverted the code and started it from the good version's snapshot.
    expect(guard(result)?.recovery?.steps.map((s) => [s.kind, s.ok])).toEqual([
      ['update', true],
      ['start', true],
      ['verify', true],
    ]);
    const after = await status();
    expect(after).toMatchObject({ status: 'RUNNING', code: { sha256: baselineSha } });
    const run = (await describeApp()).ApplicationConfigurationDescription?.RunConfigurationDescription;
    expect(run?.ApplicationRestoreConfigurationDescription?.ApplicationRestoreType).toBe(
      'RESTORE_FROM_CUSTOM_SNAPSHOT',
    );
    const snapshots = json<{ snapshots: { name: string; versionId: number }[] }>(
      await e.run('snapshot', 'list', '--json'),
    ).snapshots;
    const restored = snapshots.find(
      (s) => s.name === run?.ApplicationRestoreConfigurationDescription?.SnapshotName,
    );
    expect(restored?.versionId).toBe(before.versionId);
    expect(await restoredFrom(e.kda)).toMatchObject({ is_savepoint: true });
    const ledger = e.ledger();
    expect(ledger.entries.at(-1)).toMatchObject({ kind: 'apply', outcome: 'failed' });
    expect(ledger.entries.at(-1)!.operations.map((o) => o.operation)).toEqual([
      'UpdateApplication',
      'recovery: update (UpdateApplication)',
      'recovery: start (StartApplication)',
      'recovery: verify',
    ]);
    expect(ledger.lastGood?.versionId).toBe(after.versionId);
  });

  it('7: a crash loop after a successful deploy is detected at its second restart, with evidence, and rolled back', async () => {
    e.writeSpec({ code: { jar: jars.baseline }, properties: MISSING, deploy: DEPLOY });
    const applied = await e.run('apply', '--auto-approve', '--json', '--bake', '40');
    expect(applied.code).toBe(1);
    const result = json<ApplyJson>(applied);
    const bake = guard(result)?.bake;
    expect(bake?.status).toBe('unhealthy');
    // Declared at the second restart (one restart is tolerated): within two restart cycles.
    expect(bake?.facts?.restarts).toBe(2);
    expect(bake?.evidence.find((x) => x.signal === 'restarts')?.message).toMatch(
      /^2 restarts in \d+s since the job started \(numRestarts 0 → 2\)$/,
    );
    expect(bake?.exception?.rootCause ?? bake?.exception?.summary).toContain('NoSuchStream not found');
    console.log(`scenario 7: crash loop declared ${bake?.detectedAfterMs} ms into the bake`);
    expect(guard(result)?.recovery?.steps.map((s) => [s.kind, s.ok])).toEqual([
      ['rollback', true],
      ['verify', true],
    ]);
    expect(applied.stderr).toContain('is crash-looping after the deploy');
    const detail = await describeApp();
    expect(detail.ApplicationStatus).toBe('RUNNING');
    const groups =
      detail.ApplicationConfigurationDescription?.EnvironmentPropertyDescriptions?.PropertyGroupDescriptions;
    expect(groups?.find((g) => g.PropertyGroupId === 'OutputStream0')?.PropertyMap?.['stream.name']).toBe(
      'ExampleOutputStream',
    );
    const health = await e.run('health', '--json');
    expect(health.code, health.stdout + health.stderr).toBe(0);
    expect(json<HealthCheck>(health).result.status).toBe('healthy');
    // --watch --json: one check per line until stopped (here by the harness's SIGTERM after 8 s: the process's
    // start-up is part of that window, and takes seconds on a loaded machine).
    const watched = await e.runFor(8000, 'health', '--watch', '--interval', '1s', '--json');
    const lines = watched.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as HealthCheck);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.map((l) => l.result.status)).toEqual(lines.map(() => 'healthy'));
  });

  it('8: reverting a crash-looping config: the plan says no snapshot can be taken and takes the forced path', async () => {
    e.writeSpec({ code: { jar: jars.baseline }, properties: MISSING, deploy: DEPLOY });
    const looping = await e.run('apply', '--auto-approve', '--json', '--bake', '40', '--on-failure', 'none');
    expect(looping.code).toBe(1);
    expect(guard(json<ApplyJson>(looping))?.recovery).toMatchObject({ policy: 'none', steps: [] });
    expect((await status()).status).toBe('RUNNING');
    const unhealthy = await e.run('health');
    expect(unhealthy.code).toBe(1);
    expect(unhealthy.stdout).toContain('stock-prices is unhealthy: crash loop or failing job.');

    e.writeSpec({ code: { jar: jars.baseline }, properties: GOOD, deploy: DEPLOY });
    const plan = json<Plan>(await e.run('plan', '--json'));
    expect(plan.actions.map((a) => a.type)).toEqual(['force-stop', 'update', 'start']);
    const snapshot = (plan.actions[2] as Extract<Plan['actions'][number], { type: 'start' }>).run.snapshot;
    expect(plan.actions[2]).toMatchObject({ type: 'start', run: { from: 'snapshot' } });
    const finding = plan.findings.find((f) => f.code === 'SNAPSHOT_IMPOSSIBLE');
    expect(finding?.message).toMatch(
      /^a snapshot of stock-prices cannot be taken now: its job is crash-looping/,
    );
    expect(finding?.message).toContain(`start it from snapshot ${snapshot}`);

    const since = Date.now();
    const applied = await e.run('apply', '--auto-approve');
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    // The service never refused a snapshot: msfctl did not ask it for one.
    expect(applied.stdout + applied.stderr).not.toContain('Failed to take snapshot for the application');
    expect(
      e
        .ledger()
        .entries.at(-1)!
        .operations.map((o) => [o.operation, o.status]),
    ).toEqual([
      ['StopApplication', 'SUCCESSFUL'],
      ['UpdateApplication', 'SUCCESSFUL'],
      ['StartApplication', 'SUCCESSFUL'],
    ]);
    expect(applied.stdout).toContain('Apply complete: stock-prices is RUNNING');
    const run = (await describeApp()).ApplicationConfigurationDescription?.RunConfigurationDescription;
    expect(run?.ApplicationRestoreConfigurationDescription).toMatchObject({
      ApplicationRestoreType: 'RESTORE_FROM_CUSTOM_SNAPSHOT',
      SnapshotName: snapshot,
    });
    expect(await restoredFrom(e.kda)).toMatchObject({ is_savepoint: true });
    await recordsAfter(e.kinesis, 'ExampleOutputStream', since, 1);
    expect(e.ledger().entries.at(-1)).toMatchObject({
      outcome: 'succeeded',
      summary: 'force-stop + update + start',
    });
  });

  it('10: removing a stateful operator is refused unless allowed; allowed, AllowNonRestoredState reaches that update', async () => {
    const before = await status();
    e.writeSpec({ code: { jar: jars.noWindow }, deploy: DEPLOY });
    const refused = await e.run('plan');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('stateful operator windowed-avg-price removed');
    expect(refused.stdout).toContain('--allow-non-restored-state');
    expect((await e.run('apply', '--auto-approve')).code).toBe(1);
    expect((await status()).versionId).toBe(before.versionId);

    // The spec field accepts it as the flag does.
    e.writeSpec({ code: { jar: jars.noWindow }, deploy: DEPLOY, restore: { allowNonRestoredState: true } });
    const bySpec = json<Plan>(await e.run('plan', '--json'));
    expect(bySpec.findings.filter((f) => f.severity === 'refusal')).toEqual([]);
    expect(bySpec.actions, JSON.stringify(bySpec.preflight)).toEqual([
      expect.objectContaining({
        type: 'update',
        run: expect.objectContaining({ allowNonRestoredState: true }),
      }),
    ]);

    e.writeSpec({ code: { jar: jars.noWindow }, deploy: DEPLOY });
    const applied = await e.run('apply', '--auto-approve', '--allow-non-restored-state');
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    const run = (await describeApp()).ApplicationConfigurationDescription?.RunConfigurationDescription;
    expect(run?.FlinkRunConfigurationDescription?.AllowNonRestoredState).toBe(true);
    // Source and sink state came back from the snapshot; the window's was dropped.
    expect(await restoredFrom(e.kda)).toMatchObject({ is_savepoint: true });
    expect(await status()).toMatchObject({ status: 'RUNNING', versionId: before.versionId! + 1 });
  });

  it('11: a renamed uid is refused; forced with system rollback on, the service rolls back and msfctl records it', async () => {
    e.writeSpec({ code: { jar: jars.baseline }, deploy: DEPLOY, systemRollback: true });
    const restored = await e.run('apply', '--auto-approve');
    expect(restored.code, restored.stdout + restored.stderr).toBe(0);
    const before = await status();

    e.writeSpec({ code: { jar: jars.uidRenamed }, deploy: DEPLOY, systemRollback: true });
    const refused = await e.run('plan');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('state of windowed-avg-price will not be restored');
    expect(refused.stdout).toContain('--accept-state-loss');

    const forced = await e.run('apply', '--auto-approve', '--accept-state-loss', '--json');
    expect(forced.code).toBe(1);
    const forcedResult = json<ApplyJson & { plan: Plan }>(forced);
    expect(forcedResult.plan.findings.find((f) => f.code === 'STATE_RESTORE_WILL_FAIL')?.message).toContain(
      'Flink will refuse to restore the snapshot',
    );
    expect(forced.stderr).toContain('Cannot map checkpoint/savepoint state for operator');
    expect(forced.stderr).toContain('rolled stock-prices back by itself (system rollback');
    expect(guard(json<ApplyJson>(forced))?.recovery).toMatchObject({
      situation: 'system-rollback',
      ok: true,
    });

    const after = await status();
    // The failed update made version N+1; the service's rollback made N+2, a copy of N.
    expect(after).toMatchObject({
      status: 'RUNNING',
      versionId: before.versionId! + 2,
      code: { sha256: baselineSha },
    });
    expect((await describeApp()).ApplicationVersionRolledBackTo).toBe(before.versionId);
    const ledger = e.ledger();
    expect(ledger.expected).toMatchObject({ versionId: after.versionId, status: 'RUNNING' });
    expect(ledger.lastGood?.versionId).toBe(after.versionId);
    expect(ledger.entries.at(-1)).toMatchObject({ kind: 'apply', outcome: 'failed' });

    const next = await e.run('plan', '--json');
    expect(next.code).toBe(1);
    const plan = json<Plan>(next);
    expect(plan.drift.notes.join(' ')).toMatch(
      /the service rolled back the failed UpdateApplication \S+ by itself/,
    );
    expect(plan.changes.map((c) => c.field)).toEqual(['code']);
    expect(plan.findings.filter((f) => f.severity === 'refusal').map((f) => f.code)).toEqual([
      'STATE_NOT_RESTORED',
    ]);
  });

  it('a restart is baked too, and reported healthy', async () => {
    e.writeSpec({ code: { jar: jars.baseline }, deploy: DEPLOY, systemRollback: true });
    const restarted = await e.run('restart', '--bake', '6');
    expect(restarted.code, restarted.stdout + restarted.stderr).toBe(0);
    expect(restarted.stdout).toMatch(/stock-prices is healthy after a 6s bake/);
  });
});
