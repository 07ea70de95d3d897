/**
 * Turns the Java exception text Flink returns (REST `errors[]`, exception history, savepoint failure causes)
 * into MSF's `ErrorString` form, `<JavaExceptionClass>: <message> StackTrace: <trace>`, naming the exception that
 * says what went wrong: the root cause, not the wrappers (`RestHandlerException: Could not execute
 * application.`, `CompletionException`, …) around it.
 */

const SERVER_SIDE_PREFIX = '<Exception on server side:';
const SERVER_SIDE_SUFFIX = 'End of exception on server side>';

/** Exceptions that only wrap another; when such a one is the root, its message names the real exception. */
const WRAPPERS =
  /^(?:java\.util\.concurrent\.(?:CompletionException|ExecutionException)|java\.lang\.reflect\.InvocationTargetException)$/;

interface ThrowableText {
  header: string;
  frames: string[];
}

/** Formats Flink's error text (one or several Java stack traces) as an MSF ErrorString. */
export function toErrorString(flinkText: string | readonly string[]): string {
  const root = rootCause(typeof flinkText === 'string' ? flinkText : joinRestErrors(flinkText));
  if (!root) return typeof flinkText === 'string' ? flinkText.trim() : flinkText.join(' ').trim();
  const trace = root.frames.join(' ');
  return trace ? `${root.header} StackTrace: ${trace}` : root.header;
}

/** Flink's REST errors: drop the generic "Internal server error." and unwrap the server-side envelope. */
function joinRestErrors(errors: readonly string[]): string {
  return errors
    .filter((error) => error.trim() !== 'Internal server error.')
    .map((error) => {
      let text = error.trim();
      if (text.startsWith(SERVER_SIDE_PREFIX)) text = text.slice(SERVER_SIDE_PREFIX.length);
      if (text.endsWith(SERVER_SIDE_SUFFIX)) text = text.slice(0, -SERVER_SIDE_SUFFIX.length);
      return text.trim();
    })
    .join('\n');
}

function rootCause(text: string): ThrowableText | undefined {
  const chain = parseChain(text);
  let root = chain.at(-1);
  if (!root) return undefined;
  // A missing entry class: Flink's ProgramInvocationException explains the bare ClassNotFoundException below it.
  const parent = chain.at(-2);
  if (
    root.header.startsWith('java.lang.ClassNotFoundException') &&
    parent &&
    /ProgramInvocationException: /.test(parent.header)
  ) {
    root = parent;
  }
  // A wrapper as root (e.g. `CompletionException: x.y.SomeException: msg`): its message is the real exception.
  const wrapped = /^([\w.$]+): ([\w.$]+(?:Exception|Error|Throwable)(?::[\s\S]*)?)$/.exec(root.header);
  if (wrapped && WRAPPERS.test(wrapped[1] ?? ''))
    root = { header: wrapped[2] ?? root.header, frames: root.frames };
  return root;
}

/** Splits a printed Java stack trace into the throwable and its `Caused by:` chain. */
function parseChain(text: string): ThrowableText[] {
  const chain: ThrowableText[] = [];
  let current: ThrowableText | undefined;
  let inFrames = false;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (!line) continue;
    if (line.startsWith('Caused by: ')) {
      current = { header: line.slice('Caused by: '.length), frames: [] };
      chain.push(current);
      inFrames = false;
    } else if (/^at \S/.test(line) || /^\.\.\. \d+ more$/.test(line)) {
      if (!current) continue;
      current.frames.push(line);
      inFrames = true;
    } else if (line.startsWith('Suppressed: ')) {
      // A suppressed exception's frames follow; they are not part of the cause chain.
      inFrames = true;
    } else if (!current) {
      current = { header: line, frames: [] };
      chain.push(current);
    } else if (!inFrames) {
      current.header += ` ${line}`; // a message spanning several lines
    }
  }
  return chain;
}
