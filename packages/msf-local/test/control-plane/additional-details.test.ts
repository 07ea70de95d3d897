/**
 * DescribeApplication with IncludeAdditionalDetails: the running job's plan, as the job runtime describes it,
 * becomes JobPlanDescription. (The runtime is the test double here; the plan of a real Flink job is checked in
 * test/e2e/msf-api-on-flink.flink.test.ts.)
 */
import {
  CreateApplicationCommand,
  DescribeApplicationCommand,
  StartApplicationCommand,
} from '@aws-sdk/client-kinesis-analytics-v2';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeJobRuntime } from '../support/fake-job-runtime.js';
import { startHarness, waitFor, type Harness, TEST_ROLE } from '../support/msf-local-harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ runtime: new FakeJobRuntime() });
  await h.s3.send(new CreateBucketCommand({ Bucket: 'code' }));
  await h.s3.send(new PutObjectCommand({ Bucket: 'code', Key: 'app.jar', Body: Buffer.from('PK fake jar') }));
});
afterAll(async () => {
  await h.close();
});

const describeApp = async (name: string, IncludeAdditionalDetails?: boolean) =>
  (await h.kda.send(new DescribeApplicationCommand({ ApplicationName: name, IncludeAdditionalDetails })))
    .ApplicationDetail!;
const flinkOf = (d: Awaited<ReturnType<typeof describeApp>>) =>
  d.ApplicationConfigurationDescription!.FlinkApplicationConfigurationDescription!;

describe('DescribeApplication IncludeAdditionalDetails', () => {
  it('adds the running job plan only when asked, and only while a job runs', async () => {
    await h.kda.send(
      new CreateApplicationCommand({
        ApplicationName: 'planned',
        RuntimeEnvironment: 'FLINK-1_19',
        ServiceExecutionRole: TEST_ROLE,
        ApplicationConfiguration: {
          ApplicationCodeConfiguration: {
            CodeContentType: 'ZIPFILE',
            CodeContent: { S3ContentLocation: { BucketARN: 'arn:aws:s3:::code', FileKey: 'app.jar' } },
          },
        },
      }),
    );

    // READY: no job, so no plan, and the describe still succeeds.
    expect(flinkOf(await describeApp('planned', true)).JobPlanDescription).toBeUndefined();

    await h.kda.send(new StartApplicationCommand({ ApplicationName: 'planned' }));
    await waitFor(
      () => describeApp('planned'),
      (d) => d.ApplicationStatus === 'RUNNING',
    );

    expect(flinkOf(await describeApp('planned')).JobPlanDescription).toBeUndefined();
    const plan = flinkOf(await describeApp('planned', true)).JobPlanDescription;
    expect(JSON.parse(plan!)).toMatchObject({ name: 'job of planned', type: 'STREAMING' });
  });
});
