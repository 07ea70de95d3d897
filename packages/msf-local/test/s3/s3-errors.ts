import { expect } from 'vitest';

/** What the SDK threw: its error name (the S3 error code), HTTP status and parsed extra fields. */
export interface CaughtError {
  name: string;
  status?: number;
  message: string;
  error: Record<string, unknown>;
}

export async function caught(promise: Promise<unknown>): Promise<CaughtError> {
  try {
    await promise;
  } catch (error) {
    const e = error as Error & { $metadata?: { httpStatusCode?: number } };
    return {
      name: e.name,
      status: e.$metadata?.httpStatusCode,
      message: e.message,
      error: e as unknown as Record<string, unknown>,
    };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** Asserts the call fails with S3 error `code` and HTTP `status`. */
export async function expectS3Error(
  promise: Promise<unknown>,
  code: string,
  status: number,
): Promise<CaughtError> {
  const e = await caught(promise);
  expect({ name: e.name, status: e.status }).toEqual({ name: code, status });
  return e;
}
