import { describe, expect, it } from 'vitest';
import { atLeast, parseLogRecord } from '../../src/model/log-records.js';
import { accountOfRole, logStreamArn, parseLogStreamArn } from '../../src/model/log-streams.js';

// A record as MSF (and msf-local) writes it: keys in MSF's order, the version a string.
const RECORD = JSON.stringify({
  locationInformation: 'org.apache.flink.runtime.taskmanager.Task.transitionState(Task.java:1182)',
  logger: 'org.apache.flink.runtime.taskmanager.Task',
  message: 'Window(TumblingEventTimeWindows) switched from RUNNING to FAILED',
  throwableInformation: ['java.lang.RuntimeException: boom', '\tat com.example.Job.map(Job.java:42)'],
  threadName: 'Window (1/1)#0',
  applicationARN: 'arn:aws:kinesisanalytics:us-east-1:123456789012:application/stock-prices',
  applicationVersionId: '3',
  messageSchemaVersion: '1',
  messageType: 'WARN',
});

describe('MSF log records', () => {
  it('reads every field of an MSF record', () => {
    expect(parseLogRecord(1_700_000_000_000, RECORD)).toEqual({
      at: 1_700_000_000_000,
      level: 'WARN',
      logger: 'org.apache.flink.runtime.taskmanager.Task',
      message: 'Window(TumblingEventTimeWindows) switched from RUNNING to FAILED',
      thread: 'Window (1/1)#0',
      applicationArn: 'arn:aws:kinesisanalytics:us-east-1:123456789012:application/stock-prices',
      versionId: 3,
      throwable: ['java.lang.RuntimeException: boom', '\tat com.example.Job.map(Job.java:42)'],
      location: 'org.apache.flink.runtime.taskmanager.Task.transitionState(Task.java:1182)',
    });
  });

  it('keeps other text raw: plain lines, JSON without a messageType, broken JSON', () => {
    expect(parseLogRecord(5, 'plain text line')).toEqual({ at: 5, message: 'plain text line', raw: true });
    expect(parseLogRecord(5, '{"level":"INFO"}')).toMatchObject({ raw: true, message: '{"level":"INFO"}' });
    expect(parseLogRecord(5, '{"messageType":')).toMatchObject({ raw: true });
  });

  it('splits a throwable given as one string, and drops a version that is not a number', () => {
    const r = parseLogRecord(
      1,
      JSON.stringify({
        messageType: 'error',
        message: 'x',
        throwableInformation: 'a\nb',
        applicationVersionId: 'v',
      }),
    );
    expect(r).toMatchObject({ level: 'ERROR', throwable: ['a', 'b'] });
    expect(r.versionId).toBeUndefined();
  });

  it('filters by level: at or above passes, raw text always passes', () => {
    const at = (level: string) => parseLogRecord(1, JSON.stringify({ messageType: level, message: 'm' }));
    expect(atLeast(at('ERROR'), 'WARN')).toBe(true);
    expect(atLeast(at('WARN'), 'WARN')).toBe(true);
    expect(atLeast(at('INFO'), 'WARN')).toBe(false);
    expect(atLeast(at('DEBUG'), 'INFO')).toBe(false);
    expect(atLeast(at('INFO'), undefined)).toBe(true);
    expect(atLeast(parseLogRecord(1, 'raw'), 'ERROR')).toBe(true);
  });
});

describe('log stream ARNs', () => {
  it('parses a log stream ARN into region, account, group and stream', () => {
    expect(
      parseLogStreamArn(
        'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/kinesis-analytics/app:log-stream:kinesis-analytics-log-stream',
      ),
    ).toEqual({
      arn: 'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/kinesis-analytics/app:log-stream:kinesis-analytics-log-stream',
      region: 'eu-west-1',
      account: '123456789012',
      group: '/aws/kinesis-analytics/app',
      stream: 'kinesis-analytics-log-stream',
    });
  });

  it('refuses a log group ARN, a wildcard stream and other services', () => {
    expect(parseLogStreamArn('arn:aws:logs:eu-west-1:123456789012:log-group:/g')).toBeUndefined();
    expect(
      parseLogStreamArn('arn:aws:logs:eu-west-1:123456789012:log-group:/g:log-stream:*'),
    ).toBeUndefined();
    expect(parseLogStreamArn('arn:aws:s3:::bucket')).toBeUndefined();
  });

  it('builds the ARN back, in the partition of the region', () => {
    const where = { account: '123456789012', group: '/g', stream: 's' };
    expect(logStreamArn({ region: 'us-east-1', ...where })).toBe(
      'arn:aws:logs:us-east-1:123456789012:log-group:/g:log-stream:s',
    );
    expect(logStreamArn({ region: 'cn-north-1', ...where })).toMatch(/^arn:aws-cn:logs:/);
    expect(parseLogStreamArn(logStreamArn({ region: 'us-east-1', ...where }))?.stream).toBe('s');
    expect(accountOfRole('arn:aws:iam::123456789012:role/flink')).toBe('123456789012');
  });
});
