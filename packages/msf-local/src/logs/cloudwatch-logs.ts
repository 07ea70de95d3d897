/**
 * CloudWatch Logs semantics over the LogStore: log groups (retention, KMS key, tags, class), streams, and events
 * written with PutLogEvents' rules and read back with GetLogEvents and FilterLogEvents (log-reads.ts). Errors are
 * thrown as ServiceError with the model's error shape names; the wire (api/logs/) maps requests and responses.
 */
import type { StoredEvent } from './event-segments.js';
import { invalidParameter, logsError } from './errors.js';
import {
  EVENT_OVERHEAD_BYTES,
  filterStreams,
  MAX_BATCH_BYTES,
  readStream,
  type EventPage,
  type FilterOptions,
  type FilterPage,
  type StreamReadOptions,
} from './log-reads.js';
import type { GroupSettings, LogGroup, LogStore, LogStream } from './log-store.js';
import { lowerBound } from './log-store.js';

export { logsError } from './errors.js';
export type { EventPage, FilteredEvent } from './log-reads.js';

const DAY_MS = 86_400_000;
/** The retention periods PutRetentionPolicy accepts. */
export const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];
const MAX_TAGS = 50;

const notFound = (message: string) => logsError('ResourceNotFoundException', message);

export interface CloudWatchLogsOptions {
  account: string;
  now?: () => number;
  /** Whether a KMS key ARN names a key logs may use (exists, enabled); default: any key. */
  kmsKeyUsable?: (keyArn: string) => boolean;
}

export interface RejectedEvents {
  tooNewLogEventStartIndex?: number;
  tooOldLogEventEndIndex?: number;
  expiredLogEventEndIndex?: number;
}

export class CloudWatchLogs {
  readonly account: string;
  private readonly now: () => number;

  constructor(
    readonly store: LogStore,
    private readonly options: CloudWatchLogsOptions,
  ) {
    this.account = options.account;
    this.now = options.now ?? Date.now;
  }

  // ---------------------------------------------------------------- groups

  async createLogGroup(
    input: {
      name: string;
      kmsKeyId?: string;
      tags?: Record<string, string>;
      logGroupClass?: string;
      deletionProtection?: boolean;
    },
    region: string,
  ): Promise<LogGroup> {
    return this.store.withGroup(input.name, async () => {
      if (this.store.group(input.name))
        throw logsError('ResourceAlreadyExistsException', 'The specified log group already exists');
      const settings: GroupSettings = {
        name: input.name,
        region,
        createdAt: this.now(),
        logGroupClass: input.logGroupClass ?? 'STANDARD',
        deletionProtection: input.deletionProtection ?? false,
        tags: { ...input.tags },
      };
      if (input.kmsKeyId !== undefined) settings.kmsKeyId = this.usableKey(input.kmsKeyId, settings);
      checkTagCount(settings);
      return this.store.saveGroup(settings);
    });
  }

  async deleteLogGroup(name: string): Promise<void> {
    await this.store.withGroup(name, async () => {
      const group = this.requireGroup(name);
      if (group.settings.deletionProtection) {
        throw logsError('InvalidOperationException', `Log group ${name} has deletion protection enabled.`);
      }
      await this.store.removeGroup(name);
    });
  }

  /** Groups by name, as DescribeLogGroups filters them. */
  listGroups(filter: {
    prefix?: string;
    pattern?: string;
    logGroupClass?: string;
    names?: string[];
  }): LogGroup[] {
    if (filter.prefix !== undefined && filter.pattern !== undefined) {
      throw invalidParameter(
        'LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.',
      );
    }
    return this.store.allGroups().filter((g) => {
      const name = g.settings.name;
      if (filter.prefix !== undefined && !name.startsWith(filter.prefix)) return false;
      if (filter.pattern !== undefined && !name.includes(filter.pattern)) return false;
      if (filter.names !== undefined && !filter.names.includes(name)) return false;
      return filter.logGroupClass === undefined || g.settings.logGroupClass === filter.logGroupClass;
    });
  }

  /** A group by name or ARN (`logGroupIdentifier`, with or without the trailing `:*`). */
  requireGroup(nameOrArn: string): LogGroup {
    const group = this.store.group(groupNameOf(nameOrArn));
    if (!group) throw notFound('The specified log group does not exist.');
    return group;
  }

  async putRetentionPolicy(name: string, days: number): Promise<void> {
    if (!RETENTION_DAYS.includes(days)) {
      throw invalidParameter(
        `1 validation error detected: Value '${days}' at 'retentionInDays' failed to satisfy constraint: ` +
          `Member must satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`,
      );
    }
    await this.updateGroup(name, (s) => ({ ...s, retentionDays: days }));
    await this.expire(name);
  }

  deleteRetentionPolicy(name: string): Promise<void> {
    return this.updateGroup(name, ({ retentionDays: _dropped, ...rest }) => rest);
  }

  associateKmsKey(name: string, keyId: string): Promise<void> {
    return this.updateGroup(name, (s) => ({ ...s, kmsKeyId: this.usableKey(keyId, s) }));
  }

  disassociateKmsKey(name: string): Promise<void> {
    return this.updateGroup(name, ({ kmsKeyId: _dropped, ...rest }) => rest);
  }

  tag(nameOrArn: string, tags: Record<string, string>): Promise<void> {
    return this.updateGroup(groupNameOf(nameOrArn), (s) => {
      const next = { ...s, tags: { ...s.tags, ...tags } };
      checkTagCount(next);
      return next;
    });
  }

  untag(nameOrArn: string, keys: string[]): Promise<void> {
    return this.updateGroup(groupNameOf(nameOrArn), (s) => ({
      ...s,
      tags: Object.fromEntries(Object.entries(s.tags).filter(([k]) => !keys.includes(k))),
    }));
  }

  groupArn(group: LogGroup): string {
    return `arn:aws:logs:${group.settings.region}:${this.account}:log-group:${group.settings.name}`;
  }

  streamArn(group: LogGroup, stream: string): string {
    return `${this.groupArn(group)}:log-stream:${stream}`;
  }

  // ---------------------------------------------------------------- streams

  async createLogStream(groupName: string, name: string): Promise<void> {
    await this.store.withGroup(groupName, async () => {
      const group = this.requireGroup(groupName);
      if (group.streams.has(name))
        throw logsError('ResourceAlreadyExistsException', 'The specified log stream already exists');
      await this.store.createStream(group, name, this.now());
    });
  }

  async deleteLogStream(groupName: string, name: string): Promise<void> {
    await this.store.withGroup(groupName, async () => {
      const group = this.requireGroup(groupName);
      if (!group.streams.has(name)) throw notFound('The specified log stream does not exist.');
      await this.store.removeStream(group, name);
    });
  }

  /** The streams of a group in DescribeLogStreams' order. */
  listStreams(
    groupNameOrArn: string,
    options: { prefix?: string; orderBy?: string; descending?: boolean },
  ): LogStream[] {
    const group = this.requireGroup(groupNameOrArn);
    if (options.orderBy === 'LastEventTime' && options.prefix !== undefined) {
      throw invalidParameter('Cannot order by LastEventTime with a logStreamNamePrefix.');
    }
    const streams = [...group.streams.values()].filter(
      (s) => options.prefix === undefined || s.name.startsWith(options.prefix),
    );
    const byName = (a: LogStream, b: LogStream) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    if (options.orderBy === 'LastEventTime') {
      const last = new Map(streams.map((s) => [s, this.visible(group, s).at(-1)?.timestamp ?? 0]));
      streams.sort((a, b) => last.get(a)! - last.get(b)! || byName(a, b));
    } else {
      streams.sort(byName);
    }
    return options.descending ? streams.reverse() : streams;
  }

  /** The stream's events that retention has not expired (oldest first). */
  visible(group: LogGroup, stream: LogStream): StoredEvent[] {
    const cutoff = this.retentionCutoff(group);
    return cutoff === undefined ? stream.events : stream.events.slice(lowerBound(stream.events, cutoff));
  }

  // ---------------------------------------------------------------- events

  /** PutLogEvents: accepts what the rules accept, durably, and reports the rest as rejected. */
  async putLogEvents(
    groupName: string,
    streamName: string,
    events: { timestamp: number; message: string }[],
  ): Promise<{ rejected?: RejectedEvents }> {
    return this.store.withGroup(groupName, async () => {
      const group = this.store.group(groupName);
      if (!group) throw notFound('The specified log group does not exist.');
      const stream = group.streams.get(streamName);
      if (!stream) throw notFound('The specified log stream does not exist.');
      const bytes = events.reduce(
        (n, e) => n + Buffer.byteLength(e.message, 'utf8') + EVENT_OVERHEAD_BYTES,
        0,
      );
      if (bytes > MAX_BATCH_BYTES) {
        throw invalidParameter(`Upload too large: ${bytes} bytes exceeds limit of ${MAX_BATCH_BYTES}`);
      }
      for (let i = 1; i < events.length; i++) {
        if (events[i]!.timestamp < events[i - 1]!.timestamp) {
          throw invalidParameter(
            'Log events in a single PutLogEvents request must be in chronological order.',
          );
        }
      }
      const now = this.now();
      const tooOld = now - 14 * DAY_MS;
      const expired = this.retentionCutoff(group) ?? -Infinity;
      const tooNew = now + 2 * 3_600_000;
      const rejected: RejectedEvents = {};
      const accepted = events.filter((e, i) => {
        if (e.timestamp < tooOld) rejected.tooOldLogEventEndIndex = i + 1;
        else if (e.timestamp < expired) rejected.expiredLogEventEndIndex = i + 1;
        else if (e.timestamp > tooNew) rejected.tooNewLogEventStartIndex ??= i;
        else return true;
        return false;
      });
      if (accepted.length > 0 && accepted.at(-1)!.timestamp - accepted[0]!.timestamp > DAY_MS) {
        throw invalidParameter(
          'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.',
        );
      }
      await this.store.append(stream, accepted, now);
      return Object.keys(rejected).length > 0 ? { rejected } : {};
    });
  }

  /** GetLogEvents over the stream's unexpired events (see log-reads.ts for the tokens). */
  getLogEvents(groupNameOrArn: string, streamName: string, options: StreamReadOptions): EventPage {
    const group = this.requireGroup(groupNameOrArn);
    const stream = group.streams.get(streamName);
    if (!stream) throw notFound('The specified log stream does not exist.');
    return readStream(this.visible(group, stream), options);
  }

  /** FilterLogEvents over the group's selected streams (see log-reads.ts for order and pages). */
  filterLogEvents(
    groupNameOrArn: string,
    options: FilterOptions & { streamNames?: string[]; streamPrefix?: string },
  ): FilterPage {
    const group = this.requireGroup(groupNameOrArn);
    if (options.streamNames !== undefined && options.streamPrefix !== undefined) {
      throw invalidParameter('logStreamNames and logStreamNamePrefix are mutually exclusive parameters.');
    }
    const streams = [...group.streams.values()]
      .filter(
        (s) =>
          (options.streamNames === undefined || options.streamNames.includes(s.name)) &&
          (options.streamPrefix === undefined || s.name.startsWith(options.streamPrefix)),
      )
      .map((s) => ({ name: s.name, events: this.visible(group, s) }));
    return filterStreams(streams, options);
  }

  /** Drops every group's expired events (run periodically; reads already hide them). */
  async expireAll(): Promise<void> {
    for (const group of this.store.allGroups()) await this.expire(group.settings.name);
  }

  // ---------------------------------------------------------------- helpers

  private async expire(name: string): Promise<void> {
    await this.store.withGroup(name, async () => {
      const group = this.store.group(name);
      const cutoff = group && this.retentionCutoff(group);
      if (group && cutoff !== undefined) await this.store.expire(group, cutoff);
    });
  }

  private retentionCutoff(group: LogGroup): number | undefined {
    const days = group.settings.retentionDays;
    return days === undefined ? undefined : this.now() - days * DAY_MS;
  }

  private updateGroup(name: string, change: (settings: GroupSettings) => GroupSettings): Promise<void> {
    return this.store.withGroup(name, async () => {
      const group = this.requireGroup(name);
      await this.store.saveGroup(change(group.settings));
    });
  }

  private usableKey(keyId: string, group: GroupSettings): string {
    const arn = `arn:aws:logs:${group.region}:${this.account}:log-group:${group.name}`;
    if (
      !/^arn:aws[a-z-]*:kms:[^:]*:\d{12}:key\/.+/.test(keyId) ||
      !(this.options.kmsKeyUsable?.(keyId) ?? true)
    ) {
      throw logsError(
        'AccessDeniedException',
        `The specified KMS key does not exist or is not allowed to be used with Arn '${arn}'`,
      );
    }
    return keyId;
  }
}

function checkTagCount(settings: GroupSettings): void {
  if (Object.keys(settings.tags).length > MAX_TAGS) {
    throw logsError('TooManyTagsException', `A log group can have at most ${MAX_TAGS} tags.`);
  }
}

/** The log group name in `arn:aws:logs:<region>:<account>:log-group:<name>[:*]`, or the name itself. */
export function groupNameOf(nameOrArn: string): string {
  if (!nameOrArn.startsWith('arn:')) return nameOrArn;
  const match = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:(.+?)(?::\*)?$/.exec(nameOrArn);
  if (!match) throw invalidParameter(`${nameOrArn} is not a log group ARN.`);
  return match[1]!;
}
