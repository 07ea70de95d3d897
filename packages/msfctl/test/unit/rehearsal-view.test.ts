/** The rehearsal in a plan, as people read it: what was restored, how long, checkpoints, the verdict. */
import { describe, expect, it } from 'vitest';
import { createStyle } from '../../src/adapters/io/style.js';
import { rehearsalLines } from '../../src/cli/views/rehearsal-view.js';
import type { Plan } from '../../src/model/plan.js';
import type { RehearsalReport } from '../../src/model/rehearsal.js';

const plain = createStyle(false);
const plan = (rehearsal?: RehearsalReport) =>
  ({ preflight: rehearsal ? { rehearsal } : {} }) as unknown as Plan;

const ran: RehearsalReport = {
  rehearsed: true,
  mode: 'auto',
  passed: true,
  state: {
    source: 'fresh',
    snapshot: 'msfctl-rehearsal-20261206-235959',
    sizeBytes: 2048,
    files: 3,
    fetchMs: 1200,
    exportedTo: 's3://artifacts/msfctl/rehearsals/app/x/op-1/',
  },
  runtime: 'FLINK-1_19',
  flinkVersion: '1.19.1',
  parallelism: 2,
  allowNonRestoredState: false,
  windowSeconds: 30,
  checkpointsCompleted: 14,
  restarts: 0,
  durationMs: 41_000,
  timings: { clusterBootMs: 3100, submitMs: 1800, restoreMs: 1500, windowMs: 30_000 },
  cleanedUp: ['3 scratch objects under s3://artifacts/msfctl/rehearsals/app/x/'],
};

describe('rehearsal view', () => {
  it('a passed rehearsal: the state restored, the steps, checkpoints and restarts, what was cleaned up', () => {
    expect(rehearsalLines(plan(ran), plain)).toEqual([
      '',
      'Rehearsal: passed (41s: sandbox 3s, submit 2s, restore 2s, window 30s)',
      '  restored a fresh snapshot msfctl-rehearsal-20261206-235959 (2048 bytes in 3 files), fetched in 1s, exported to s3://artifacts/msfctl/rehearsals/app/x/op-1/',
      '  into the new job on Flink 1.19.1 (FLINK-1_19), parallelism 2, AllowNonRestoredState false',
      '  14 checkpoints completed, 0 restarts, window 30s',
      '  removed afterwards: 3 scratch objects under s3://artifacts/msfctl/rehearsals/app/x/',
    ]);
  });

  it('a failed one names the operator, the kind of break and Flink’s root cause (without its stack trace)', () => {
    const lines = rehearsalLines(
      plan({
        ...ran,
        passed: false,
        failure: {
          kind: 'serializer-incompatible',
          phase: 'restore',
          message: 'the new state serializer cannot read the state',
          rootCause:
            'org.apache.flink.util.StateMigrationException: incompatible StackTrace: at x.y(Z.java:1)',
          operator: { uid: 'windowed-avg-price', name: 'windowed-avg-price', operatorId: 'ab'.repeat(16) },
        },
      }),
      plain,
    );
    expect(lines[1]).toMatch(/^Rehearsal: failed /);
    expect(lines).toContain(
      `  ✗ serializer-incompatible during restore, at uid windowed-avg-price, name windowed-avg-price, id ${'ab'.repeat(16)}: the new state serializer cannot read the state`,
    );
    expect(lines).toContain('    Flink: org.apache.flink.util.StateMigrationException: incompatible');
  });

  it('not run: says why; no report: nothing', () => {
    expect(rehearsalLines(plan({ rehearsed: false, mode: 'off', note: '--no-rehearse' }), plain)).toEqual([
      '',
      'Rehearsal: not run: --no-rehearse',
    ]);
    expect(rehearsalLines(plan(), plain)).toEqual([]);
  });
});
