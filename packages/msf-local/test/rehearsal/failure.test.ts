import { describe, expect, it } from 'vitest';

import { classifyFailure } from '../../src/rehearsal/failure.js';

// Flink's texts, shortened (frames cut) from real answers of java/flink-host on 1.19.3 and 2.2.1; the kinds the
// Flink tests cannot provoke cheaply (class not found, Kryo, parallelism above max) follow Flink's wording.
const ID = '0da08f51eaa85fc298e176a139b3649a';
const VERTICES = [
  { id: '46114d370e18a7da1e4362472aa88fba', name: 'Source: ticks' },
  { id: ID, name: 'counter -> count-file -> discard: Writer' },
];
const chain = (...causes: string[]): string =>
  causes.map((cause, i) => `${i ? 'Caused by: ' : ''}${cause}\n\tat a.B.c(B.java:${i + 1})`).join('\n');

describe('classifyFailure', () => {
  it('missing operator: the operator ID from "Cannot map checkpoint/savepoint state"', () => {
    const failure = classifyFailure([
      chain(
        'org.apache.flink.runtime.rest.handler.RestHandlerException: Could not execute application.',
        "org.apache.flink.client.program.ProgramInvocationException: The main method caused an error: Failed to execute job 'x'.",
        'org.apache.flink.runtime.client.JobInitializationException: Could not start the JobMaster.',
        `java.lang.IllegalStateException: Failed to rollback to checkpoint/savepoint file:/s. Cannot map checkpoint/savepoint state for operator ${ID} to the new program, because the operator is not available in the new program. If you want to allow to skip this, you can set the --allowNonRestoredState option on the CLI.`,
      ),
    ]);
    expect(failure).toMatchObject({ kind: 'missing-operator', operator: { operatorId: ID } });
    expect(failure.rootCause).toMatch(/^java\.lang\.IllegalStateException: Failed to rollback/);
  });

  it('max parallelism changed, and a parallelism above the restored max parallelism', () => {
    expect(
      classifyFailure(
        chain(
          `java.lang.IllegalStateException: Failed to rollback to checkpoint/savepoint Checkpoint Metadata. Max parallelism mismatch between checkpoint/savepoint state and new program. Cannot map operator ${ID} with max parallelism 128 to new program with max parallelism 64. This indicates that the program has been changed in a non-compatible way after the checkpoint/savepoint.`,
        ),
      ),
    ).toMatchObject({ kind: 'max-parallelism', operator: { operatorId: ID } });
    const tooLow = classifyFailure(
      chain(
        `java.lang.IllegalStateException: The state for task ${ID} can not be restored. The maximum parallelism (128) of the restored state is lower than the configured parallelism (130). Please reduce the parallelism of the task to be lower or equal to the maximum parallelism.`,
      ),
    );
    expect(tooLow).toMatchObject({ kind: 'max-parallelism', operator: { vertexId: ID } });
    expect(tooLow.message).toBe(
      `task ${ID} is to run with parallelism 130, above the max parallelism 128 its state was taken with`,
    );
  });

  it('serializer incompatibility in open(): the task from the exception history, its vertex from the job', () => {
    const failure = classifyFailure(
      chain(
        'org.apache.flink.runtime.JobException: Recovery is suppressed by NoRestartBackoffTimeStrategy',
        'java.lang.RuntimeException: Error while getting state',
        'org.apache.flink.util.StateMigrationException: For heap backends, the new state serializer (org.apache.flink.api.common.typeutils.base.StringSerializer@1) must not be incompatible with the old state serializer (org.apache.flink.api.common.typeutils.base.LongSerializer@2).',
      ),
      { taskName: 'counter -> count-file -> discard: Writer (1/1) - execution #0', vertices: VERTICES },
    );
    expect(failure).toEqual({
      kind: 'serializer-incompatible',
      message: expect.stringMatching(
        /^state \(task 'counter -> count-file -> discard: Writer'\) cannot be restored with the new job's types \(same operator and state name, changed type\): org\.apache\.flink\.util\.StateMigrationException: For heap backends/,
      ),
      rootCause: expect.stringMatching(
        /^org\.apache\.flink\.util\.StateMigrationException: .* StackTrace: at a\.B\.c/,
      ),
      operator: {
        taskName: 'counter -> count-file -> discard: Writer (1/1)',
        vertexName: 'counter -> count-file -> discard: Writer',
        vertexId: ID,
      },
    });
  });

  it('a state backend that cannot read its state back: serializer incompatibility, operator ID and class from Flink', () => {
    const failure = classifyFailure(
      chain(
        'java.lang.Exception: Exception while creating StreamOperatorStateContext.',
        `org.apache.flink.util.FlinkException: Could not restore keyed state backend for WindowOperator_${ID}_(1/2) from any of the 1 provided restore options.`,
        'org.apache.flink.runtime.state.BackendBuildingException: Failed when trying to restore heap backend',
        'com.esotericsoftware.kryo.KryoException: Encountered unregistered class ID: 13994',
      ),
    );
    expect(failure).toMatchObject({
      kind: 'serializer-incompatible',
      operator: { operatorId: ID, operatorClass: 'WindowOperator' },
    });
    expect(failure.rootCause).toMatch(
      /^com\.esotericsoftware\.kryo\.KryoException: Encountered unregistered class ID/,
    );
  });

  it('a class the new JAR lacks, also under a state restore: class-not-found', () => {
    expect(
      classifyFailure(
        chain(
          `org.apache.flink.util.FlinkException: Could not restore keyed state backend for KeyedProcessOperator_${ID}_(1/1) from any of the 1 provided restore options.`,
          'java.io.IOException: Could not find class msflocal.Gone in classpath.',
          'java.lang.ClassNotFoundException: msflocal.Gone',
        ),
      ),
    ).toMatchObject({ kind: 'class-not-found', operator: { operatorId: ID } });
    expect(
      classifyFailure(
        "org.apache.flink.client.program.ProgramInvocationException: The program's entry point class 'a.NoSuchJob' was not found in the jar file.",
      ).kind,
    ).toBe('class-not-found');
  });

  it("main() threw before submitting: job-failed-to-start with main()'s exception", () => {
    const failure = classifyFailure([
      chain(
        'org.apache.flink.runtime.rest.handler.RestHandlerException: Could not execute application.',
        'org.apache.flink.client.program.ProgramInvocationException: The main method caused an error: boom',
        'java.lang.IllegalStateException: boom',
      ),
    ]);
    expect(failure).toMatchObject({
      kind: 'job-failed-to-start',
      message: "the job's main() threw: java.lang.IllegalStateException: boom",
    });
  });

  it('anything else: other, with the root cause', () => {
    const failure = classifyFailure(
      chain(
        'org.apache.flink.runtime.JobException: Recovery is suppressed by NoRestartBackoffTimeStrategy',
        'software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException: Stream x under account 000000000000 not found.',
      ),
      { taskName: 'Source: ticks (1/1)', vertices: VERTICES },
    );
    expect(failure).toMatchObject({
      kind: 'other',
      operator: { vertexId: VERTICES[0]!.id, vertexName: 'Source: ticks' },
    });
    expect(failure.message).toMatch(
      /^the job failed \(task 'Source: ticks'\): software\.amazon\.awssdk\..*ResourceNotFoundException/,
    );
  });
});
