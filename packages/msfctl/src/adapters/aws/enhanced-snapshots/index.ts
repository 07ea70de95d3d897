/**
 * The enhanced-snapshot operations of Kinesis Analytics V2 for msfctl, which @aws-sdk/client-kinesis-analytics-v2
 * (3.1112.0) lacks: the eight operations, and CreateApplication / UpdateApplication / StartApplication /
 * DescribeApplication / DescribeApplicationVersion / RollbackApplication with SnapshotMode and SnapshotArn. Commands built the way the SDK builds its own (its
 * command builder, endpoint plugin and AWS JSON 1.1 protocol, schemas in schemas.ts), sent through the existing
 * KinesisAnalyticsV2Client with its credentials, retries and errors (the SDK's modeled exception classes).
 *
 * Delete this folder when the SDK has the operations: import the commands of the same names from the SDK.
 */
import type {
  CreateApplicationResponse,
  KinesisAnalyticsV2Client,
  RollbackApplicationResponse,
  StartApplicationResponse,
} from '@aws-sdk/client-kinesis-analytics-v2';
import { makeBuilder } from '@smithy/core/client';
import { getEndpointPlugin } from '@smithy/core/endpoints';
import type { MetadataBearer, StaticOperationSchema } from '@smithy/types';
import * as schemas from './schemas.js';
import type {
  ApplicationDetailV2,
  CreateApplicationRequest,
  CreateSnapshotRequest,
  DeleteSnapshotRequest,
  DescribeSnapshotOperationRequest,
  DescribeSnapshotRequest,
  ExportSnapshotRequest,
  ImportSnapshotRequest,
  ListSnapshotOperationsRequest,
  ListSnapshotsRequest,
  SnapshotInfo,
  SnapshotInfoDetails,
  SnapshotOperationInfo,
  SnapshotOperationInfoDetails,
  SnapshotOperationStarted,
  SnapshotOperationStatus,
  StartApplicationRequest,
  UpdateApplicationRequest,
} from './types.js';

export type * from './types.js';

/** The client's endpoint parameters (its generated EndpointParameters.commonParams). */
const commonParams = {
  UseFIPS: { type: 'builtInParams', name: 'useFipsEndpoint' },
  Endpoint: { type: 'builtInParams', name: 'endpoint' },
  Region: { type: 'builtInParams', name: 'region' },
  UseDualStack: { type: 'builtInParams', name: 'useDualstackEndpoint' },
} as const;

const command = makeBuilder(
  commonParams,
  'KinesisAnalytics_20180523',
  'KinesisAnalyticsV2Client',
  getEndpointPlugin,
);
/* eslint-disable @typescript-eslint/no-explicit-any -- the builder's SDK-internal type parameters */
const build = <I extends object, O extends MetadataBearer>(name: string, schema: StaticOperationSchema) =>
  command<I, O>({}, () => [], name, schema) as any as new (input: I) => { input: I; __output?: O };
/* eslint-enable @typescript-eslint/no-explicit-any */

type Out<T> = T & MetadataBearer;

export const CreateSnapshotCommand = build<CreateSnapshotRequest, Out<SnapshotOperationStarted>>(
  'CreateSnapshot',
  schemas.CreateSnapshot$,
);
export const DescribeSnapshotCommand = build<
  DescribeSnapshotRequest,
  Out<{ SnapshotInfoDetails: SnapshotInfoDetails }>
>('DescribeSnapshot', schemas.DescribeSnapshot$);
export const ListSnapshotsCommand = build<
  ListSnapshotsRequest,
  Out<{ SnapshotInfoList: SnapshotInfo[]; NextToken?: string }>
>('ListSnapshots', schemas.ListSnapshots$);
export const DeleteSnapshotCommand = build<DeleteSnapshotRequest, Out<SnapshotOperationStarted>>(
  'DeleteSnapshot',
  schemas.DeleteSnapshot$,
);
export const ExportSnapshotCommand = build<
  ExportSnapshotRequest,
  Out<{ SnapshotOperationId: string; SnapshotOperationStatus: SnapshotOperationStatus }>
>('ExportSnapshot', schemas.ExportSnapshot$);
export const ImportSnapshotCommand = build<ImportSnapshotRequest, Out<SnapshotOperationStarted>>(
  'ImportSnapshot',
  schemas.ImportSnapshot$,
);
export const ListSnapshotOperationsCommand = build<
  ListSnapshotOperationsRequest,
  Out<{ SnapshotOperationInfoList: SnapshotOperationInfo[]; NextToken?: string }>
>('ListSnapshotOperations', schemas.ListSnapshotOperations$);
export const DescribeSnapshotOperationCommand = build<
  DescribeSnapshotOperationRequest,
  Out<{ SnapshotOperationInfoDetails: SnapshotOperationInfoDetails }>
>('DescribeSnapshotOperation', schemas.DescribeSnapshotOperation$);

export const CreateApplicationCommand = build<
  CreateApplicationRequest,
  Out<Omit<CreateApplicationResponse, 'ApplicationDetail'> & { ApplicationDetail: ApplicationDetailV2 }>
>('CreateApplication', schemas.CreateApplicationV2$);
export const UpdateApplicationCommand = build<
  UpdateApplicationRequest,
  Out<{ ApplicationDetail: ApplicationDetailV2; OperationId?: string }>
>('UpdateApplication', schemas.UpdateApplicationV2$);
export const StartApplicationCommand = build<StartApplicationRequest, Out<StartApplicationResponse>>(
  'StartApplication',
  schemas.StartApplicationV2$,
);
export const DescribeApplicationCommand = build<
  { ApplicationName: string; IncludeAdditionalDetails?: boolean },
  Out<{ ApplicationDetail: ApplicationDetailV2 }>
>('DescribeApplication', schemas.DescribeApplicationV2$);

export const DescribeApplicationVersionCommand = build<
  { ApplicationName: string; ApplicationVersionId: number },
  Out<{ ApplicationVersionDetail?: ApplicationDetailV2 }>
>('DescribeApplicationVersion', schemas.DescribeApplicationVersionV2$);
export const RollbackApplicationCommand = build<
  { ApplicationName: string; CurrentApplicationVersionId: number },
  Out<Omit<RollbackApplicationResponse, 'ApplicationDetail'> & { ApplicationDetail: ApplicationDetailV2 }>
>('RollbackApplication', schemas.RollbackApplicationV2$);

/** Sends one of this folder's commands through the SDK client; typed by the command. */
export function send<I, O>(
  client: KinesisAnalyticsV2Client,
  command: { input: I; __output?: O },
): Promise<O> {
  // The commands are the SDK's own kind; only their operations are unknown to the client's type.
  return client.send(command as never) as Promise<O>;
}
