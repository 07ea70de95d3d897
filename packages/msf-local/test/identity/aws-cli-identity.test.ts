/**
 * The Debian AWS CLI v2 against msf-local for STS, IAM and KMS: the seed's Terraform resources done by hand
 * (caller identity, the execution role and its inline policy, the log group's KMS key), the CLI's own decoding of
 * IAM's percent-encoded policies, its error messages, and a request for a service msf-local does not serve.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli, awsCliJson } from '../support/aws-cli.js';
import { startHarness, type Harness } from '../support/msf-local-harness.js';

let h: Harness;
let files: string;

beforeAll(async () => {
  h = await startHarness({ runtime: null });
  files = h.dataDir;
});
afterAll(async () => {
  await h?.close();
});

const cli = <T = Record<string, unknown>>(args: string[]) => awsCliJson<T>(h.server.url, args);

async function file(name: string, content: unknown): Promise<string> {
  const target = path.join(files, name);
  await writeFile(target, JSON.stringify(content));
  return `file://${target}`;
}

describe('AWS CLI: STS, IAM and KMS', () => {
  it('gets the caller identity, then the assumed role with the credentials AssumeRole returned', async () => {
    expect(await cli(['sts', 'get-caller-identity'])).toEqual({
      UserId: '000000000000',
      Account: '000000000000',
      Arn: 'arn:aws:iam::000000000000:root',
    });
    const trust = await file('deployer-trust.json', {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 'sts:AssumeRole' },
      ],
    });
    await cli(['iam', 'create-role', '--role-name', 'deployer', '--assume-role-policy-document', trust]);
    const assumed = await cli<{ Credentials: Record<string, string> }>([
      'sts',
      'assume-role',
      '--role-arn',
      'arn:aws:iam::000000000000:role/deployer',
      '--role-session-name',
      'cli-session',
    ]);
    const asRole = await awsCli(h.server.url, ['sts', 'get-caller-identity'], {
      env: {
        AWS_ACCESS_KEY_ID: assumed.Credentials.AccessKeyId!,
        AWS_SECRET_ACCESS_KEY: assumed.Credentials.SecretAccessKey!,
        AWS_SESSION_TOKEN: assumed.Credentials.SessionToken!,
      },
    });
    expect(asRole.code).toBe(0);
    expect(JSON.parse(asRole.stdout).Arn).toBe('arn:aws:sts::000000000000:assumed-role/deployer/cli-session');
  });

  it("creates the seed's execution role with its inline policy and reads both back decoded", async () => {
    const trustDocument = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'kinesisanalytics.amazonaws.com' },
          Action: 'sts:AssumeRole',
        },
      ],
    };
    const policyDocument = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:ListBucket'],
          Resource: ['arn:aws:s3:::bucket', 'arn:aws:s3:::bucket/*'],
        },
        {
          Effect: 'Allow',
          Action: ['logs:DescribeLogGroups', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
          Resource: 'arn:aws:logs:us-east-1:000000000000:log-group:flink-terraform-lifecycle:*',
        },
      ],
    };
    await cli([
      'iam',
      'create-role',
      '--role-name',
      'flink-terraform-lifecycle',
      '--assume-role-policy-document',
      await file('trust.json', trustDocument),
      '--tags',
      'Key=project,Value=seed',
    ]);
    await cli([
      'iam',
      'put-role-policy',
      '--role-name',
      'flink-terraform-lifecycle',
      '--policy-name',
      'flink-terraform-lifecycle-policy',
      '--policy-document',
      await file('policy.json', policyDocument),
    ]);
    const role = await cli<{ Role: Record<string, unknown> }>([
      'iam',
      'get-role',
      '--role-name',
      'flink-terraform-lifecycle',
    ]);
    expect(role.Role.AssumeRolePolicyDocument).toEqual(trustDocument);
    expect(role.Role.Tags).toEqual([{ Key: 'project', Value: 'seed' }]);
    const inline = await cli<{ PolicyDocument: unknown }>([
      'iam',
      'get-role-policy',
      '--role-name',
      'flink-terraform-lifecycle',
      '--policy-name',
      'flink-terraform-lifecycle-policy',
    ]);
    expect(inline.PolicyDocument).toEqual(policyDocument);
    expect(await cli(['iam', 'list-role-policies', '--role-name', 'flink-terraform-lifecycle'])).toEqual({
      PolicyNames: ['flink-terraform-lifecycle-policy'],
    });
    expect(
      await cli(['iam', 'list-instance-profiles-for-role', '--role-name', 'flink-terraform-lifecycle']),
    ).toEqual({
      InstanceProfiles: [],
    });
    const conflict = await awsCli(h.server.url, [
      'iam',
      'delete-role',
      '--role-name',
      'flink-terraform-lifecycle',
    ]);
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toContain(
      '(DeleteConflict) when calling the DeleteRole operation: Cannot delete entity, must delete policies first.',
    );
    const missing = await awsCli(h.server.url, ['iam', 'get-role', '--role-name', 'nobody']);
    expect(missing.stderr).toContain(
      '(NoSuchEntity) when calling the GetRole operation: The role with name nobody cannot be found.',
    );
  });

  it("creates the seed's log group key with its policy, rotation and a 30-day deletion window", async () => {
    const policy = await file('key-policy.json', {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::000000000000:root' },
          Action: 'kms:*',
          Resource: '*',
        },
      ],
    });
    const created = await cli<{ KeyMetadata: { KeyId: string; Arn: string } }>([
      'kms',
      'create-key',
      '--description',
      'CloudWatch log group key',
      '--policy',
      policy,
    ]);
    const keyId = created.KeyMetadata.KeyId;
    await cli(['kms', 'enable-key-rotation', '--key-id', keyId]);
    expect(await cli(['kms', 'get-key-rotation-status', '--key-id', keyId])).toMatchObject({
      KeyRotationEnabled: true,
    });
    await cli(['kms', 'create-alias', '--alias-name', 'alias/flink-logs', '--target-key-id', keyId]);
    expect(
      (await cli<{ KeyMetadata: { Arn: string } }>(['kms', 'describe-key', '--key-id', 'alias/flink-logs']))
        .KeyMetadata.Arn,
    ).toBe(created.KeyMetadata.Arn);
    const scheduled = await cli([
      'kms',
      'schedule-key-deletion',
      '--key-id',
      keyId,
      '--pending-window-in-days',
      '30',
    ]);
    expect(scheduled).toMatchObject({
      KeyId: created.KeyMetadata.Arn,
      KeyState: 'PendingDeletion',
      PendingWindowInDays: 30,
    });
    const refused = await awsCli(h.server.url, ['kms', 'enable-key', '--key-id', keyId]);
    expect(refused.stderr).toContain(
      `(KMSInvalidStateException) when calling the EnableKey operation: ${created.KeyMetadata.Arn} is pending deletion.`,
    );
  });

  it('answers a service msf-local does not serve in that service’s protocol, naming the action', async () => {
    const sqs = await awsCli(h.server.url, ['sqs', 'list-queues']);
    expect(sqs.code).not.toBe(0);
    expect(sqs.stderr).toContain(
      '(InvalidAction) when calling the ListQueues operation: msf-local does not serve ListQueues (signed for sqs)',
    );
    const iam = await awsCli(h.server.url, ['iam', 'list-users']);
    expect(iam.stderr).toContain(
      '(InvalidAction) when calling the ListUsers operation: msf-local does not implement the IAM operation ListUsers',
    );
    const dynamo = await awsCli(h.server.url, ['dynamodb', 'list-tables']);
    expect(dynamo.stderr).toContain(
      '(UnknownOperationException) when calling the ListTables operation: msf-local does not serve DynamoDB_20120810.ListTables',
    );
  });
});
