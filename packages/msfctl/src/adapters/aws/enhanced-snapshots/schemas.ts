/**
 * Smithy static schemas of the enhanced-snapshot operations, in the form @aws-sdk/client-kinesis-analytics-v2
 * generates its own (its AWS JSON 1.1 protocol serialises and parses by them), transcribed from botocore
 * 1.44.18's model; and the SDK's schemas of CreateApplication, UpdateApplication, StartApplication,
 * DescribeApplication, DescribeApplicationVersion and RollbackApplication extended with SnapshotMode and
 * SnapshotArn (a member missing from a schema is dropped).
 * (Long: one schema per model shape, as the SDK's generated schemas are.)
 */
import {
  ApplicationConfiguration$,
  ApplicationConfigurationDescription$,
  ApplicationConfigurationUpdate$,
  ApplicationDetail$,
  ApplicationRestoreConfiguration$,
  ApplicationSnapshotConfiguration$,
  ApplicationSnapshotConfigurationDescription$,
  ApplicationSnapshotConfigurationUpdate$,
  CreateApplicationRequest$,
  CreateApplicationResponse$,
  DescribeApplicationRequest$,
  DescribeApplicationResponse$,
  DescribeApplicationVersionRequest$,
  DescribeApplicationVersionResponse$,
  RunConfiguration$,
  RunConfigurationDescription$,
  RollbackApplicationRequest$,
  RollbackApplicationResponse$,
  RunConfigurationUpdate$,
  StartApplicationRequest$,
  StartApplicationResponse$,
  Tag$,
  UpdateApplicationRequest$,
  UpdateApplicationResponse$,
} from '@aws-sdk/client-kinesis-analytics-v2';
import type {
  $SchemaRef,
  StaticListSchema,
  StaticOperationSchema,
  StaticStructureSchema,
} from '@smithy/types';

const NS = 'com.amazonaws.kinesisanalyticsv2';
// Simple schema ids: 0 string, 1 number, 2 boolean, 4 timestamp.
const STRING = 0;
const NUMBER = 1;
const TIMESTAMP = 4;

/** A structure whose first `required` members are required (the SDK's convention). */
function struct(name: string, members: [string, $SchemaRef][], required = 0): StaticStructureSchema {
  return [3, NS, name, 0, members.map(([m]) => m), members.map(([, s]) => s), required];
}
function list(name: string, member: () => StaticStructureSchema): StaticListSchema {
  return [1, NS, name, 0, member];
}
function operation(
  name: string,
  input: StaticStructureSchema,
  output: StaticStructureSchema,
): StaticOperationSchema {
  return [9, NS, name, 0, () => input, () => output];
}

/** The SDK's structure with members added (at the end: they are optional) or replaced. */
function extend(
  base: StaticStructureSchema,
  changes: { add?: [string, $SchemaRef][]; replace?: Record<string, $SchemaRef> },
): StaticStructureSchema {
  const [id, ns, name, traits, members, schemas, required] = base;
  const replaced = schemas.map((schema, i) => changes.replace?.[members[i]!] ?? schema);
  const added = changes.add ?? [];
  return [
    id,
    ns,
    name,
    traits,
    [...members, ...added.map(([m]) => m)],
    [...replaced, ...added.map(([, s]) => s)],
    required,
  ];
}

// ------------------------------------------------------------------ existing operations, new members

const RestoreConfiguration = extend(ApplicationRestoreConfiguration$, { add: [['SnapshotArn', STRING]] });
const SnapshotConfiguration = extend(ApplicationSnapshotConfiguration$, { add: [['SnapshotMode', STRING]] });
const SnapshotConfigurationUpdate = extend(ApplicationSnapshotConfigurationUpdate$, {
  add: [['SnapshotModeUpdate', STRING]],
});
const SnapshotConfigurationDescription = extend(ApplicationSnapshotConfigurationDescription$, {
  add: [['SnapshotMode', STRING]],
});
const restore = { ApplicationRestoreConfiguration: () => RestoreConfiguration };
const RunConfigurationV2 = extend(RunConfiguration$, { replace: restore });
const RunConfigurationUpdateV2 = extend(RunConfigurationUpdate$, { replace: restore });
const RunConfigurationDescriptionV2 = extend(RunConfigurationDescription$, {
  replace: { ApplicationRestoreConfigurationDescription: () => RestoreConfiguration },
});
const ConfigurationDescription = extend(ApplicationConfigurationDescription$, {
  replace: {
    ApplicationSnapshotConfigurationDescription: () => SnapshotConfigurationDescription,
    RunConfigurationDescription: () => RunConfigurationDescriptionV2,
  },
});
const Detail = extend(ApplicationDetail$, {
  replace: { ApplicationConfigurationDescription: () => ConfigurationDescription },
});
const withDetail = { replace: { ApplicationDetail: () => Detail } };

export const CreateApplicationV2$ = operation(
  'CreateApplication',
  extend(CreateApplicationRequest$, {
    replace: {
      ApplicationConfiguration: () =>
        extend(ApplicationConfiguration$, {
          replace: { ApplicationSnapshotConfiguration: () => SnapshotConfiguration },
        }),
    },
  }),
  extend(CreateApplicationResponse$, withDetail),
);
export const UpdateApplicationV2$ = operation(
  'UpdateApplication',
  extend(UpdateApplicationRequest$, {
    replace: {
      ApplicationConfigurationUpdate: () =>
        extend(ApplicationConfigurationUpdate$, {
          replace: { ApplicationSnapshotConfigurationUpdate: () => SnapshotConfigurationUpdate },
        }),
      RunConfigurationUpdate: () => RunConfigurationUpdateV2,
    },
  }),
  extend(UpdateApplicationResponse$, withDetail),
);
export const StartApplicationV2$ = operation(
  'StartApplication',
  extend(StartApplicationRequest$, { replace: { RunConfiguration: () => RunConfigurationV2 } }),
  StartApplicationResponse$,
);
export const DescribeApplicationV2$ = operation(
  'DescribeApplication',
  DescribeApplicationRequest$,
  extend(DescribeApplicationResponse$, withDetail),
);
export const DescribeApplicationVersionV2$ = operation(
  'DescribeApplicationVersion',
  DescribeApplicationVersionRequest$,
  extend(DescribeApplicationVersionResponse$, { replace: { ApplicationVersionDetail: () => Detail } }),
);
export const RollbackApplicationV2$ = operation(
  'RollbackApplication',
  RollbackApplicationRequest$,
  extend(RollbackApplicationResponse$, withDetail),
);

// ------------------------------------------------------------------ the enhanced-snapshot operations

const Tags = list('Tags', () => Tag$);
const S3PrefixLocation = struct(
  'S3PrefixLocation',
  [
    ['BucketARN', STRING],
    ['KeyPrefix', STRING],
  ],
  2,
);
const EncryptionConfiguration = struct(
  'SnapshotEncryptionConfiguration',
  [
    ['KeyType', STRING],
    ['KeyId', STRING],
  ],
  1,
);
const EncryptionDescription = struct(
  'EncryptionConfigurationDescription',
  [
    ['KeyType', STRING],
    ['KeyId', STRING],
  ],
  1,
);
const SourceApplicationDescription = struct(
  'SourceApplicationDescription',
  [
    ['ApplicationName', STRING],
    ['ApplicationCreationTimestamp', TIMESTAMP],
    ['ApplicationVersionId', NUMBER],
  ],
  3,
);
const SnapshotSourceDescription = struct('SnapshotSourceDescription', [
  ['S3PrefixLocation', () => S3PrefixLocation],
  ['SourceApplicationDescription', () => SourceApplicationDescription],
]);
const infoMembers: [string, $SchemaRef][] = [
  ['SnapshotName', STRING],
  ['SnapshotArn', STRING],
  ['SnapshotStatus', STRING],
  ['SnapshotCreationTimestamp', TIMESTAMP],
  ['SnapshotInitiator', STRING],
  ['SnapshotInitiatorOperation', STRING],
  ['SnapshotFormat', STRING],
];
const SnapshotInfo = struct('SnapshotInfo', [...infoMembers, ['SourceApplicationName', STRING]], 7);
const SnapshotInfoDetails = struct(
  'SnapshotInfoDetails',
  [
    ...infoMembers,
    ['SnapshotSourceDescription', () => SnapshotSourceDescription],
    ['SnapshotDescription', STRING],
    ['RuntimeEnvironment', STRING],
    ['SnapshotSizeInBytes', NUMBER],
    ['SnapshotEncryptionConfigurationDescription', () => EncryptionConfiguration],
  ],
  8,
);
const operationMembers: [string, $SchemaRef][] = [
  ['SnapshotOperationId', STRING],
  ['SnapshotOperation', STRING],
  ['SnapshotOperationStatus', STRING],
];
const SnapshotOperationInfo = struct(
  'SnapshotOperationInfo',
  [...operationMembers, ['StartTime', TIMESTAMP], ['EndTime', TIMESTAMP]],
  3,
);
const OperationS3PrefixLocation = struct(
  'SnapshotOperationS3PrefixLocation',
  [
    ['BucketARN', STRING],
    ['KeyPrefix', STRING],
    ['ExportedPrefix', STRING],
  ],
  2,
);
const OperationLocation = struct(
  'SnapshotOperationLocationDescription',
  [
    ['LocationType', STRING],
    ['S3PrefixLocation', () => OperationS3PrefixLocation],
  ],
  2,
);
const SnapshotOperationInfoDetails = struct(
  'SnapshotOperationInfoDetails',
  [
    ...operationMembers,
    ['SnapshotArn', STRING],
    ['SourceEncryptionConfigurationDescription', () => EncryptionDescription],
    ['DestinationEncryptionConfigurationDescription', () => EncryptionDescription],
    ['SnapshotSourceLocationDescription', () => OperationLocation],
    ['SnapshotDestinationLocationDescription', () => OperationLocation],
    [
      'ApplicationOperationDescription',
      () =>
        struct('ApplicationOperationDescription', [
          ['ApplicationOperationId', STRING],
          ['ApplicationName', STRING],
        ]),
    ],
    ['StartTime', TIMESTAMP],
    ['EndTime', TIMESTAMP],
    [
      'SnapshotOperationFailureDetails',
      () =>
        struct('SnapshotOperationFailureDetails', [
          [
            'ErrorInfo',
            () =>
              struct('SnapshotErrorInfo', [
                ['ErrorCode', STRING],
                ['ErrorString', STRING],
              ]),
          ],
        ]),
    ],
  ],
  4,
);
const OperationStarted = (name: string) =>
  struct(name, [['SnapshotArn', STRING], ['SnapshotStatus', STRING], ...operationMembers], 4);

export const CreateSnapshot$ = operation(
  'CreateSnapshot',
  struct(
    'CreateSnapshotRequest',
    [
      ['ApplicationName', STRING],
      ['SnapshotName', STRING],
      ['SnapshotDescription', STRING],
      ['Tags', () => Tags],
    ],
    2,
  ),
  OperationStarted('CreateSnapshotResponse'),
);
export const DescribeSnapshot$ = operation(
  'DescribeSnapshot',
  struct('DescribeSnapshotRequest', [['SnapshotName', STRING]], 1),
  struct('DescribeSnapshotResponse', [['SnapshotInfoDetails', () => SnapshotInfoDetails]], 1),
);
export const ListSnapshots$ = operation(
  'ListSnapshots',
  struct('ListSnapshotsRequest', [
    ['SourceApplicationName', STRING],
    ['SnapshotInitiator', STRING],
    ['SnapshotInitiatorOperation', STRING],
    ['SnapshotStatus', STRING],
    ['Limit', NUMBER],
    ['NextToken', STRING],
  ]),
  struct(
    'ListSnapshotsResponse',
    [
      ['SnapshotInfoList', () => list('SnapshotInfoList', () => SnapshotInfo)],
      ['NextToken', STRING],
    ],
    1,
  ),
);
export const DeleteSnapshot$ = operation(
  'DeleteSnapshot',
  struct(
    'DeleteSnapshotRequest',
    [
      ['SnapshotName', STRING],
      ['SnapshotCreationTimestamp', TIMESTAMP],
    ],
    2,
  ),
  OperationStarted('DeleteSnapshotResponse'),
);
export const ExportSnapshot$ = operation(
  'ExportSnapshot',
  struct(
    'ExportSnapshotRequest',
    [
      ['SnapshotName', STRING],
      [
        'ExportDestinationConfiguration',
        () =>
          struct(
            'ExportDestinationConfiguration',
            [
              ['DestinationType', STRING],
              ['ExportRoleArn', STRING],
              ['DestinationS3PrefixLocation', () => S3PrefixLocation],
              ['DestinationEncryptionConfiguration', () => EncryptionConfiguration],
            ],
            3,
          ),
      ],
    ],
    2,
  ),
  struct(
    'ExportSnapshotResponse',
    [
      ['SnapshotOperationId', STRING],
      ['SnapshotOperationStatus', STRING],
    ],
    2,
  ),
);
export const ImportSnapshot$ = operation(
  'ImportSnapshot',
  struct(
    'ImportSnapshotRequest',
    [
      ['SnapshotName', STRING],
      [
        'ImportSourceConfiguration',
        () =>
          struct(
            'ImportSourceConfiguration',
            [
              ['SourceType', STRING],
              ['ImportRoleArn', STRING],
              ['SourceS3PrefixLocation', () => S3PrefixLocation],
              ['SourceEncryptionConfiguration', () => EncryptionConfiguration],
            ],
            3,
          ),
      ],
      ['DestinationEncryptionConfiguration', () => EncryptionConfiguration],
      ['SnapshotDescription', STRING],
      ['SnapshotFormat', STRING],
      ['Tags', () => Tags],
    ],
    2,
  ),
  OperationStarted('ImportSnapshotResponse'),
);
export const ListSnapshotOperations$ = operation(
  'ListSnapshotOperations',
  struct(
    'ListSnapshotOperationsRequest',
    [
      ['SnapshotName', STRING],
      ['SnapshotOperation', STRING],
      ['SnapshotOperationStatus', STRING],
      ['Limit', NUMBER],
      ['NextToken', STRING],
    ],
    1,
  ),
  struct(
    'ListSnapshotOperationsResponse',
    [
      ['SnapshotOperationInfoList', () => list('SnapshotOperationInfoList', () => SnapshotOperationInfo)],
      ['NextToken', STRING],
    ],
    1,
  ),
);
export const DescribeSnapshotOperation$ = operation(
  'DescribeSnapshotOperation',
  struct(
    'DescribeSnapshotOperationRequest',
    [
      ['SnapshotName', STRING],
      ['SnapshotOperationId', STRING],
    ],
    2,
  ),
  struct(
    'DescribeSnapshotOperationResponse',
    [['SnapshotOperationInfoDetails', () => SnapshotOperationInfoDetails]],
    1,
  ),
);
