import { describe, expect, it } from 'vitest';

import { sandboxPropertyGroups, streamsNamedIn } from '../../src/rehearsal/sandbox-properties.js';
import { parseHeader } from '../../src/rehearsal/savepoint-info.js';
import { validateOptions } from '../../src/rehearsal/types.js';

const group = (PropertyGroupId: string, PropertyMap: Record<string, string>) => ({
  PropertyGroupId,
  PropertyMap,
});

describe('streamsNamedIn', () => {
  it('finds stream names and ARNs by key, with their regions, once each', () => {
    const named = streamsNamedIn(
      [
        group('OutputStream0', { 'stream.name': 'ExampleOutputStream', 'aws.region': 'eu-west-1' }),
        group('Input', {
          'input.stream.arn': 'arn:aws:kinesis:us-west-2:123456789012:stream/orders',
          InputStreamName: 'a, b',
          'stream.name.suffix': 'not-a-stream-key',
          'aws.region': 'not a region',
        }),
        group('Again', { 'stream.name': 'ExampleOutputStream', 'aws.region': 'eu-west-1' }),
      ],
      'us-east-1',
      ['extra'],
    );
    expect(named).toEqual({
      streams: [
        { name: 'ExampleOutputStream', region: 'eu-west-1', namedBy: 'OutputStream0.stream.name' },
        { name: 'orders', region: 'us-west-2', namedBy: 'Input.input.stream.arn' },
        { name: 'a', region: 'us-east-1', namedBy: 'Input.InputStreamName' },
        { name: 'b', region: 'us-east-1', namedBy: 'Input.InputStreamName' },
        { name: 'extra', region: 'us-east-1', namedBy: 'option' },
      ],
      accountId: '123456789012',
      skipped: [],
    });
  });

  it('reports values that are neither a name nor an ARN', () => {
    const named = streamsNamedIn(
      [group('G', { 'stream.name': 'has space', streamArn: 'arn:aws:s3:::bucket' })],
      'us-east-1',
    );
    expect(named.streams).toEqual([]);
    expect(named.skipped).toEqual([
      {
        namedBy: 'G.stream.name',
        value: 'has space',
        reason: 'neither a Kinesis stream name nor a stream ARN',
      },
      {
        namedBy: 'G.streamArn',
        value: 'arn:aws:s3:::bucket',
        reason: 'neither a Kinesis stream name nor a stream ARN',
      },
    ]);
  });
});

describe('sandboxPropertyGroups', () => {
  const client = { 'aws.endpoint': 'http://127.0.0.1:9', 'aws.http.protocol.version': 'HTTP1_1' };

  it('points every AWS client group at the private endpoint, its own endpoint and credentials provider overridden', () => {
    const groups = [
      group('Sink', { 'stream.name': 's' }),
      group('Source', {
        'aws.region': 'us-east-1',
        'aws.endpoint': 'https://vpce-123.kinesis.us-east-1.vpce.amazonaws.com',
        'aws.credentials.provider': 'ASSUME_ROLE',
        'aws.credentials.provider.role.arn': 'arn:aws:iam::123456789012:role/r',
      }),
      group('App', { threshold: '3' }),
    ];
    expect(sandboxPropertyGroups(groups, client)).toEqual([
      group('Sink', { 'stream.name': 's', ...client }),
      group('Source', {
        'aws.region': 'us-east-1',
        ...client,
        'aws.credentials.provider': 'AUTO',
        'aws.credentials.provider.role.arn': 'arn:aws:iam::123456789012:role/r',
      }),
      group('App', { threshold: '3' }),
    ]);
    expect(groups[1]!.PropertyMap['aws.endpoint']).toMatch(/^https:\/\/vpce/); // the input is not changed
  });
});

describe('savepoint _metadata header', () => {
  const header = (version: number, masterStates: number, operators: number): Buffer => {
    const bytes = Buffer.alloc(24);
    bytes.writeUInt32BE(0x4960672d, 0);
    bytes.writeInt32BE(version, 4);
    bytes.writeBigInt64BE(42n, 8);
    bytes.writeInt32BE(masterStates, 16);
    bytes.writeInt32BE(operators, 20);
    return bytes;
  };

  it('reads version, checkpoint id and operator count; less when it cannot be sure', () => {
    expect(parseHeader(header(4, 0, 4))).toEqual({ metadataVersion: 4, checkpointId: 42, operators: 4 });
    expect(parseHeader(header(6, 1, 4))).toEqual({ metadataVersion: 6, checkpointId: 42 });
    expect(parseHeader(header(9, 0, 4))).toEqual({ metadataVersion: 9 });
    expect(parseHeader(Buffer.from('PK\u0003\u0004 not a savepoint'))).toEqual({});
  });
});

describe('validateOptions', () => {
  const valid = {
    runtime: 'FLINK-1_20' as const,
    jar: 'app.jar',
    savepoint: '/s',
    parallelism: 2,
    allowNonRestoredState: false,
  };

  it('applies the defaults', () => {
    expect(validateOptions(valid)).toMatchObject({
      windowSeconds: 30,
      checkpointIntervalMs: 2000,
      region: 'us-east-1',
      timeoutMs: 330_000,
    });
  });

  it('names every invalid option', () => {
    expect(() =>
      validateOptions({
        ...valid,
        runtime: 'FLINK-1_15' as never,
        parallelismPerKpu: 9,
        region: 'Mars',
        propertyGroups: [{ PropertyGroupId: 'G', PropertyMap: { n: 1 as never } }],
      }),
    ).toThrow(
      'invalid rehearsal options: runtime must be FLINK-1_19, FLINK-1_20 or FLINK-2_2, got "FLINK-1_15"; parallelismPerKpu must be an integer from 1 to 8, got 9; region must be an AWS region name, got "Mars"; propertyGroups[0] must be { PropertyGroupId: string, PropertyMap: { string: string } }',
    );
  });
});
