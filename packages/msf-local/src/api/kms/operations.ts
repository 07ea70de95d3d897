/**
 * KMS operations (AWS JSON 1.1, `TrentService.<Operation>`): the validated body in, the response body out.
 * Timestamps are epoch seconds, as the JSON protocols send them.
 */
import type { Alias, Kms, KmsKey } from '../../kms/kms.js';
import { kmsError } from '../../kms/kms.js';
import type { OperationHandlers } from '../model.js';

interface Context {
  kms: Kms;
  region: string;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- request bodies are validated JSON */
type Json = any;

export const OPERATIONS: OperationHandlers<Context> = {
  async CreateKey(body: Json, { kms, region }) {
    if (body.Origin !== undefined && body.Origin !== 'AWS_KMS') {
      throw kmsError(
        'UnsupportedOperationException',
        `msf-local creates only AWS_KMS keys, not ${body.Origin} ones.`,
      );
    }
    const key = await kms.createKey(
      {
        description: body.Description,
        keyUsage: body.KeyUsage,
        keySpec: body.KeySpec ?? body.CustomerMasterKeySpec,
        policy: body.Policy,
        multiRegion: body.MultiRegion,
        tags: body.Tags,
      },
      region,
    );
    return { KeyMetadata: metadataOf(kms, key) };
  },

  DescribeKey(body: Json, { kms }) {
    return { KeyMetadata: metadataOf(kms, kms.key(body.KeyId, { aliases: true })) };
  },

  ListKeys(body: Json, { kms }) {
    const { page, ...more } = pageOf(kms.listKeys(), (k) => k.id, body.Limit, body.Marker);
    return { Keys: page.map((k) => ({ KeyId: k.id, KeyArn: kms.keyArn(k) })), ...more };
  },

  GetKeyPolicy(body: Json, { kms }) {
    const key = kms.key(body.KeyId);
    checkPolicyName(body.PolicyName);
    return { Policy: key.policy, PolicyName: 'default' };
  },

  async PutKeyPolicy(body: Json, { kms }) {
    checkPolicyName(body.PolicyName);
    await kms.putKeyPolicy(body.KeyId, body.Policy);
    return {};
  },

  ListKeyPolicies(body: Json, { kms }) {
    kms.key(body.KeyId);
    return { PolicyNames: ['default'], Truncated: false };
  },

  GetKeyRotationStatus(body: Json, { kms }) {
    const key = kms.key(body.KeyId);
    return {
      KeyRotationEnabled: key.rotation.enabled,
      KeyId: kms.keyArn(key),
      RotationPeriodInDays: key.rotation.enabled ? key.rotation.periodDays : undefined,
      NextRotationDate: seconds(key.rotation.enabled ? key.rotation.nextRotation : undefined),
    };
  },

  async EnableKeyRotation(body: Json, { kms }) {
    await kms.setRotation(body.KeyId, true, body.RotationPeriodInDays);
    return {};
  },

  async DisableKeyRotation(body: Json, { kms }) {
    await kms.setRotation(body.KeyId, false);
    return {};
  },

  async EnableKey(body: Json, { kms }) {
    await kms.setEnabled(body.KeyId, true);
    return {};
  },

  async DisableKey(body: Json, { kms }) {
    await kms.setEnabled(body.KeyId, false);
    return {};
  },

  async UpdateKeyDescription(body: Json, { kms }) {
    await kms.updateDescription(body.KeyId, body.Description);
    return {};
  },

  async TagResource(body: Json, { kms }) {
    await kms.tag(body.KeyId, body.Tags);
    return {};
  },

  async UntagResource(body: Json, { kms }) {
    await kms.untag(body.KeyId, body.TagKeys);
    return {};
  },

  ListResourceTags(body: Json, { kms }) {
    const { page, ...more } = pageOf(kms.key(body.KeyId).tags, (t) => t.TagKey, body.Limit, body.Marker);
    return { Tags: page, ...more };
  },

  async ScheduleKeyDeletion(body: Json, { kms }) {
    const key = await kms.scheduleDeletion(body.KeyId, body.PendingWindowInDays);
    return {
      KeyId: kms.keyArn(key),
      DeletionDate: seconds(key.deletionDate),
      KeyState: key.state,
      PendingWindowInDays: key.pendingWindowDays,
    };
  },

  async CancelKeyDeletion(body: Json, { kms }) {
    return { KeyId: kms.keyArn(await kms.cancelDeletion(body.KeyId)) };
  },

  async CreateAlias(body: Json, { kms, region }) {
    await kms.createAlias(body.AliasName, body.TargetKeyId, region);
    return {};
  },

  async UpdateAlias(body: Json, { kms }) {
    await kms.updateAlias(body.AliasName, body.TargetKeyId);
    return {};
  },

  async DeleteAlias(body: Json, { kms }) {
    await kms.deleteAlias(body.AliasName);
    return {};
  },

  ListAliases(body: Json, { kms }) {
    const { page, ...more } = pageOf(kms.listAliases(body.KeyId), (a) => a.name, body.Limit, body.Marker);
    return { Aliases: page.map((a) => aliasOf(kms, a)), ...more };
  },
};

function metadataOf(kms: Kms, key: KmsKey) {
  return {
    AWSAccountId: kms.account,
    KeyId: key.id,
    Arn: kms.keyArn(key),
    CreationDate: seconds(key.createdAt),
    Enabled: key.state === 'Enabled',
    Description: key.description,
    KeyUsage: key.keyUsage,
    KeyState: key.state,
    DeletionDate: seconds(key.deletionDate),
    Origin: 'AWS_KMS',
    KeyManager: 'CUSTOMER',
    CustomerMasterKeySpec: key.keySpec,
    KeySpec: key.keySpec,
    EncryptionAlgorithms: key.keySpec === 'SYMMETRIC_DEFAULT' ? ['SYMMETRIC_DEFAULT'] : undefined,
    MultiRegion: key.multiRegion,
    PendingDeletionWindowInDays: key.pendingWindowDays,
  };
}

function aliasOf(kms: Kms, alias: Alias) {
  return {
    AliasName: alias.name,
    AliasArn: kms.aliasArn(alias),
    TargetKeyId: alias.targetKeyId,
    CreationDate: seconds(alias.createdAt),
    LastUpdatedDate: seconds(alias.updatedAt),
  };
}

function checkPolicyName(name: string | undefined): void {
  if (name !== undefined && name !== 'default') throw kmsError('NotFoundException', 'No such policy exists');
}

function seconds(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : ms / 1000;
}

/**
 * KMS's Limit/Marker paging (default 100), in key order; the marker is the key of the next item, so it survives
 * items being added or deleted between calls.
 */
function pageOf<T>(
  unordered: T[],
  keyOf: (item: T) => string,
  limit: number | undefined,
  marker: string | undefined,
): { page: T[]; Truncated: boolean; NextMarker?: string } {
  const items = [...unordered].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  let from = 0;
  if (marker !== undefined) {
    const key = Buffer.from(marker, 'base64url').toString('utf8');
    if (Buffer.from(key).toString('base64url') !== marker) {
      throw kmsError(
        'InvalidMarkerException',
        'The marker that specifies where to start paginating is not valid.',
      );
    }
    from = items.findIndex((item) => keyOf(item) >= key);
    if (from < 0) from = items.length;
  }
  const size = limit ?? 100;
  const page = items.slice(from, from + size);
  const next = items[from + size];
  return next === undefined
    ? { page, Truncated: false }
    : { page, Truncated: true, NextMarker: Buffer.from(keyOf(next)).toString('base64url') };
}
