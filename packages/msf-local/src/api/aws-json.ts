/**
 * AWS JSON 1.0/1.1 protocol edges: the operation from X-Amz-Target, the body as JSON, and answers in the
 * shape every SDK parses — errors as {"__type","message"} with X-Amzn-ErrorType and the request id.
 */
import { ServiceError } from '../control-plane/errors.js';
import type { ServiceRequest, ServiceResponse } from '../server/service.js';
import { header } from '../server/service.js';
import { parseJsonSafely, UnsafeInputError } from './safe-input.js';
import { serializationError } from './shape.js';

export function operationOf(req: ServiceRequest, targetPrefix: string): string | undefined {
  const target = header(req, 'x-amz-target');
  return target?.startsWith(`${targetPrefix}.`) ? target.slice(targetPrefix.length + 1) : undefined;
}

export function parseJsonBody(req: ServiceRequest): Record<string, unknown> {
  const text = req.body.toString('utf8').trim();
  if (text === '') return {};
  let value: unknown;
  try {
    value = parseJsonSafely(text);
  } catch (error) {
    if (error instanceof UnsafeInputError) throw serializationError(error.message);
    throw serializationError(
      'Start of structure or map found where not expected, or the body is not valid JSON.',
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw serializationError('The request body must be a JSON object.');
  }
  return value as Record<string, unknown>;
}

export function jsonResponse(body: unknown, contentType: string): ServiceResponse {
  return { status: 200, headers: { 'content-type': contentType }, body: JSON.stringify(body ?? {}) };
}

export function jsonError(
  error: unknown,
  contentType: string,
  extraHeaders: Record<string, string> = {},
): ServiceResponse {
  const serviceError = ServiceError.is(error)
    ? error
    : new ServiceError(
        'InternalFailure',
        `msf-local internal error: ${(error as Error)?.message ?? error}`,
        500,
      );
  return {
    status: serviceError.status,
    headers: { 'content-type': contentType, 'x-amzn-errortype': serviceError.code, ...extraHeaders },
    // Both spellings: the model names the member Message (message for TooManyTagsException).
    body: JSON.stringify({
      __type: serviceError.code,
      message: serviceError.message,
      Message: serviceError.message,
    }),
  };
}
