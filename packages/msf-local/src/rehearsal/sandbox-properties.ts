import type { PropertyGroup } from '../control-plane/job-runtime.js';

/**
 * What a rehearsal reads from and changes in the job's property groups: the Kinesis streams it names (created in
 * the sandbox's private endpoint) and the AWS client settings that must point at that endpoint.
 *
 * The stream rule: a property whose key ends in `stream.name`, `stream.arn`, `streamName` or `streamArn` (any
 * case, `.`, `-` or `_` between the words, e.g. `stream.name`, `output.stream.name`, `InputStreamArn`) names one
 * stream, or several separated by commas. A value is a stream name or a Kinesis stream ARN; anything else is
 * reported as skipped. The stream's region is the ARN's, else the group's `aws.region`, else the sandbox's.
 */

export interface SandboxStream {
  name: string;
  region: string;
  /** `GROUP.key` of the property that named it (or `option` for RehearsalOptions.streams). */
  namedBy: string;
  /** Records the job wrote to it in the sandbox (counted when the window ends). */
  records?: number;
}

export interface SkippedStreamProperty {
  namedBy: string;
  value: string;
  reason: string;
}

const STREAM_KEY = /stream[._-]?(?:name|arn)$/i;
const STREAM_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;
const STREAM_ARN =
  /^arn:aws[a-z-]*:kinesis:([a-z]{2}(?:-[a-z0-9]+)+):(\d{12}):stream\/([a-zA-Z0-9_.-]{1,128})$/;
const REGION = /^[a-z]{2}(?:-[a-z0-9]+)+$/;

/** The streams the groups name, by the rule above (each name and region once), and the values it skipped. */
export function streamsNamedIn(
  groups: readonly PropertyGroup[],
  defaultRegion: string,
  extra: readonly string[] = [],
): { streams: SandboxStream[]; accountId?: string; skipped: SkippedStreamProperty[] } {
  const streams = new Map<string, SandboxStream>();
  const skipped: SkippedStreamProperty[] = [];
  let accountId: string | undefined;
  const add = (value: string, region: string, namedBy: string): void => {
    for (const item of value.split(',').map((part) => part.trim())) {
      if (!item) continue;
      const arn = STREAM_ARN.exec(item);
      const stream = arn
        ? { name: arn[3] as string, region: arn[1] as string }
        : STREAM_NAME.test(item)
          ? { name: item, region }
          : undefined;
      if (!stream) {
        skipped.push({ namedBy, value: item, reason: 'neither a Kinesis stream name nor a stream ARN' });
        continue;
      }
      if (arn) accountId ??= arn[2];
      const key = `${stream.region}/${stream.name}`;
      if (!streams.has(key)) streams.set(key, { ...stream, namedBy });
    }
  };
  for (const group of groups) {
    const groupRegion = group.PropertyMap['aws.region'];
    const region = groupRegion && REGION.test(groupRegion) ? groupRegion : defaultRegion;
    for (const [key, value] of Object.entries(group.PropertyMap)) {
      if (STREAM_KEY.test(key)) add(value, region, `${group.PropertyGroupId}.${key}`);
    }
  }
  for (const value of extra) add(value, defaultRegion, 'option');
  return { streams: [...streams.values()], ...(accountId ? { accountId } : {}), skipped };
}

/**
 * The groups as the job sees them in the sandbox. Every group that configures an AWS client (has an `aws.*` key)
 * or names a stream gets the private endpoint as `aws.endpoint` (replacing any endpoint of its own: a sandboxed
 * job must not reach a real one), and a credentials provider other than the default chain (`ASSUME_ROLE`, `WEB_IDENTITY_TOKEN`,
 * `PROFILE`…, which would call STS or read the caller's profiles) becomes `AUTO`, i.e. the sandbox's dummy keys.
 * Returns new objects.
 */
export function sandboxPropertyGroups(
  groups: readonly PropertyGroup[],
  clientProperties: Record<string, string>,
): PropertyGroup[] {
  return groups.map((group) => {
    const map = { ...group.PropertyMap };
    if (Object.keys(map).some((key) => key.startsWith('aws.') || STREAM_KEY.test(key))) {
      Object.assign(map, clientProperties);
      if (map['aws.credentials.provider'] !== undefined) map['aws.credentials.provider'] = 'AUTO';
    }
    return { PropertyGroupId: group.PropertyGroupId, PropertyMap: map };
  });
}
