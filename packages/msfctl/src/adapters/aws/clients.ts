/**
 * The only place msfctl builds AWS SDK clients. Credentials come from the standard provider chain
 * (profiles, SSO, environment, container and instance roles) and are never printed or written. msf-local
 * checks no credentials, so a local target signs with a fixed placeholder instead.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { KinesisAnalyticsV2Client } from '@aws-sdk/client-kinesis-analytics-v2';
import { S3Client } from '@aws-sdk/client-s3';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { ResolvedTarget } from '../targets/target.js';

type CredentialProvider = ReturnType<typeof fromNodeProviderChain>;

export const LOCAL_CREDENTIALS = { accessKeyId: 'msf-local', secretAccessKey: 'msf-local' };

export interface AwsClients {
  msf: KinesisAnalyticsV2Client;
  s3: S3Client;
  cloudwatch: CloudWatchClient;
  logs: CloudWatchLogsClient;
  kinesis: KinesisClient;
  /** The region the clients use (resolved from the profile when not given). */
  region(): Promise<string>;
  destroy(): void;
}

function credentialsFor(target: ResolvedTarget): typeof LOCAL_CREDENTIALS | CredentialProvider {
  if (target.kind === 'local') return LOCAL_CREDENTIALS;
  return fromNodeProviderChain({
    ...(target.profile ? { profile: target.profile } : {}),
    ...(target.region ? { clientConfig: { region: target.region } } : {}),
  });
}

export interface ClientOptions {
  /** Attempts per call, throttling retries included. @default the SDK's (3), or AWS_MAX_ATTEMPTS */
  maxAttempts?: number;
}

/**
 * Clients are created on first use: a command that only needs one of them builds only that one. They retry in
 * the SDK's adaptive mode (unless AWS_RETRY_MODE says otherwise): on throttling, a client-side rate limiter slows
 * every call of the client down, which is what a fleet of calls against one account needs.
 */
export function createClients(target: ResolvedTarget, options: ClientOptions = {}): AwsClients {
  const credentials = credentialsFor(target);
  const common = {
    ...(target.region ? { region: target.region } : {}),
    ...(target.profile && target.kind === 'aws' ? { profile: target.profile } : {}),
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
    retryMode: process.env.AWS_RETRY_MODE ?? 'adaptive',
    ...(options.maxAttempts !== undefined && !process.env.AWS_MAX_ATTEMPTS
      ? { maxAttempts: options.maxAttempts }
      : {}),
    credentials,
  };
  const made: Partial<Record<'msf' | 's3' | 'cloudwatch' | 'logs' | 'kinesis', { destroy(): void }>> = {};
  const lazy = <T extends { destroy(): void }>(key: keyof typeof made, build: () => T): T =>
    (made[key] ??= build()) as T;
  return {
    get msf() {
      return lazy('msf', () => new KinesisAnalyticsV2Client(common));
    },
    get s3() {
      // A custom endpoint (msf-local, MinIO, LocalStack) serves buckets by path, not by host name.
      return lazy(
        's3',
        () => new S3Client({ ...common, ...(target.endpoint ? { forcePathStyle: true } : {}) }),
      );
    },
    get cloudwatch() {
      return lazy('cloudwatch', () => new CloudWatchClient(common));
    },
    get logs() {
      return lazy('logs', () => new CloudWatchLogsClient(common));
    },
    get kinesis() {
      // Kinesis over HTTP/1.1 (kinesis-local and some proxies do not speak HTTP/2).
      return lazy('kinesis', () => new KinesisClient({ ...common, requestHandler: new NodeHttpHandler() }));
    },
    async region() {
      if (target.region) return target.region;
      return lazy('msf', () => new KinesisAnalyticsV2Client(common)).config.region();
    },
    destroy() {
      for (const client of Object.values(made)) client?.destroy();
    },
  } as AwsClients;
}
