import { describe, expect, it } from 'vitest';
import type { PropertyGroup } from '../../src/control-plane/job-runtime.js';
import { jobAwsEnvironment, jobPropertyGroups } from '../../src/kinesis/index.js';

const settings = jobAwsEnvironment({ edgeUrl: 'http://127.0.0.1:4566/', region: 'eu-west-1' });

describe('jobAwsEnvironment', () => {
  it('points every AWS client of the job at the edge endpoint with dummy credentials', () => {
    expect(settings.environment).toMatchObject({
      AWS_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
      AWS_ACCESS_KEY_ID: expect.any(String),
      AWS_SECRET_ACCESS_KEY: expect.any(String),
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    expect(settings.systemProperties).toMatchObject({
      'aws.region': 'eu-west-1',
      'aws.endpointUrl': 'http://127.0.0.1:4566',
      'aws.accessKeyId': settings.environment.AWS_ACCESS_KEY_ID,
      'aws.secretAccessKey': settings.environment.AWS_SECRET_ACCESS_KEY,
    });
    expect(settings.clientProperties).toEqual({
      'aws.endpoint': 'http://127.0.0.1:4566',
      'aws.http.protocol.version': 'HTTP1_1',
    });
  });

  it('refuses an endpoint that is not plain HTTP', () => {
    expect(() => jobAwsEnvironment({ edgeUrl: 'https://127.0.0.1:4566', region: 'us-east-1' })).toThrow(
      /plain http/,
    );
  });
});

describe('jobPropertyGroups', () => {
  it("adds the endpoint to the seed's OutputStream0 and leaves other groups as configured", () => {
    const groups: PropertyGroup[] = [
      {
        PropertyGroupId: 'OutputStream0',
        PropertyMap: { 'stream.name': 'ExampleOutputStream', 'aws.region': 'us-east-1' },
      },
      { PropertyGroupId: 'App', PropertyMap: { 'log.level': 'INFO' } },
      {
        PropertyGroupId: 'Pinned',
        PropertyMap: { 'aws.region': 'us-east-1', 'aws.endpoint': 'http://elsewhere:1' },
      },
      {
        PropertyGroupId: 'Http2',
        PropertyMap: { 'aws.region': 'us-east-1', 'aws.http.protocol.version': 'HTTP2' },
      },
    ];
    const original = structuredClone(groups);
    expect(jobPropertyGroups(groups, settings)).toEqual([
      {
        PropertyGroupId: 'OutputStream0',
        PropertyMap: {
          'stream.name': 'ExampleOutputStream',
          'aws.region': 'us-east-1',
          'aws.endpoint': 'http://127.0.0.1:4566',
          'aws.http.protocol.version': 'HTTP1_1',
        },
      },
      { PropertyGroupId: 'App', PropertyMap: { 'log.level': 'INFO' } },
      {
        PropertyGroupId: 'Pinned',
        PropertyMap: { 'aws.region': 'us-east-1', 'aws.endpoint': 'http://elsewhere:1' },
      },
      {
        PropertyGroupId: 'Http2',
        PropertyMap: {
          'aws.region': 'us-east-1',
          'aws.endpoint': 'http://127.0.0.1:4566',
          'aws.http.protocol.version': 'HTTP1_1',
        },
      },
    ]);
    expect(groups).toEqual(original);
  });
});
