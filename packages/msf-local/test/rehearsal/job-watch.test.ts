import { describe, expect, it } from 'vitest';

import type { FlinkRestClient, JobDetails } from '../../src/flink/flink-rest-client.js';
import { watchRestoredJob } from '../../src/rehearsal/job-watch.js';

/**
 * The watch's rules on a scripted Flink REST client (the Flink tests cover the real answers; these cover the
 * branches a real job rarely takes: no checkpoint, a job's own restart strategy, a restore that never ends).
 */

const RESTORED = { id: 1, restore_timestamp: 1, is_savepoint: true, external_path: 'file:/s/savepoint-1' };

interface Script {
  state?: (call: number) => JobDetails['state'];
  tasks?: (call: number) => Partial<Record<string, number>>;
  completed?: (call: number) => number;
  restarts?: (call: number) => number;
}

function fakeClient(script: Script): { client: FlinkRestClient; triggered: number } {
  let call = 0;
  const fake = {
    triggered: 0,
    client: {
      async job(): Promise<JobDetails> {
        call += 1;
        return {
          jid: 'j',
          name: 'job',
          state: script.state?.(call) ?? 'RUNNING',
          'start-time': 0,
          duration: 0,
          timestamps: {},
          vertices: [
            {
              id: 'v1',
              name: 'counter -> sink',
              parallelism: 2,
              status: 'RUNNING',
              tasks: script.tasks?.(call) ?? { RUNNING: 2 },
            },
          ],
        };
      },
      async checkpoints() {
        return {
          counts: {
            restored: 1,
            total: 0,
            in_progress: 0,
            completed: script.completed?.(call) ?? 1,
            failed: 0,
          },
          latest: { restored: RESTORED, failed: null },
        };
      },
      async jobMetrics() {
        return [{ id: 'numRestarts', value: String(script.restarts?.(call) ?? 0) }];
      },
      async exceptions() {
        return {
          exceptionHistory: {
            truncated: false,
            entries: [
              {
                exceptionName: 'java.lang.IllegalStateException',
                stacktrace: 'java.lang.IllegalStateException: boom\n\tat a.B.c(B.java:1)',
                timestamp: 1,
                taskName: 'counter -> sink (2/2)#1',
              },
            ],
          },
        };
      },
      async triggerCheckpoint() {
        fake.triggered += 1;
        return 'trigger';
      },
    } as unknown as FlinkRestClient,
  };
  return fake;
}

const watch = (client: FlinkRestClient, overrides: { windowMs?: number; deadline?: number } = {}) =>
  watchRestoredJob({
    client,
    jobId: 'j',
    windowMs: overrides.windowMs ?? 300,
    deadline: overrides.deadline ?? Date.now() + 10_000,
    signal: new AbortController().signal,
    progress: () => undefined,
    pollMs: 10,
  });

describe('watchRestoredJob', () => {
  it('passes once every subtask runs and a checkpoint completed by the end of the window', async () => {
    const fake = fakeClient({
      tasks: (call) => (call < 3 ? { INITIALIZING: 1, RUNNING: 1 } : { RUNNING: 2 }),
    });
    const outcome = await watch(fake.client);
    expect(outcome.failure).toBeUndefined();
    expect(outcome).toMatchObject({ checkpointsCompleted: 1, restarts: 0, restoredFrom: '/s/savepoint-1' });
    expect(outcome.windowMs).toBeGreaterThanOrEqual(300);
  });

  it('no checkpoint: one is triggered at mid-window, and none completing fails the rehearsal', async () => {
    const fake = fakeClient({ completed: () => 0 });
    const outcome = await watch(fake.client);
    expect(fake.triggered).toBe(1);
    expect(outcome.failure).toMatchObject({ kind: 'no-checkpoint', phase: 'window' });
  });

  it("a restart under the job's own restart strategy fails the rehearsal with the exception and its task", async () => {
    const fake = fakeClient({ restarts: (call) => (call > 4 ? 1 : 0) });
    const outcome = await watch(fake.client, { windowMs: 5_000 });
    expect(outcome.failure).toMatchObject({
      kind: 'other',
      phase: 'window',
      rootCause: 'java.lang.IllegalStateException: boom StackTrace: at a.B.c(B.java:1)',
      operator: { vertexId: 'v1', vertexName: 'counter -> sink', taskName: 'counter -> sink (2/2)#1' },
    });
    expect(outcome.restarts).toBe(1);
  });

  it('a restore that does not end by the deadline: timeout, with the tasks still restoring', async () => {
    const fake = fakeClient({ tasks: () => ({ INITIALIZING: 2 }) });
    const outcome = await watch(fake.client, { deadline: Date.now() + 100 });
    expect(outcome.failure).toMatchObject({ kind: 'timeout', phase: 'restore' });
    expect(outcome.failure!.message).toBe(
      "the job did not restore its state within the rehearsal's time limit (job RUNNING; counter -> sink: 2 INITIALIZING)",
    );
  });
});
