/**
 * KMS as records: keys with their state (Enabled, Disabled, PendingDeletion), key policy, rotation setting, tags
 * and aliases, persisted one document each. No key material exists and no policy is evaluated: a key is what
 * CloudWatch Logs checks a log group's key against, and what Terraform reads back. Scheduled deletion is real: once
 * the window has passed, the key and its aliases are gone.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { ServiceError } from '../control-plane/errors.js';
import { DocumentStore } from '../store/document-store.js';
import { KeyedMutex } from '../store/keyed-mutex.js';

export type KeyState = 'Enabled' | 'Disabled' | 'PendingDeletion';

export interface KmsKey {
  id: string;
  region: string;
  createdAt: number;
  description: string;
  keyUsage: string;
  keySpec: string;
  state: KeyState;
  /** Epoch ms, while PendingDeletion. */
  deletionDate?: number;
  pendingWindowDays?: number;
  policy: string;
  rotation: { enabled: boolean; periodDays: number; nextRotation?: number };
  multiRegion: boolean;
  tags: { TagKey: string; TagValue: string }[];
}

export interface Alias {
  name: string;
  targetKeyId: string;
  region: string;
  createdAt: number;
  updatedAt: number;
}

const DAY_MS = 86_400_000;
const MAX_TAGS = 50;

export const kmsError = (shape: string, message: string) => new ServiceError(shape, message);

export class Kms {
  private readonly keys = new Map<string, KmsKey>();
  private readonly aliases = new Map<string, Alias>();
  private readonly lock = new KeyedMutex();

  private constructor(
    readonly account: string,
    private readonly keyStore: DocumentStore<KmsKey>,
    private readonly aliasStore: DocumentStore<Alias>,
    private readonly now: () => number,
  ) {}

  static async open(dir: string, options: { account: string; now?: () => number }): Promise<Kms> {
    const keys = await DocumentStore.open<KmsKey>(path.join(dir, 'keys'));
    const aliases = await DocumentStore.open<Alias>(path.join(dir, 'aliases'));
    const kms = new Kms(options.account, keys.store, aliases.store, options.now ?? Date.now);
    for (const key of keys.documents) kms.keys.set(key.id, key);
    for (const alias of aliases.documents) kms.aliases.set(alias.name, alias);
    await kms.deleteDueKeys();
    return kms;
  }

  createKey(
    input: {
      description?: string;
      keyUsage?: string;
      keySpec?: string;
      policy?: string;
      multiRegion?: boolean;
      tags?: KmsKey['tags'];
    },
    region: string,
  ): Promise<KmsKey> {
    return this.write(async () => {
      if (input.policy !== undefined) checkKeyPolicy(input.policy);
      checkTags(input.tags ?? []);
      const key: KmsKey = {
        id: randomUUID(),
        region,
        createdAt: this.now(),
        description: input.description ?? '',
        keyUsage: input.keyUsage ?? 'ENCRYPT_DECRYPT',
        keySpec: input.keySpec ?? 'SYMMETRIC_DEFAULT',
        state: 'Enabled',
        policy: input.policy ?? defaultKeyPolicy(this.account),
        rotation: { enabled: false, periodDays: 365 },
        multiRegion: input.multiRegion ?? false,
        tags: input.tags ?? [],
      };
      await this.saveKey(key);
      return key;
    });
  }

  /**
   * The key `keyId` names: a key id, a key ARN, or (where `aliases` allows, as DescribeKey does) an alias name or
   * alias ARN. A key whose deletion date has passed no longer exists.
   */
  key(keyId: string, options: { aliases?: boolean } = {}): KmsKey {
    const key = this.lookup(keyId, options.aliases ?? false);
    if (!key) throw kmsError('NotFoundException', `Key '${this.describeRef(keyId)}' does not exist`);
    return key;
  }

  /** True when `keyArn` names an existing, enabled key (what CloudWatch Logs requires of a log group's key). */
  usable(keyArn: string): boolean {
    const key = this.lookup(keyArn, false);
    return key !== undefined && key.state === 'Enabled';
  }

  keyArn(key: KmsKey): string {
    return `arn:aws:kms:${key.region}:${this.account}:key/${key.id}`;
  }

  aliasArn(alias: Alias): string {
    return `arn:aws:kms:${alias.region}:${this.account}:${alias.name}`;
  }

  listKeys(): KmsKey[] {
    return [...this.keys.values()]
      .filter((k) => this.exists(k))
      .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  }

  listAliases(keyId?: string): Alias[] {
    const target = keyId === undefined ? undefined : this.key(keyId).id;
    return [...this.aliases.values()]
      .filter((a) => (target === undefined || a.targetKeyId === target) && this.lookup(a.targetKeyId, false))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  setEnabled(keyId: string, enabled: boolean): Promise<KmsKey> {
    return this.change(keyId, (key) => {
      notPendingDeletion(key, this.keyArn(key));
      return { ...key, state: enabled ? 'Enabled' : 'Disabled' };
    });
  }

  setRotation(keyId: string, enabled: boolean, periodDays?: number): Promise<KmsKey> {
    return this.change(keyId, (key) => {
      notPendingDeletion(key, this.keyArn(key));
      if (key.state === 'Disabled') throw kmsError('DisabledException', `${this.keyArn(key)} is disabled.`);
      if (key.keySpec !== 'SYMMETRIC_DEFAULT') {
        throw kmsError(
          'UnsupportedOperationException',
          `${this.keyArn(key)} key type does not support automatic rotation.`,
        );
      }
      const period = enabled ? (periodDays ?? 365) : key.rotation.periodDays;
      return {
        ...key,
        rotation: {
          enabled,
          periodDays: period,
          ...(enabled ? { nextRotation: this.now() + period * DAY_MS } : {}),
        },
      };
    });
  }

  putKeyPolicy(keyId: string, policy: string): Promise<KmsKey> {
    checkKeyPolicy(policy);
    return this.change(keyId, (key) => {
      notPendingDeletion(key, this.keyArn(key));
      return { ...key, policy };
    });
  }

  updateDescription(keyId: string, description: string): Promise<KmsKey> {
    return this.change(keyId, (key) => {
      notPendingDeletion(key, this.keyArn(key));
      return { ...key, description };
    });
  }

  tag(keyId: string, tags: KmsKey['tags']): Promise<KmsKey> {
    return this.change(keyId, (key) => {
      notPendingDeletion(key, this.keyArn(key));
      const merged = [...key.tags.filter((t) => !tags.some((n) => n.TagKey === t.TagKey)), ...tags];
      checkTags(merged);
      return { ...key, tags: merged };
    });
  }

  untag(keyId: string, keys: string[]): Promise<KmsKey> {
    return this.change(keyId, (key) => {
      notPendingDeletion(key, this.keyArn(key));
      return { ...key, tags: key.tags.filter((t) => !keys.includes(t.TagKey)) };
    });
  }

  scheduleDeletion(keyId: string, windowDays = 30): Promise<KmsKey> {
    if (windowDays < 7 || windowDays > 30) {
      // The model allows 1..365; KMS itself takes 7..30 and says so in the model's words.
      throw kmsError(
        'ValidationException',
        `1 validation error detected: Value '${windowDays}' at 'pendingWindowInDays' failed to satisfy constraint: ` +
          `Member must have value ${windowDays < 7 ? 'greater than or equal to 7' : 'less than or equal to 30'}`,
      );
    }
    return this.change(keyId, (key) => {
      notPendingDeletion(key, this.keyArn(key));
      return {
        ...key,
        state: 'PendingDeletion',
        pendingWindowDays: windowDays,
        deletionDate: this.now() + windowDays * DAY_MS,
      };
    });
  }

  cancelDeletion(keyId: string): Promise<KmsKey> {
    return this.change(keyId, (key) => {
      if (key.state !== 'PendingDeletion') {
        throw kmsError('KMSInvalidStateException', `${this.keyArn(key)} is not pending deletion.`);
      }
      const { deletionDate: _d, pendingWindowDays: _w, ...rest } = key;
      return { ...rest, state: 'Disabled' };
    });
  }

  createAlias(name: string, targetKeyId: string, region: string): Promise<void> {
    return this.write(async () => {
      checkAliasName(name);
      if (this.aliases.has(name)) {
        throw kmsError(
          'AlreadyExistsException',
          `An alias with the name arn:aws:kms:${region}:${this.account}:${name} already exists`,
        );
      }
      const key = this.key(targetKeyId);
      notPendingDeletion(key, this.keyArn(key));
      const now = this.now();
      await this.saveAlias({ name, targetKeyId: key.id, region, createdAt: now, updatedAt: now });
    });
  }

  updateAlias(name: string, targetKeyId: string): Promise<void> {
    return this.write(async () => {
      const alias = this.requireAlias(name);
      const key = this.key(targetKeyId);
      notPendingDeletion(key, this.keyArn(key));
      await this.saveAlias({ ...alias, targetKeyId: key.id, updatedAt: this.now() });
    });
  }

  deleteAlias(name: string): Promise<void> {
    return this.write(async () => {
      this.requireAlias(name);
      await this.aliasStore.remove(name);
      this.aliases.delete(name);
    });
  }

  /** Deletes the keys whose deletion date has passed, with their aliases (run periodically and at open). */
  deleteDueKeys(): Promise<void> {
    return this.write(async () => {
      for (const key of [...this.keys.values()]) {
        if (this.exists(key)) continue;
        for (const alias of [...this.aliases.values()].filter((a) => a.targetKeyId === key.id)) {
          await this.aliasStore.remove(alias.name);
          this.aliases.delete(alias.name);
        }
        await this.keyStore.remove(key.id);
        this.keys.delete(key.id);
      }
    });
  }

  // ---------------------------------------------------------------- helpers

  private lookup(keyId: string, aliases: boolean): KmsKey | undefined {
    let id = keyId;
    const arn = /^arn:aws[a-z-]*:kms:[^:]*:(\d{12}):(key\/.+|alias\/.+)$/.exec(keyId);
    if (arn) {
      if (arn[1] !== this.account) return undefined;
      id = arn[2]!.startsWith('key/') ? arn[2]!.slice(4) : arn[2]!;
    }
    if (id.startsWith('alias/')) {
      if (!aliases) return undefined;
      const alias = this.aliases.get(id);
      return alias ? this.lookup(alias.targetKeyId, false) : undefined;
    }
    const key = this.keys.get(id);
    return key && this.exists(key) ? key : undefined;
  }

  /** False once a key's deletion date has passed: reads no longer see it, even before the sweep removes it. */
  private exists(key: KmsKey): boolean {
    return key.state !== 'PendingDeletion' || (key.deletionDate ?? Infinity) > this.now();
  }

  private describeRef(keyId: string): string {
    return keyId.startsWith('arn:') || keyId.startsWith('alias/')
      ? keyId
      : `arn:aws:kms:*:${this.account}:key/${keyId}`;
  }

  private requireAlias(name: string): Alias {
    const alias = this.aliases.get(name);
    if (!alias)
      throw kmsError('NotFoundException', `Alias arn:aws:kms:*:${this.account}:${name} is not found.`);
    return alias;
  }

  private write<T>(task: () => Promise<T>): Promise<T> {
    return this.lock.run('kms', task);
  }

  private change(keyId: string, update: (key: KmsKey) => KmsKey): Promise<KmsKey> {
    return this.write(async () => {
      const next = update(this.key(keyId));
      await this.saveKey(next);
      return next;
    });
  }

  private async saveKey(key: KmsKey): Promise<void> {
    await this.keyStore.save(key.id, key);
    this.keys.set(key.id, key);
  }

  private async saveAlias(alias: Alias): Promise<void> {
    await this.aliasStore.save(alias.name, alias);
    this.aliases.set(alias.name, alias);
  }
}

/** What KMS attaches to a key created without a policy: the account may use and manage it through IAM. */
export function defaultKeyPolicy(account: string): string {
  return JSON.stringify(
    {
      Version: '2012-10-17',
      Id: 'key-default-1',
      Statement: [
        {
          Sid: 'Enable IAM User Permissions',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${account}:root` },
          Action: 'kms:*',
          Resource: '*',
        },
      ],
    },
    null,
    2,
  );
}

function notPendingDeletion(key: KmsKey, arn: string): void {
  if (key.state === 'PendingDeletion')
    throw kmsError('KMSInvalidStateException', `${arn} is pending deletion.`);
}

function checkKeyPolicy(policy: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(policy);
  } catch {
    throw kmsError('MalformedPolicyDocumentException', 'The key policy is not valid JSON.');
  }
  const statements = (parsed as { Statement?: unknown })?.Statement;
  if (typeof parsed !== 'object' || parsed === null || statements === undefined) {
    throw kmsError(
      'MalformedPolicyDocumentException',
      'Policy contains a statement with no principal or no action.',
    );
  }
}

function checkTags(tags: KmsKey['tags']): void {
  if (tags.length > MAX_TAGS) throw kmsError('TagException', `A key can have at most ${MAX_TAGS} tags.`);
}

function checkAliasName(name: string): void {
  if (!name.startsWith('alias/') || name.startsWith('alias/aws/')) {
    throw kmsError(
      'InvalidAliasNameException',
      name.startsWith('alias/aws/')
        ? `Alias must not begin with 'alias/aws/': ${name}`
        : `Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html`,
    );
  }
}
