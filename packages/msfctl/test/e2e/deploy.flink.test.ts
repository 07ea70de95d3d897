/**
 * Deploys through the msfctl binary on msf-local with real Flink: scenarios 1 (create and start), 2 (code
 * change), 6 (config change), 9 (scale, and the KPU quota), 4 (fix after a failed deploy), 12 (runtime
 * upgrade) and 17 (out-of-band change) of scenarios.md, in that order, on one application.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileDigest } from '../../src/adapters/artifacts/digest.js';
import { ensureInspector } from 'msf-flink-runtime';
import type { Plan } from '../../src/model/plan.js';
import type { StatusReport } from '../../src/controller/queries/status.js';
import { createStream, jar, json, recordsAfter, restoredFrom, startE2E, type E2E } from './support/e2e.js';

let e: E2E;
const jars: Record<string, string> = {};

beforeAll(async () => {
  [jars.baseline, jars.window20, jars.wrongMain, jars.baseline120] = await Promise.all([
    jar('baseline'),
    jar('window-20s'),
    jar('wrong-main-class'),
    jar('baseline', '1.20'),
  ]);
  // Every code change is inspected before it is planned: build the inspectors up front, not inside a test.
  await Promise.all([ensureInspector('FLINK-1_19'), ensureInspector('FLINK-1_20')]);
  e = await startE2E();
  await createStream(e.kinesis, 'ExampleOutputStream');
});

afterAll(async () => {
  await e?.close();
});

const status = async () => json<StatusReport>(await e.run('status', '--json'));

describe('deploying stock-prices with msfctl', () => {
  it('1: creates, uploads the JAR once, starts; data flows; the ledger records version 1', async () => {
    e.writeSpec({ code: { jar: jars.baseline } });
    const plan = await e.run('plan', '--detailed-exitcode');
    expect(plan.code, plan.stderr).toBe(2);
    const started = Date.now();
    const applied = await e.run('apply', '--auto-approve');
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(applied.stdout.match(/Uploaded JAR sha256:/g)).toHaveLength(1);
    expect(await status()).toMatchObject({ status: 'RUNNING', versionId: 1, runtime: 'FLINK-1_19' });
    const records = await recordsAfter(e.kinesis, 'ExampleOutputStream', started - 10_000, 2);
    expect(new Set(records.map((r) => r.ticker)).size).toBeGreaterThan(1);
    const ledger = e.ledger();
    expect(ledger.entries).toHaveLength(1);
    expect(ledger.entries[0]).toMatchObject({
      kind: 'apply',
      outcome: 'succeeded',
      versionAfter: 1,
      artifact: { sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
    expect(ledger.lastGood?.versionId).toBe(1);
    // Nothing changed: nothing to do, nothing uploaded.
    const again = await e.run('apply', '--auto-approve');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Nothing to do');
    expect(again.stdout).not.toContain('Uploaded');
  });

  it('2: a code change restarts with a snapshot and restores the state', async () => {
    e.writeSpec({ code: { jar: jars.window20 } });
    const plan = json<Plan>(await e.run('plan', '--json'));
    expect(plan.actions).toHaveLength(1);
    expect(plan.actions[0]).toMatchObject({
      type: 'update',
      kinds: ['code'],
      effect: { restart: true, snapshot: true, state: 'restored' },
    });
    const human = await e.run('plan');
    expect(human.stdout).toContain('update: code change');
    expect(human.stdout).toContain('restart · snapshot taken · state restored');
    const applied = await e.run('apply', '--auto-approve');
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    // Windows (processing time, stamped with their start) that start after the update come from the new job only.
    const updated = Date.now();
    expect(await status()).toMatchObject({ status: 'RUNNING', versionId: 2, snapshots: { count: 1 } });
    expect(await restoredFrom(e.kda)).toMatchObject({ is_savepoint: true });
    // The new code runs: 20-second windows.
    const records = await recordsAfter(e.kinesis, 'ExampleOutputStream', updated, 2);
    expect(records.every((r) => r.eventTime % 20_000 === 0)).toBe(true);
  });

  it('6: a config change (log level ERROR → INFO) makes a new version with no state loss', async () => {
    e.writeSpec({
      code: { jar: jars.window20 },
      monitoring: { logLevel: 'INFO', metricsLevel: 'APPLICATION' },
    });
    const plan = json<Plan>(await e.run('plan', '--json'));
    expect(plan.changes.map((c) => [c.field, c.before, c.after])).toEqual([
      ['monitoring.logLevel', 'ERROR', 'INFO'],
    ]);
    expect(plan.actions[0]).toMatchObject({ kinds: ['config'], effect: { state: 'restored' } });
    const applied = await e.run('apply', '--auto-approve');
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(await status()).toMatchObject({ status: 'RUNNING', versionId: 3 });
    expect(await restoredFrom(e.kda)).toMatchObject({ is_savepoint: true });
  });

  it('9: scales 1 → 2 keeping state; a parallelism over the KPU quota is refused at plan time', async () => {
    e.writeSpec({
      code: { jar: jars.window20 },
      monitoring: { logLevel: 'INFO' },
      parallelism: { parallelism: 2, perKpu: 1, autoscaling: false },
    });
    const plan = json<Plan>(await e.run('plan', '--json'));
    expect(plan.actions[0]).toMatchObject({ kinds: ['scale'], effect: { kpus: { before: 1, after: 2 } } });
    const applied = await e.run('apply', '--auto-approve');
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(await status()).toMatchObject({
      status: 'RUNNING',
      versionId: 4,
      parallelism: { current: 2, kpus: 2 },
    });
    expect(await restoredFrom(e.kda)).toMatchObject({ is_savepoint: true });

    e.writeSpec({
      code: { jar: jars.window20 },
      monitoring: { logLevel: 'INFO' },
      parallelism: { parallelism: 65, perKpu: 1, autoscaling: false },
    });
    const refused = await e.run('plan');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(
      'parallelism 65 at 1 per KPU needs ⌈65 ÷ 1⌉ = 65 KPUs, over the quota of 64 KPUs per application',
    );
    const refusedApply = await e.run('apply', '--auto-approve');
    expect(refusedApply.code).toBe(1);
    expect(await status()).toMatchObject({ versionId: 4, parallelism: { current: 2 } });
  });

  it('4: after a deploy whose code cannot start (left READY by onFailure: none), the fix starts it again', async () => {
    const spec = {
      monitoring: { logLevel: 'INFO' },
      parallelism: { parallelism: 2, perKpu: 1, autoscaling: false },
    };
    e.writeSpec({ ...spec, code: { jar: jars.wrongMain } });
    const failed = await e.run('apply', '--auto-approve', '--on-failure', 'none');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(
      "The program's entry point class 'com.example.stockprices.NoSuchJob' was not found",
    );
    expect(failed.stderr).toContain('is left READY (onFailure: none)');
    // The service leaves a failed update READY; msfctl was told to leave it so.
    expect(await status()).toMatchObject({ status: 'READY' });
    e.writeSpec({ ...spec, code: { jar: jars.window20 } });
    const plan = json<Plan>(await e.run('plan', '--json'));
    expect(plan.actions.map((a) => a.type)).toEqual(['update', 'start']);
    expect(plan.actions[1]).toMatchObject({ type: 'start', reason: 'running: true' });
    const fixed = await e.run('apply', '--auto-approve');
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
    const s = await status();
    expect(s.status).toBe('RUNNING');
    expect(s.code?.sha256).toBe((await fileDigest(jars.window20!)).sha256);
    expect(await restoredFrom(e.kda)).toMatchObject({ is_savepoint: true });
  });

  it("12: upgrades the runtime FLINK-1_19 → FLINK-1_20 in place, restoring from the old version's snapshot", async () => {
    e.writeSpec({
      runtime: 'FLINK-1_20',
      code: { jar: jars.baseline120 },
      monitoring: { logLevel: 'INFO' },
      parallelism: { parallelism: 2, perKpu: 1, autoscaling: false },
    });
    const plan = json<Plan>(await e.run('plan', '--json'));
    expect(plan.actions[0]).toMatchObject({
      type: 'update',
      kinds: ['runtime', 'code'],
      effect: { state: 'restored' },
    });
    const applied = await e.run('apply', '--auto-approve');
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(await status()).toMatchObject({ status: 'RUNNING', runtime: 'FLINK-1_20' });
    expect(await restoredFrom(e.kda)).toMatchObject({ is_savepoint: true });
  });

  it('17: an AWS CLI update-application shows up in plan as exactly that drift', async () => {
    const before = await status();
    await promisify(execFile)(
      'aws',
      [
        '--endpoint-url',
        e.server.url,
        '--region',
        'us-east-1',
        'kinesisanalyticsv2',
        'update-application',
        '--application-name',
        'stock-prices',
        '--current-application-version-id',
        String(before.versionId),
        '--application-configuration-update',
        JSON.stringify({
          FlinkApplicationConfigurationUpdate: {
            MonitoringConfigurationUpdate: {
              ConfigurationTypeUpdate: 'CUSTOM',
              LogLevelUpdate: 'WARN',
              MetricsLevelUpdate: 'APPLICATION',
            },
          },
        }),
      ],
      { env: { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_PAGER: '' } },
    );
    const plan = await e.run('plan', '--json', '--detailed-exitcode');
    expect(plan.code).toBe(2);
    const value = json<Plan>(plan);
    expect(value.drift.changes.map((c) => [c.field, c.before, c.after])).toEqual([
      ['monitoring.logLevel', 'INFO', 'WARN'],
    ]);
    expect(value.drift.operations.map((o) => o.operation)).toEqual(['UpdateApplication']);
    expect(value.changes.map((c) => c.field)).toEqual(['monitoring.logLevel']);
  });
});
