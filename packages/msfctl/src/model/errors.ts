/**
 * Every failure msfctl reports is an MsfctlError: a stable code (for `--json` and tests), a message that says
 * what happened, and a hint that says what to do next. Guards use the code, not `instanceof`, so they keep
 * working across duplicated module copies.
 */

export type ErrorCode =
  | 'SPEC_NOT_FOUND'
  | 'SPEC_INVALID'
  | 'TFVARS_INVALID'
  | 'USAGE'
  | 'CREDENTIALS'
  | 'AWS'
  | 'APP_NOT_FOUND'
  | 'APP_BUSY'
  | 'NOT_RUNNING'
  | 'PLAN_STALE'
  | 'PLAN_INVALID'
  | 'PLAN_REFUSED'
  | 'QUOTA_EXCEEDED'
  | 'CONFIRMATION_REQUIRED'
  | 'ABORTED'
  | 'OPERATION_FAILED'
  | 'TIMEOUT'
  | 'LOCK_HELD'
  | 'LOCK_LOST'
  | 'STATE'
  | 'ARTIFACT'
  | 'BUILD_FAILED'
  | 'LOCAL_RUNTIME'
  | 'SNAPSHOT'
  /** An application's logs cannot be read: no logging option, or its log group or stream does not exist. */
  | 'LOGS'
  /** A bug: an unexpected error, kept to its application's row in a fleet run. */
  | 'INTERNAL';

export interface ErrorOptions {
  hint?: string;
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class MsfctlError extends Error {
  override readonly name = 'MsfctlError';
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.details = options.details;
  }

  static is(error: unknown, code?: ErrorCode): error is MsfctlError {
    return (
      typeof error === 'object' &&
      error !== null &&
      (error as { name?: unknown }).name === 'MsfctlError' &&
      (code === undefined || (error as { code?: unknown }).code === code)
    );
  }

  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      hint: this.hint,
      ...(this.details ? { details: this.details } : {}),
    };
  }
}

/** The lock is held by someone else; `holder` says who, since when, doing what. */
export interface LockHolder {
  id: string;
  who: string;
  operation: string;
  createdAt: string;
  expiresAt: string;
  pid?: number;
  host?: string;
}

export function lockHeldError(application: string, holder: LockHolder): MsfctlError {
  return new MsfctlError(
    'LOCK_HELD',
    `Application ${application} is locked by ${holder.who} (${holder.operation}, since ${holder.createdAt}, lock ID ${holder.id}).`,
    {
      hint: `Wait for it to finish. If that process is gone, run: msfctl force-unlock ${holder.id}`,
      details: { holder },
    },
  );
}
