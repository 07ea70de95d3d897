/** SDK errors a user meets with a wrong endpoint or a taken name become messages that say what to fix. */
import { describe, expect, it } from 'vitest';
import { translateAwsError } from '../../src/adapters/aws/aws-errors.js';
import { resolveTarget } from '../../src/adapters/targets/target.js';
import type { MsfctlError } from '../../src/model/errors.js';

function sdkError(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 }, ...extra });
}

describe('translateAwsError', () => {
  it('a name already taken says to choose another, not that the application is busy', () => {
    const error = translateAwsError(
      sdkError('ResourceInUseException', 'Snapshot s1 already exists for application app.'),
      'CreateApplicationSnapshot s1',
    ) as MsfctlError;
    expect(error.code).toBe('USAGE');
    expect(error.hint).toContain('Choose another name');
  });

  it('a transient status is still "busy"', () => {
    const error = translateAwsError(
      sdkError('ResourceInUseException', 'Application app is UPDATING.'),
      'StopApplication app',
    ) as MsfctlError;
    expect(error.code).toBe('APP_BUSY');
    expect(error.hint).toContain('not in a status that allows this');
  });

  it.each(['ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET', 'ECONNREFUSED'])(
    '%s: cannot connect to the endpoint',
    (code) => {
      const error = translateAwsError(
        Object.assign(new Error(`connect ${code} host`), { code }),
        'DescribeApplication app',
      ) as MsfctlError;
      expect(error.message).toBe(
        `DescribeApplication app: cannot connect to the endpoint (connect ${code} host).`,
      );
      expect(error.hint).toContain('--endpoint-url');
    },
  );

  it('an answer that is no AWS error (another service on that port) names the HTTP status and the endpoint', () => {
    const error = translateAwsError(
      Object.assign(new Error('UnknownError'), { name: 'Unknown', $metadata: { httpStatusCode: 404 } }),
      'DescribeApplication app',
    ) as MsfctlError;
    expect(error.message).toBe(
      'DescribeApplication app: the endpoint answered HTTP 404, which is not an AWS API response.',
    );
    expect(error.hint).toContain('points at MSF (or msf-local)');
  });
});

describe('resolveTarget endpoint', () => {
  it('refuses an endpoint that is not an http(s) URL, naming where it came from', () => {
    expect(() => resolveTarget(undefined, { endpointUrl: 'notaurl' }, {})).toThrow(
      '--endpoint-url "notaurl" is not an http(s) URL.',
    );
    expect(() => resolveTarget(undefined, {}, { AWS_ENDPOINT_URL: '127.0.0.1:4577' })).toThrow(
      'AWS_ENDPOINT_URL "127.0.0.1:4577" is not an http(s) URL.',
    );
    expect(resolveTarget(undefined, { endpointUrl: 'http://127.0.0.1:4577' }, {}).endpoint).toBe(
      'http://127.0.0.1:4577',
    );
  });
});
