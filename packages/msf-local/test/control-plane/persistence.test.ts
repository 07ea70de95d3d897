/**
 * Durability: everything the control plane acknowledged survives a restart, including `kill -9` of a server
 * process in the middle of a stream of writes.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateApplicationCommand,
  DescribeApplicationCommand,
  KinesisAnalyticsV2Client,
  ListApplicationsCommand,
  StartApplicationCommand,
  TagResourceCommand,
} from '@aws-sdk/client-kinesis-analytics-v2';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeJobRuntime } from '../support/fake-job-runtime.js';
import {
  startHarness,
  TEST_CREDENTIALS,
  waitFor,
  type Harness,
  TEST_ROLE,
} from '../support/msf-local-harness.js';

const here = path.dirname(fileURLToPath(import.meta.url));
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('restart', () => {
  it('keeps applications, versions and tags, and brings a RUNNING application back from its latest snapshot', async () => {
    const runtime = new FakeJobRuntime();
    h = await startHarness({ runtime, controlPlane: { settleMs: 10 } });
    const bucket = 'code';
    await h.server.s3.createBucket(bucket);
    await h.server.s3.putObject(bucket, 'a.jar', Buffer.from('jar'));
    const created = await h.kda.send(
      new CreateApplicationCommand({
        ApplicationName: 'durable',
        RuntimeEnvironment: 'FLINK-1_19',
        ServiceExecutionRole: TEST_ROLE,
        ApplicationConfiguration: {
          ApplicationCodeConfiguration: {
            CodeContentType: 'ZIPFILE',
            CodeContent: { S3ContentLocation: { BucketARN: `arn:aws:s3:::${bucket}`, FileKey: 'a.jar' } },
          },
        },
        Tags: [{ Key: 'k', Value: 'v' }],
      }),
    );
    await h.kda.send(new StartApplicationCommand({ ApplicationName: 'durable' }));
    const describe = async () =>
      (await h!.kda.send(new DescribeApplicationCommand({ ApplicationName: 'durable' }))).ApplicationDetail!;
    await waitFor(describe, (d) => d.ApplicationStatus === 'RUNNING');

    const restarted = new FakeJobRuntime();
    await h.restart({ runtime: restarted });
    const after = await describe();
    expect(after.ApplicationStatus).toBe('RUNNING');
    expect(after.ConditionalToken).toBe(created.ApplicationDetail?.ConditionalToken);
    expect(after.CreateTimestamp).toEqual(created.ApplicationDetail?.CreateTimestamp);
    await waitFor(
      async () => restarted.hasJob('durable'),
      (running) => running,
    );
    expect(restarted.lastLaunch('durable')?.applicationName).toBe('durable');
  });
});

describe('kill -9', () => {
  it('loses no acknowledged request and leaves no corrupt state', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'msf-local-kill-'));
    try {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', path.join(here, '../support/serve-without-runtime.ts'), dataDir],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          const match = /listening on (http:\/\/\S+)/.exec(chunk.toString());
          if (match) resolve(match[1]!);
        });
        child.once('exit', (code) => reject(new Error(`server exited early (${code})`)));
      });
      const client = new KinesisAnalyticsV2Client({
        endpoint: url,
        region: 'us-east-1',
        credentials: TEST_CREDENTIALS,
        maxAttempts: 1,
      });
      const acknowledged: string[] = [];
      const writer = (async () => {
        for (let i = 0; ; i++) {
          const name = `app-${i}`;
          try {
            await client.send(
              new CreateApplicationCommand({
                ApplicationName: name,
                RuntimeEnvironment: 'FLINK-1_20',
                ServiceExecutionRole: TEST_ROLE,
              }),
            );
            await client.send(
              new TagResourceCommand({
                ResourceARN: `arn:aws:kinesisanalytics:us-east-1:000000000000:application/${name}`,
                Tags: [{ Key: 'i', Value: String(i) }],
              }),
            );
            acknowledged.push(name);
          } catch {
            return;
          }
        }
      })();
      await waitFor(
        async () => acknowledged.length,
        (n) => n >= 15,
        20_000,
      );
      child.kill('SIGKILL');
      await writer;
      client.destroy();

      h = await startHarness({ runtime: null, dataDir });
      const names: string[] = [];
      let token: string | undefined;
      do {
        const page = await h.kda.send(new ListApplicationsCommand({ NextToken: token }));
        names.push(...page.ApplicationSummaries!.map((s) => s.ApplicationName!));
        token = page.NextToken;
      } while (token);
      expect(names).toEqual(expect.arrayContaining(acknowledged));
      for (const name of acknowledged) {
        const { ApplicationDetail } = await h.kda.send(
          new DescribeApplicationCommand({ ApplicationName: name }),
        );
        expect(ApplicationDetail?.ApplicationVersionId).toBe(1);
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
