/**
 * The MSF port (ports/msf.ts) over the AWS SDK v3 Kinesis Analytics V2 client: domain values in and out, SDK
 * calls and wire shapes inside.
 */
import {
  AddApplicationCloudWatchLoggingOptionCommand,
  CreateApplicationSnapshotCommand,
  DeleteApplicationCloudWatchLoggingOptionCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  DeleteApplicationCommand,
  DeleteApplicationSnapshotCommand,
  DescribeApplicationOperationCommand,
  ListApplicationOperationsCommand,
  ListApplicationSnapshotsCommand,
  ListApplicationVersionsCommand,
  ListApplicationsCommand,
  StopApplicationCommand,
  type KinesisAnalyticsV2Client,
} from '@aws-sdk/client-kinesis-analytics-v2';
// The commands whose shapes carry SnapshotMode or SnapshotArn: the SDK's own would drop those members.
import {
  CreateApplicationCommand,
  DescribeApplicationCommand,
  DescribeApplicationVersionCommand,
  RollbackApplicationCommand,
  send,
  StartApplicationCommand,
  UpdateApplicationCommand,
} from './enhanced-snapshots/index.js';
import type { ApplicationSummary, MsfGateway, Started } from '../../ports/msf.js';
import type {
  AppConfig,
  AppStatus,
  LiveApplication,
  OperationInfo,
  RestoreSettings,
  S3Prefix,
  SnapshotInfo,
  SnapshotMode,
  SnapshotOperationInfo,
  Tags,
  VersionSummary,
} from '../../model/application.js';
import { MsfctlError } from '../../model/errors.js';
import type { ConfigUpdate } from '../../model/application.js';
import { awsErrorName, translateAwsError } from './aws-errors.js';
import { EnhancedSnapshotCalls } from './enhanced-snapshot-calls.js';
import {
  toApplicationConfiguration,
  toConfigurationUpdate,
  toLiveApplication,
  toOperationInfo,
  toRunConfiguration,
  toRunConfigurationUpdate,
  toSnapshotInfo,
} from './msf-mapping.js';

async function call<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw translateAwsError(error, what);
  }
}

export class SdkMsfGateway implements MsfGateway {
  private readonly enhanced: EnhancedSnapshotCalls;

  constructor(private readonly client: KinesisAnalyticsV2Client) {
    this.enhanced = new EnhancedSnapshotCalls(client);
  }

  async describe(name: string): Promise<LiveApplication | undefined> {
    try {
      const out = await send(this.client, new DescribeApplicationCommand({ ApplicationName: name }));
      return toLiveApplication(out.ApplicationDetail!);
    } catch (error) {
      if (awsErrorName(error) === 'ResourceNotFoundException') return undefined;
      throw translateAwsError(error, `DescribeApplication ${name}`);
    }
  }

  create(name: string, config: AppConfig, description?: string, tags?: Tags): Promise<LiveApplication> {
    return call(`CreateApplication ${name}`, async () => {
      const out = await send(
        this.client,
        new CreateApplicationCommand({
          ApplicationName: name,
          RuntimeEnvironment: config.runtime as never,
          ServiceExecutionRole: config.role,
          ApplicationMode: 'STREAMING',
          ...(description ? { ApplicationDescription: description } : {}),
          ApplicationConfiguration: toApplicationConfiguration(config),
          ...(config.logStream ? { CloudWatchLoggingOptions: [{ LogStreamARN: config.logStream }] } : {}),
          ...(tags && Object.keys(tags).length
            ? { Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }
            : {}),
        }),
      );
      return toLiveApplication(out.ApplicationDetail!);
    });
  }

  update(
    name: string,
    basis: { conditionalToken?: string; versionId: number },
    update: ConfigUpdate,
    run?: RestoreSettings,
  ): Promise<Started & { live: LiveApplication }> {
    return call(`UpdateApplication ${name}`, async () => {
      const configuration = toConfigurationUpdate(update);
      const out = await send(
        this.client,
        new UpdateApplicationCommand({
          ApplicationName: name,
          ...(basis.conditionalToken
            ? { ConditionalToken: basis.conditionalToken }
            : { CurrentApplicationVersionId: basis.versionId }),
          ...(configuration ? { ApplicationConfigurationUpdate: configuration } : {}),
          ...(update.role ? { ServiceExecutionRoleUpdate: update.role } : {}),
          ...(update.runtime ? { RuntimeEnvironmentUpdate: update.runtime as never } : {}),
          ...(run ? { RunConfigurationUpdate: toRunConfigurationUpdate(run) } : {}),
        }),
      );
      return {
        live: toLiveApplication(out.ApplicationDetail!),
        ...(out.OperationId ? { operationId: out.OperationId } : {}),
      };
    });
  }

  addLoggingOption(
    name: string,
    basis: { conditionalToken?: string; versionId: number },
    logStreamArn: string,
  ): Promise<Started & { live: LiveApplication }> {
    return call(`AddApplicationCloudWatchLoggingOption ${name}`, async () => {
      const out = await this.client.send(
        new AddApplicationCloudWatchLoggingOptionCommand({
          ApplicationName: name,
          ...guard(basis),
          CloudWatchLoggingOption: { LogStreamARN: logStreamArn },
        }),
      );
      return this.afterResourceChange(name, out.OperationId);
    });
  }

  deleteLoggingOption(
    name: string,
    basis: { conditionalToken?: string; versionId: number },
    optionId: string,
  ): Promise<Started & { live: LiveApplication }> {
    return call(`DeleteApplicationCloudWatchLoggingOption ${name}`, async () => {
      const out = await this.client.send(
        new DeleteApplicationCloudWatchLoggingOptionCommand({
          ApplicationName: name,
          ...guard(basis),
          CloudWatchLoggingOptionId: optionId,
        }),
      );
      return this.afterResourceChange(name, out.OperationId);
    });
  }

  listTags(arn: string): Promise<Tags> {
    return call(`ListTagsForResource ${arn}`, async () => {
      const out = await this.client.send(new ListTagsForResourceCommand({ ResourceARN: arn }));
      return Object.fromEntries((out.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
    });
  }

  async changeTags(arn: string, set: Tags, remove: string[]): Promise<void> {
    if (Object.keys(set).length)
      await call(`TagResource ${arn}`, () =>
        this.client.send(
          new TagResourceCommand({
            ResourceARN: arn,
            Tags: Object.entries(set).map(([Key, Value]) => ({ Key, Value })),
          }),
        ),
      );
    if (remove.length)
      await call(`UntagResource ${arn}`, () =>
        this.client.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: remove })),
      );
  }

  /** The calls that add or delete a sub-resource answer no ApplicationDetail: read it back. */
  private async afterResourceChange(
    name: string,
    operationId: string | undefined,
  ): Promise<Started & { live: LiveApplication }> {
    const live = await this.describe(name);
    if (!live) throw new MsfctlError('APP_NOT_FOUND', `Application ${name} does not exist.`);
    return { live, ...(operationId ? { operationId } : {}) };
  }

  start(name: string, run: RestoreSettings): Promise<Started> {
    return call(`StartApplication ${name}`, async () => {
      const out = await send(
        this.client,
        new StartApplicationCommand({ ApplicationName: name, RunConfiguration: toRunConfiguration(run) }),
      );
      return out.OperationId ? { operationId: out.OperationId } : {};
    });
  }

  stop(name: string, force: boolean): Promise<Started> {
    return call(`StopApplication${force ? ' (force)' : ''} ${name}`, async () => {
      const out = await this.client.send(new StopApplicationCommand({ ApplicationName: name, Force: force }));
      return out.OperationId ? { operationId: out.OperationId } : {};
    });
  }

  rollback(name: string, versionId: number): Promise<Started & { live: LiveApplication }> {
    return call(`RollbackApplication ${name}`, async () => {
      const out = await send(
        this.client,
        new RollbackApplicationCommand({ ApplicationName: name, CurrentApplicationVersionId: versionId }),
      );
      return {
        live: toLiveApplication(out.ApplicationDetail!),
        ...(out.OperationId ? { operationId: out.OperationId } : {}),
      };
    });
  }

  delete(name: string, createdAt: number): Promise<void> {
    return call(`DeleteApplication ${name}`, async () => {
      await this.client.send(
        new DeleteApplicationCommand({ ApplicationName: name, CreateTimestamp: new Date(createdAt) }),
      );
    });
  }

  describeOperation(name: string, operationId: string): Promise<OperationInfo> {
    return call(`DescribeApplicationOperation ${operationId}`, async () => {
      const out = await this.client.send(
        new DescribeApplicationOperationCommand({ ApplicationName: name, OperationId: operationId }),
      );
      if (!out.ApplicationOperationInfoDetails)
        throw new MsfctlError('AWS', `Operation ${operationId} of ${name} has no details.`);
      return toOperationInfo(operationId, out.ApplicationOperationInfoDetails);
    });
  }

  listOperations(name: string, limit = 50): Promise<OperationInfo[]> {
    return call(`ListApplicationOperations ${name}`, async () => {
      const out: OperationInfo[] = [];
      let token: string | undefined;
      do {
        const page = await this.client.send(
          new ListApplicationOperationsCommand({
            ApplicationName: name,
            Limit: Math.min(50, limit - out.length),
            ...(token ? { NextToken: token } : {}),
          }),
        );
        for (const op of page.ApplicationOperationInfoList ?? [])
          out.push(toOperationInfo(op.OperationId ?? '', op));
        token = page.NextToken;
      } while (token && out.length < limit);
      return out.sort((a, b) => (b.startedAt ?? 0) - (a.startedAt ?? 0));
    });
  }

  async listSnapshots(name: string, known?: LiveApplication): Promise<SnapshotInfo[]> {
    const legacy = await call(`ListApplicationSnapshots ${name}`, async () => {
      const out: SnapshotInfo[] = [];
      let token: string | undefined;
      do {
        const page = await this.client.send(
          new ListApplicationSnapshotsCommand({
            ApplicationName: name,
            Limit: 50,
            ...(token ? { NextToken: token } : {}),
          }),
        );
        out.push(...(page.SnapshotSummaries ?? []).map(toSnapshotInfo));
        token = page.NextToken;
      } while (token);
      return out;
    });
    // Only an application in enhanced mode has enhanced snapshots of its own (the switch is one-way).
    const live = known?.name === name ? known : await this.describe(name);
    const enhanced = live?.config.snapshotMode === 'enhanced' ? await this.enhanced.ofApplication(live) : [];
    return [...legacy, ...enhanced].sort((a, b) => b.createdAt - a.createdAt);
  }

  createSnapshot(name: string, snapshotName: string, mode: SnapshotMode): Promise<void> {
    if (mode === 'enhanced') return this.enhanced.create(name, snapshotName);
    return call(`CreateApplicationSnapshot ${snapshotName}`, async () => {
      await this.client.send(
        new CreateApplicationSnapshotCommand({ ApplicationName: name, SnapshotName: snapshotName }),
      );
    });
  }

  deleteSnapshot(
    name: string,
    snapshot: Pick<SnapshotInfo, 'name' | 'createdAt' | 'enhanced'>,
  ): Promise<void> {
    if (snapshot.enhanced) return this.enhanced.delete(snapshot.name, snapshot.createdAt);
    return call(`DeleteApplicationSnapshot ${snapshot.name}`, async () => {
      await this.client.send(
        new DeleteApplicationSnapshotCommand({
          ApplicationName: name,
          SnapshotName: snapshot.name,
          SnapshotCreationTimestamp: new Date(snapshot.createdAt),
        }),
      );
    });
  }

  describeEnhancedSnapshot(snapshotName: string): Promise<SnapshotInfo | undefined> {
    return this.enhanced.describe(snapshotName);
  }

  listEnhancedSnapshots(): Promise<SnapshotInfo[]> {
    return this.enhanced.listAll();
  }

  importSnapshot(
    snapshotName: string,
    from: S3Prefix,
    role: string,
  ): Promise<{ operationId: string; arn: string }> {
    return this.enhanced.import(snapshotName, from, role);
  }

  describeSnapshotOperation(snapshotName: string, operationId: string): Promise<SnapshotOperationInfo> {
    return this.enhanced.describeOperation(snapshotName, operationId);
  }

  listVersions(name: string): Promise<VersionSummary[]> {
    return call(`ListApplicationVersions ${name}`, async () => {
      const out: VersionSummary[] = [];
      let token: string | undefined;
      do {
        const page = await this.client.send(
          new ListApplicationVersionsCommand({
            ApplicationName: name,
            Limit: 50,
            ...(token ? { NextToken: token } : {}),
          }),
        );
        for (const v of page.ApplicationVersionSummaries ?? []) {
          out.push({
            versionId: v.ApplicationVersionId ?? 0,
            status: (v.ApplicationStatus ?? 'READY') as AppStatus,
          });
        }
        token = page.NextToken;
      } while (token);
      return out.sort((a, b) => b.versionId - a.versionId);
    });
  }

  describeVersion(name: string, versionId: number): Promise<LiveApplication> {
    return call(`DescribeApplicationVersion ${name} ${versionId}`, async () => {
      const out = await send(
        this.client,
        new DescribeApplicationVersionCommand({ ApplicationName: name, ApplicationVersionId: versionId }),
      );
      return toLiveApplication(out.ApplicationVersionDetail!);
    });
  }

  listApplications(): Promise<ApplicationSummary[]> {
    return call('ListApplications', async () => {
      const out: ApplicationSummary[] = [];
      let token: string | undefined;
      do {
        const page = await this.client.send(
          new ListApplicationsCommand({ Limit: 50, ...(token ? { NextToken: token } : {}) }),
        );
        for (const a of page.ApplicationSummaries ?? []) {
          out.push({
            name: a.ApplicationName ?? '',
            status: (a.ApplicationStatus ?? 'READY') as AppStatus,
            versionId: a.ApplicationVersionId ?? 0,
            runtime: a.RuntimeEnvironment ?? '',
          });
        }
        token = page.NextToken;
      } while (token);
      return out;
    });
  }
}

function guard(basis: { conditionalToken?: string; versionId: number }) {
  return basis.conditionalToken
    ? { ConditionalToken: basis.conditionalToken }
    : { CurrentApplicationVersionId: basis.versionId };
}
