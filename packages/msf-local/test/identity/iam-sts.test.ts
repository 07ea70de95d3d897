/**
 * IAM and STS through the real AWS SDK v3 clients (query protocol, XML): what Terraform's aws_iam_role and
 * aws_iam_role_policy write and read back, the error codes and statuses IAM gives, persistence, and AssumeRole
 * credentials that GetCallerIdentity resolves to the assumed role.
 */
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  DeletePolicyCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListInstanceProfilesForRoleCommand,
  ListPoliciesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  ListRoleTagsCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
  UpdateRoleDescriptionCommand,
} from '@aws-sdk/client-iam';
import {
  AssumeRoleCommand,
  GetAccessKeyInfoCommand,
  GetCallerIdentityCommand,
  GetSessionTokenCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, startServices, type ServicesHarness } from '../support/services-harness.js';

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { Service: 'kinesisanalytics.amazonaws.com' }, Action: 'sts:AssumeRole' },
  ],
});
const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: 'arn:aws:s3:::bucket/*' },
    { Effect: 'Allow', Action: ['logs:PutLogEvents'], Resource: 'arn:aws:logs:*:*:log-group:app:*' },
  ],
});

let h: ServicesHarness;
beforeEach(async () => {
  h = await startServices();
});
afterEach(async () => {
  await h.dispose();
});

describe('IAM roles', () => {
  it("answers aws_iam_role's create and reads, keeps them across a restart, and deletes", async () => {
    const created = await h.iamClient.send(
      new CreateRoleCommand({
        RoleName: 'flink-terraform-lifecycle',
        AssumeRolePolicyDocument: TRUST,
        Description: 'MSF execution role',
        Tags: [{ Key: 'env', Value: 'dev' }],
      }),
    );
    expect(created.Role).toMatchObject({
      RoleName: 'flink-terraform-lifecycle',
      Path: '/',
      Arn: 'arn:aws:iam::000000000000:role/flink-terraform-lifecycle',
      MaxSessionDuration: 3600,
      Description: 'MSF execution role',
      Tags: [{ Key: 'env', Value: 'dev' }],
    });
    expect(created.Role!.RoleId).toMatch(/^AROA[A-Z2-7]{17}$/);
    expect(created.Role!.CreateDate).toBeInstanceOf(Date);
    // IAM sends policy documents percent-encoded; the SDK hands them over as sent.
    expect(JSON.parse(decodeURIComponent(created.Role!.AssumeRolePolicyDocument!))).toEqual(
      JSON.parse(TRUST),
    );

    await h.iamClient.send(
      new PutRolePolicyCommand({
        RoleName: 'flink-terraform-lifecycle',
        PolicyName: 'flink-terraform-lifecycle-policy',
        PolicyDocument: POLICY,
      }),
    );
    h = await h.restart();
    const role = (await h.iamClient.send(new GetRoleCommand({ RoleName: 'FLINK-terraform-lifecycle' })))
      .Role!;
    expect(role.RoleId).toBe(created.Role!.RoleId);
    const inline = await h.iamClient.send(
      new GetRolePolicyCommand({
        RoleName: 'flink-terraform-lifecycle',
        PolicyName: 'flink-terraform-lifecycle-policy',
      }),
    );
    expect(decodeURIComponent(inline.PolicyDocument!)).toBe(POLICY);
    expect(
      (await h.iamClient.send(new ListRolePoliciesCommand({ RoleName: 'flink-terraform-lifecycle' })))
        .PolicyNames,
    ).toEqual(['flink-terraform-lifecycle-policy']);
    expect(
      (
        await h.iamClient.send(
          new ListInstanceProfilesForRoleCommand({ RoleName: 'flink-terraform-lifecycle' }),
        )
      ).InstanceProfiles,
    ).toEqual([]);

    expect(
      await errorOf(h.iamClient.send(new DeleteRoleCommand({ RoleName: 'flink-terraform-lifecycle' }))),
    ).toMatchObject({ name: 'DeleteConflictException', status: 409 });
    await h.iamClient.send(
      new DeleteRolePolicyCommand({
        RoleName: 'flink-terraform-lifecycle',
        PolicyName: 'flink-terraform-lifecycle-policy',
      }),
    );
    await h.iamClient.send(new DeleteRoleCommand({ RoleName: 'flink-terraform-lifecycle' }));
    expect(
      await errorOf(h.iamClient.send(new GetRoleCommand({ RoleName: 'flink-terraform-lifecycle' }))),
    ).toMatchObject({
      name: 'NoSuchEntityException',
      status: 404,
      message: 'The role with name flink-terraform-lifecycle cannot be found.',
    });
  });

  it('gives IAM error codes for duplicates, malformed documents and model violations', async () => {
    await h.iamClient.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: TRUST }));
    expect(
      await errorOf(
        h.iamClient.send(new CreateRoleCommand({ RoleName: 'R', AssumeRolePolicyDocument: TRUST })),
      ),
    ).toMatchObject({ name: 'EntityAlreadyExistsException', status: 409 });
    expect(
      await errorOf(
        h.iamClient.send(new CreateRoleCommand({ RoleName: 'x', AssumeRolePolicyDocument: '{nope' })),
      ),
    ).toMatchObject({
      name: 'MalformedPolicyDocumentException',
      message: 'This policy contains invalid Json',
    });
    expect(
      await errorOf(
        h.iamClient.send(new PutRolePolicyCommand({ RoleName: 'r', PolicyName: 'p', PolicyDocument: TRUST })),
      ),
    ).toMatchObject({ name: 'MalformedPolicyDocumentException' });
    const invalid = await errorOf(
      h.iamClient.send(new CreateRoleCommand({ RoleName: 'has space', AssumeRolePolicyDocument: TRUST })),
    );
    expect(invalid).toMatchObject({ name: 'ValidationError', status: 400 });
    expect(invalid.message).toContain("Value 'has space' at 'roleName' failed to satisfy constraint");
    expect(
      (await errorOf(h.iamClient.send(new UpdateRoleCommand({ RoleName: 'r', MaxSessionDuration: 60 }))))
        .message,
    ).toContain(
      "at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600",
    );
  });

  it('updates, tags, attaches managed policies and lists with markers', async () => {
    for (let i = 0; i < 5; i++) {
      await h.iamClient.send(
        new CreateRoleCommand({
          RoleName: `role-${i}`,
          Path: i % 2 ? '/odd/' : '/',
          AssumeRolePolicyDocument: TRUST,
        }),
      );
    }
    const names: string[] = [];
    let marker: string | undefined;
    do {
      const page = await h.iamClient.send(new ListRolesCommand({ MaxItems: 2, Marker: marker }));
      names.push(...page.Roles!.map((r) => r.RoleName!));
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
    expect(names).toEqual(['role-0', 'role-1', 'role-2', 'role-3', 'role-4']);
    expect(
      (await h.iamClient.send(new ListRolesCommand({ PathPrefix: '/odd/' }))).Roles!.map((r) => r.Arn),
    ).toEqual(['arn:aws:iam::000000000000:role/odd/role-1', 'arn:aws:iam::000000000000:role/odd/role-3']);

    await h.iamClient.send(new UpdateRoleCommand({ RoleName: 'role-0', MaxSessionDuration: 7200 }));
    const described = await h.iamClient.send(
      new UpdateRoleDescriptionCommand({ RoleName: 'role-0', Description: 'd' }),
    );
    expect(described.Role).toMatchObject({ MaxSessionDuration: 7200, Description: 'd' });
    const trust2 = TRUST.replace('kinesisanalytics', 'ec2');
    await h.iamClient.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'role-0', PolicyDocument: trust2 }));
    expect(
      decodeURIComponent(
        (await h.iamClient.send(new GetRoleCommand({ RoleName: 'role-0' }))).Role!.AssumeRolePolicyDocument!,
      ),
    ).toBe(trust2);

    await h.iamClient.send(
      new TagRoleCommand({
        RoleName: 'role-0',
        Tags: [
          { Key: 'a', Value: '1' },
          { Key: 'b', Value: '2' },
        ],
      }),
    );
    await h.iamClient.send(new UntagRoleCommand({ RoleName: 'role-0', TagKeys: ['A'] }));
    expect((await h.iamClient.send(new ListRoleTagsCommand({ RoleName: 'role-0' }))).Tags).toEqual([
      { Key: 'b', Value: '2' },
    ]);

    const { Policy } = await h.iamClient.send(
      new CreatePolicyCommand({ PolicyName: 'mine', PolicyDocument: POLICY }),
    );
    expect(Policy).toMatchObject({
      Arn: 'arn:aws:iam::000000000000:policy/mine',
      DefaultVersionId: 'v1',
      AttachmentCount: 0,
    });
    await h.iamClient.send(new AttachRolePolicyCommand({ RoleName: 'role-0', PolicyArn: Policy!.Arn }));
    await h.iamClient.send(
      new AttachRolePolicyCommand({
        RoleName: 'role-0',
        PolicyArn: 'arn:aws:iam::aws:policy/CloudWatchLogsFullAccess',
      }),
    );
    expect(
      await errorOf(
        h.iamClient.send(
          new AttachRolePolicyCommand({
            RoleName: 'role-0',
            PolicyArn: 'arn:aws:iam::000000000000:policy/missing',
          }),
        ),
      ),
    ).toMatchObject({ name: 'NoSuchEntityException', status: 404 });
    expect(
      (await h.iamClient.send(new ListAttachedRolePoliciesCommand({ RoleName: 'role-0' }))).AttachedPolicies,
    ).toEqual([
      { PolicyName: 'mine', PolicyArn: Policy!.Arn },
      {
        PolicyName: 'CloudWatchLogsFullAccess',
        PolicyArn: 'arn:aws:iam::aws:policy/CloudWatchLogsFullAccess',
      },
    ]);
    expect(
      (await h.iamClient.send(new GetPolicyCommand({ PolicyArn: Policy!.Arn }))).Policy!.AttachmentCount,
    ).toBe(1);
    const version = await h.iamClient.send(
      new GetPolicyVersionCommand({ PolicyArn: Policy!.Arn, VersionId: 'v1' }),
    );
    expect(decodeURIComponent(version.PolicyVersion!.Document!)).toBe(POLICY);
    expect(
      (await h.iamClient.send(new ListPoliciesCommand({ Scope: 'Local', OnlyAttached: true }))).Policies!.map(
        (p) => p.PolicyName,
      ),
    ).toEqual(['mine']);
    expect(
      await errorOf(h.iamClient.send(new DeletePolicyCommand({ PolicyArn: Policy!.Arn }))),
    ).toMatchObject({
      name: 'DeleteConflictException',
    });
    await h.iamClient.send(new DetachRolePolicyCommand({ RoleName: 'role-0', PolicyArn: Policy!.Arn }));
    await h.iamClient.send(new DeletePolicyCommand({ PolicyArn: Policy!.Arn }));
  });
});

describe('STS', () => {
  it('tells the root identity, and the assumed role for credentials it issued', async () => {
    expect(await h.stsClient.send(new GetCallerIdentityCommand({}))).toMatchObject({
      Account: '000000000000',
      Arn: 'arn:aws:iam::000000000000:root',
      UserId: '000000000000',
    });
    const { Role } = await h.iamClient.send(
      new CreateRoleCommand({ RoleName: 'deployer', AssumeRolePolicyDocument: TRUST }),
    );
    const assumed = await h.stsClient.send(
      new AssumeRoleCommand({ RoleArn: Role!.Arn, RoleSessionName: 'ci', DurationSeconds: 900 }),
    );
    expect(assumed.AssumedRoleUser).toEqual({
      AssumedRoleId: `${Role!.RoleId}:ci`,
      Arn: 'arn:aws:sts::000000000000:assumed-role/deployer/ci',
    });
    const credentials = assumed.Credentials!;
    expect(credentials.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(credentials.Expiration!.getTime() - h.clock.now).toBeGreaterThan(890_000);

    const asRole = async () => {
      const client = new STSClient({
        endpoint: h.url,
        region: 'us-east-1',
        maxAttempts: 1,
        credentials: {
          accessKeyId: credentials.AccessKeyId!,
          secretAccessKey: credentials.SecretAccessKey!,
          sessionToken: credentials.SessionToken!,
        },
      });
      try {
        return await client.send(new GetCallerIdentityCommand({}));
      } finally {
        client.destroy();
      }
    };
    expect(await asRole()).toMatchObject({
      Arn: 'arn:aws:sts::000000000000:assumed-role/deployer/ci',
      UserId: `${Role!.RoleId}:ci`,
    });
    h = await h.restart(); // sessions survive a restart
    expect((await asRole()).Arn).toBe('arn:aws:sts::000000000000:assumed-role/deployer/ci');
    h.clock.now += 901_000;
    expect(await errorOf(asRole())).toMatchObject({ name: 'ExpiredToken', status: 403 });
  });

  it('refuses roles that do not exist and durations beyond the role maximum', async () => {
    expect(
      await errorOf(
        h.stsClient.send(
          new AssumeRoleCommand({
            RoleArn: 'arn:aws:iam::000000000000:role/none',
            RoleSessionName: 'session',
          }),
        ),
      ),
    ).toMatchObject({ name: 'AccessDenied', status: 403 });
    const { Role } = await h.iamClient.send(
      new CreateRoleCommand({ RoleName: 'short', AssumeRolePolicyDocument: TRUST }),
    );
    expect(
      await errorOf(
        h.stsClient.send(
          new AssumeRoleCommand({ RoleArn: Role!.Arn, RoleSessionName: 'session', DurationSeconds: 7200 }),
        ),
      ),
    ).toMatchObject({ name: 'ValidationError', status: 400 });
    const session = await h.stsClient.send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
    expect(session.Credentials!.SessionToken!.length).toBeGreaterThan(100);
    expect(
      (await h.stsClient.send(new GetAccessKeyInfoCommand({ AccessKeyId: 'AKIAIOSFODNN7EXAMPLE' }))).Account,
    ).toBe('000000000000');
  });
});
