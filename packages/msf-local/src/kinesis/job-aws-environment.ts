import type { PropertyGroup } from '../control-plane/job-runtime.js';

/**
 * How a job's AWS clients reach msf-local with no change to the job's code or configuration (README.md here).
 *
 * The Kinesis sink of flink-connector-kinesis 4.3.0-1.19 bundles AWS SDK for Java 2.20.144 (5.0.0-1.20: 2.26.19).
 * The SDK honours AWS_ENDPOINT_URL / aws.endpointUrl only from 2.28.1, so the environment alone cannot redirect
 * it; the connector does read `aws.endpoint` and `aws.http.protocol.version` from the client properties the job
 * passes it, which are the job's runtime property groups. msf-local therefore adds those two keys to the groups
 * the job sees (never to what DescribeApplication shows), and sets the environment and system properties for
 * every other client (newer SDKs, credentials, region).
 */

export interface JobAwsEndpoints {
  /** msf-local's one endpoint, e.g. `http://127.0.0.1:4566`: serves Kinesis, S3, CloudWatch and the MSF API. */
  edgeUrl: string;
  /** The application's region (what AWS_REGION is on MSF). */
  region: string;
  /** What job clients sign with; kinesis-local checks no signature (a 12-digit key id selects its account). */
  accessKeyId?: string;
  secretAccessKey?: string;
}

export interface JobAwsSettings {
  /** Environment variables of the job's JVM. */
  environment: Record<string, string>;
  /** System properties of the job's JVM. */
  systemProperties: Record<string, string>;
  /** Added to each AWS client property group the job sees; apply with `jobPropertyGroups`. */
  clientProperties: Record<string, string>;
}

export const DEFAULT_JOB_ACCESS_KEY_ID = 'MSFLOCALJOBKEY';
export const DEFAULT_JOB_SECRET_ACCESS_KEY = 'msf-local';

export function jobAwsEnvironment(endpoints: JobAwsEndpoints): JobAwsSettings {
  const edge = new URL(endpoints.edgeUrl);
  if (edge.protocol !== 'http:')
    throw new Error(`msf-local's endpoint must be plain http://, got ${endpoints.edgeUrl}`);
  const url = edge.origin;
  const accessKeyId = endpoints.accessKeyId ?? DEFAULT_JOB_ACCESS_KEY_ID;
  const secretAccessKey = endpoints.secretAccessKey ?? DEFAULT_JOB_SECRET_ACCESS_KEY;
  return {
    environment: {
      AWS_REGION: endpoints.region,
      AWS_DEFAULT_REGION: endpoints.region,
      AWS_ACCESS_KEY_ID: accessKeyId,
      AWS_SECRET_ACCESS_KEY: secretAccessKey,
      // SDKs that know it (Java v2 >= 2.28.1, JS v3, boto3, CLI): every service at msf-local, never real AWS.
      AWS_ENDPOINT_URL: url,
      // No instance-metadata probing (seconds of timeouts on a laptop).
      AWS_EC2_METADATA_DISABLED: 'true',
    },
    systemProperties: {
      // System properties come before the environment in the Java SDK's default credential chain, so these win
      // over any AWS_* credentials the job's JVM might inherit.
      'aws.accessKeyId': accessKeyId,
      'aws.secretAccessKey': secretAccessKey,
      'aws.region': endpoints.region,
      'aws.endpointUrl': url,
      'aws.disableEc2Metadata': 'true',
    },
    clientProperties: {
      // Read by flink-connector-aws (AWSConfigConstants) for the Kinesis sink/source, Firehose, DynamoDB...
      'aws.endpoint': url,
      // The connector defaults to HTTP/2 (prior-knowledge h2c over http://). The edge accepts h2c since it
      // routes by connection preface, but the job's Netty client was only verified end to end over HTTP/1.1.
      'aws.http.protocol.version': 'HTTP1_1',
    },
  };
}

/**
 * The property groups as the job must see them: each group that configures an AWS client (has an `aws.*` key)
 * and names no endpoint of its own gets `clientProperties`. A group with its own `aws.endpoint` is left exactly as
 * configured. Returns new objects; `groups` is not changed.
 */
export function jobPropertyGroups(
  groups: PropertyGroup[],
  settings: Pick<JobAwsSettings, 'clientProperties'>,
): PropertyGroup[] {
  return groups.map((group) => {
    const keys = Object.keys(group.PropertyMap);
    const configuresAwsClient = keys.some((key) => key.startsWith('aws.'));
    if (!configuresAwsClient || 'aws.endpoint' in group.PropertyMap) {
      return { PropertyGroupId: group.PropertyGroupId, PropertyMap: { ...group.PropertyMap } };
    }
    return {
      PropertyGroupId: group.PropertyGroupId,
      PropertyMap: { ...group.PropertyMap, ...settings.clientProperties },
    };
  });
}
