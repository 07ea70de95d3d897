/**
 * The controller on real Flink: a spec with `reconcile: auto`, a 20 s snapshot schedule and `retention: keep 2`.
 * The controller (the msfctl binary, one process) creates and starts the job, takes scheduled snapshots and
 * prunes them, never the newest READY one; SIGTERM stops it cleanly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ControllerReport } from '../../src/model/controller-report.js';
import { MSFCTL_BIN } from '../harness/msfctl-cli.js';
import { createStream, jar, json, startE2E, type E2E } from './support/e2e.js';

let e: E2E;
let child: ChildProcess | undefined;
let log = '';

beforeAll(async () => {
  const baseline = await jar('baseline');
  e = await startE2E();
  await createStream(e.kinesis, 'ExampleOutputStream');
  e.writeSpec({
    code: { jar: baseline },
    reconcile: 'auto',
    snapshots: { schedule: 'every 20s', retention: { keep: 2 } },
  });
});

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null && child.pid)
    process.kill(child.pid, 'SIGKILL');
  await e?.close();
});

/** The snapshots the controller recorded as scheduled (none before its first apply wrote the ledger). */
function scheduledSnapshots() {
  try {
    return e.ledger().snapshots.filter((s) => s.reason === 'controller: scheduled snapshot');
  } catch {
    return [];
  }
}

interface SnapshotList {
  snapshots: { name: string; status: string }[];
}

describe('msfctl controller on Flink', () => {
  it('a 20 s schedule: creates snapshots on schedule and prunes them to the retention', async () => {
    child = spawn(
      process.execPath,
      [
        MSFCTL_BIN,
        'controller',
        e.dir,
        '--interval',
        '2s',
        '--lease',
        '10s',
        '--http',
        '127.0.0.1:0',
        '--no-color',
      ],
      {
        cwd: e.dir,
        env: { ...process.env, NO_COLOR: '1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout!.on('data', (c: Buffer) => (log += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (log += c.toString()));
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));

    const deadline = Date.now() + 400_000;
    const url = await (async () => {
      for (;;) {
        const m = /serving (http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(log);
        if (m) return m[1]!;
        if (Date.now() > deadline) throw new Error(`no HTTP address:\n${log}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    // Three scheduled snapshots and at least one prune: with keep 2, the oldest was deleted.
    for (;;) {
      const scheduled = scheduledSnapshots();
      if (scheduled.length >= 3 && /pruned \d+ snapshot/.test(log)) break;
      if (Date.now() > deadline) throw new Error(`timed out; controller log:\n${log}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
    const report = (await (await fetch(`${url}/status`)).json()) as ControllerReport;
    const app = report.applications.find((a) => a.application === 'stock-prices')!;
    expect(app.status).toBe('RUNNING');
    expect(app.lastSnapshot).toBeDefined();
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/msfctl_application_last_snapshot_age_seconds\{application="stock-prices"\} \d/);

    process.kill(child.pid!, 'SIGTERM');
    expect(await exited).toBe(0);
    const left = json<SnapshotList>(await e.run('snapshot', 'list', '--json')).snapshots;
    const ready = left.filter((s) => s.status === 'READY');
    expect(ready.length).toBeGreaterThanOrEqual(1);
    expect(ready.length).toBeLessThanOrEqual(2);
    // The newest scheduled snapshot is one of those kept.
    const newest = scheduledSnapshots()
      .sort((x, y) => x.takenAt.localeCompare(y.takenAt))
      .at(-1)!;
    expect(ready.map((s) => s.name)).toContain(newest.name);
    expect(log).toMatch(/stock-prices: applied: create \+ start|stock-prices: applied: create/);
  });
});
