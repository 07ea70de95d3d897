import {
  AddApplicationVpcConfigurationCommand,
  CreateApplicationCommand,
  DeleteApplicationCommand,
  DescribeApplicationCommand,
  ListApplicationsCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateApplicationCommand,
  type CreateApplicationCommandInput,
} from '@aws-sdk/client-kinesis-analytics-v2';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeJobRuntime } from '../support/fake-job-runtime.js';
import { startHarness, waitFor, type Harness, failureOf, TEST_ROLE } from '../support/msf-local-harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ runtime: new FakeJobRuntime() });
  await h.s3.send(new CreateBucketCommand({ Bucket: 'code' }));
  await h.s3.send(new PutObjectCommand({ Bucket: 'code', Key: 'app.jar', Body: Buffer.from('PK fake jar') }));
});
afterAll(() => h.close());

const flinkApp = (
  name: string,
  extra: Partial<CreateApplicationCommandInput> = {},
): CreateApplicationCommandInput => ({
  ApplicationName: name,
  RuntimeEnvironment: 'FLINK-1_19',
  ServiceExecutionRole: TEST_ROLE,
  ApplicationConfiguration: {
    ApplicationCodeConfiguration: {
      CodeContentType: 'ZIPFILE',
      CodeContent: { S3ContentLocation: { BucketARN: 'arn:aws:s3:::code', FileKey: 'app.jar' } },
    },
  },
  ...extra,
});

describe('CreateApplication / DescribeApplication', () => {
  it('creates a READY version-1 application with the service defaults', async () => {
    const { ApplicationDetail: d } = await h.kda.send(
      new CreateApplicationCommand({
        ApplicationName: 'minimal',
        RuntimeEnvironment: 'FLINK-1_20',
        ServiceExecutionRole: TEST_ROLE,
      }),
    );
    expect(d).toMatchObject({
      ApplicationName: 'minimal',
      ApplicationARN: 'arn:aws:kinesisanalytics:us-east-1:000000000000:application/minimal',
      ApplicationStatus: 'READY',
      ApplicationVersionId: 1,
      RuntimeEnvironment: 'FLINK-1_20',
      ServiceExecutionRole: TEST_ROLE,
      ApplicationMode: 'STREAMING',
      ApplicationMaintenanceConfigurationDescription: {
        ApplicationMaintenanceWindowStartTime: '03:00',
        ApplicationMaintenanceWindowEndTime: '11:00',
      },
    });
    const c = d?.ApplicationConfigurationDescription;
    expect(c?.ApplicationSnapshotConfigurationDescription?.SnapshotsEnabled).toBe(true);
    expect(c?.FlinkApplicationConfigurationDescription).toMatchObject({
      CheckpointConfigurationDescription: {
        ConfigurationType: 'DEFAULT',
        CheckpointingEnabled: true,
        CheckpointInterval: 60000,
        MinPauseBetweenCheckpoints: 5000,
      },
      MonitoringConfigurationDescription: {
        ConfigurationType: 'DEFAULT',
        LogLevel: 'INFO',
        MetricsLevel: 'APPLICATION',
      },
      ParallelismConfigurationDescription: {
        ConfigurationType: 'DEFAULT',
        Parallelism: 1,
        ParallelismPerKPU: 1,
        AutoScalingEnabled: true,
      },
    });
    expect(c?.RunConfigurationDescription).toBeUndefined();
    expect(c?.ApplicationCodeConfigurationDescription).toBeUndefined();
    expect(d?.CreateTimestamp?.getMilliseconds()).toBe(0);
    expect(d?.ConditionalToken).toMatch(/^[a-zA-Z0-9-_+/=]+$/);
  });

  it('keeps the code location, properties and custom configuration', async () => {
    await h.kda.send(
      new CreateApplicationCommand(
        flinkApp('custom', {
          ApplicationConfiguration: {
            ApplicationCodeConfiguration: {
              CodeContentType: 'ZIPFILE',
              CodeContent: { S3ContentLocation: { BucketARN: 'arn:aws:s3:::code', FileKey: 'app.jar' } },
            },
            EnvironmentProperties: {
              PropertyGroups: [
                {
                  PropertyGroupId: 'OutputStream0',
                  PropertyMap: { 'stream.name': 'out', 'aws.region': 'us-east-1' },
                },
              ],
            },
            FlinkApplicationConfiguration: {
              ParallelismConfiguration: {
                ConfigurationType: 'CUSTOM',
                Parallelism: 4,
                ParallelismPerKPU: 2,
                AutoScalingEnabled: false,
              },
              MonitoringConfiguration: { ConfigurationType: 'CUSTOM', LogLevel: 'ERROR' },
              CheckpointConfiguration: { ConfigurationType: 'CUSTOM', CheckpointInterval: 5000 },
            },
            ApplicationSystemRollbackConfiguration: { RollbackEnabled: true },
          },
          Tags: [{ Key: 'team', Value: 'data' }],
        }),
      ),
    );
    const { ApplicationDetail: d } = await h.kda.send(
      new DescribeApplicationCommand({ ApplicationName: 'custom' }),
    );
    const c = d?.ApplicationConfigurationDescription;
    expect(c?.ApplicationCodeConfigurationDescription).toEqual({
      CodeContentType: 'ZIPFILE',
      CodeContentDescription: {
        S3ApplicationCodeLocationDescription: { BucketARN: 'arn:aws:s3:::code', FileKey: 'app.jar' },
      },
    });
    expect(c?.EnvironmentPropertyDescriptions?.PropertyGroupDescriptions).toEqual([
      { PropertyGroupId: 'OutputStream0', PropertyMap: { 'stream.name': 'out', 'aws.region': 'us-east-1' } },
    ]);
    expect(c?.FlinkApplicationConfigurationDescription?.ParallelismConfigurationDescription).toEqual({
      ConfigurationType: 'CUSTOM',
      Parallelism: 4,
      ParallelismPerKPU: 2,
      CurrentParallelism: 4,
      AutoScalingEnabled: false,
    });
    expect(c?.FlinkApplicationConfigurationDescription?.MonitoringConfigurationDescription).toEqual({
      ConfigurationType: 'CUSTOM',
      LogLevel: 'ERROR',
      MetricsLevel: 'APPLICATION',
    });
    expect(c?.FlinkApplicationConfigurationDescription?.CheckpointConfigurationDescription).toEqual({
      ConfigurationType: 'CUSTOM',
      CheckpointingEnabled: true,
      CheckpointInterval: 5000,
      MinPauseBetweenCheckpoints: 5000,
    });
    expect(c?.ApplicationSystemRollbackConfigurationDescription?.RollbackEnabled).toBe(true);
  });

  it('refuses a duplicate name with ResourceInUseException', async () => {
    await h.kda.send(new CreateApplicationCommand(flinkApp('dup')));
    const e = await failureOf(h.kda.send(new CreateApplicationCommand(flinkApp('dup'))));
    expect(e).toBeInstanceOf(ResourceInUseException);
    expect(e.$metadata.httpStatusCode).toBe(400);
  });

  it('refuses code that is not in S3 with MSF InvalidArgumentException text', async () => {
    const input = flinkApp('nocode');
    input.ApplicationConfiguration!.ApplicationCodeConfiguration!.CodeContent!.S3ContentLocation!.FileKey =
      'missing.jar';
    const e = await failureOf(h.kda.send(new CreateApplicationCommand(input)));
    expect(e.name).toBe('InvalidArgumentException');
    expect(e.message).toBe(
      'Please check the role provided or validity of S3 location you provided. We are unable to get the specified fileKey: missing.jar in the specified bucket: code',
    );
  });

  it('refuses more than 64 KPUs with LimitExceededException', async () => {
    const e = await failureOf(
      h.kda.send(
        new CreateApplicationCommand(
          flinkApp('huge', {
            ApplicationConfiguration: {
              FlinkApplicationConfiguration: {
                ParallelismConfiguration: {
                  ConfigurationType: 'CUSTOM',
                  Parallelism: 130,
                  ParallelismPerKPU: 2,
                },
              },
            },
          }),
        ),
      ),
    );
    expect(e.name).toBe('LimitExceededException');
    expect(e.message).toContain('65 KPUs');
  });

  it('answers a missing application with ResourceNotFoundException (400)', async () => {
    const e = await failureOf(h.kda.send(new DescribeApplicationCommand({ ApplicationName: 'nope' })));
    expect(e).toBeInstanceOf(ResourceNotFoundException);
    expect(e.$metadata.httpStatusCode).toBe(400);
  });

  it('refuses SQL and Studio applications', async () => {
    const sql = await failureOf(
      h.kda.send(
        new CreateApplicationCommand({
          ApplicationName: 's',
          RuntimeEnvironment: 'SQL-1_0',
          ServiceExecutionRole: TEST_ROLE,
        }),
      ),
    );
    expect(sql.name).toBe('UnsupportedOperationException');
  });
});

describe('ListApplications', () => {
  it('pages with Limit and NextToken, sorted by name', async () => {
    for (const name of ['list-a', 'list-b', 'list-c'])
      await h.kda.send(new CreateApplicationCommand(flinkApp(name)));
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await h.kda.send(new ListApplicationsCommand({ Limit: 2, NextToken: token }));
      expect(page.ApplicationSummaries!.length).toBeLessThanOrEqual(2);
      names.push(...page.ApplicationSummaries!.map((s) => s.ApplicationName!));
      token = page.NextToken;
      pages++;
    } while (token);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(['list-a', 'list-b', 'list-c']));
    expect(pages).toBe(Math.ceil(names.length / 2));
    const all = await h.kda.send(new ListApplicationsCommand({}));
    expect(all.NextToken).toBeUndefined();
    expect(all.ApplicationSummaries?.find((s) => s.ApplicationName === 'list-a')).toEqual({
      ApplicationName: 'list-a',
      ApplicationARN: 'arn:aws:kinesisanalytics:us-east-1:000000000000:application/list-a',
      ApplicationStatus: 'READY',
      ApplicationVersionId: 1,
      RuntimeEnvironment: 'FLINK-1_19',
      ApplicationMode: 'STREAMING',
    });
  });

  it('resumes after the token application was deleted between pages', async () => {
    const created: Record<string, Date> = {};
    for (const name of ['resume-a', 'resume-b', 'resume-c']) {
      const { ApplicationDetail: d } = await h.kda.send(new CreateApplicationCommand(flinkApp(name)));
      created[name] = d!.CreateTimestamp!;
    }
    // A client holds NextToken 'resume-b' (the first application of its next page) when it is deleted.
    await h.kda.send(
      new DeleteApplicationCommand({ ApplicationName: 'resume-b', CreateTimestamp: created['resume-b'] }),
    );
    await waitFor(
      () =>
        h.kda.send(new DescribeApplicationCommand({ ApplicationName: 'resume-b' })).then(
          () => undefined,
          (error: unknown) => error,
        ),
      (error) => error instanceof ResourceNotFoundException,
    );
    const page = await h.kda.send(new ListApplicationsCommand({ NextToken: 'resume-b' }));
    expect(page.ApplicationSummaries![0]!.ApplicationName).toBe('resume-c');
    expect(page.ApplicationSummaries!.map((s) => s.ApplicationName)).not.toContain('resume-a');
  });
});

describe('DeleteApplication', () => {
  it('needs the exact CreateTimestamp, then deletes through DELETING', async () => {
    const { ApplicationDetail: d } = await h.kda.send(new CreateApplicationCommand(flinkApp('to-delete')));
    const wrong = await failureOf(
      h.kda.send(
        new DeleteApplicationCommand({
          ApplicationName: 'to-delete',
          CreateTimestamp: new Date(d!.CreateTimestamp!.getTime() - 5000),
        }),
      ),
    );
    expect(wrong.name).toBe('InvalidArgumentException');
    await h.kda.send(
      new DeleteApplicationCommand({ ApplicationName: 'to-delete', CreateTimestamp: d!.CreateTimestamp }),
    );
    await waitFor(
      () =>
        failureOf(h.kda.send(new DescribeApplicationCommand({ ApplicationName: 'to-delete' }))).catch(
          () => undefined,
        ),
      (e) => e instanceof ResourceNotFoundException,
    );
  });
});

describe('wrong-status errors', () => {
  it('name the operation that was called', async () => {
    await h.kda.send(new CreateApplicationCommand(flinkApp('busy')));
    const updated = await h.kda.send(
      new UpdateApplicationCommand({
        ApplicationName: 'busy',
        CurrentApplicationVersionId: 1,
        ServiceExecutionRoleUpdate: TEST_ROLE,
      }),
    );
    expect(updated.ApplicationDetail?.ApplicationStatus).toBe('UPDATING');
    // Still UPDATING: the change settles after 200 ms.
    const error = await failureOf(
      h.kda.send(
        new AddApplicationVpcConfigurationCommand({
          ApplicationName: 'busy',
          CurrentApplicationVersionId: 2,
          VpcConfiguration: { SubnetIds: ['subnet-1'], SecurityGroupIds: ['sg-1'] },
        }),
      ),
    );
    expect(error.name).toBe('ResourceInUseException');
    expect(error.message).toBe(
      'Application busy is in UPDATING status. AddApplicationVpcConfiguration is allowed only when the ' +
        'application is in READY, RUNNING status.',
    );
  });
});
