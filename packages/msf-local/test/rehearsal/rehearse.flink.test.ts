/**
 * The deploy rehearsal on real Flink 1.19: a savepoint of the running counter job (taken through msf-local's
 * Flink driver), restored by each kind of new job in its own sandbox. Every rehearsal must leave nothing behind:
 * no child process, no sandbox directory, no listening port.
 */
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { FlinkJobRuntime } from '../../src/flink/index.js';
import { rehearse, RehearsalError, type RehearsalOptions, type RehearsalResult } from '../../src/index.js';
import {
  countFilePath,
  readCountFile,
  scratchDir,
  testJobLaunch,
  waitForCount,
} from '../fixtures/flink-launch.js';
import { buildTestJobs, type TestJobJars } from '../fixtures/test-jobs.js';

/** OperatorID of uid `counter` (Flink's StreamGraphHasherV2: murmur3_128 of the uid). */
const COUNTER_ID = '0da08f51eaa85fc298e176a139b3649a';

let root: string;
let jobs: TestJobJars;
/** A savepoint of the counter job at count `count`. */
let source: { savepoint: string; count: number; files: string[] };
/** This test process's children before any rehearsal (none expected, but the check is against this). */
let baseline: string[];

beforeAll(async () => {
  jobs = await buildTestJobs();
  root = await scratchDir('rehearsal');
  const runtime = new FlinkJobRuntime({ clusterReuseGraceMs: 0 });
  try {
    await runtime.start(testJobLaunch(root, 'source', jobs.counter));
    await waitForCount(countFilePath(root, 'source'), 5);
    const savepoint = await runtime.stopWithSnapshot('source');
    const count = (await readCountFile(countFilePath(root, 'source')))!.count;
    source = { savepoint, count, files: await listTree(savepoint) };
  } finally {
    await runtime.close();
  }
  baseline = childProcesses();
});

afterAll(async () => {
  if (root) await fs.rm(root, { recursive: true, force: true });
});

afterEach(async () => {
  // Whatever a rehearsal did, it left nothing: no child process, no sandbox directory.
  expect(childProcesses()).toEqual(baseline);
  expect(await sandboxDirs()).toEqual([]);
  // …and the savepoint it restored is untouched.
  expect(await listTree(source.savepoint)).toEqual(source.files);
});

/** A rehearsal of the counter job's savepoint; the job writes its count to `<root>/<name>.json`. */
function rehearsal(
  name: string,
  jar: string,
  extra: Partial<RehearsalOptions> = {},
): Promise<RehearsalResult> {
  return rehearse({
    runtime: 'FLINK-1_19',
    jar,
    savepoint: source.savepoint,
    parallelism: 1,
    allowNonRestoredState: false,
    windowSeconds: 4,
    checkpointIntervalMs: 1000,
    propertyGroups: [
      { PropertyGroupId: 'TestJob', PropertyMap: { outputFile: path.join(root, `${name}.json`) } },
    ],
    log: () => undefined,
    ...extra,
  });
}

describe('rehearse (FLINK-1_19, counter job savepoint)', () => {
  it('the same job passes: every task runs, its keyed state is restored (the count continues), checkpoints complete', async () => {
    const steps: string[] = [];
    const result = await rehearsal('same', jobs.counter, {
      windowSeconds: 6,
      parallelismPerKpu: 1,
      onProgress: (event) => steps.push(event.step),
    });
    expect(result.failure).toBeUndefined();
    expect(result).toMatchObject({
      passed: true,
      runtime: 'FLINK-1_19',
      flinkVersion: '1.19.3',
      restoredFrom: source.savepoint,
      parallelism: 1,
      parallelismPerKpu: 1,
      allowNonRestoredState: false,
      restarts: 0,
      streams: [],
      blockedConnections: [],
      savepoint: { path: source.savepoint, files: source.files.length, metadataVersion: 4, operators: 4 },
    });
    expect(result.savepoint.sizeBytes).toBeGreaterThan(0);
    expect(result.checkpointsCompleted).toBeGreaterThanOrEqual(1);
    expect(result.tasks.map((task) => [task.name, task.status])).toEqual([
      ['Source: ticks', 'RUNNING'],
      ['counter -> count-file -> discard: Writer', 'RUNNING'],
    ]);
    expect(result.tasks[1]!.id).toBe(COUNTER_ID);
    // The keyed count went on from the savepoint's.
    const written = (await readCountFile(path.join(root, 'same.json')))!;
    expect(written.startedFrom).toBe(source.count + 1);
    expect(written.count).toBeGreaterThan(source.count + 1);

    const t = result.timings;
    expect(t.windowMs).toBeGreaterThanOrEqual(6000);
    for (const step of [t.clusterBootMs, t.submitMs!, t.restoreMs!, t.teardownMs])
      expect(step).toBeGreaterThan(0);
    expect(t.kinesisMs).toBeUndefined(); // no stream named: no kinesis-local
    expect(t.totalMs).toBe(result.durationMs);
    expect(t.totalMs).toBeGreaterThanOrEqual(t.clusterBootMs + t.submitMs! + t.restoreMs! + t.windowMs!);
    expect(new Set(steps)).toEqual(
      new Set(['prepare', 'sandbox', 'submit', 'restore', 'window', 'teardown']),
    );
  });

  it('a runtime upgrade: the FLINK-1_19 savepoint restored on FLINK-2_2 passes, the count continues', async () => {
    const result = await rehearsal('upgrade', jobs.counter, { runtime: 'FLINK-2_2' });
    expect(result.failure).toBeUndefined();
    expect(result).toMatchObject({ passed: true, flinkVersion: '2.2.1', restoredFrom: source.savepoint });
    expect(result.checkpointsCompleted).toBeGreaterThanOrEqual(1);
    expect((await readCountFile(path.join(root, 'upgrade.json')))!.startedFrom).toBe(source.count + 1);
  });

  it('a count kept as a String instead of a Long: serializer incompatibility in the counter task', async () => {
    const result = await rehearsal('string-count', jobs.counterStringCount);
    expect(result.passed).toBe(false);
    expect(result.failure).toMatchObject({
      kind: 'serializer-incompatible',
      phase: 'restore',
      operator: {
        vertexId: COUNTER_ID,
        vertexName: 'counter -> count-file -> discard: Writer',
        taskName: 'counter -> count-file -> discard: Writer (1/1)',
      },
    });
    expect(result.failure!.rootCause).toMatch(
      /^org\.apache\.flink\.util\.StateMigrationException: For heap backends, the new state serializer \(org\.apache\.flink\.api\.common\.typeutils\.base\.StringSerializer@\w+\) must not be incompatible with the old state serializer \(org\.apache\.flink\.api\.common\.typeutils\.base\.LongSerializer@\w+\)\. StackTrace: at /,
    );
    expect(result.failure!.flinkError).toContain('msflocal.testjobs.CounterStringCount.open');
    expect(result.restoredFrom).toBe(source.savepoint);
  });

  it("a POJO field whose type changed: serializer incompatibility, Flink's operator ID named", async () => {
    const result = await rehearsal('pojo-changed', jobs.counterPojoChanged);
    expect(result.failure).toMatchObject({
      kind: 'serializer-incompatible',
      phase: 'restore',
      operator: { operatorId: COUNTER_ID, operatorClass: 'KeyedProcessOperator', vertexId: COUNTER_ID },
    });
    expect(result.failure!.rootCause).toMatch(
      /^java\.lang\.IllegalArgumentException: Can not set java\.lang\.String field msflocal\.testjobs\.stats\.CounterStats\.lastTick to java\.lang\.Long/,
    );
    expect(result.failure!.message).toContain(`operator ${COUNTER_ID}`);
  });

  it('a removed stateful operator: refused as missing-operator without AllowNonRestoredState, passes with it', async () => {
    const refused = await rehearsal('removed', jobs.counterRemoved);
    expect(refused.passed).toBe(false);
    expect(refused.failure).toMatchObject({
      kind: 'missing-operator',
      phase: 'submit',
      operator: { operatorId: COUNTER_ID },
    });
    expect(refused.failure!.rootCause).toMatch(
      /^java\.lang\.IllegalStateException: Failed to rollback to checkpoint\/savepoint \S+\. Cannot map checkpoint\/savepoint state for operator 0da08f51eaa85fc298e176a139b3649a to the new program/,
    );
    expect(refused.tasks).toEqual([]);

    // The savepoint as a promise (still being fetched while the sandbox boots).
    const later = new Promise<string>((resolve) => setTimeout(() => resolve(source.savepoint), 1_000));
    const allowed = await rehearsal('removed-anrs', jobs.counterRemoved, {
      allowNonRestoredState: true,
      savepoint: later,
    });
    expect(allowed.failure).toBeUndefined();
    expect(allowed).toMatchObject({
      passed: true,
      allowNonRestoredState: true,
      restoredFrom: source.savepoint,
    });
    expect(allowed.checkpointsCompleted).toBeGreaterThanOrEqual(1);
    expect((await readCountFile(path.join(root, 'removed-anrs.json')))!.variant).toBe('COUNTER_REMOVED');
  });

  it('another max parallelism: max-parallelism', async () => {
    const result = await rehearsal('max-parallelism', jobs.counterMaxParallelism);
    expect(result.failure).toMatchObject({
      kind: 'max-parallelism',
      phase: 'submit',
      operator: { operatorId: COUNTER_ID },
    });
    expect(result.failure!.message).toBe(
      `operator ${COUNTER_ID} has max parallelism 64 in the new job, but its state was taken with max parallelism 128`,
    );
  });

  it("a job whose main() throws: job-failed-to-start with main()'s exception", async () => {
    const result = await rehearsal('fail-in-main', jobs.failInMain);
    expect(result.failure).toMatchObject({ kind: 'job-failed-to-start', phase: 'submit' });
    expect(result.failure!.rootCause).toMatch(
      /^java\.lang\.IllegalStateException: msf-local test job fails in main\(\) on purpose StackTrace: at msflocal\.testjobs\.TestJob\.run/,
    );
  });

  it('a job whose main() never returns: fails as timeout within the time limit, the sandbox removed', async () => {
    const started = Date.now();
    const result = await rehearsal('hang', jobs.hangInMain, { timeoutMs: 20_000 });
    expect(result.failure).toMatchObject({ kind: 'timeout', phase: 'submit' });
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it('aborted while the job runs: rejects with the reason and removes everything, at once', async () => {
    const controller = new AbortController();
    let endpointUrl: string | undefined;
    const stale = path.join(os.tmpdir(), 'msf-local-rehearsal-999999999-stale');
    await fs.mkdir(stale, { recursive: true }); // a sandbox left by a killed process: swept by the next rehearsal
    const aborted = rehearsal('abort', jobs.counter, {
      windowSeconds: 600,
      signal: controller.signal,
      onProgress: (event) => {
        endpointUrl ??= /at (http:\/\/127\.0\.0\.1:\d+)/.exec(event.message)?.[1];
        if (event.step === 'restore' && event.message.startsWith('every task runs'))
          controller.abort(new Error('stop'));
      },
    });
    const started = Date.now();
    await expect(aborted).rejects.toThrow('stop');
    expect(Date.now() - started).toBeLessThan(300_000);
    await expect(fs.access(stale)).rejects.toThrow();
    // The private endpoint's port is closed.
    expect(endpointUrl).toBeDefined();
    await expect(fetch(endpointUrl!)).rejects.toThrow();
  });

  it('bad input is refused before anything starts', async () => {
    await expect(rehearsal('bad', jobs.counter, { parallelism: 0, windowSeconds: -1 })).rejects.toThrow(
      /^invalid rehearsal options: parallelism must be an integer from 1 to 256, got 0; windowSeconds must be an integer from 1 to 3600, got -1$/,
    );
    await expect(rehearsal('bad', jobs.counter, { savepoint: root })).rejects.toThrow(
      new RehearsalError(`savepoint ${root} has no _metadata file: not a Flink savepoint`),
    );
    await expect(rehearsal('bad', path.join(root, 'nope.jar'))).rejects.toThrow(/nope\.jar does not exist/);
    // A savepoint promise that fails: no verdict, and the JVM that was booting is gone (afterEach).
    await expect(
      rehearsal('bad', jobs.counter, { savepoint: Promise.reject(new Error('export failed')) }),
    ).rejects.toThrow(new RehearsalError('no savepoint to rehearse with: export failed'));
  });
});

async function listTree(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  const files = await Promise.all(
    entries
      .filter((entry) => entry.isFile())
      .map(async (entry) => {
        const file = path.join(entry.parentPath, entry.name);
        const stat = await fs.stat(file);
        return `${path.relative(dir, file)} ${stat.size} ${stat.mtimeMs}`;
      }),
  );
  return files.sort();
}

/** Child processes of this test process (the sandbox's JVM and kinesis-local would be). */
function childProcesses(): string[] {
  const out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !/^\d+\s+ps -o/.test(line));
}

async function sandboxDirs(): Promise<string[]> {
  return (await fs.readdir(os.tmpdir())).filter((name) =>
    name.startsWith(`msf-local-rehearsal-${process.pid}-`),
  );
}
