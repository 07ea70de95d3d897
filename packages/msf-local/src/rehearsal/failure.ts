import { toErrorString } from '../flink/error-string.js';

/**
 * Why a rehearsal failed, read from Flink's own error text: the kind of break, the operator Flink names, and the
 * root cause in MSF's ErrorString form. The patterns are Flink's messages (1.19, 1.20 and 2.2 word them alike):
 *
 * - missing-operator: "Cannot map checkpoint/savepoint state for operator <id> to the new program, because the
 *   operator is not available in the new program" (restore without AllowNonRestoredState).
 * - max-parallelism: "Max parallelism mismatch … Cannot map operator <id> with max parallelism N to new program
 *   with max parallelism M", or "The state for task <id> can not be restored. The maximum parallelism (N) of the
 *   restored state is lower than the configured parallelism (M)".
 * - class-not-found: a ClassNotFoundException / NoClassDefFoundError (a serializer snapshot or the entry point
 *   names a class the new JAR lacks).
 * - serializer-incompatible: StateMigrationException, "new state serializer … must not be incompatible", a Kryo
 *   failure, or a state backend that fails to read the state back ("Could not restore keyed/operator state
 *   backend for <Operator>_<id>_…" caused by a deserialization error: a field whose type changed).
 * - job-failed-to-start: main() threw before the job was submitted ("The main method caused an error").
 * - other: anything else (the root cause says what).
 * `no-checkpoint` and `timeout` are decided by the rehearsal itself, not from a Flink error.
 */

export type RehearsalFailureKind =
  | 'missing-operator'
  | 'serializer-incompatible'
  | 'max-parallelism'
  | 'class-not-found'
  | 'job-failed-to-start'
  | 'no-checkpoint'
  | 'timeout'
  | 'other';

/** The operator as precisely as Flink names it. */
export interface RehearsalOperator {
  /**
   * Flink's OperatorID (32 hex digits) of the operator the failure is about, when Flink names it. For state of a
   * uid-ed operator it is the uid's hash (msfctl's jar-inspector maps it back to the uid).
   */
  operatorId?: string;
  /** The job vertex (task) that failed; its id is the OperatorID of the vertex's first (chain head) operator. */
  vertexId?: string;
  /** e.g. `counter -> count-file -> discard: Writer` (chained operators' names joined by ` -> `). */
  vertexName?: string;
  /** The failed subtask as Flink names it, e.g. `counter -> count-file -> discard: Writer (1/1)`. */
  taskName?: string;
  /** The operator class Flink names in a state backend failure, e.g. `KeyedProcessOperator`. */
  operatorClass?: string;
}

export interface ClassifiedFailure {
  kind: RehearsalFailureKind;
  /** One line: what broke and where. */
  message: string;
  /** The root cause as MSF's ErrorString: `<JavaExceptionClass>: <message> StackTrace: <trace>`. */
  rootCause: string;
  operator?: RehearsalOperator;
}

export interface VertexName {
  id: string;
  name: string;
}

const HEX_ID = '([0-9a-f]{32})';
const MISSING_OPERATOR = new RegExp(
  `Cannot map checkpoint/savepoint state for operator ${HEX_ID} to the new program, because the operator is not available in the new program`,
);
const MAX_PARALLELISM_CHANGED = new RegExp(
  `Cannot map operator ${HEX_ID} with max parallelism (\\d+) to new program with max parallelism (\\d+)`,
);
const MAX_PARALLELISM_TOO_LOW = new RegExp(
  `The state for task ${HEX_ID} can not be restored\\. The maximum parallelism \\((\\d+)\\) of the restored state is lower than the configured parallelism \\((\\d+)\\)`,
);
const CLASS_NOT_FOUND =
  /(?:java\.lang\.ClassNotFoundException|java\.lang\.NoClassDefFoundError|Unable to find class|The program's entry point class '[^']*' was not found)/;
const SERIALIZER =
  /(?:StateMigrationException|must not be incompatible with the old state serializer|serializer.{0,80}incompatible|com\.esotericsoftware\.kryo\.KryoException|Failed when trying to restore (?:heap|operator) backend|Could not restore (?:keyed|operator) state backend)/;
const STATE_BACKEND_OPERATOR = new RegExp(
  `Could not restore (?:keyed|operator) state backend for (\\w+)_${HEX_ID}_\\(\\d+/\\d+\\)`,
);
const MAIN_THREW = /ProgramInvocationException: The main method caused an error/;
const JOB_SUBMITTED = /Failed to execute job|JobInitializationException|JobExecutionException/;
const TASK_SUFFIX = /\s+\(\d+\/\d+\)(?:#\d+)?(?:\s+-\s+execution\s+#\d+)?$/;

/**
 * Classifies Flink's error text (a REST error's `errors[]`, or an exception-history entry's stack trace) of a job
 * restored from a savepoint. `taskName` is the failed task as the exception history names it; `vertices` are the job's.
 */
export function classifyFailure(
  flinkError: string | readonly string[],
  context: { taskName?: string | null; vertices?: readonly VertexName[] } = {},
): ClassifiedFailure {
  const rootCause = toErrorString(flinkError);
  const flinkText = typeof flinkError === 'string' ? flinkError : flinkError.join('\n');
  const operator = operatorOf(flinkText, context);
  const where = describe(operator);
  const root = rootCause.split(' StackTrace: ')[0] ?? rootCause;

  const missing = MISSING_OPERATOR.exec(flinkText);
  if (missing) {
    return {
      kind: 'missing-operator',
      message: `the savepoint has state for operator ${missing[1]}, which the new job does not have (restoring it needs AllowNonRestoredState, and drops that state)`,
      rootCause,
      operator: { operatorId: missing[1] },
    };
  }
  const changed = MAX_PARALLELISM_CHANGED.exec(flinkText);
  if (changed) {
    return {
      kind: 'max-parallelism',
      message: `operator ${changed[1]} has max parallelism ${changed[3]} in the new job, but its state was taken with max parallelism ${changed[2]}`,
      rootCause,
      operator: { operatorId: changed[1] },
    };
  }
  const tooLow = MAX_PARALLELISM_TOO_LOW.exec(flinkText);
  if (tooLow) {
    return {
      kind: 'max-parallelism',
      message: `task ${tooLow[1]} is to run with parallelism ${tooLow[3]}, above the max parallelism ${tooLow[2]} its state was taken with`,
      rootCause,
      operator: { vertexId: tooLow[1] },
    };
  }
  if (CLASS_NOT_FOUND.test(flinkText)) {
    return {
      kind: 'class-not-found',
      message: `a class is missing from the new JAR${where}: ${root}`,
      rootCause,
      ...(operator ? { operator } : {}),
    };
  }
  if (SERIALIZER.test(flinkText)) {
    return {
      kind: 'serializer-incompatible',
      message: `state${where} cannot be restored with the new job's types (same operator and state name, changed type): ${root}`,
      rootCause,
      ...(operator ? { operator } : {}),
    };
  }
  if (MAIN_THREW.test(flinkText) && !JOB_SUBMITTED.test(flinkText)) {
    return { kind: 'job-failed-to-start', message: `the job's main() threw: ${root}`, rootCause };
  }
  return {
    kind: 'other',
    message: `the job failed${where}: ${root}`,
    rootCause,
    ...(operator ? { operator } : {}),
  };
}

function operatorOf(
  flinkText: string,
  context: { taskName?: string | null; vertices?: readonly VertexName[] },
): RehearsalOperator | undefined {
  const operator: RehearsalOperator = {};
  const backend = STATE_BACKEND_OPERATOR.exec(flinkText);
  if (backend) {
    operator.operatorClass = backend[1];
    operator.operatorId = backend[2];
  }
  if (context.taskName) {
    operator.taskName = context.taskName.replace(/\s+-\s+execution\s+#\d+$/, '');
    const vertexName = context.taskName.replace(TASK_SUFFIX, '');
    const vertex = context.vertices?.find((candidate) => candidate.name === vertexName);
    operator.vertexName = vertexName;
    if (vertex) operator.vertexId = vertex.id;
  }
  return Object.keys(operator).length > 0 ? operator : undefined;
}

function describe(operator: RehearsalOperator | undefined): string {
  if (!operator) return '';
  const parts = [
    operator.operatorId && `operator ${operator.operatorId}`,
    operator.vertexName && `task '${operator.vertexName}'`,
  ].filter(Boolean);
  return parts.length ? ` (${parts.join(', ')})` : '';
}
