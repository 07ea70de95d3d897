import {
  AddApplicationCloudWatchLoggingOptionCommand,
  AddApplicationInputCommand,
  AddApplicationVpcConfigurationCommand,
  CreateApplicationCommand,
  CreateApplicationSnapshotCommand,
  DeleteApplicationCloudWatchLoggingOptionCommand,
  DeleteApplicationSnapshotCommand,
  DeleteApplicationVpcConfigurationCommand,
  DescribeApplicationCommand,
  DescribeApplicationSnapshotCommand,
  DiscoverInputSchemaCommand,
  ListApplicationSnapshotsCommand,
  ListTagsForResourceCommand,
  StartApplicationCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateApplicationMaintenanceConfigurationCommand,
} from '@aws-sdk/client-kinesis-analytics-v2';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeJobRuntime } from '../support/fake-job-runtime.js';
import { startHarness, waitFor, type Harness, failureOf, TEST_ROLE } from '../support/msf-local-harness.js';

const runtime = new FakeJobRuntime();
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ runtime, controlPlane: { settleMs: 20, snapshotLimit: 3 } });
  await h.s3.send(new CreateBucketCommand({ Bucket: 'code' }));
  await h.s3.send(new PutObjectCommand({ Bucket: 'code', Key: 'app.jar', Body: Buffer.from('jar') }));
});
afterAll(() => h.close());

async function create(name: string) {
  return (
    await h.kda.send(
      new CreateApplicationCommand({
        ApplicationName: name,
        RuntimeEnvironment: 'FLINK-1_20',
        ServiceExecutionRole: TEST_ROLE,
        ApplicationConfiguration: {
          ApplicationCodeConfiguration: {
            CodeContentType: 'ZIPFILE',
            CodeContent: { S3ContentLocation: { BucketARN: 'arn:aws:s3:::code', FileKey: 'app.jar' } },
          },
        },
      }),
    )
  ).ApplicationDetail!;
}

async function createRunning(name: string) {
  const detail = await create(name);
  await h.kda.send(new StartApplicationCommand({ ApplicationName: name }));
  await waitFor(
    async () =>
      (await h.kda.send(new DescribeApplicationCommand({ ApplicationName: name }))).ApplicationDetail!,
    (d) => d.ApplicationStatus === 'RUNNING',
  );
  return detail;
}

const snapshot = (app: string, name: string) =>
  h.kda.send(new DescribeApplicationSnapshotCommand({ ApplicationName: app, SnapshotName: name }));

describe('snapshots', () => {
  it('CREATING → READY, listed oldest first, deleted only with the exact creation timestamp', async () => {
    await createRunning('snaps');
    await h.kda.send(
      new CreateApplicationSnapshotCommand({ ApplicationName: 'snaps', SnapshotName: 'first' }),
    );
    const ready = await waitFor(
      () => snapshot('snaps', 'first'),
      (s) => s.SnapshotDetails?.SnapshotStatus === 'READY',
    );
    expect(ready.SnapshotDetails).toMatchObject({
      SnapshotName: 'first',
      ApplicationVersionId: 1,
      RuntimeEnvironment: 'FLINK-1_20',
    });
    expect(ready.SnapshotDetails?.SnapshotCreationTimestamp?.getMilliseconds()).toBe(0);

    const dup = await failureOf(
      h.kda.send(new CreateApplicationSnapshotCommand({ ApplicationName: 'snaps', SnapshotName: 'first' })),
    );
    expect(dup.name).toBe('ResourceInUseException');

    await h.kda.send(
      new CreateApplicationSnapshotCommand({ ApplicationName: 'snaps', SnapshotName: 'second' }),
    );
    await waitFor(
      () => snapshot('snaps', 'second'),
      (s) => s.SnapshotDetails?.SnapshotStatus === 'READY',
    );
    const page1 = await h.kda.send(
      new ListApplicationSnapshotsCommand({ ApplicationName: 'snaps', Limit: 1 }),
    );
    expect(page1.SnapshotSummaries?.map((s) => s.SnapshotName)).toEqual(['first']);
    const page2 = await h.kda.send(
      new ListApplicationSnapshotsCommand({ ApplicationName: 'snaps', Limit: 1, NextToken: page1.NextToken }),
    );
    expect(page2.SnapshotSummaries?.map((s) => s.SnapshotName)).toEqual(['second']);
    expect(page2.NextToken).toBeUndefined();

    const created = ready.SnapshotDetails!.SnapshotCreationTimestamp!;
    const wrong = await failureOf(
      h.kda.send(
        new DeleteApplicationSnapshotCommand({
          ApplicationName: 'snaps',
          SnapshotName: 'first',
          SnapshotCreationTimestamp: new Date(created.getTime() - 3000),
        }),
      ),
    );
    expect(wrong.name).toBe('InvalidArgumentException');
    await h.kda.send(
      new DeleteApplicationSnapshotCommand({
        ApplicationName: 'snaps',
        SnapshotName: 'first',
        SnapshotCreationTimestamp: created,
      }),
    );
    const gone = await waitFor(
      () => failureOf(snapshot('snaps', 'first')).catch(() => undefined),
      (e) => e?.name === 'ResourceNotFoundException',
    );
    expect(gone?.$metadata.httpStatusCode).toBe(400);
  });

  it('a snapshot list resumes after the NextToken snapshot when it was deleted between pages', async () => {
    await createRunning('snap-pages');
    const created = new Map<string, Date>();
    for (const name of ['a', 'b', 'c']) {
      await h.kda.send(
        new CreateApplicationSnapshotCommand({ ApplicationName: 'snap-pages', SnapshotName: name }),
      );
      const ready = await waitFor(
        () => snapshot('snap-pages', name),
        (s) => s.SnapshotDetails?.SnapshotStatus === 'READY',
      );
      created.set(name, ready.SnapshotDetails!.SnapshotCreationTimestamp!);
    }
    const page1 = await h.kda.send(
      new ListApplicationSnapshotsCommand({ ApplicationName: 'snap-pages', Limit: 1 }),
    );
    expect(page1.SnapshotSummaries?.map((s) => s.SnapshotName)).toEqual(['a']);
    // The client holds a token for 'b' when 'b' is deleted.
    await h.kda.send(
      new DeleteApplicationSnapshotCommand({
        ApplicationName: 'snap-pages',
        SnapshotName: 'b',
        SnapshotCreationTimestamp: created.get('b'),
      }),
    );
    await waitFor(
      () => failureOf(snapshot('snap-pages', 'b')).catch(() => undefined),
      (e) => e?.name === 'ResourceNotFoundException',
    );
    const page2 = await h.kda.send(
      new ListApplicationSnapshotsCommand({ ApplicationName: 'snap-pages', NextToken: page1.NextToken }),
    );
    expect(page2.SnapshotSummaries?.map((s) => s.SnapshotName)).toEqual(['c']);
    expect(page2.NextToken).toBeUndefined();
  });

  it('records FAILED when Flink cannot take the savepoint', async () => {
    await createRunning('snap-fail');
    runtime.failSnapshots('snap-fail');
    await h.kda.send(
      new CreateApplicationSnapshotCommand({ ApplicationName: 'snap-fail', SnapshotName: 's' }),
    );
    await waitFor(
      () => snapshot('snap-fail', 's'),
      (s) => s.SnapshotDetails?.SnapshotStatus === 'FAILED',
    );
  });

  it('needs a RUNNING application and stops at the snapshot limit', async () => {
    await create('snap-ready');
    const notRunning = await failureOf(
      h.kda.send(new CreateApplicationSnapshotCommand({ ApplicationName: 'snap-ready', SnapshotName: 'x' })),
    );
    expect(notRunning.name).toBe('ResourceInUseException');

    await createRunning('snap-limit');
    for (const name of ['a', 'b', 'c']) {
      await h.kda.send(
        new CreateApplicationSnapshotCommand({ ApplicationName: 'snap-limit', SnapshotName: name }),
      );
      await waitFor(
        () => snapshot('snap-limit', name),
        (s) => s.SnapshotDetails?.SnapshotStatus === 'READY',
      );
    }
    const limit = await failureOf(
      h.kda.send(new CreateApplicationSnapshotCommand({ ApplicationName: 'snap-limit', SnapshotName: 'd' })),
    );
    expect(limit.name).toBe('LimitExceededException');
  }, 30_000);
});

describe('tags', () => {
  it('tags, untags and lists by ARN; more than 50 user tags is TooManyTagsException', async () => {
    const { ApplicationARN: arn } = await create('tagged');
    await h.kda.send(
      new TagResourceCommand({
        ResourceARN: arn,
        Tags: [
          { Key: 'a', Value: '1' },
          { Key: 'b', Value: '2' },
        ],
      }),
    );
    await h.kda.send(new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: 'a', Value: '3' }] }));
    await h.kda.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: ['b'] }));
    expect((await h.kda.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags).toEqual([
      { Key: 'a', Value: '3' },
    ]);
    const many = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    const e = await failureOf(h.kda.send(new TagResourceCommand({ ResourceARN: arn, Tags: many })));
    expect(e.name).toBe('TooManyTagsException');
    const missing = await failureOf(
      h.kda.send(
        new ListTagsForResourceCommand({
          ResourceARN: 'arn:aws:kinesisanalytics:us-east-1:000000000000:application/none',
        }),
      ),
    );
    expect(missing.name).toBe('ResourceNotFoundException');
  });
});

describe('configuration operations', () => {
  it('updates the maintenance window without a new version', async () => {
    await create('maint');
    const out = await h.kda.send(
      new UpdateApplicationMaintenanceConfigurationCommand({
        ApplicationName: 'maint',
        ApplicationMaintenanceConfigurationUpdate: { ApplicationMaintenanceWindowStartTimeUpdate: '20:30' },
      }),
    );
    expect(out.ApplicationMaintenanceConfigurationDescription).toEqual({
      ApplicationMaintenanceWindowStartTime: '20:30',
      ApplicationMaintenanceWindowEndTime: '04:30',
    });
    const { ApplicationDetail: d } = await h.kda.send(
      new DescribeApplicationCommand({ ApplicationName: 'maint' }),
    );
    expect(d?.ApplicationVersionId).toBe(1);
  });

  it('adds logging options and VPC configurations as new versions', async () => {
    await create('opts');
    const logging = await h.kda.send(
      new AddApplicationCloudWatchLoggingOptionCommand({
        ApplicationName: 'opts',
        CurrentApplicationVersionId: 1,
        CloudWatchLoggingOption: {
          LogStreamARN: 'arn:aws:logs:us-east-1:000000000000:log-group:g:log-stream:s',
        },
      }),
    );
    expect(logging.ApplicationVersionId).toBe(2);
    expect(logging.OperationId).toBeDefined();
    expect(logging.CloudWatchLoggingOptionDescriptions?.[0]?.LogStreamARN).toContain('log-stream:s');
    await waitFor(
      async () =>
        (await h.kda.send(new DescribeApplicationCommand({ ApplicationName: 'opts' }))).ApplicationDetail!,
      (d) => d.ApplicationStatus === 'READY',
    );
    const vpc = await h.kda.send(
      new AddApplicationVpcConfigurationCommand({
        ApplicationName: 'opts',
        CurrentApplicationVersionId: 2,
        VpcConfiguration: { SubnetIds: ['subnet-1'], SecurityGroupIds: ['sg-1'] },
      }),
    );
    expect(vpc).toMatchObject({
      ApplicationVersionId: 3,
      VpcConfigurationDescription: { SubnetIds: ['subnet-1'] },
    });
  });

  it('never gives two VPC configurations or logging options the same id, also after a delete', async () => {
    await create('ids');
    const ready = () =>
      waitFor(
        async () =>
          (await h.kda.send(new DescribeApplicationCommand({ ApplicationName: 'ids' }))).ApplicationDetail!,
        (d) => d.ApplicationStatus === 'READY',
      );
    const addVpc = async () =>
      (
        await h.kda.send(
          new AddApplicationVpcConfigurationCommand({
            ApplicationName: 'ids',
            CurrentApplicationVersionId: (await ready()).ApplicationVersionId,
            VpcConfiguration: { SubnetIds: ['subnet-1'], SecurityGroupIds: ['sg-1'] },
          }),
        )
      ).VpcConfigurationDescription!.VpcConfigurationId!;
    const addLogging = async (stream: string) =>
      (
        await h.kda.send(
          new AddApplicationCloudWatchLoggingOptionCommand({
            ApplicationName: 'ids',
            CurrentApplicationVersionId: (await ready()).ApplicationVersionId,
            CloudWatchLoggingOption: {
              LogStreamARN: `arn:aws:logs:us-east-1:000000000000:log-group:g:log-stream:${stream}`,
            },
          }),
        )
      ).CloudWatchLoggingOptionDescriptions!.map((l) => l.CloudWatchLoggingOptionId!);

    const first = await addVpc();
    await addVpc();
    await h.kda.send(
      new DeleteApplicationVpcConfigurationCommand({
        ApplicationName: 'ids',
        CurrentApplicationVersionId: (await ready()).ApplicationVersionId,
        VpcConfigurationId: first,
      }),
    );
    await addVpc();
    const vpcIds = (await ready()).ApplicationConfigurationDescription!.VpcConfigurationDescriptions!.map(
      (v) => v.VpcConfigurationId,
    );
    expect(vpcIds).toHaveLength(2);
    expect(new Set(vpcIds).size).toBe(2);

    const [firstLog] = await addLogging('a');
    await addLogging('b');
    await h.kda.send(
      new DeleteApplicationCloudWatchLoggingOptionCommand({
        ApplicationName: 'ids',
        CurrentApplicationVersionId: (await ready()).ApplicationVersionId,
        CloudWatchLoggingOptionId: firstLog,
      }),
    );
    const logIds = await addLogging('c');
    expect(logIds).toHaveLength(2);
    expect(new Set(logIds).size).toBe(2);
    expect(logIds.every((id) => /^\d+\.1$/.test(id))).toBe(true);
  });

  it('answers SQL-only operations as MSF does for a Flink application', async () => {
    await create('flink-only');
    const input = await failureOf(
      h.kda.send(
        new AddApplicationInputCommand({
          ApplicationName: 'flink-only',
          CurrentApplicationVersionId: 1,
          Input: {} as never,
        }),
      ),
    );
    expect(input.name).toBe('InvalidArgumentException');
    const discover = await failureOf(
      h.kda.send(new DiscoverInputSchemaCommand({ ServiceExecutionRole: TEST_ROLE })),
    );
    expect(discover.name).toBe('UnsupportedOperationException');
  });
});

describe('request validation and protocol errors', () => {
  const post = (target: string, body: string) =>
    fetch(h.server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
      body,
    });

  it('reports constraint violations in the service wording, all at once', async () => {
    const res = await post(
      'KinesisAnalytics_20180523.CreateApplication',
      JSON.stringify({ ApplicationName: 'bad name!', RuntimeEnvironment: 'FLINK-9_9' }),
    );
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-requestid')).toBeTruthy();
    const body = (await res.json()) as { __type: string; message: string };
    expect(body.__type).toBe('ValidationException');
    expect(body.message).toBe(
      "3 validation errors detected: Value null at 'serviceExecutionRole' failed to satisfy constraint: Member must not be null; " +
        "Value 'bad name!' at 'applicationName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; " +
        "Value 'FLINK-9_9' at 'runtimeEnvironment' failed to satisfy constraint: Member must satisfy enum value set: [SQL-1_0, FLINK-1_6, FLINK-1_8, ZEPPELIN-FLINK-1_0, FLINK-1_11, FLINK-1_13, ZEPPELIN-FLINK-2_0, FLINK-1_15, ZEPPELIN-FLINK-3_0, FLINK-1_18, FLINK-1_19, FLINK-1_20, FLINK-2_2, FLINK-2_3]",
    );
  });

  it('checks lengths and ranges', async () => {
    const long = (await (
      await post(
        'KinesisAnalytics_20180523.DescribeApplication',
        JSON.stringify({ ApplicationName: 'x'.repeat(129) }),
      )
    ).json()) as { message: string };
    expect(long.message).toContain(
      "at 'applicationName' failed to satisfy constraint: Member must have length less than or equal to 128",
    );
    const limit = (await (
      await post('KinesisAnalytics_20180523.ListApplications', JSON.stringify({ Limit: 0 }))
    ).json()) as {
      message: string;
    };
    expect(limit.message).toBe(
      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
  });

  it('answers malformed JSON, wrong types and unknown operations as AWS does', async () => {
    const malformed = await post('KinesisAnalytics_20180523.ListApplications', '{not json');
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { __type: string }).__type).toBe('SerializationException');
    const wrongType = await post(
      'KinesisAnalytics_20180523.ListApplications',
      JSON.stringify({ Limit: 'ten' }),
    );
    expect(((await wrongType.json()) as { __type: string }).__type).toBe('SerializationException');
    const unknown = await post('KinesisAnalytics_20180523.FlyToTheMoon', '{}');
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { __type: string }).__type).toBe('UnknownOperationException');
    const unknownService = await post('NoSuchService_20200101.Op', '{}');
    expect(unknownService.status).toBe(400);
    expect(((await unknownService.json()) as { __type: string }).__type).toBe('UnknownOperationException');
  });
});
