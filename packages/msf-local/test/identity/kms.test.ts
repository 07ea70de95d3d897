/**
 * KMS through the real AWS SDK v3 client: what Terraform's aws_kms_key writes and reads back (key, policy,
 * rotation, tags, description, enabled), aliases, pagination, key states, and scheduled deletion that really ends.
 */
import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateKeyCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EnableKeyRotationCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  ListAliasesCommand,
  ListKeyPoliciesCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  PutKeyPolicyCommand,
  ScheduleKeyDeletionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateAliasCommand,
  UpdateKeyDescriptionCommand,
} from '@aws-sdk/client-kms';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, startServices, type ServicesHarness } from '../support/services-harness.js';

const DAY = 86_400_000;
/** The seed's key policy: the account's root may do anything, the Logs service may use the key for its group. */
const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'root',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::000000000000:root' },
      Action: 'kms:*',
      Resource: '*',
    },
    {
      Sid: 'logs',
      Effect: 'Allow',
      Principal: { Service: 'logs.us-east-1.amazonaws.com' },
      Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      Resource: '*',
      Condition: {
        ArnEquals: {
          'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:us-east-1:000000000000:log-group:app',
        },
      },
    },
  ],
});

let h: ServicesHarness;
beforeEach(async () => {
  h = await startServices({ clock: { now: Date.UTC(2026, 0, 15, 12) } });
});
afterEach(async () => {
  await h.dispose();
});

describe('KMS keys', () => {
  it("answers aws_kms_key's create and reads, across a restart", async () => {
    const { KeyMetadata: key } = await h.kmsClient.send(
      new CreateKeyCommand({
        Description: 'logs key',
        Policy: POLICY,
        Tags: [{ TagKey: 'env', TagValue: 'dev' }],
      }),
    );
    expect(key).toMatchObject({
      AWSAccountId: '000000000000',
      Arn: `arn:aws:kms:us-east-1:000000000000:key/${key!.KeyId}`,
      Description: 'logs key',
      Enabled: true,
      KeyState: 'Enabled',
      KeyUsage: 'ENCRYPT_DECRYPT',
      KeySpec: 'SYMMETRIC_DEFAULT',
      Origin: 'AWS_KMS',
      KeyManager: 'CUSTOMER',
      MultiRegion: false,
    });
    expect(key!.CreationDate!.getTime()).toBe(h.clock.now);
    await h.kmsClient.send(new EnableKeyRotationCommand({ KeyId: key!.KeyId, RotationPeriodInDays: 180 }));
    h = await h.restart();

    const described = await h.kmsClient.send(new DescribeKeyCommand({ KeyId: key!.Arn }));
    expect(described.KeyMetadata!.KeyId).toBe(key!.KeyId);
    expect(
      (await h.kmsClient.send(new GetKeyPolicyCommand({ KeyId: key!.KeyId, PolicyName: 'default' }))).Policy,
    ).toBe(POLICY);
    expect(await h.kmsClient.send(new GetKeyRotationStatusCommand({ KeyId: key!.KeyId }))).toMatchObject({
      KeyRotationEnabled: true,
      RotationPeriodInDays: 180,
      KeyId: key!.Arn,
    });
    expect((await h.kmsClient.send(new ListResourceTagsCommand({ KeyId: key!.KeyId }))).Tags).toEqual([
      { TagKey: 'env', TagValue: 'dev' },
    ]);
    expect((await h.kmsClient.send(new ListKeyPoliciesCommand({ KeyId: key!.KeyId }))).PolicyNames).toEqual([
      'default',
    ]);
  });

  it('gives a default policy, updates description, policy, tags and state', async () => {
    const { KeyMetadata: key } = await h.kmsClient.send(new CreateKeyCommand({}));
    const policy = JSON.parse(
      (await h.kmsClient.send(new GetKeyPolicyCommand({ KeyId: key!.KeyId }))).Policy!,
    );
    expect(policy.Statement[0]).toMatchObject({
      Principal: { AWS: 'arn:aws:iam::000000000000:root' },
      Action: 'kms:*',
    });

    await h.kmsClient.send(new UpdateKeyDescriptionCommand({ KeyId: key!.KeyId, Description: 'renamed' }));
    await h.kmsClient.send(
      new PutKeyPolicyCommand({ KeyId: key!.KeyId, PolicyName: 'default', Policy: POLICY }),
    );
    await h.kmsClient.send(
      new TagResourceCommand({ KeyId: key!.KeyId, Tags: [{ TagKey: 'a', TagValue: '1' }] }),
    );
    await h.kmsClient.send(new UntagResourceCommand({ KeyId: key!.KeyId, TagKeys: ['a'] }));
    expect((await h.kmsClient.send(new ListResourceTagsCommand({ KeyId: key!.KeyId }))).Tags).toEqual([]);
    expect(
      await errorOf(h.kmsClient.send(new PutKeyPolicyCommand({ KeyId: key!.KeyId, Policy: '{not json' }))),
    ).toMatchObject({ name: 'MalformedPolicyDocumentException' });

    await h.kmsClient.send(new DisableKeyCommand({ KeyId: key!.KeyId }));
    const disabled = (await h.kmsClient.send(new DescribeKeyCommand({ KeyId: key!.KeyId }))).KeyMetadata!;
    expect(disabled).toMatchObject({ Enabled: false, KeyState: 'Disabled', Description: 'renamed' });
    expect((await errorOf(h.kmsClient.send(new EnableKeyRotationCommand({ KeyId: key!.KeyId })))).name).toBe(
      'DisabledException',
    );
    await h.kmsClient.send(new EnableKeyCommand({ KeyId: key!.KeyId }));
    expect(
      (
        await errorOf(
          h.kmsClient.send(new EnableKeyRotationCommand({ KeyId: key!.KeyId, RotationPeriodInDays: 30 })),
        )
      ).message,
    ).toContain(
      "at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value greater than or equal to 90",
    );
    expect(await errorOf(h.kmsClient.send(new DescribeKeyCommand({ KeyId: 'nope' })))).toMatchObject({
      name: 'NotFoundException',
      status: 400,
    });
  });

  it('lists keys and aliases in pages; aliases name keys', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await h.kmsClient.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!);
    const listed: string[] = [];
    let Marker: string | undefined;
    do {
      const page = await h.kmsClient.send(new ListKeysCommand({ Limit: 2, Marker }));
      listed.push(...page.Keys!.map((k) => k.KeyId!));
      Marker = page.Truncated ? page.NextMarker : undefined;
    } while (Marker);
    expect(listed.sort()).toEqual([...ids].sort());
    expect((await errorOf(h.kmsClient.send(new ListKeysCommand({ Marker: '!!' })))).name).toBe(
      'InvalidMarkerException',
    );

    await h.kmsClient.send(new CreateAliasCommand({ AliasName: 'alias/app', TargetKeyId: ids[0] }));
    expect(
      (
        await errorOf(
          h.kmsClient.send(new CreateAliasCommand({ AliasName: 'alias/app', TargetKeyId: ids[1] })),
        )
      ).name,
    ).toBe('AlreadyExistsException');
    expect(
      (
        await errorOf(
          h.kmsClient.send(new CreateAliasCommand({ AliasName: 'alias/aws/mine', TargetKeyId: ids[1] })),
        )
      ).name,
    ).toBe('InvalidAliasNameException');
    const byAlias = await h.kmsClient.send(new DescribeKeyCommand({ KeyId: 'alias/app' }));
    expect(byAlias.KeyMetadata!.KeyId).toBe(ids[0]);
    await h.kmsClient.send(new UpdateAliasCommand({ AliasName: 'alias/app', TargetKeyId: ids[1] }));
    const byAliasArn = await h.kmsClient.send(
      new DescribeKeyCommand({ KeyId: 'arn:aws:kms:us-east-1:000000000000:alias/app' }),
    );
    expect(byAliasArn.KeyMetadata!.KeyId).toBe(ids[1]);
    expect((await h.kmsClient.send(new ListAliasesCommand({ KeyId: ids[1] }))).Aliases).toMatchObject([
      {
        AliasName: 'alias/app',
        AliasArn: 'arn:aws:kms:us-east-1:000000000000:alias/app',
        TargetKeyId: ids[1],
      },
    ]);
    await h.kmsClient.send(new DeleteAliasCommand({ AliasName: 'alias/app' }));
    expect((await h.kmsClient.send(new ListAliasesCommand({}))).Aliases).toEqual([]);
  });

  it('schedules deletion: the key is unusable, can be cancelled, and is gone with its aliases once due', async () => {
    const { KeyMetadata: key } = await h.kmsClient.send(new CreateKeyCommand({}));
    await h.kmsClient.send(new CreateAliasCommand({ AliasName: 'alias/doomed', TargetKeyId: key!.KeyId }));
    expect(
      (
        await errorOf(
          h.kmsClient.send(new ScheduleKeyDeletionCommand({ KeyId: key!.KeyId, PendingWindowInDays: 3 })),
        )
      ).message,
    ).toContain(
      "at 'pendingWindowInDays' failed to satisfy constraint: Member must have value greater than or equal to 7",
    );

    const scheduled = await h.kmsClient.send(
      new ScheduleKeyDeletionCommand({ KeyId: key!.KeyId, PendingWindowInDays: 7 }),
    );
    expect(scheduled).toMatchObject({ KeyId: key!.Arn, KeyState: 'PendingDeletion', PendingWindowInDays: 7 });
    expect(scheduled.DeletionDate!.getTime()).toBe(h.clock.now + 7 * DAY);
    expect(
      await errorOf(
        h.kmsClient.send(new UpdateKeyDescriptionCommand({ KeyId: key!.KeyId, Description: 'x' })),
      ),
    ).toMatchObject({
      name: 'KMSInvalidStateException',
      message: `${key!.Arn} is pending deletion.`,
    });
    expect(h.kms.usable(key!.Arn!)).toBe(false);

    await h.kmsClient.send(new CancelKeyDeletionCommand({ KeyId: key!.KeyId }));
    expect(
      (await h.kmsClient.send(new DescribeKeyCommand({ KeyId: key!.KeyId }))).KeyMetadata!.KeyState,
    ).toBe('Disabled');

    await h.kmsClient.send(new ScheduleKeyDeletionCommand({ KeyId: key!.KeyId, PendingWindowInDays: 7 }));
    h.clock.now += 7 * DAY;
    expect((await errorOf(h.kmsClient.send(new DescribeKeyCommand({ KeyId: key!.KeyId })))).name).toBe(
      'NotFoundException',
    );
    expect((await h.kmsClient.send(new ListAliasesCommand({}))).Aliases).toEqual([]);
    await h.kms.deleteDueKeys();
    h = await h.restart();
    expect((await h.kmsClient.send(new ListKeysCommand({}))).Keys).toEqual([]);
    expect((await errorOf(h.kmsClient.send(new DescribeKeyCommand({ KeyId: 'alias/doomed' })))).name).toBe(
      'NotFoundException',
    );
  });
});
