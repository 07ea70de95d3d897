/** The Debian AWS CLI v2 (botocore's JSON 1.1 client) against msf-local's Kinesis Analytics V2 API. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli, awsCliJson, awsCliOk } from '../support/aws-cli.js';
import { FakeJobRuntime } from '../support/fake-job-runtime.js';
import { startHarness, type Harness } from '../support/msf-local-harness.js';

let h: Harness;
let work: string;
beforeAll(async () => {
  h = await startHarness({ runtime: new FakeJobRuntime() });
  work = await mkdtemp(path.join(os.tmpdir(), 'msf-cli-'));
});
afterAll(async () => {
  await h.close();
  await rm(work, { recursive: true, force: true });
});

describe('aws kinesisanalyticsv2 (Debian CLI v2)', () => {
  it('creates, describes, lists and deletes an application; uploads and downloads its JAR with s3 cp', async () => {
    const url = h.server.url;
    const jar = path.join(work, 'app.jar');
    await writeFile(jar, Buffer.alloc(300_000, 7));
    await awsCliOk(url, ['s3', 'mb', 's3://cli-code']);
    await awsCliOk(url, ['s3', 'cp', jar, 's3://cli-code/flink-app/app.jar']);
    const back = path.join(work, 'back.jar');
    await awsCliOk(url, ['s3', 'cp', 's3://cli-code/flink-app/app.jar', back]);
    expect(Buffer.compare(await readFile(back), await readFile(jar))).toBe(0);

    const created = await awsCliJson<{ ApplicationDetail: Record<string, unknown> }>(url, [
      'kinesisanalyticsv2',
      'create-application',
      '--application-name',
      'cli-app',
      '--runtime-environment',
      'FLINK-1_19',
      '--service-execution-role',
      'arn:aws:iam::000000000000:role/msf-local',
      '--application-configuration',
      JSON.stringify({
        ApplicationCodeConfiguration: {
          CodeContentType: 'ZIPFILE',
          CodeContent: {
            S3ContentLocation: { BucketARN: 'arn:aws:s3:::cli-code', FileKey: 'flink-app/app.jar' },
          },
        },
      }),
    ]);
    expect(created.ApplicationDetail).toMatchObject({
      ApplicationName: 'cli-app',
      ApplicationStatus: 'READY',
      ApplicationVersionId: 1,
    });

    const described = await awsCliJson<{
      ApplicationDetail: { CreateTimestamp: string; ApplicationStatus: string };
    }>(url, ['kinesisanalyticsv2', 'describe-application', '--application-name', 'cli-app']);
    expect(described.ApplicationDetail.ApplicationStatus).toBe('READY');

    const listed = await awsCliJson<{ ApplicationSummaries: { ApplicationName: string }[] }>(url, [
      'kinesisanalyticsv2',
      'list-applications',
    ]);
    expect(listed.ApplicationSummaries.map((s) => s.ApplicationName)).toContain('cli-app');

    const missing = await awsCli(url, [
      'kinesisanalyticsv2',
      'describe-application',
      '--application-name',
      'nope',
    ]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('ResourceNotFoundException');

    // The CLI prints CreateTimestamp as ISO 8601 and the user passes it back, as with real MSF.
    await awsCliJson(url, [
      'kinesisanalyticsv2',
      'delete-application',
      '--application-name',
      'cli-app',
      '--create-timestamp',
      described.ApplicationDetail.CreateTimestamp,
    ]);
    const after = await awsCli(url, [
      'kinesisanalyticsv2',
      'describe-application',
      '--application-name',
      'cli-app',
    ]);
    // Deleted at once or still DELETING: either way it is on its way out.
    if (after.code === 0)
      expect(JSON.parse(after.stdout).ApplicationDetail.ApplicationStatus).toBe('DELETING');
    else expect(after.stderr).toContain('ResourceNotFoundException');
  }, 60_000);
});
