/**
 * CloudWatch input is validated from the generated service model (src/cloudwatch/protocol/input-model.ts) in
 * CloudWatch's wording, and query-protocol strings come out typed, as JSON and CBOR input does.
 */
import { describe, expect, it } from 'vitest';
import { CloudWatchError } from '../../src/cloudwatch/errors.js';
import { readInput } from '../../src/cloudwatch/protocol/input.js';

function refusal(operation: string, input: Record<string, unknown>): CloudWatchError {
  try {
    readInput(operation, input);
  } catch (error) {
    if (error instanceof CloudWatchError) return error;
    throw error;
  }
  throw new Error(`${operation} accepted ${JSON.stringify(input)}`);
}

describe('CloudWatch input from the model', () => {
  it('types query-protocol strings: numbers, booleans, timestamps (epoch ms), nested lists', () => {
    const input = readInput('PutMetricData', {
      Namespace: 'Custom/App',
      MetricData: [
        {
          MetricName: 'm',
          Value: '2.5',
          Timestamp: '2026-01-01T00:00:00Z',
          Dimensions: [{ Name: 'A', Value: 'b' }],
          StatisticValues: undefined,
        },
      ],
    });
    expect(input).toEqual({
      Namespace: 'Custom/App',
      MetricData: [
        {
          MetricName: 'm',
          Value: 2.5,
          Timestamp: Date.parse('2026-01-01T00:00:00Z'),
          Dimensions: [{ Name: 'A', Value: 'b' }],
        },
      ],
    });
    expect(readInput('ListMetrics', { IncludeLinkedAccounts: 'true' })).toEqual({
      IncludeLinkedAccounts: true,
    });
    expect(
      readInput('GetMetricStatistics', {
        Namespace: 'n',
        MetricName: 'm',
        StartTime: 1_700_000_000,
        EndTime: '1700000060',
        Period: '60',
        Statistics: ['Sum'],
      }),
    ).toMatchObject({ StartTime: 1_700_000_000_000, EndTime: 1_700_000_060_000, Period: 60 });
  });

  it('names the member by its query path and says what is wrong', () => {
    const missing = refusal('PutMetricData', { Namespace: 'n', MetricData: [{ Value: 1 }] });
    expect(missing.code).toBe('MissingParameter');
    expect(missing.message).toBe('The parameter MetricData.member.1.MetricName is required.');

    const unit = refusal('PutMetricData', {
      Namespace: 'n',
      MetricData: [{ MetricName: 'm', Unit: 'Furlongs' }],
    });
    expect(unit.code).toBe('InvalidParameterValue');
    expect(unit.message).toMatch(
      /^The value Furlongs for parameter MetricData\.member\.1\.Unit is not valid\. Valid values are: Seconds, /,
    );

    const long = refusal('PutMetricData', {
      Namespace: 'n',
      MetricData: [{ MetricName: 'm', Dimensions: [{ Name: 'A', Value: 'x'.repeat(1025) }] }],
    });
    expect(long.message).toBe(
      'The parameter MetricData.member.1.Dimensions.member.1.Value must be between 1 and 1024 characters long.',
    );

    const tooMany = refusal('ListMetrics', {
      Dimensions: Array.from({ length: 11 }, (_, i) => ({ Name: `d${i}` })),
    });
    expect(tooMany.message).toBe('The collection Dimensions must not have more than 10 members.');

    expect(
      refusal('GetMetricStatistics', {
        Namespace: 'n',
        MetricName: 'm',
        StartTime: 'yesterday',
        EndTime: 1,
        Period: 60,
      }).message,
    ).toBe('The value yesterday for parameter StartTime is not a valid timestamp.');
    expect(refusal('ListMetrics', { Namespace: ':colon' }).message).toBe(
      'The value :colon for parameter Namespace is invalid.',
    );
    expect(
      refusal('GetMetricData', {
        MetricDataQueries: [{ Id: 'a', MetricStat: { Metric: {}, Period: 1.5, Stat: 'Sum' } }],
        StartTime: 0,
        EndTime: 1,
      }).message,
    ).toBe(
      'The value 1.5 for parameter MetricDataQueries.member.1.MetricStat.Period is not a valid integer.',
    );
  });
});
