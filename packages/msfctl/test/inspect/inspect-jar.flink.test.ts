import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { inspectJar, readSnapshotState } from '../../src/adapters/inspector/inspect-jar.js';
import { InspectionError } from '../../src/adapters/inspector/inspector-process.js';
import { operatorIdFromUid } from '../../src/adapters/inspector/operator-id.js';
import { canUseNetworkNamespace } from '../../src/adapters/inspector/sandbox.js';
import { savepointOfSavepointJob, testJobsJar } from './fixtures.js';

let jar: string;
let cacheDir: string;

beforeAll(async () => {
  jar = await testJobsJar('1.19.3');
  cacheDir = await mkdtemp(join(tmpdir(), 'msfctl-inspect-cache-'));
});
afterAll(async () => {
  await rm(cacheDir, { recursive: true, force: true });
});

const byName = <T extends { name: string }>(ops: T[], name: string): T => {
  const found = ops.find((o) => o.name === name);
  if (!found) throw new Error(`no operator ${name} in ${ops.map((o) => o.name).join(', ')}`);
  return found;
};

describe('inspectJar', () => {
  describe('sandbox', () => {
    let server: Server;
    let port: number;
    let accepted = 0;

    beforeAll(async () => {
      server = createServer((socket) => {
        accepted++;
        socket.destroy();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as { port: number }).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('runs main() with the given property groups and without network access', async () => {
      // Reachable from outside the sandbox: the probe must fail only because of the sandbox.
      await new Promise<void>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.destroy();
          resolve();
        });
        socket.on('error', reject);
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const acceptedBefore = accepted;
      const inspection = await inspectJar({
        jarPath: jar,
        runtime: 'FLINK-1_20',
        properties: [
          {
            PropertyGroupId: 'Probe',
            PropertyMap: { host: '127.0.0.1', port: String(port), windowUid: 'window-from-properties' },
          },
        ],
        timeoutMs: 60_000,
      });
      const names = inspection.operators.map((o) => o.name);
      expect(names).toContain('Source: groups=Probe');
      expect(byName(inspection.operators, 'window').uid).toBe('window-from-properties');
      const probe = names.find((n) => n.startsWith('socket='));
      if ((await canUseNetworkNamespace()) === true) {
        expect(inspection.sandbox).toBe('network-namespace');
        expect(probe).toBe('socket=blocked channel=blocked dns=blocked');
      } else {
        expect(inspection.sandbox).toBe('jvm-guards');
        expect(probe).toMatch(/^socket=blocked channel=\w+ dns=blocked$/);
      }
      if (inspection.sandbox === 'network-namespace') expect(accepted).toBe(acceptedBefore);
    });
  });

  it('describes every operator with its ids, parallelism and state on Flink 2.2', async () => {
    const { operators, job } = await inspectJar({
      jarPath: jar,
      runtime: 'FLINK-2_2',
      entryClass: 'msfctl.inspectorjobs.ShapesJob',
      parallelism: 2,
      timeoutMs: 60_000,
    });
    expect(job.mainClass).toBe('msfctl.inspectorjobs.ShapesJob');
    const ticks = byName(operators, 'Source: ticks');
    expect(ticks).toMatchObject({
      uid: 'ticks',
      operatorId: operatorIdFromUid('ticks'),
      state: 'stateful',
      parallelism: 2,
    });
    expect(byName(operators, 'format')).toMatchObject({ uid: null, state: 'stateless' });
    expect(byName(operators, 'format').operatorId).toMatch(/^[0-9a-f]{32}$/);
    expect(byName(operators, 'checkpointed-map').stateReasons.join()).toContain('CheckpointedFunction');
    expect(byName(operators, 'broadcast').stateReasons.join()).toContain('broadcast state');
    expect(byName(operators, 'async').stateReasons.join()).toContain('async I/O');
    expect(byName(operators, 'keyed')).toMatchObject({ keyed: true, state: 'stateful', maxParallelism: 256 });
    expect(byName(operators, 'hashed')).toMatchObject({
      userHash: '0123456789abcdef0123456789abcdef',
      userDefinedOperatorId: '0123456789abcdef0123456789abcdef',
    });
    expect(byName(operators, 'discard: Writer').state).toBe('stateless');
    // Chained operators share their head's vertex.
    expect(new Set(operators.map((o) => o.vertexId)).size).toBeLessThan(operators.length);
  });

  it('reads the Flink version the JAR was built against', async () => {
    const inspection = await inspectJar({ jarPath: jar, runtime: 'FLINK-1_19', timeoutMs: 60_000 });
    expect(inspection.flinkVersion).toMatchObject({
      version: '1.19.3',
      line: '1.19',
      ambiguous: false,
      basis: 'build-metadata',
    });
    expect(inspection.flinkVersion.source).toBe('manifest attribute Flink-Version');
    expect(inspection.inspectorFlinkVersion).toBe('1.19.3');
  });

  it('caches results by JAR digest, runtime and inputs', async () => {
    const options = {
      jarPath: jar,
      runtime: 'FLINK-1_19',
      entryClass: 'msfctl.inspectorjobs.ShapesJob',
      cacheDir,
      timeoutMs: 60_000,
    };
    const cold = await inspectJar(options);
    const warm = await inspectJar(options);
    expect(cold.fromCache).toBe(false);
    expect(warm.fromCache).toBe(true);
    expect(warm.operators).toEqual(cold.operators);
    expect(warm.jarSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(warm.durationMs).toBeLessThan(cold.durationMs);
    const otherParallelism = await inspectJar({ ...options, parallelism: 3 });
    expect(otherParallelism.fromCache).toBe(false);
    const otherRuntime = await inspectJar({ ...options, runtime: 'FLINK-1_20' });
    expect(otherRuntime.fromCache).toBe(false);
    console.log(`inspectJar timings: cold ${cold.durationMs} ms, cached ${warm.durationMs} ms`);
  });

  it('ends a main() that never reaches execute() at the timeout', async () => {
    const started = Date.now();
    const error = await inspectJar({
      jarPath: jar,
      runtime: 'FLINK-1_20',
      entryClass: 'msfctl.inspectorjobs.BlockingMainJob',
      timeoutMs: 3_000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InspectionError);
    expect((error as InspectionError).kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('names a main() that calls System.exit or throws', async () => {
    const exit = await inspectJar({
      jarPath: jar,
      runtime: 'FLINK-1_20',
      entryClass: 'msfctl.inspectorjobs.ExitInMainJob',
      timeoutMs: 30_000,
    }).catch((e: unknown) => e);
    expect(exit).toMatchObject({ kind: 'program-exit' });
    const missing = await inspectJar({
      jarPath: jar,
      runtime: 'FLINK-1_20',
      entryClass: 'no.such.Main',
      timeoutMs: 30_000,
    }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(InspectionError);
    expect((missing as InspectionError).message).toContain('no.such.Main');
  });

  it('refuses a runtime it cannot inspect and a missing JAR', async () => {
    await expect(inspectJar({ jarPath: jar, runtime: 'FLINK-1_15' })).rejects.toThrow(/FLINK-1_15/);
    await expect(inspectJar({ jarPath: '/nonexistent.jar', runtime: 'FLINK-1_20' })).rejects.toThrow(
      /nonexistent\.jar/,
    );
  });
});

describe('readSnapshotState', () => {
  it('lists which OperatorIDs of a real savepoint carry state', async () => {
    const path = await savepointOfSavepointJob('FLINK-1_20', '1.19.3', cacheDir);
    for (const runtime of ['FLINK-1_20', 'FLINK-2_2'] as const) {
      const snapshot = await readSnapshotState({ snapshotPath: path, runtime, timeoutMs: 60_000 });
      const state = Object.fromEntries(snapshot.operators.map((o) => [o.operatorId, o]));
      expect(state[operatorIdFromUid('ticks')]).toMatchObject({
        hasState: true,
        coordinatorState: true,
        maxParallelism: 128,
      });
      expect(state[operatorIdFromUid('counter')]?.hasState).toBe(true);
      expect(state[operatorIdFromUid('keyed-unused')]?.hasState).toBe(true);
      expect(state[operatorIdFromUid('noop')]?.hasState).toBe(false);
      expect(state[operatorIdFromUid('discard')]?.hasState).toBe(false);
      expect(snapshot.checkpointId).toBeGreaterThan(0);
    }
    // Flink 2.x writes operator names and uids into the metadata as well.
    const path22 = await savepointOfSavepointJob('FLINK-2_2', '1.19.3', cacheDir);
    const snapshot22 = await readSnapshotState({
      snapshotPath: path22,
      runtime: 'FLINK-2_2',
      timeoutMs: 60_000,
    });
    expect(snapshot22.operators.find((o) => o.uid === 'counter')).toMatchObject({
      name: 'counter',
      operatorId: operatorIdFromUid('counter'),
      hasState: true,
    });
    const missing = await readSnapshotState({
      snapshotPath: '/nonexistent/savepoint',
      runtime: 'FLINK-1_20',
    }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(InspectionError);
  });
});
