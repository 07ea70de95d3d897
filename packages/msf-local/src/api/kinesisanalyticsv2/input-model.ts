/**
 * The input shapes of every Kinesis Analytics V2 operation, with the constraints of the service model
 * (botocore kinesisanalyticsv2 2018-05-23). SQL- and Studio-only sub-structures are accepted as `any`:
 * msf-local answers those operations with the error MSF gives for a Flink application.
 */
import { any, bool, enumOf, int, list, map, str, struct, timestamp } from '../shape.js';
import type { Shape } from '../shape.js';

const NAME_PATTERN = '[a-zA-Z0-9_.-]+';
const applicationName = str({ min: 1, max: 128, pattern: NAME_PATTERN });
const snapshotName = str({ min: 1, max: 256, pattern: NAME_PATTERN });
const versionId = int({ min: 1, max: 999_999_999 });
const conditionalToken = str({ min: 1, max: 512, pattern: '[a-zA-Z0-9-_+/=]+' });
const arn = str({ min: 1, max: 2048, pattern: 'arn:.*' });
const id = str({ min: 1, max: 50, pattern: NAME_PATTERN });
const nextToken = str({ min: 1, max: 512 });
const limit = int({ min: 1, max: 50 });
const fileKey = str({ min: 1, max: 1024 });
const objectVersion = str({ min: 0, max: 1024 });
const configurationType = enumOf('DEFAULT', 'CUSTOM');
const logLevel = enumOf('INFO', 'WARN', 'ERROR', 'DEBUG');
const metricsLevel = enumOf('APPLICATION', 'TASK', 'OPERATOR', 'PARALLELISM');
const codeContentType = enumOf('PLAINTEXT', 'ZIPFILE');
const keyType = enumOf('AWS_OWNED_KEY', 'CUSTOMER_MANAGED_KEY');
const keyId = str({ min: 1, max: 2048 });
const textContent = str({ min: 0, max: 102_400 });
const zipFileContent: Shape = { kind: 'blob', min: 0, max: 52_428_800 };
const maintenanceTime = str({ min: 5, max: 5, pattern: '([01][0-9]|2[0-3]):[0-5][0-9]' });
export const runtimeEnvironment = enumOf(
  'SQL-1_0',
  'FLINK-1_6',
  'FLINK-1_8',
  'ZEPPELIN-FLINK-1_0',
  'FLINK-1_11',
  'FLINK-1_13',
  'ZEPPELIN-FLINK-2_0',
  'FLINK-1_15',
  'ZEPPELIN-FLINK-3_0',
  'FLINK-1_18',
  'FLINK-1_19',
  'FLINK-1_20',
  'FLINK-2_2',
  'FLINK-2_3',
);
const restoreType = enumOf(
  'SKIP_RESTORE_FROM_SNAPSHOT',
  'RESTORE_FROM_LATEST_SNAPSHOT',
  'RESTORE_FROM_CUSTOM_SNAPSHOT',
);

const tag = struct({ Key: str({ min: 1, max: 128 }), Value: str({ min: 0, max: 256 }) }, ['Key']);
const tags = list(tag, { min: 1, max: 200 });
const propertyGroups = list(
  struct(
    {
      PropertyGroupId: id,
      PropertyMap: map(str({ min: 1, max: 2048 }), str({ min: 1, max: 2048 }), { min: 1, max: 50 }),
    },
    ['PropertyGroupId', 'PropertyMap'],
  ),
  { max: 50 },
);
const s3ContentLocation = struct({ BucketARN: arn, FileKey: fileKey, ObjectVersion: objectVersion }, [
  'BucketARN',
  'FileKey',
]);
const subnetIds = list(str(), { min: 1, max: 16 });
const securityGroupIds = list(str(), { min: 1, max: 5 });
const vpcConfiguration = struct({ SubnetIds: subnetIds, SecurityGroupIds: securityGroupIds }, [
  'SubnetIds',
  'SecurityGroupIds',
]);
const restoreConfiguration = struct({ ApplicationRestoreType: restoreType, SnapshotName: snapshotName }, [
  'ApplicationRestoreType',
]);
const flinkRunConfiguration = struct({ AllowNonRestoredState: bool });

const applicationConfiguration = struct({
  SqlApplicationConfiguration: any,
  FlinkApplicationConfiguration: struct({
    CheckpointConfiguration: struct(
      {
        ConfigurationType: configurationType,
        CheckpointingEnabled: bool,
        CheckpointInterval: int({ min: 1 }),
        MinPauseBetweenCheckpoints: int({ min: 0 }),
      },
      ['ConfigurationType'],
    ),
    MonitoringConfiguration: struct(
      { ConfigurationType: configurationType, MetricsLevel: metricsLevel, LogLevel: logLevel },
      ['ConfigurationType'],
    ),
    ParallelismConfiguration: struct(
      {
        ConfigurationType: configurationType,
        Parallelism: int({ min: 1 }),
        ParallelismPerKPU: int({ min: 1 }),
        AutoScalingEnabled: bool,
      },
      ['ConfigurationType'],
    ),
  }),
  EnvironmentProperties: struct({ PropertyGroups: propertyGroups }, ['PropertyGroups']),
  ApplicationCodeConfiguration: struct(
    {
      CodeContent: struct({
        TextContent: textContent,
        ZipFileContent: zipFileContent,
        S3ContentLocation: s3ContentLocation,
      }),
      CodeContentType: codeContentType,
    },
    ['CodeContentType'],
  ),
  ApplicationSnapshotConfiguration: struct({ SnapshotsEnabled: bool }, ['SnapshotsEnabled']),
  ApplicationSystemRollbackConfiguration: struct({ RollbackEnabled: bool }, ['RollbackEnabled']),
  VpcConfigurations: list(vpcConfiguration),
  ZeppelinApplicationConfiguration: any,
  ApplicationEncryptionConfiguration: struct({ KeyId: keyId, KeyType: keyType }, ['KeyType']),
});

const applicationConfigurationUpdate = struct({
  SqlApplicationConfigurationUpdate: any,
  ApplicationCodeConfigurationUpdate: struct({
    CodeContentTypeUpdate: codeContentType,
    CodeContentUpdate: struct({
      TextContentUpdate: textContent,
      ZipFileContentUpdate: zipFileContent,
      S3ContentLocationUpdate: struct({
        BucketARNUpdate: arn,
        FileKeyUpdate: fileKey,
        ObjectVersionUpdate: objectVersion,
      }),
    }),
  }),
  FlinkApplicationConfigurationUpdate: struct({
    CheckpointConfigurationUpdate: struct({
      ConfigurationTypeUpdate: configurationType,
      CheckpointingEnabledUpdate: bool,
      CheckpointIntervalUpdate: int({ min: 1 }),
      MinPauseBetweenCheckpointsUpdate: int({ min: 0 }),
    }),
    MonitoringConfigurationUpdate: struct({
      ConfigurationTypeUpdate: configurationType,
      MetricsLevelUpdate: metricsLevel,
      LogLevelUpdate: logLevel,
    }),
    ParallelismConfigurationUpdate: struct({
      ConfigurationTypeUpdate: configurationType,
      ParallelismUpdate: int({ min: 1 }),
      ParallelismPerKPUUpdate: int({ min: 1 }),
      AutoScalingEnabledUpdate: bool,
    }),
  }),
  EnvironmentPropertyUpdates: struct({ PropertyGroups: propertyGroups }, ['PropertyGroups']),
  ApplicationSnapshotConfigurationUpdate: struct({ SnapshotsEnabledUpdate: bool }, [
    'SnapshotsEnabledUpdate',
  ]),
  ApplicationSystemRollbackConfigurationUpdate: struct({ RollbackEnabledUpdate: bool }, [
    'RollbackEnabledUpdate',
  ]),
  VpcConfigurationUpdates: list(
    struct({ VpcConfigurationId: id, SubnetIdUpdates: subnetIds, SecurityGroupIdUpdates: securityGroupIds }, [
      'VpcConfigurationId',
    ]),
  ),
  ZeppelinApplicationConfigurationUpdate: any,
  ApplicationEncryptionConfigurationUpdate: struct({ KeyIdUpdate: keyId, KeyTypeUpdate: keyType }, [
    'KeyTypeUpdate',
  ]),
});

const versionGuard = { CurrentApplicationVersionId: versionId, ConditionalToken: conditionalToken };

/** Input shape per operation name. */
export const INPUTS: Record<string, Shape> = {
  AddApplicationCloudWatchLoggingOption: struct(
    {
      ApplicationName: applicationName,
      ...versionGuard,
      CloudWatchLoggingOption: struct({ LogStreamARN: arn }, ['LogStreamARN']),
    },
    ['ApplicationName', 'CloudWatchLoggingOption'],
  ),
  AddApplicationInput: struct(
    { ApplicationName: applicationName, CurrentApplicationVersionId: versionId, Input: any },
    ['ApplicationName', 'CurrentApplicationVersionId', 'Input'],
  ),
  AddApplicationInputProcessingConfiguration: struct(
    {
      ApplicationName: applicationName,
      CurrentApplicationVersionId: versionId,
      InputId: id,
      InputProcessingConfiguration: any,
    },
    ['ApplicationName', 'CurrentApplicationVersionId', 'InputId', 'InputProcessingConfiguration'],
  ),
  AddApplicationOutput: struct(
    { ApplicationName: applicationName, CurrentApplicationVersionId: versionId, Output: any },
    ['ApplicationName', 'CurrentApplicationVersionId', 'Output'],
  ),
  AddApplicationReferenceDataSource: struct(
    { ApplicationName: applicationName, CurrentApplicationVersionId: versionId, ReferenceDataSource: any },
    ['ApplicationName', 'CurrentApplicationVersionId', 'ReferenceDataSource'],
  ),
  AddApplicationVpcConfiguration: struct(
    { ApplicationName: applicationName, ...versionGuard, VpcConfiguration: vpcConfiguration },
    ['ApplicationName', 'VpcConfiguration'],
  ),
  CreateApplication: struct(
    {
      ApplicationName: applicationName,
      ApplicationDescription: str({ min: 0, max: 1024 }),
      RuntimeEnvironment: runtimeEnvironment,
      ServiceExecutionRole: arn,
      ApplicationConfiguration: applicationConfiguration,
      CloudWatchLoggingOptions: list(struct({ LogStreamARN: arn }, ['LogStreamARN'])),
      Tags: tags,
      ApplicationMode: enumOf('STREAMING', 'INTERACTIVE'),
    },
    ['ApplicationName', 'RuntimeEnvironment', 'ServiceExecutionRole'],
  ),
  CreateApplicationPresignedUrl: struct(
    {
      ApplicationName: applicationName,
      UrlType: enumOf('FLINK_DASHBOARD_URL', 'ZEPPELIN_UI_URL'),
      SessionExpirationDurationInSeconds: int({ min: 1800, max: 43_200 }),
    },
    ['ApplicationName', 'UrlType'],
  ),
  CreateApplicationSnapshot: struct({ ApplicationName: applicationName, SnapshotName: snapshotName }, [
    'ApplicationName',
    'SnapshotName',
  ]),
  DeleteApplication: struct({ ApplicationName: applicationName, CreateTimestamp: timestamp }, [
    'ApplicationName',
    'CreateTimestamp',
  ]),
  DeleteApplicationCloudWatchLoggingOption: struct(
    { ApplicationName: applicationName, ...versionGuard, CloudWatchLoggingOptionId: id },
    ['ApplicationName', 'CloudWatchLoggingOptionId'],
  ),
  DeleteApplicationInputProcessingConfiguration: struct(
    { ApplicationName: applicationName, CurrentApplicationVersionId: versionId, InputId: id },
    ['ApplicationName', 'CurrentApplicationVersionId', 'InputId'],
  ),
  DeleteApplicationOutput: struct(
    { ApplicationName: applicationName, CurrentApplicationVersionId: versionId, OutputId: id },
    ['ApplicationName', 'CurrentApplicationVersionId', 'OutputId'],
  ),
  DeleteApplicationReferenceDataSource: struct(
    { ApplicationName: applicationName, CurrentApplicationVersionId: versionId, ReferenceId: id },
    ['ApplicationName', 'CurrentApplicationVersionId', 'ReferenceId'],
  ),
  DeleteApplicationSnapshot: struct(
    { ApplicationName: applicationName, SnapshotName: snapshotName, SnapshotCreationTimestamp: timestamp },
    ['ApplicationName', 'SnapshotName', 'SnapshotCreationTimestamp'],
  ),
  DeleteApplicationVpcConfiguration: struct(
    { ApplicationName: applicationName, ...versionGuard, VpcConfigurationId: id },
    ['ApplicationName', 'VpcConfigurationId'],
  ),
  DescribeApplication: struct({ ApplicationName: applicationName, IncludeAdditionalDetails: bool }, [
    'ApplicationName',
  ]),
  DescribeApplicationOperation: struct(
    { ApplicationName: applicationName, OperationId: str({ min: 1, max: 64 }) },
    ['ApplicationName', 'OperationId'],
  ),
  DescribeApplicationSnapshot: struct({ ApplicationName: applicationName, SnapshotName: snapshotName }, [
    'ApplicationName',
    'SnapshotName',
  ]),
  DescribeApplicationVersion: struct({ ApplicationName: applicationName, ApplicationVersionId: versionId }, [
    'ApplicationName',
    'ApplicationVersionId',
  ]),
  DiscoverInputSchema: struct(
    {
      ResourceARN: arn,
      ServiceExecutionRole: arn,
      InputStartingPositionConfiguration: any,
      S3Configuration: any,
      InputProcessingConfiguration: any,
    },
    ['ServiceExecutionRole'],
  ),
  ListApplicationOperations: struct(
    {
      ApplicationName: applicationName,
      Limit: limit,
      NextToken: nextToken,
      Operation: str({ min: 1, max: 64 }),
      OperationStatus: enumOf('IN_PROGRESS', 'CANCELLED', 'SUCCESSFUL', 'FAILED'),
    },
    ['ApplicationName'],
  ),
  ListApplicationSnapshots: struct({ ApplicationName: applicationName, Limit: limit, NextToken: nextToken }, [
    'ApplicationName',
  ]),
  ListApplicationVersions: struct({ ApplicationName: applicationName, Limit: limit, NextToken: nextToken }, [
    'ApplicationName',
  ]),
  ListApplications: struct({ Limit: limit, NextToken: applicationName }),
  ListTagsForResource: struct({ ResourceARN: arn }, ['ResourceARN']),
  RollbackApplication: struct({ ApplicationName: applicationName, CurrentApplicationVersionId: versionId }, [
    'ApplicationName',
    'CurrentApplicationVersionId',
  ]),
  StartApplication: struct(
    {
      ApplicationName: applicationName,
      RunConfiguration: struct({
        FlinkRunConfiguration: flinkRunConfiguration,
        SqlRunConfigurations: any,
        ApplicationRestoreConfiguration: restoreConfiguration,
      }),
    },
    ['ApplicationName'],
  ),
  StopApplication: struct({ ApplicationName: applicationName, Force: bool }, ['ApplicationName']),
  TagResource: struct({ ResourceARN: arn, Tags: tags }, ['ResourceARN', 'Tags']),
  UntagResource: struct(
    { ResourceARN: arn, TagKeys: list(str({ min: 1, max: 128 }), { min: 1, max: 200 }) },
    ['ResourceARN', 'TagKeys'],
  ),
  UpdateApplication: struct(
    {
      ApplicationName: applicationName,
      ...versionGuard,
      ApplicationConfigurationUpdate: applicationConfigurationUpdate,
      ServiceExecutionRoleUpdate: arn,
      RunConfigurationUpdate: struct({
        FlinkRunConfiguration: flinkRunConfiguration,
        ApplicationRestoreConfiguration: restoreConfiguration,
      }),
      CloudWatchLoggingOptionUpdates: list(
        struct({ CloudWatchLoggingOptionId: id, LogStreamARNUpdate: arn }, ['CloudWatchLoggingOptionId']),
      ),
      RuntimeEnvironmentUpdate: runtimeEnvironment,
    },
    ['ApplicationName'],
  ),
  UpdateApplicationMaintenanceConfiguration: struct(
    {
      ApplicationName: applicationName,
      ApplicationMaintenanceConfigurationUpdate: struct(
        { ApplicationMaintenanceWindowStartTimeUpdate: maintenanceTime },
        ['ApplicationMaintenanceWindowStartTimeUpdate'],
      ),
    },
    ['ApplicationName', 'ApplicationMaintenanceConfigurationUpdate'],
  ),
};
