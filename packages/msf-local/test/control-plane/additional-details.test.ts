/**
 * DescribeApplication with IncludeAdditionalDetails: the running job's Flink plan as JobPlanDescription.
 * The job runtime is the test double; its dashboard is a small HTTP server answering the two Flink REST calls
 * msf-local makes (/jobs/overview, /jobs/<id>/plan) in Flink's response shapes. Real Flink is covered by the
 * acceptance probe of the lifecycle.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateApplicationCommand,
  DescribeApplicationCommand,
  StartApplicationCommand,
} from '@aws-sdk/client-kinesis-analytics-v2';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeJobRuntime } from '../support/fake-job-runtime.js';
import { startHarness, waitFor, type Harness, TEST_ROLE } from '../support/msf-local-harness.js';

const PLAN = {
  jid: 'b7c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5',
  name: 'msf-local test job counter',
  type: 'STREAMING',
  nodes: [{ id: 'cbc357ccb763df2852fee8c4fc7d55f2', parallelism: 1, operator: '', description: 'ticks' }],
};

const flinkRest = http.createServer((req, res) => {
  res.setHeader('content-type', 'application/json');
  if (req.url === '/jobs/overview') {
    res.end(
      JSON.stringify({
        jobs: [
          { jid: 'old-finished-job', state: 'CANCELED', 'start-time': 1 },
          { jid: PLAN.jid, state: 'RUNNING', 'start-time': 2 },
        ],
      }),
    );
  } else if (req.url === `/jobs/${PLAN.jid}/plan`) {
    res.end(JSON.stringify({ plan: PLAN }));
  } else {
    res.statusCode = 404;
    res.end(JSON.stringify({ errors: ['Not found'] }));
  }
});

class RuntimeWithRestDashboard extends FakeJobRuntime {
  override dashboardUrl(app: string): string | undefined {
    if (!super.dashboardUrl(app)) return undefined;
    return `http://127.0.0.1:${(flinkRest.address() as AddressInfo).port}`;
  }
}

let h: Harness;

beforeAll(async () => {
  await new Promise<void>((resolve) => flinkRest.listen(0, '127.0.0.1', resolve));
  h = await startHarness({ runtime: new RuntimeWithRestDashboard() });
  await h.s3.send(new CreateBucketCommand({ Bucket: 'code' }));
  await h.s3.send(new PutObjectCommand({ Bucket: 'code', Key: 'app.jar', Body: Buffer.from('PK fake jar') }));
});
afterAll(async () => {
  await h.close();
  await new Promise((resolve) => flinkRest.close(resolve));
});

const describeApp = async (name: string, IncludeAdditionalDetails?: boolean) =>
  (await h.kda.send(new DescribeApplicationCommand({ ApplicationName: name, IncludeAdditionalDetails })))
    .ApplicationDetail!;

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
    const flinkOf = (d: Awaited<ReturnType<typeof describeApp>>) =>
      d.ApplicationConfigurationDescription!.FlinkApplicationConfigurationDescription!;

    // READY: no job, so no plan, and the describe still succeeds.
    expect(flinkOf(await describeApp('planned', true)).JobPlanDescription).toBeUndefined();

    await h.kda.send(new StartApplicationCommand({ ApplicationName: 'planned' }));
    await waitFor(
      () => describeApp('planned'),
      (d) => d.ApplicationStatus === 'RUNNING',
    );

    expect(flinkOf(await describeApp('planned')).JobPlanDescription).toBeUndefined();
    const plan = flinkOf(await describeApp('planned', true)).JobPlanDescription;
    expect(plan).toBeDefined();
    expect(JSON.parse(plan!)).toEqual(PLAN);
  });
});
