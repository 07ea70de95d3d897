/**
 * Kinesis Analytics V2 operations: each takes the validated request body and answers with the response body.
 * Thin glue between the wire (wire.ts) and the control plane: no decisions are made here.
 */
import { invalidArgument, unsupportedOperation } from '../../control-plane/errors.js';
import { currentVersion } from '../../control-plane/model.js';
import type { OperationStatus } from '../../control-plane/model.js';
import { paginate } from '../pagination.js';
import type { OperationHandler } from './handler.js';
import { SNAPSHOT_OPERATIONS } from './snapshot-operations.js';
import {
  applicationDetail,
  applicationSummary,
  configUpdateFrom,
  createInputFrom,
  operationDetails,
  operationInfo,
  runInputFrom,
  snapshotDetails,
  tagsFrom,
  timestampMs,
} from './wire.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- request bodies are validated JSON */
type Json = any;

export type { OperationContext, OperationHandler } from './handler.js';

const guardOf = (body: Json) => ({
  currentApplicationVersionId: body.CurrentApplicationVersionId,
  conditionalToken: body.ConditionalToken,
});

/** SQL-application operations: validated, then refused as MSF refuses them for a Flink application. */
function sqlOnly(operation: string): OperationHandler {
  return (cp, body) => {
    const app = cp.describeApplication(body.ApplicationName);
    throw invalidArgument(
      `${operation} is supported only for SQL-based applications; application ${app.name} runs ` +
        `${currentVersion(app).config.runtimeEnvironment}.`,
    );
  };
}

export const OPERATIONS: Record<string, OperationHandler> = {
  async CreateApplication(cp, body, ctx) {
    const app = await cp.createApplication(createInputFrom(body), ctx.region);
    return { ApplicationDetail: applicationDetail(app) };
  },

  async DescribeApplication(cp, body) {
    const detail = applicationDetail(cp.describeApplication(body.ApplicationName));
    if (body.IncludeAdditionalDetails === true) {
      const plan = await cp.jobPlan(body.ApplicationName);
      if (plan !== undefined) {
        detail.ApplicationConfigurationDescription.FlinkApplicationConfigurationDescription.JobPlanDescription =
          plan;
      }
    }
    return { ApplicationDetail: detail };
  },

  ListApplications(cp, body) {
    const { page, nextToken } = paginate(
      cp.listApplications(),
      (a) => a.name,
      body.Limit,
      body.NextToken,
      true,
    );
    return { ApplicationSummaries: page.map(applicationSummary), NextToken: nextToken };
  },

  async UpdateApplication(cp, body) {
    const { app, operationId } = await cp.updateApplication(
      body.ApplicationName,
      guardOf(body),
      configUpdateFrom(body),
      runInputFrom(body.RunConfigurationUpdate),
    );
    return { ApplicationDetail: applicationDetail(app), OperationId: operationId };
  },

  async StartApplication(cp, body) {
    return {
      OperationId: await cp.startApplication(body.ApplicationName, runInputFrom(body.RunConfiguration)),
    };
  },

  async StopApplication(cp, body) {
    return { OperationId: await cp.stopApplication(body.ApplicationName, body.Force === true) };
  },

  async RollbackApplication(cp, body) {
    const { app, operationId } = await cp.rollbackApplication(
      body.ApplicationName,
      body.CurrentApplicationVersionId,
    );
    return { ApplicationDetail: applicationDetail(app), OperationId: operationId };
  },

  async DeleteApplication(cp, body) {
    await cp.deleteApplication(body.ApplicationName, timestampMs(body.CreateTimestamp));
    return {};
  },

  async CreateApplicationSnapshot(cp, body) {
    await cp.createSnapshot(body.ApplicationName, body.SnapshotName);
    return {};
  },

  DescribeApplicationSnapshot(cp, body) {
    const snapshot = cp.describeSnapshot(body.ApplicationName, body.SnapshotName);
    return { SnapshotDetails: snapshotDetails(snapshot, cp.describeApplication(body.ApplicationName)) };
  },

  ListApplicationSnapshots(cp, body) {
    const { page, nextToken } = paginate(
      cp.listSnapshots(body.ApplicationName),
      // Creation order, as an ordered key: a token whose snapshot was deleted between pages resumes after it.
      (s) => String(s.sequence).padStart(12, '0'),
      body.Limit,
      body.NextToken,
      true,
    );
    const app = cp.describeApplication(body.ApplicationName);
    return { SnapshotSummaries: page.map((s) => snapshotDetails(s, app)), NextToken: nextToken };
  },

  async DeleteApplicationSnapshot(cp, body) {
    await cp.deleteSnapshot(
      body.ApplicationName,
      body.SnapshotName,
      timestampMs(body.SnapshotCreationTimestamp),
    );
    return {};
  },

  ListApplicationVersions(cp, body) {
    const { page, nextToken } = paginate(
      cp.listVersions(body.ApplicationName),
      (v) => String(v.id),
      body.Limit,
      body.NextToken,
    );
    const app = cp.describeApplication(body.ApplicationName);
    return {
      ApplicationVersionSummaries: page.map((v) => ({
        ApplicationVersionId: v.id,
        ApplicationStatus: v.id === app.currentVersionId ? app.status : v.status,
      })),
      NextToken: nextToken,
    };
  },

  DescribeApplicationVersion(cp, body) {
    const { app, version } = cp.describeVersion(body.ApplicationName, body.ApplicationVersionId);
    return { ApplicationVersionDetail: applicationDetail(app, version) };
  },

  ListApplicationOperations(cp, body) {
    const operations = cp.listOperations(body.ApplicationName, {
      operation: body.Operation,
      status: body.OperationStatus as OperationStatus | undefined,
    });
    const { page, nextToken } = paginate(operations, (o) => o.id, body.Limit, body.NextToken);
    return { ApplicationOperationInfoList: page.map(operationInfo), NextToken: nextToken };
  },

  DescribeApplicationOperation(cp, body) {
    return {
      ApplicationOperationInfoDetails: operationDetails(
        cp.describeOperation(body.ApplicationName, body.OperationId),
      ),
    };
  },

  ListTagsForResource(cp, body) {
    return { Tags: cp.listTags(body.ResourceARN).map((t) => ({ Key: t.key, Value: t.value })) };
  },

  async TagResource(cp, body) {
    await cp.tagResource(body.ResourceARN, tagsFrom(body.Tags) ?? []);
    return {};
  },

  async UntagResource(cp, body) {
    await cp.untagResource(body.ResourceARN, body.TagKeys);
    return {};
  },

  async UpdateApplicationMaintenanceConfiguration(cp, body) {
    const app = await cp.updateMaintenanceWindow(
      body.ApplicationName,
      body.ApplicationMaintenanceConfigurationUpdate.ApplicationMaintenanceWindowStartTimeUpdate,
    );
    const window = cp.maintenanceWindow(app);
    return {
      ApplicationARN: app.arn,
      ApplicationMaintenanceConfigurationDescription: {
        ApplicationMaintenanceWindowStartTime: window.start,
        ApplicationMaintenanceWindowEndTime: window.end,
      },
    };
  },

  CreateApplicationPresignedUrl(cp, body) {
    if (body.UrlType !== 'FLINK_DASHBOARD_URL') {
      cp.describeApplication(body.ApplicationName);
      throw invalidArgument(`UrlType ${body.UrlType} is for Studio notebooks; use FLINK_DASHBOARD_URL.`);
    }
    return { AuthorizedUrl: cp.dashboardUrl(body.ApplicationName) };
  },

  async AddApplicationCloudWatchLoggingOption(cp, body) {
    const { app, operationId } = await cp.addLoggingOption(
      body.ApplicationName,
      guardOf(body),
      body.CloudWatchLoggingOption.LogStreamARN,
    );
    return {
      ApplicationARN: app.arn,
      ApplicationVersionId: app.currentVersionId,
      CloudWatchLoggingOptionDescriptions: applicationDetail(app).CloudWatchLoggingOptionDescriptions ?? [],
      OperationId: operationId,
    };
  },

  async DeleteApplicationCloudWatchLoggingOption(cp, body) {
    const { app, operationId } = await cp.deleteLoggingOption(
      body.ApplicationName,
      guardOf(body),
      body.CloudWatchLoggingOptionId,
    );
    return {
      ApplicationARN: app.arn,
      ApplicationVersionId: app.currentVersionId,
      CloudWatchLoggingOptionDescriptions: applicationDetail(app).CloudWatchLoggingOptionDescriptions ?? [],
      OperationId: operationId,
    };
  },

  async AddApplicationVpcConfiguration(cp, body) {
    const { app, operationId } = await cp.addVpcConfiguration(body.ApplicationName, guardOf(body), {
      subnetIds: body.VpcConfiguration.SubnetIds,
      securityGroupIds: body.VpcConfiguration.SecurityGroupIds,
    });
    const vpcs = applicationDetail(app).ApplicationConfigurationDescription.VpcConfigurationDescriptions;
    return {
      ApplicationARN: app.arn,
      ApplicationVersionId: app.currentVersionId,
      VpcConfigurationDescription: vpcs[vpcs.length - 1],
      OperationId: operationId,
    };
  },

  async DeleteApplicationVpcConfiguration(cp, body) {
    const { app, operationId } = await cp.deleteVpcConfiguration(
      body.ApplicationName,
      guardOf(body),
      body.VpcConfigurationId,
    );
    return { ApplicationARN: app.arn, ApplicationVersionId: app.currentVersionId, OperationId: operationId };
  },

  AddApplicationInput: sqlOnly('AddApplicationInput'),
  AddApplicationInputProcessingConfiguration: sqlOnly('AddApplicationInputProcessingConfiguration'),
  AddApplicationOutput: sqlOnly('AddApplicationOutput'),
  AddApplicationReferenceDataSource: sqlOnly('AddApplicationReferenceDataSource'),
  DeleteApplicationInputProcessingConfiguration: sqlOnly('DeleteApplicationInputProcessingConfiguration'),
  DeleteApplicationOutput: sqlOnly('DeleteApplicationOutput'),
  DeleteApplicationReferenceDataSource: sqlOnly('DeleteApplicationReferenceDataSource'),

  DiscoverInputSchema() {
    throw unsupportedOperation(
      'DiscoverInputSchema is supported only for SQL-based applications; msf-local runs Apache Flink applications.',
    );
  },

  ...SNAPSHOT_OPERATIONS,
};
