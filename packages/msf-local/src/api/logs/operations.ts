/**
 * CloudWatch Logs operations: each takes the validated request body and answers with the response body. Glue
 * between the wire and the backend (src/logs/): the request members are the model's camelCase ones.
 */
import { createHash } from 'node:crypto';
import type { CloudWatchLogs, FilteredEvent } from '../../logs/cloudwatch-logs.js';
import { groupNameOf, logsError } from '../../logs/cloudwatch-logs.js';
import type { StoredEvent } from '../../logs/event-segments.js';
import type { LogGroup, LogStream } from '../../logs/log-store.js';
import type { OperationHandlers } from '../model.js';

interface Context {
  logs: CloudWatchLogs;
  region: string;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- request bodies are validated JSON */
type Json = any;

const invalidParameter = (message: string) => logsError('InvalidParameterException', message);

export const OPERATIONS: OperationHandlers<Context> = {
  async CreateLogGroup(body: Json, { logs, region }) {
    await logs.createLogGroup(
      {
        name: body.logGroupName,
        kmsKeyId: body.kmsKeyId,
        tags: body.tags,
        logGroupClass: body.logGroupClass,
        deletionProtection: body.deletionProtectionEnabled,
      },
      region,
    );
    return {};
  },

  async DeleteLogGroup(body: Json, { logs }) {
    await logs.deleteLogGroup(body.logGroupName);
    return {};
  },

  DescribeLogGroups(body: Json, { logs }) {
    const groups = logs.listGroups({
      prefix: body.logGroupNamePrefix,
      pattern: body.logGroupNamePattern,
      logGroupClass: body.logGroupClass,
      names: body.logGroupIdentifiers?.map(groupNameOf),
    });
    const { page, nextToken } = pageOf(groups, (g) => [g.settings.name], body.limit ?? 50, body.nextToken);
    return { logGroups: page.map((g) => logGroupOf(logs, g)), nextToken };
  },

  async CreateLogStream(body: Json, { logs }) {
    await logs.createLogStream(body.logGroupName, body.logStreamName);
    return {};
  },

  async DeleteLogStream(body: Json, { logs }) {
    await logs.deleteLogStream(body.logGroupName, body.logStreamName);
    return {};
  },

  DescribeLogStreams(body: Json, { logs }) {
    const groupRef = oneGroup(body);
    const group = logs.requireGroup(groupRef);
    const byTime = body.orderBy === 'LastEventTime';
    const streams = logs.listStreams(groupRef, {
      prefix: body.logStreamNamePrefix,
      orderBy: body.orderBy,
      descending: body.descending,
    });
    const lastEvent = (s: LogStream) => logs.visible(group, s).at(-1)?.timestamp ?? 0;
    const { page, nextToken } = pageOf(
      streams,
      (s) => (byTime ? [lastEvent(s), s.name] : [s.name]),
      body.limit ?? 50,
      body.nextToken,
      body.descending === true,
    );
    return { logStreams: page.map((s) => logStreamOf(logs, group, s)), nextToken };
  },

  async PutRetentionPolicy(body: Json, { logs }) {
    await logs.putRetentionPolicy(body.logGroupName, body.retentionInDays);
    return {};
  },

  async DeleteRetentionPolicy(body: Json, { logs }) {
    await logs.deleteRetentionPolicy(body.logGroupName);
    return {};
  },

  async AssociateKmsKey(body: Json, { logs }) {
    await logs.associateKmsKey(groupOfResource(body), body.kmsKeyId);
    return {};
  },

  async DisassociateKmsKey(body: Json, { logs }) {
    await logs.disassociateKmsKey(groupOfResource(body));
    return {};
  },

  async TagLogGroup(body: Json, { logs }) {
    await logs.tag(body.logGroupName, body.tags);
    return {};
  },

  async UntagLogGroup(body: Json, { logs }) {
    await logs.untag(body.logGroupName, body.tags);
    return {};
  },

  ListTagsLogGroup(body: Json, { logs }) {
    return { tags: logs.requireGroup(body.logGroupName).settings.tags };
  },

  async TagResource(body: Json, { logs }) {
    await logs.tag(groupArn(body.resourceArn), body.tags);
    return {};
  },

  async UntagResource(body: Json, { logs }) {
    await logs.untag(groupArn(body.resourceArn), body.tagKeys);
    return {};
  },

  ListTagsForResource(body: Json, { logs }) {
    return { tags: logs.requireGroup(groupArn(body.resourceArn)).settings.tags };
  },

  async PutLogEvents(body: Json, { logs }) {
    const { rejected } = await logs.putLogEvents(body.logGroupName, body.logStreamName, body.logEvents);
    return { nextSequenceToken: sequenceToken(), rejectedLogEventsInfo: rejected };
  },

  GetLogEvents(body: Json, { logs }) {
    const page = logs.getLogEvents(oneGroup(body), body.logStreamName, {
      startTime: body.startTime,
      endTime: body.endTime,
      nextToken: body.nextToken,
      limit: body.limit,
      startFromHead: body.startFromHead,
    });
    return {
      events: page.events.map((e) => ({
        timestamp: e.timestamp,
        message: e.message,
        ingestionTime: e.ingestionTime,
      })),
      nextForwardToken: page.forward,
      nextBackwardToken: page.backward,
    };
  },

  FilterLogEvents(body: Json, { logs }) {
    const result = logs.filterLogEvents(oneGroup(body), {
      streamNames: body.logStreamNames,
      streamPrefix: body.logStreamNamePrefix,
      startTime: body.startTime,
      endTime: body.endTime,
      pattern: body.filterPattern,
      nextToken: body.nextToken,
      limit: body.limit,
      startFromHead: body.startFromHead,
    });
    return {
      events: result.events.map(filteredEventOf),
      searchedLogStreams: result.searched.map((logStreamName) => ({
        logStreamName,
        searchedCompletely: true,
      })),
      nextToken: result.nextToken,
    };
  },
};

function logGroupOf(logs: CloudWatchLogs, group: LogGroup) {
  const s = group.settings;
  const arn = logs.groupArn(group);
  let storedBytes = 0;
  for (const stream of group.streams.values()) storedBytes += stream.storedBytes;
  return {
    logGroupName: s.name,
    creationTime: s.createdAt,
    retentionInDays: s.retentionDays,
    metricFilterCount: 0,
    arn: `${arn}:*`,
    storedBytes,
    kmsKeyId: s.kmsKeyId,
    logGroupClass: s.logGroupClass,
    logGroupArn: arn,
    deletionProtectionEnabled: s.deletionProtection,
  };
}

function logStreamOf(logs: CloudWatchLogs, group: LogGroup, stream: LogStream) {
  const events = logs.visible(group, stream);
  return {
    logStreamName: stream.name,
    creationTime: stream.createdAt,
    firstEventTimestamp: events[0]?.timestamp,
    lastEventTimestamp: events.at(-1)?.timestamp,
    lastIngestionTime: stream.lastIngestionTime,
    uploadSequenceToken: sequenceToken(),
    arn: logs.streamArn(group, stream.name),
    storedBytes: stream.storedBytes,
  };
}

function filteredEventOf(e: FilteredEvent) {
  return {
    logStreamName: e.logStreamName,
    timestamp: e.timestamp,
    message: e.message,
    ingestionTime: e.ingestionTime,
    eventId: eventId(e.logStreamName, e),
  };
}

/** All digits, like AWS's: the event's time and arrival number, and a number derived from its stream's name. */
function eventId(stream: string, e: StoredEvent): string {
  const streamNumber = BigInt(`0x${createHash('sha256').update(stream).digest('hex').slice(0, 15)}`);
  return `${String(e.timestamp).padStart(20, '0')}${String(streamNumber).padStart(20, '0')}${String(e.seq).padStart(16, '0')}`;
}

/** Sequence tokens are ignored by PutLogEvents now; one is still returned, as AWS does. */
function sequenceToken(): string {
  return String(Date.now()).padStart(56, '4');
}

/** `logGroupName` or `logGroupIdentifier`: exactly one, as GetLogEvents, FilterLogEvents and DescribeLogStreams require. */
function oneGroup(body: Json): string {
  const given = [body.logGroupName, body.logGroupIdentifier].filter((v) => v !== undefined);
  if (given.length !== 1) {
    throw invalidParameter('Exactly one of logGroupName and logGroupIdentifier must be given.');
  }
  return given[0];
}

function groupOfResource(body: Json): string {
  if (body.logGroupName !== undefined && body.resourceIdentifier !== undefined) {
    throw invalidParameter('logGroupName and resourceIdentifier are mutually exclusive parameters.');
  }
  if (body.resourceIdentifier !== undefined) return groupArn(body.resourceIdentifier);
  if (body.logGroupName === undefined)
    throw invalidParameter('Either logGroupName or resourceIdentifier is required.');
  return body.logGroupName;
}

/** The tagging APIs take a log group's ARN; msf-local's only taggable Logs resource is the log group. */
function groupArn(arn: string): string {
  if (!arn.startsWith('arn:')) throw invalidParameter(`${arn} is not a valid ARN.`);
  return groupNameOf(arn);
}

/**
 * One page of `items` (already in the order asked for). The token is the sort key of the next item, so a page
 * boundary survives items being added or deleted between calls.
 */
function pageOf<T>(
  items: T[],
  keyOf: (item: T) => (string | number)[],
  limit: number,
  token: string | undefined,
  descending = false,
): { page: T[]; nextToken?: string } {
  let start = 0;
  if (token !== undefined) {
    let key: (string | number)[];
    try {
      key = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as (string | number)[];
      if (!Array.isArray(key)) throw new Error('not a key');
    } catch {
      throw invalidParameter('The specified nextToken is invalid.');
    }
    start = items.findIndex((item) => {
      const c = compareKeys(keyOf(item), key);
      return descending ? c <= 0 : c >= 0;
    });
    if (start < 0) start = items.length;
  }
  const page = items.slice(start, start + limit);
  const next = items[start + limit];
  return {
    page,
    nextToken:
      next === undefined ? undefined : Buffer.from(JSON.stringify(keyOf(next))).toString('base64url'),
  };
}

function compareKeys(a: (string | number)[], b: (string | number)[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}
