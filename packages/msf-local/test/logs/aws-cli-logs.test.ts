/**
 * The Debian AWS CLI v2 against msf-local for CloudWatch Logs: the seed's log group (retention, KMS key) and log
 * stream, events written and read back with get-log-events, filter-log-events (the CLI's own pagination) and
 * `logs tail`, and the CLI's error messages.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli, awsCliJson, awsCliOk } from '../support/aws-cli.js';
import { startHarness, type Harness } from '../support/msf-local-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ runtime: null });
});
afterAll(async () => {
  await h?.close();
});

const cli = <T = Record<string, unknown>>(args: string[]) => awsCliJson<T>(h.server.url, args);
const GROUP = 'flink-terraform-lifecycle';

describe('AWS CLI: CloudWatch Logs', () => {
  it("creates the seed's encrypted log group with retention and its stream", async () => {
    const key = await cli<{ KeyMetadata: { Arn: string } }>(['kms', 'create-key']);
    await cli(['logs', 'create-log-group', '--log-group-name', GROUP, '--kms-key-id', key.KeyMetadata.Arn]);
    await cli(['logs', 'put-retention-policy', '--log-group-name', GROUP, '--retention-in-days', '365']);
    await cli(['logs', 'create-log-stream', '--log-group-name', GROUP, '--log-stream-name', GROUP]);
    const groups = await cli<{ logGroups: Record<string, unknown>[] }>([
      'logs',
      'describe-log-groups',
      '--log-group-name-prefix',
      GROUP,
    ]);
    expect(groups.logGroups).toEqual([
      expect.objectContaining({
        logGroupName: GROUP,
        retentionInDays: 365,
        kmsKeyId: key.KeyMetadata.Arn,
        arn: `arn:aws:logs:us-east-1:000000000000:log-group:${GROUP}:*`,
      }),
    ]);
    const streams = await cli<{ logStreams: Record<string, unknown>[] }>([
      'logs',
      'describe-log-streams',
      '--log-group-name',
      GROUP,
      '--log-stream-name-prefix',
      GROUP,
    ]);
    expect(streams.logStreams).toEqual([
      expect.objectContaining({
        logStreamName: GROUP,
        arn: `arn:aws:logs:us-east-1:000000000000:log-group:${GROUP}:log-stream:${GROUP}`,
      }),
    ]);
    const retention = await awsCli(h.server.url, [
      'logs',
      'put-retention-policy',
      '--log-group-name',
      GROUP,
      '--retention-in-days',
      '2',
    ]);
    expect(retention.stderr).toContain(
      '(InvalidParameterException) when calling the PutRetentionPolicy operation',
    );
    const duplicate = await awsCli(h.server.url, ['logs', 'create-log-group', '--log-group-name', GROUP]);
    expect(duplicate.stderr).toContain(
      '(ResourceAlreadyExistsException) when calling the CreateLogGroup operation',
    );
  });

  it('writes events and reads them with get-log-events, filter-log-events across pages, and logs tail', async () => {
    const now = Date.now();
    const events = Array.from({ length: 30 }, (_, i) => ({
      timestamp: now - 30_000 + i * 1000,
      message: i % 3 === 0 ? `ERROR event ${i}` : `INFO event ${i}`,
    }));
    const eventsFile = path.join(h.dataDir, 'events.json');
    await writeFile(eventsFile, JSON.stringify(events));
    await cli([
      'logs',
      'put-log-events',
      '--log-group-name',
      GROUP,
      '--log-stream-name',
      GROUP,
      '--log-events',
      `file://${eventsFile}`,
    ]);

    const head = await cli<{ events: { message: string }[]; nextForwardToken: string }>([
      'logs',
      'get-log-events',
      '--log-group-name',
      GROUP,
      '--log-stream-name',
      GROUP,
      '--start-from-head',
      '--limit',
      '5',
    ]);
    expect(head.events.map((e) => e.message)).toEqual(events.slice(0, 5).map((e) => e.message));
    expect(head.nextForwardToken).toMatch(/^f\/\d+$/);

    // The CLI follows nextToken itself; --page-size 4 makes it take several pages.
    const errors = await cli<{ events: { message: string; logStreamName: string }[] }>([
      'logs',
      'filter-log-events',
      '--log-group-name',
      GROUP,
      '--filter-pattern',
      'ERROR',
      '--page-size',
      '4',
    ]);
    expect(errors.events.map((e) => e.message)).toEqual(
      events.filter((e) => e.message.startsWith('ERROR')).map((e) => e.message),
    );
    expect(errors.events[0]!.logStreamName).toBe(GROUP);

    const tail = await awsCliOk(h.server.url, [
      'logs',
      'tail',
      GROUP,
      '--since',
      '5m',
      '--filter-pattern',
      '"event 29"',
    ]);
    expect(tail.trim()).toMatch(new RegExp(`^\\S+ ${GROUP} INFO event 29$`));

    const missing = await awsCli(h.server.url, [
      'logs',
      'get-log-events',
      '--log-group-name',
      GROUP,
      '--log-stream-name',
      'nope',
    ]);
    expect(missing.stderr).toContain(
      '(ResourceNotFoundException) when calling the GetLogEvents operation: The specified log stream does not exist.',
    );
  });
});
