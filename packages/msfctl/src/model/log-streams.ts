/**
 * Where MSF ships an application's logs: a CloudWatch Logs stream, named in the application's logging options by
 * its ARN (`arn:<partition>:logs:<region>:<account>:log-group:<group>:log-stream:<stream>`).
 */

export interface LogStreamRef {
  arn: string;
  region: string;
  account: string;
  group: string;
  stream: string;
}

/** A log group name: 1–512 of [.-_/#A-Za-z0-9]. */
export const LOG_GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;
/** A log stream name: 1–512 characters, no ":" or "*". */
export const LOG_STREAM_NAME = /^[^:*]{1,512}$/;

const ARN = /^arn:(aws[a-z-]*):logs:([a-z0-9-]+):(\d{12}):log-group:([^:]+):log-stream:([^:*]+)$/;

export function parseLogStreamArn(arn: string): LogStreamRef | undefined {
  const match = ARN.exec(arn);
  if (!match) return undefined;
  const [, , region, account, group, stream] = match;
  if (!LOG_GROUP_NAME.test(group!)) return undefined;
  return { arn, region: region!, account: account!, group: group!, stream: stream! };
}

export function logStreamArn(where: {
  region: string;
  account: string;
  group: string;
  stream: string;
}): string {
  const partition = where.region.startsWith('cn-')
    ? 'aws-cn'
    : where.region.startsWith('us-gov-')
      ? 'aws-us-gov'
      : 'aws';
  return `arn:${partition}:logs:${where.region}:${where.account}:log-group:${where.group}:log-stream:${where.stream}`;
}

/** The account of an IAM role ARN (the spec's service role names the account the application lives in). */
export function accountOfRole(roleArn: string): string | undefined {
  return /^arn:aws[a-z-]*:iam::(\d{12}):role\//.exec(roleArn)?.[1];
}
