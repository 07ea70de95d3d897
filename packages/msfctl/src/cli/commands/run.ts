/**
 * Runs one command: builds the output host, calls the command body, turns errors into a message with a hint
 * (or a JSON error document with --json) and sets the exit code: 0 ok, 1 error, 2 "changes present"
 * (plan --detailed-exitcode).
 */
import { MsfctlError } from '../../model/errors.js';
import { translateAwsError } from '../../adapters/aws/aws-errors.js';
import type { IoHost } from '../../ports/io-host.js';
import {
  hostFor,
  openContext,
  type CommandContext,
  type ContextNeeds,
  type GlobalOptions,
} from './context.js';

export async function runCommand(
  options: GlobalOptions,
  body: (host: IoHost) => Promise<number | void>,
): Promise<void> {
  const host = hostFor(options);
  try {
    const code = await body(host);
    process.exitCode = code ?? 0;
  } catch (error) {
    reportError(host, error);
    process.exitCode = 1;
  }
}

/** `runCommand` with a command context opened first and closed afterwards: the shape of most commands. */
export function runWithContext(
  options: GlobalOptions,
  needs: ContextNeeds,
  body: (ctx: CommandContext, host: IoHost) => Promise<number | void>,
): Promise<void> {
  return runCommand(options, async (host) => {
    const ctx = await openContext(options, needs, host);
    try {
      return await body(ctx, host);
    } finally {
      ctx.close();
    }
  });
}

/** The context of the application a command names (APP argument), else the spec's. */
export function forApplication(app: string | undefined): ContextNeeds {
  return { spec: 'optional', ...(app ? { application: app } : {}) };
}

/** `forApplication` for a command that only reads: it never starts msf-local. */
export function readingApplication(app: string | undefined): ContextNeeds {
  return { ...forApplication(app), readOnly: true };
}

/** An AWS SDK error (a service answer or a network failure), as opposed to a bug in msfctl. */
function isAwsError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && ('$metadata' in error || '$fault' in error);
}

export function reportError(host: IoHost, error: unknown): void {
  // An AWS error no adapter translated is still an expected failure: a message and a hint, not a stack trace.
  const e = MsfctlError.is(error)
    ? error
    : isAwsError(error)
      ? (translateAwsError(error, 'An AWS call') as MsfctlError)
      : undefined;
  if (host.json) {
    host.result('', {
      ok: false,
      error: e ? e.toJSON() : { code: 'INTERNAL', message: (error as Error)?.message ?? String(error) },
    });
    return;
  }
  if (e) {
    host.notify({ level: 'error', code: `MSF_${e.code}`, text: e.message });
    if (e.hint) host.notify({ level: 'hint', code: `MSF_${e.code}_HINT`, text: e.hint });
    return;
  }
  host.notify({
    level: 'error',
    code: 'MSF_INTERNAL',
    text: `Unexpected error: ${(error as Error)?.stack ?? String(error)}`,
  });
  host.notify({
    level: 'hint',
    code: 'MSF_INTERNAL_HINT',
    text: 'This is a bug in msfctl; please report it with the command you ran.',
  });
}

/** Parses a positive integer option, or fails with a usage error naming the option. */
export function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1)
      throw new MsfctlError('USAGE', `${name} must be a positive integer (got ${value}).`);
    return n;
  };
}
