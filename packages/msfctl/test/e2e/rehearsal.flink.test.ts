/**
 * The deploy rehearsal and the state preflight through the msfctl binary on msf-local with real Flink (issue
 * 14), on one stock-prices application: a state type change with the same ids (accumulator-changed: the
 * window's accumulator counts in an Integer instead of a Long) is refused by the rehearsal with the operator
 * named while the running job keeps processing and the version stays; a compatible change (window-20s) passes
 * and deploys with its state; a property-driven uid rename and operator removal (group StockPrices) are refused
 * by the preflight. Rehearsal window 10 s to keep the run short.
 */
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { ensureInspector } from 'msf-flink-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusReport } from '../../src/controller/queries/status.js';
import type { Plan } from '../../src/model/plan.js';
import type { RehearsalReport } from '../../src/model/rehearsal.js';
import {
  CREDENTIALS,
  createStream,
  jar,
  json,
  recordsAfter,
  restoredFrom,
  startE2E,
  type E2E,
} from './support/e2e.js';

let e: E2E;
let s3: S3Client;
const jars: Record<string, string> = {};
const DEPLOY = { bakeSeconds: 0, rehearse: 'auto', rehearsalWindow: '10s' };
const OUTPUT = { 'stream.name': 'ExampleOutputStream', 'aws.region': 'us-east-1' };

beforeAll(async () => {
  [jars.baseline, jars.accumulatorChanged, jars.window20s] = await Promise.all([
    jar('baseline'),
    jar('accumulator-changed'),
    jar('window-20s'),
  ]);
  await ensureInspector('FLINK-1_19');
  e = await startE2E();
  s3 = new S3Client({
    endpoint: e.server.url,
    region: 'us-east-1',
    credentials: CREDENTIALS,
    forcePathStyle: true,
  });
  await createStream(e.kinesis, 'ExampleOutputStream');
  e.writeSpec({ code: { jar: jars.baseline }, deploy: DEPLOY });
  const applied = await e.run('apply', '--auto-approve');
  if (applied.code !== 0) throw new Error(`setup apply failed:\n${applied.stdout}\n${applied.stderr}`);
  // Some window state in the job before its state is rehearsed.
  await recordsAfter(e.kinesis, 'ExampleOutputStream', 0, 1);
});

afterAll(async () => {
  s3?.destroy();
  await e?.close();
});

const status = async () => json<StatusReport>(await e.run('status', '--json'));
const rehearsal = (plan: Plan) => plan.preflight?.rehearsal as RehearsalReport | undefined;

/** Nothing of a rehearsal stays: no scratch objects, no snapshot taken for it. */
async function nothingLeft(): Promise<void> {
  const scratch = await s3.send(
    new ListObjectsV2Command({ Bucket: 'stock-prices-artifacts', Prefix: 'msfctl/rehearsals/' }),
  );
  expect(scratch.Contents ?? []).toEqual([]);
  const snapshots = json<{ snapshots: { name: string }[] }>(await e.run('snapshot', 'list', '--json'));
  expect(snapshots.snapshots.map((s) => s.name)).not.toContainEqual(
    expect.stringMatching(/^msfctl-rehearsal-/),
  );
}

describe('deploy rehearsal of stock-prices with msfctl', () => {
  it('a state type change with the same ids is refused by the rehearsal, naming the operator; the job keeps running', async () => {
    const before = await status();
    e.writeSpec({ code: { jar: jars.accumulatorChanged }, deploy: DEPLOY });

    const planned = await e.run('plan', '--detailed-exitcode', '--json');
    expect(planned.code, planned.stderr).toBe(1);
    const report = rehearsal(json<Plan>(planned))!;
    expect(report).toMatchObject({
      rehearsed: true,
      passed: false,
      state: { source: 'fresh', snapshot: expect.stringMatching(/^msfctl-rehearsal-/) },
      failure: { kind: 'serializer-incompatible', operator: { uid: 'windowed-avg-price' } },
    });
    expect(report.failure!.rootCause).toBeTruthy();
    expect(json<Plan>(planned).findings).toContainEqual(
      expect.objectContaining({ severity: 'refusal', code: 'REHEARSAL_FAILED' }),
    );

    const applied = await e.run('apply', '--auto-approve');
    expect(applied.code).toBe(1);
    expect(applied.stdout + applied.stderr).toMatch(
      /rehearsal failed \(serializer incompatibility\) at operator windowed-avg-price/,
    );
    expect(applied.stdout).toContain('Rehearsal: failed');

    const after = await status();
    expect(after).toMatchObject({ status: 'RUNNING', versionId: before.versionId });
    await recordsAfter(e.kinesis, 'ExampleOutputStream', Date.now(), 2);
    expect(
      e
        .ledger()
        .entries.at(-1)
        ?.operations.map((o) => o.operation) ?? [],
    ).not.toContain('UpdateApplication');
    await nothingLeft();
  });

  it('a compatible change passes the rehearsal and deploys with its state', async () => {
    const before = await status();
    e.writeSpec({ code: { jar: jars.window20s }, deploy: DEPLOY });
    const applied = await e.run('apply', '--auto-approve', '--json');
    expect(applied.code, applied.stderr).toBe(0);
    const result = json<{ versionId: number; plan: Plan }>(applied);
    expect(rehearsal(result.plan)).toMatchObject({
      rehearsed: true,
      passed: true,
      restarts: 0,
      windowSeconds: 10,
      state: { source: 'fresh' },
    });
    expect(rehearsal(result.plan)!.checkpointsCompleted).toBeGreaterThan(0);
    expect(result.versionId).toBe(before.versionId! + 1);
    expect(await restoredFrom(e.kda)).toMatchObject({ is_savepoint: true });
    await nothingLeft();
  });

  it('a property-driven uid rename and operator removal are refused by the preflight', async () => {
    const before = await status();
    e.writeSpec({
      code: { jar: jars.window20s },
      deploy: DEPLOY,
      properties: { OutputStream0: OUTPUT, StockPrices: { 'window.uid': 'windowed-avg-price-v2' } },
    });
    const renamed = await e.run('plan', '--detailed-exitcode');
    expect(renamed.code, renamed.stderr).toBe(1);
    expect(renamed.stdout).toMatch(
      /state of windowed-avg-price will not be restored: its uid changed from "windowed-avg-price" to "windowed-avg-price-v2".*same JAR: the new properties build this job graph/,
    );
    expect(renamed.stdout).toContain('Rehearsal: not run: the plan is refused already');

    e.writeSpec({
      code: { jar: jars.window20s },
      deploy: DEPLOY,
      properties: { OutputStream0: OUTPUT, StockPrices: { 'window.enabled': 'false' } },
    });
    const removed = await e.run('apply', '--auto-approve');
    expect(removed.code).toBe(1);
    expect(removed.stdout + removed.stderr).toContain('stateful operator windowed-avg-price removed');
    expect(await status()).toMatchObject({ status: 'RUNNING', versionId: before.versionId });
  });
});
