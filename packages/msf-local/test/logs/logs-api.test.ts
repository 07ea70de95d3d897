/**
 * CloudWatch Logs through the real AWS SDK v3 client: groups, streams, retention, KMS keys, tags, PutLogEvents'
 * rules, GetLogEvents' tokens, FilterLogEvents' patterns and pages, and model validation.
 */
import {
  AssociateKmsKeyCommand,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DeleteLogStreamCommand,
  DeleteRetentionPolicyCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  DisassociateKmsKeyCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  ListTagsForResourceCommand,
  ListTagsLogGroupCommand,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
  TagLogGroupCommand,
  TagResourceCommand,
  UntagLogGroupCommand,
  UntagResourceCommand,
  type FilteredLogEvent,
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateKeyCommand, DisableKeyCommand } from '@aws-sdk/client-kms';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, startServices, type ServicesHarness } from '../support/services-harness.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let h: ServicesHarness;

beforeEach(async () => {
  h = await startServices({ clock: { now: Date.UTC(2026, 0, 15, 12) } });
});
afterEach(async () => {
  await h.dispose();
});

async function groupWithStreams(group: string, ...streams: string[]): Promise<void> {
  await h.logsClient.send(new CreateLogGroupCommand({ logGroupName: group }));
  for (const stream of streams) {
    await h.logsClient.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
  }
}

function put(group: string, stream: string, events: [number, string][]) {
  return h.logsClient.send(
    new PutLogEventsCommand({
      logGroupName: group,
      logStreamName: stream,
      logEvents: events.map(([timestamp, message]) => ({ timestamp, message })),
    }),
  );
}

describe('log groups', () => {
  it('creates, describes by prefix and pattern across pages, and deletes', async () => {
    for (const name of ['app/c', 'app/a', 'other', 'app/b', 'app/d']) {
      await h.logsClient.send(new CreateLogGroupCommand({ logGroupName: name, tags: { team: 'x' } }));
    }
    expect(
      await errorOf(h.logsClient.send(new CreateLogGroupCommand({ logGroupName: 'app/a' }))),
    ).toMatchObject({
      name: 'ResourceAlreadyExistsException',
      status: 400,
    });

    const names: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await h.logsClient.send(
        new DescribeLogGroupsCommand({ logGroupNamePrefix: 'app/', limit: 2, nextToken }),
      );
      names.push(...page.logGroups!.map((g) => g.logGroupName!));
      nextToken = page.nextToken;
      pages++;
    } while (nextToken);
    expect(names).toEqual(['app/a', 'app/b', 'app/c', 'app/d']);
    expect(pages).toBe(2);

    const { logGroups } = await h.logsClient.send(
      new DescribeLogGroupsCommand({ logGroupNamePattern: 'ther' }),
    );
    expect(logGroups).toHaveLength(1);
    expect(logGroups![0]).toMatchObject({
      logGroupName: 'other',
      arn: 'arn:aws:logs:us-east-1:000000000000:log-group:other:*',
      logGroupArn: 'arn:aws:logs:us-east-1:000000000000:log-group:other',
      creationTime: h.clock.now,
      storedBytes: 0,
      logGroupClass: 'STANDARD',
    });

    await h.logsClient.send(new DeleteLogGroupCommand({ logGroupName: 'app/b' }));
    expect(
      await errorOf(h.logsClient.send(new DeleteLogGroupCommand({ logGroupName: 'app/b' }))),
    ).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'The specified log group does not exist.',
    });
    const after = await h.logsClient.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'app/' }));
    expect(after.logGroups!.map((g) => g.logGroupName)).toEqual(['app/a', 'app/c', 'app/d']);
  });

  it('validates against the model: names, limits and types', async () => {
    const bad = await errorOf(h.logsClient.send(new CreateLogGroupCommand({ logGroupName: 'has space' })));
    expect(bad).toMatchObject({ name: 'ValidationException', status: 400 });
    expect(bad.message).toBe(
      "1 validation error detected: Value 'has space' at 'logGroupName' failed to satisfy constraint: Member must " +
        'satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+',
    );
    const limit = await errorOf(h.logsClient.send(new DescribeLogGroupsCommand({ limit: 51 })));
    expect(limit.message).toContain(
      "at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50",
    );
    const raw = await fetch(h.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'Logs_20140328.CreateLogGroup',
      },
      body: JSON.stringify({ logGroupName: 42 }),
    });
    expect(raw.status).toBe(400);
    expect(((await raw.json()) as { __type: string }).__type).toBe('SerializationException');
  });

  it('keeps retention, enforces it on reads and writes, and rejects periods CloudWatch does not offer', async () => {
    await groupWithStreams('g', 's');
    const invalid = await errorOf(
      h.logsClient.send(new PutRetentionPolicyCommand({ logGroupName: 'g', retentionInDays: 2 })),
    );
    expect(invalid.name).toBe('InvalidParameterException');
    expect(invalid.message).toContain('Member must satisfy enum value set: [1, 3, 5, 7, 14');

    const now = h.clock.now;
    await put('g', 's', [[now - 3 * DAY, 'three days old']]);
    await put('g', 's', [[now - HOUR, 'an hour old']]);
    await h.logsClient.send(new PutRetentionPolicyCommand({ logGroupName: 'g', retentionInDays: 1 }));
    const group = (await h.logsClient.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'g' })))
      .logGroups![0];
    expect(group!.retentionInDays).toBe(1);
    const events = await h.logsClient.send(
      new GetLogEventsCommand({ logGroupName: 'g', logStreamName: 's', startFromHead: true }),
    );
    expect(events.events!.map((e) => e.message)).toEqual(['an hour old']);

    const rejected = await put('g', 's', [
      [now - 20 * DAY, 'too old'],
      [now - 2 * DAY, 'expired'],
      [now, 'fine'],
      [now + 3 * HOUR, 'too new'],
    ]);
    expect(rejected.rejectedLogEventsInfo).toEqual({
      tooOldLogEventEndIndex: 1,
      expiredLogEventEndIndex: 2,
      tooNewLogEventStartIndex: 3,
    });

    h.clock.now += DAY; // the hour-old event is now past the retention period
    const later = await h.logsClient.send(new FilterLogEventsCommand({ logGroupName: 'g' }));
    expect(later.events!.map((e) => e.message)).toEqual(['fine']);
    await h.logs.expireAll();
    h = await h.restart();
    const reloaded = await h.logsClient.send(new FilterLogEventsCommand({ logGroupName: 'g' }));
    expect(reloaded.events!.map((e) => e.message)).toEqual(['fine']);

    await h.logsClient.send(new DeleteRetentionPolicyCommand({ logGroupName: 'g' }));
    const kept = (await h.logsClient.send(new DescribeLogGroupsCommand({}))).logGroups![0];
    expect(kept!.retentionInDays).toBeUndefined();
  });

  it('associates a KMS key only when the key exists and is enabled', async () => {
    const { KeyMetadata } = await h.kmsClient.send(new CreateKeyCommand({ Description: 'logs' }));
    const missing = 'arn:aws:kms:us-east-1:000000000000:key/00000000-0000-0000-0000-000000000000';
    const denied = await errorOf(
      h.logsClient.send(new CreateLogGroupCommand({ logGroupName: 'enc', kmsKeyId: missing })),
    );
    expect(denied).toMatchObject({
      name: 'AccessDeniedException',
      message:
        "The specified KMS key does not exist or is not allowed to be used with Arn 'arn:aws:logs:us-east-1:000000000000:log-group:enc'",
    });
    await h.logsClient.send(new CreateLogGroupCommand({ logGroupName: 'enc', kmsKeyId: KeyMetadata!.Arn }));
    const described = await h.logsClient.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'enc' }));
    expect(described.logGroups![0]!.kmsKeyId).toBe(KeyMetadata!.Arn);

    await h.logsClient.send(new DisassociateKmsKeyCommand({ logGroupName: 'enc' }));
    expect(
      (await h.logsClient.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'enc' }))).logGroups![0]!
        .kmsKeyId,
    ).toBeUndefined();
    await h.kmsClient.send(new DisableKeyCommand({ KeyId: KeyMetadata!.KeyId }));
    expect(
      (
        await errorOf(
          h.logsClient.send(new AssociateKmsKeyCommand({ logGroupName: 'enc', kmsKeyId: KeyMetadata!.Arn })),
        )
      ).name,
    ).toBe('AccessDeniedException');
  });

  it('tags by ARN and by name', async () => {
    await h.logsClient.send(new CreateLogGroupCommand({ logGroupName: 'tagged', tags: { a: '1' } }));
    const arn = 'arn:aws:logs:us-east-1:000000000000:log-group:tagged';
    await h.logsClient.send(new TagResourceCommand({ resourceArn: arn, tags: { b: '2' } }));
    await h.logsClient.send(new TagLogGroupCommand({ logGroupName: 'tagged', tags: { c: '3' } }));
    expect((await h.logsClient.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({
      a: '1',
      b: '2',
      c: '3',
    });
    await h.logsClient.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['a'] }));
    await h.logsClient.send(new UntagLogGroupCommand({ logGroupName: 'tagged', tags: ['c'] }));
    expect((await h.logsClient.send(new ListTagsLogGroupCommand({ logGroupName: 'tagged' }))).tags).toEqual({
      b: '2',
    });
    const tooMany = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
    expect(
      (await errorOf(h.logsClient.send(new TagResourceCommand({ resourceArn: arn, tags: tooMany })))).name,
    ).toBe('TooManyTagsException');
  });
});

describe('log streams', () => {
  it('describes by name or by last event time, with prefixes and pages, and deletes', async () => {
    await groupWithStreams('g', 'b', 'a', 'c', 'ab');
    const now = h.clock.now;
    await put('g', 'c', [[now - 3000, 'x']]);
    await put('g', 'a', [[now - 1000, 'x']]);
    await put('g', 'b', [[now - 2000, 'x']]);

    const byName = await h.logsClient.send(
      new DescribeLogStreamsCommand({ logGroupName: 'g', logStreamNamePrefix: 'a' }),
    );
    expect(byName.logStreams!.map((s) => s.logStreamName)).toEqual(['a', 'ab']);
    expect(byName.logStreams![0]).toMatchObject({
      arn: 'arn:aws:logs:us-east-1:000000000000:log-group:g:log-stream:a',
      firstEventTimestamp: now - 1000,
      lastEventTimestamp: now - 1000,
      lastIngestionTime: now,
    });

    const order: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await h.logsClient.send(
        new DescribeLogStreamsCommand({
          logGroupIdentifier: 'arn:aws:logs:us-east-1:000000000000:log-group:g',
          orderBy: 'LastEventTime',
          descending: true,
          limit: 1,
          nextToken,
        }),
      );
      order.push(...page.logStreams!.map((s) => s.logStreamName!));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(order).toEqual(['a', 'b', 'c', 'ab']);

    const conflict = await errorOf(
      h.logsClient.send(
        new DescribeLogStreamsCommand({
          logGroupName: 'g',
          orderBy: 'LastEventTime',
          logStreamNamePrefix: 'a',
        }),
      ),
    );
    expect(conflict.name).toBe('InvalidParameterException');

    await h.logsClient.send(new DeleteLogStreamCommand({ logGroupName: 'g', logStreamName: 'a' }));
    expect(
      (
        await errorOf(
          h.logsClient.send(new DeleteLogStreamCommand({ logGroupName: 'g', logStreamName: 'a' })),
        )
      ).name,
    ).toBe('ResourceNotFoundException');
    expect(
      (
        await errorOf(
          h.logsClient.send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: 'b' })),
        )
      ).name,
    ).toBe('ResourceAlreadyExistsException');
  });
});

describe('events', () => {
  it('enforces PutLogEvents rules', async () => {
    await groupWithStreams('g', 's');
    const now = h.clock.now;
    expect(
      await errorOf(
        put('g', 's', [
          [now, 'b'],
          [now - 1, 'a'],
        ]),
      ),
    ).toMatchObject({
      name: 'InvalidParameterException',
      message: 'Log events in a single PutLogEvents request must be in chronological order.',
    });
    expect(
      (
        await errorOf(
          put('g', 's', [
            [now - 25 * HOUR, 'a'],
            [now, 'b'],
          ]),
        )
      ).message,
    ).toContain('cannot span more than 24 hours');
    const big = 'x'.repeat(600_000);
    expect(
      (
        await errorOf(
          put('g', 's', [
            [now, big],
            [now, big],
          ]),
        )
      ).message,
    ).toMatch(/^Upload too large: \d+ bytes/);
    expect(await errorOf(put('g', 'missing', [[now, 'a']]))).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'The specified log stream does not exist.',
    });
    const ok = await put('g', 's', [[now, 'a']]);
    expect(ok.nextSequenceToken).toMatch(/^\d+$/);
  });

  it('reads a stream from the head or the tail with forward and backward tokens', async () => {
    await groupWithStreams('g', 's');
    const t0 = h.clock.now - 10_000;
    await put(
      'g',
      's',
      Array.from({ length: 5 }, (_, i): [number, string] => [t0 + i, `e${i}`]),
    );
    await put('g', 's', [[t0 + 2, 'e2b']]); // an earlier timestamp than the stream's newest: sorted in

    const head = await h.logsClient.send(
      new GetLogEventsCommand({ logGroupName: 'g', logStreamName: 's', startFromHead: true, limit: 4 }),
    );
    expect(head.events!.map((e) => e.message)).toEqual(['e0', 'e1', 'e2', 'e2b']);
    const rest = await h.logsClient.send(
      new GetLogEventsCommand({
        logGroupName: 'g',
        logStreamName: 's',
        nextToken: head.nextForwardToken,
        limit: 4,
      }),
    );
    expect(rest.events!.map((e) => e.message)).toEqual(['e3', 'e4']);
    const end = await h.logsClient.send(
      new GetLogEventsCommand({ logGroupName: 'g', logStreamName: 's', nextToken: rest.nextForwardToken }),
    );
    expect(end.events).toEqual([]);
    expect(end.nextForwardToken).toBe(rest.nextForwardToken); // the unchanged token: nothing more for now

    const tail = await h.logsClient.send(
      new GetLogEventsCommand({ logGroupName: 'g', logStreamName: 's', limit: 2 }),
    );
    expect(tail.events!.map((e) => e.message)).toEqual(['e3', 'e4']);
    const before = await h.logsClient.send(
      new GetLogEventsCommand({
        logGroupName: 'g',
        logStreamName: 's',
        nextToken: tail.nextBackwardToken,
        limit: 3,
      }),
    );
    expect(before.events!.map((e) => e.message)).toEqual(['e1', 'e2', 'e2b']);
    const windowed = await h.logsClient.send(
      new GetLogEventsCommand({
        logGroupName: 'g',
        logStreamName: 's',
        startTime: t0 + 1,
        endTime: t0 + 3,
        startFromHead: true,
      }),
    );
    expect(windowed.events!.map((e) => e.message)).toEqual(['e1', 'e2', 'e2b']);
    expect(windowed.events![0]!.ingestionTime).toBe(h.clock.now);
    expect(
      (
        await errorOf(
          h.logsClient.send(
            new GetLogEventsCommand({ logGroupName: 'g', logStreamName: 's', nextToken: 'f/x' }),
          ),
        )
      ).name,
    ).toBe('InvalidParameterException');
  });

  it('filters a group by pattern, stream and time, across pages in both directions', async () => {
    await groupWithStreams('g', 'one', 'two');
    const t = h.clock.now - 60_000;
    await put('g', 'one', [
      [t, 'ERROR disk full'],
      [t + 2, 'INFO all good'],
      [t + 4, '{"messageType":"ERROR","logger":"org.apache.flink.Task","n":3}'],
    ]);
    await put('g', 'two', [
      [t + 1, 'ERROR network Exception: reset'],
      [t + 3, 'WARN slow disk'],
      [t + 5, '{"messageType":"INFO","logger":"my.Job","n":7}'],
    ]);
    const messages = async (filterPattern?: string, extra: Record<string, unknown> = {}) =>
      (
        (await h.logsClient.send(new FilterLogEventsCommand({ logGroupName: 'g', filterPattern, ...extra })))
          .events ?? []
      ).map((e) => e.message);

    expect(await messages()).toHaveLength(6);
    expect(await messages('ERROR')).toEqual([
      'ERROR disk full',
      'ERROR network Exception: reset',
      '{"messageType":"ERROR","logger":"org.apache.flink.Task","n":3}',
    ]);
    expect(await messages('ERROR -Exception disk')).toEqual(['ERROR disk full']);
    expect(await messages('"slow disk"')).toEqual(['WARN slow disk']);
    expect(await messages('?WARN ?INFO')).toEqual([
      'INFO all good',
      'WARN slow disk',
      '{"messageType":"INFO","logger":"my.Job","n":7}',
    ]);
    expect(await messages('{ $.messageType = "ERROR" }')).toEqual([
      '{"messageType":"ERROR","logger":"org.apache.flink.Task","n":3}',
    ]);
    expect(await messages('{ $.logger = "org.apache.*" || $.n > 5 }')).toHaveLength(2);
    expect(await messages('{ $.n >= 3 && $.messageType != "INFO" }')).toHaveLength(1);
    expect(await messages('%dis[k]%')).toEqual(['ERROR disk full', 'WARN slow disk']);
    expect(await messages(undefined, { logStreamNames: ['two'], startTime: t + 2, endTime: t + 3 })).toEqual([
      'WARN slow disk',
    ]);
    expect(await messages(undefined, { logStreamNamePrefix: 'on' })).toHaveLength(3);
    expect(
      (
        await errorOf(
          h.logsClient.send(new FilterLogEventsCommand({ logGroupName: 'g', filterPattern: '{ $.a = ' })),
        )
      ).name,
    ).toBe('InvalidParameterException');

    for (const startFromHead of [true, false]) {
      const seen: FilteredLogEvent[] = [];
      let nextToken: string | undefined;
      do {
        const page = await h.logsClient.send(
          new FilterLogEventsCommand({ logGroupName: 'g', limit: 4, nextToken, startFromHead }),
        );
        seen.push(...page.events!);
        nextToken = page.nextToken;
      } while (nextToken);
      const stamps = seen.map((e) => e.timestamp! - t);
      expect(stamps).toEqual(startFromHead ? [0, 1, 2, 3, 4, 5] : [5, 4, 3, 2, 1, 0]);
      expect(new Set(seen.map((e) => e.eventId)).size).toBe(6);
    }
  });
});
