/** Turns AWS SDK errors into MsfctlErrors that say what happened and what to do next. */
import { MsfctlError } from '../../model/errors.js';

interface SdkError {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
  $fault?: string;
}

export function awsErrorName(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? (error as SdkError).name : undefined;
}

/** Network errors that mean the endpoint cannot be reached at all. */
const UNREACHABLE = [
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
];

export const SNAPSHOT_IMPOSSIBLE = /Failed to take snapshot/i;

/** `what` names the call in the message, e.g. "UpdateApplication on stock-prices". */
export function translateAwsError(error: unknown, what: string): Error {
  if (MsfctlError.is(error)) return error;
  const e = (error ?? {}) as SdkError;
  const name = e.name ?? 'Error';
  const message = e.message ?? String(error);
  const details = { awsError: name, requestId: e.$metadata?.requestId, status: e.$metadata?.httpStatusCode };
  if (
    name === 'CredentialsProviderError' ||
    /Could not load credentials|Token is expired|SSO session/i.test(message)
  ) {
    return new MsfctlError('CREDENTIALS', `No usable AWS credentials for ${what}: ${message}`, {
      hint: 'Set AWS_PROFILE (or --profile), run `aws sso login`, or export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY. For msf-local use target: local.',
      cause: error,
      details,
    });
  }
  if (/Region is missing/i.test(message)) {
    return new MsfctlError('USAGE', `${what}: no AWS region is set.`, {
      hint: 'Give --region, set target.region in the spec, export AWS_REGION, or set a region in your AWS profile.',
      cause: error,
    });
  }
  const code = (error as { code?: unknown }).code;
  if (
    (typeof code === 'string' && UNREACHABLE.includes(code)) ||
    UNREACHABLE.includes(name) ||
    new RegExp(UNREACHABLE.join('|')).test(message)
  ) {
    return new MsfctlError('AWS', `${what}: cannot connect to the endpoint (${message}).`, {
      hint: 'Check --endpoint-url / target.endpoint. For msf-local, `msfctl local status` tells whether it runs.',
      cause: error,
      details,
    });
  }
  // Something answered, but not in the shape of any AWS API error (a web server, another service's port).
  if ((name === 'Unknown' || name === 'UnknownError') && e.$metadata?.httpStatusCode !== undefined) {
    return new MsfctlError(
      'AWS',
      `${what}: the endpoint answered HTTP ${e.$metadata.httpStatusCode}, which is not an AWS API response.`,
      {
        hint: 'Check that --endpoint-url / target.endpoint / AWS_ENDPOINT_URL points at MSF (or msf-local), not at another service.',
        cause: error,
        details,
      },
    );
  }
  switch (name) {
    case 'ResourceNotFoundException':
      return new MsfctlError('APP_NOT_FOUND', `${what}: ${message}`, { cause: error, details });
    case 'ResourceInUseException':
      // The service uses the same error for a name that is taken (an application, a snapshot).
      if (/already exists/i.test(message)) {
        return new MsfctlError('USAGE', `${what}: ${message}`, {
          hint: 'Choose another name, or delete the existing one first (`msfctl snapshot list` / `msfctl status` show what exists).',
          cause: error,
          details,
        });
      }
      return new MsfctlError('APP_BUSY', `${what}: ${message}`, {
        hint: 'The application is not in a status that allows this; `msfctl status` shows its status and last operation.',
        cause: error,
        details,
      });
    case 'ConcurrentModificationException':
      return new MsfctlError('PLAN_STALE', `${what}: the application changed meanwhile (${message}).`, {
        hint: 'Someone else updated it. Run `msfctl plan` again to see the current state.',
        cause: error,
        details,
      });
    case 'InvalidApplicationConfigurationException':
      if (SNAPSHOT_IMPOSSIBLE.test(message)) {
        return new MsfctlError('SNAPSHOT', `${what}: the service cannot take a snapshot: ${message}`, {
          hint: 'The job is failing (see `msfctl status`). `msfctl stop --force` stops it without a snapshot; then apply again (it starts from the latest snapshot).',
          cause: error,
          details,
        });
      }
      break;
    case 'LimitExceededException':
      return new MsfctlError('QUOTA_EXCEEDED', `${what}: ${message}`, { cause: error, details });
  }
  return new MsfctlError('AWS', `${what} failed: ${name}: ${message}`, { cause: error, details });
}
