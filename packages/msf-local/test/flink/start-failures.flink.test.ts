import { promises as fs } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { JobStartFailure } from '../../src/control-plane/job-runtime.js';
import { FlinkJobRuntime } from '../../src/flink/index.js';
import { countFilePath, scratchDir, testJobLaunch, waitForCount } from '../fixtures/flink-launch.js';
import { buildTestJobs, type TestJobJars } from '../fixtures/test-jobs.js';

// Jobs Flink refuses to start: the failure carries Flink's own text in MSF's ErrorString form, and the
// application's cluster JVM is released.
describe('FlinkJobRuntime start failures (FLINK-1_19)', () => {
  let root: string;
  let jobs: TestJobJars;
  let runtime: FlinkJobRuntime;
  /** A savepoint of the counter job (state in operators `ticks` and `counter`) at count `count`. */
  let snapshot: { path: string; count: number };

  const startFailure = async (
    app: string,
    jar: string,
    restore?: { snapshotPath: string; allowNonRestoredState: boolean },
  ) => {
    const failure = await runtime.start(testJobLaunch(root, app, jar, restore ? { restore } : {})).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(JobStartFailure);
    expect(await runtime.observe(app)).toEqual({ state: 'NONE', allTasksRunning: false, restarts: 0 });
    expect(runtime.clusterPids()[app]).toBeUndefined();
    return (failure as JobStartFailure).message;
  };

  beforeAll(async () => {
    jobs = await buildTestJobs();
    root = await scratchDir('start-failures');
    runtime = new FlinkJobRuntime();
    await runtime.start(testJobLaunch(root, 'source', jobs.counter));
    await waitForCount(countFilePath(root, 'source'), 5);
    const path = await runtime.stopWithSnapshot('source');
    snapshot = { path, count: (await waitForCount(countFilePath(root, 'source'), 5)).count };
  });

  afterAll(async () => {
    await runtime?.close();
    if (root) await fs.rm(root, { recursive: true, force: true });
  });

  it('entry class not in the jar', async () => {
    expect(await startFailure('bad-entry', jobs.badEntry)).toMatch(
      /^org\.apache\.flink\.client\.program\.ProgramInvocationException: The program's entry point class 'msflocal\.testjobs\.NoSuchJob' was not found in the jar file\. StackTrace: at org\.apache\.flink\./,
    );
  });

  it('exception in main()', async () => {
    expect(await startFailure('fail-in-main', jobs.failInMain)).toMatch(
      /^java\.lang\.IllegalStateException: msf-local test job fails in main\(\) on purpose StackTrace: at msflocal\.testjobs\.TestJob\.run\(TestJob\.java:\d+\)/,
    );
  });

  const cannotMap =
    /^java\.lang\.IllegalStateException: Failed to rollback to checkpoint\/savepoint file:\S+savepoint-[0-9a-f-]+\. Cannot map checkpoint\/savepoint state for operator [0-9a-f]{32} to the new program, because the operator is not available in the new program\./;

  it('stateful operator removed: refused without allowNonRestoredState, started with it', async () => {
    expect(
      await startFailure('removed', jobs.counterRemoved, {
        snapshotPath: snapshot.path,
        allowNonRestoredState: false,
      }),
    ).toMatch(cannotMap);

    await runtime.start(
      testJobLaunch(root, 'removed', jobs.counterRemoved, {
        restore: { snapshotPath: snapshot.path, allowNonRestoredState: true },
      }),
    );
    expect((await runtime.observe('removed')).state).toBe('RUNNING');
    const written = await waitForCount(countFilePath(root, 'removed'), 1);
    expect(written.variant).toBe('COUNTER_REMOVED');
    await runtime.cancel('removed');
  });

  it('uid renamed: refused without allowNonRestoredState; with it the counter starts over', async () => {
    expect(
      await startFailure('renamed', jobs.counterRenamed, {
        snapshotPath: snapshot.path,
        allowNonRestoredState: false,
      }),
    ).toMatch(cannotMap);

    await runtime.start(
      testJobLaunch(root, 'renamed', jobs.counterRenamed, {
        restore: { snapshotPath: snapshot.path, allowNonRestoredState: true },
      }),
    );
    const written = await waitForCount(countFilePath(root, 'renamed'), 1);
    expect(written.variant).toBe('COUNTER_RENAMED');
    expect(written.startedFrom).toBe(1); // the `counter` state had nowhere to go
    await runtime.cancel('renamed');
  });

  it('a savepoint that does not exist', async () => {
    expect(
      await startFailure('missing', jobs.counter, {
        snapshotPath: `${root}/no-such-savepoint`,
        allowNonRestoredState: false,
      }),
    ).toMatch(/^java\.io\.FileNotFoundException: .*no-such-savepoint.* StackTrace: at /);
  });
});
