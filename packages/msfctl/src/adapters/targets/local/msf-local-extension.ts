/**
 * msf-local's public extension API (packages/msf-local/README.md): `MsfLocal_20261201.ExportApplicationSnapshot`,
 * which exports an application snapshot's (legacy) savepoint to msf-local's S3 the way ExportSnapshot exports an
 * enhanced one, and answers once the files are there. Same protocol as Kinesis Analytics V2 (AWS JSON 1.1), so
 * the command is built and sent the way the SDK builds its own, through a Kinesis Analytics V2 client whose
 * protocol names the extension's target; errors arrive as the SDK's exception classes.
 */
import { errorTypeRegistries, KinesisAnalyticsV2Client } from '@aws-sdk/client-kinesis-analytics-v2';
import { makeBuilder } from '@smithy/core/client';
import { getEndpointPlugin } from '@smithy/core/endpoints';
import type { MetadataBearer, StaticOperationSchema, StaticStructureSchema } from '@smithy/types';

export const EXTENSION_TARGET = 'MsfLocal_20261201';

const NS = 'com.amazonaws.kinesisanalyticsv2';
const STRING = 0;

const S3PrefixLocation: StaticStructureSchema = [
  3,
  NS,
  'S3PrefixLocation',
  0,
  ['BucketARN', 'KeyPrefix'],
  [STRING, STRING],
  2,
];
const ExportApplicationSnapshot$: StaticOperationSchema = [
  9,
  NS,
  'ExportApplicationSnapshot',
  0,
  () => [
    3,
    NS,
    'ExportApplicationSnapshotRequest',
    0,
    ['ApplicationName', 'SnapshotName', 'DestinationS3PrefixLocation'],
    [STRING, STRING, () => S3PrefixLocation],
    3,
  ],
  () => [3, NS, 'ExportApplicationSnapshotResponse', 0, ['ExportedPrefix'], [STRING], 1],
];

export interface ExportApplicationSnapshotRequest {
  ApplicationName: string;
  SnapshotName: string;
  DestinationS3PrefixLocation: { BucketARN: string; KeyPrefix: string };
}

/** The client's endpoint parameters (the SDK client's generated EndpointParameters.commonParams). */
const commonParams = {
  UseFIPS: { type: 'builtInParams', name: 'useFipsEndpoint' },
  Endpoint: { type: 'builtInParams', name: 'endpoint' },
  Region: { type: 'builtInParams', name: 'region' },
  UseDualStack: { type: 'builtInParams', name: 'useDualstackEndpoint' },
} as const;

/* eslint-disable @typescript-eslint/no-explicit-any -- the builder's SDK-internal type parameters */
export const ExportApplicationSnapshotCommand = makeBuilder(
  commonParams,
  EXTENSION_TARGET,
  'KinesisAnalyticsV2Client',
  getEndpointPlugin,
)({}, () => [], 'ExportApplicationSnapshot', ExportApplicationSnapshot$) as any as new (
  input: ExportApplicationSnapshotRequest,
) => { input: ExportApplicationSnapshotRequest; __output?: { ExportedPrefix: string } & MetadataBearer };
/* eslint-enable @typescript-eslint/no-explicit-any */

/** A Kinesis Analytics V2 client that addresses the extension's X-Amz-Target. */
export function extensionClient(config: {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}): KinesisAnalyticsV2Client {
  return new KinesisAnalyticsV2Client({
    ...config,
    protocolSettings: {
      defaultNamespace: NS,
      errorTypeRegistries,
      version: '2018-05-23',
      serviceTarget: EXTENSION_TARGET,
    },
  });
}

export async function exportApplicationSnapshot(
  client: KinesisAnalyticsV2Client,
  input: ExportApplicationSnapshotRequest,
): Promise<{ ExportedPrefix: string }> {
  // The command is the SDK's own kind; only its operation is unknown to the client's type.
  return (await client.send(new ExportApplicationSnapshotCommand(input) as never)) as unknown as {
    ExportedPrefix: string;
  };
}
