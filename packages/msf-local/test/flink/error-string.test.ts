import { describe, expect, it } from 'vitest';

import { toErrorString } from '../../src/flink/error-string.js';

// Shapes of Flink 1.19's REST answers, shortened (frames cut) from real responses of java/flink-host.
const BAD_ENTRY = [
  'Internal server error.',
  "<Exception on server side:\njava.util.concurrent.CompletionException: org.apache.flink.client.program.ProgramInvocationException: The program's entry point class 'a.NoSuchJob' was not found in the jar file.\n\tat org.apache.flink.runtime.webmonitor.handlers.utils.JarHandlerUtils$JarHandlerContext.toPackagedProgram(JarHandlerUtils.java:192)\nCaused by: org.apache.flink.client.program.ProgramInvocationException: The program's entry point class 'a.NoSuchJob' was not found in the jar file.\n\tat org.apache.flink.client.program.PackagedProgram.loadMainClass(PackagedProgram.java:481)\n\t... 2 more\nCaused by: java.lang.ClassNotFoundException: a.NoSuchJob\n\tat java.base/java.net.URLClassLoader.findClass(URLClassLoader.java:445)\n\t... 3 more\n\nEnd of exception on server side>",
];

const CANNOT_MAP = [
  'org.apache.flink.runtime.rest.handler.RestHandlerException: Could not execute application.\n\tat org.apache.flink.runtime.webmonitor.handlers.JarRunHandler.lambda$handleRequest$1(JarRunHandler.java:114)\nCaused by: org.apache.flink.runtime.client.JobInitializationException: Could not start the JobMaster.\n\tat org.apache.flink.runtime.jobmaster.DefaultJobMasterServiceProcess.lambda$new$0(DefaultJobMasterServiceProcess.java:97)\nCaused by: java.util.concurrent.CompletionException: java.lang.IllegalStateException: Failed to rollback to checkpoint/savepoint file:/s/savepoint-1. Cannot map checkpoint/savepoint state for operator 0da08f51eaa85fc298e176a139b3649a to the new program, because the operator is not available in the new program.\n\tat java.base/java.util.concurrent.CompletableFuture.encodeThrowable(CompletableFuture.java:315)\nCaused by: java.lang.IllegalStateException: Failed to rollback to checkpoint/savepoint file:/s/savepoint-1. Cannot map checkpoint/savepoint state for operator 0da08f51eaa85fc298e176a139b3649a to the new program, because the operator is not available in the new program.\n\tat org.apache.flink.runtime.checkpoint.Checkpoints.throwNonRestoredStateException(Checkpoints.java:266)\n\t... 3 more\n',
];

describe('toErrorString', () => {
  it("names Flink's explanation of a missing entry class, not the wrappers around it", () => {
    expect(toErrorString(BAD_ENTRY)).toBe(
      "org.apache.flink.client.program.ProgramInvocationException: The program's entry point class 'a.NoSuchJob' was not found in the jar file. StackTrace: at org.apache.flink.client.program.PackagedProgram.loadMainClass(PackagedProgram.java:481) ... 2 more",
    );
  });

  it('names the root cause of a restore failure first, so it survives the 512-character cut', () => {
    const text = toErrorString(CANNOT_MAP);
    expect(text).toMatch(
      /^java\.lang\.IllegalStateException: Failed to rollback to checkpoint\/savepoint file:\/s\/savepoint-1\. Cannot map checkpoint\/savepoint state for operator 0da08f51eaa85fc298e176a139b3649a to the new program/,
    );
    expect(text).toContain(
      ' StackTrace: at org.apache.flink.runtime.checkpoint.Checkpoints.throwNonRestoredStateException',
    );
  });

  it('unwraps a CompletionException that is itself the root', () => {
    expect(
      toErrorString(
        'java.util.concurrent.CompletionException: java.io.IOException: disk full\n\tat a.B.c(B.java:1)',
      ),
    ).toBe('java.io.IOException: disk full StackTrace: at a.B.c(B.java:1)');
  });

  it('keeps a message that spans several lines', () => {
    expect(toErrorString('java.lang.RuntimeException: line one\nline two\n\tat a.B.c(B.java:1)')).toBe(
      'java.lang.RuntimeException: line one line two StackTrace: at a.B.c(B.java:1)',
    );
  });

  it('returns text that is no stack trace unchanged', () => {
    expect(toErrorString('  something odd  ')).toBe('something odd');
  });
});
