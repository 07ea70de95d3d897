/**
 * IAM as records: roles (trust policy, inline and attached policies, tags, permissions boundary) and customer
 * managed policies, persisted one document each. Nothing is ever enforced: msf-local authorises every request;
 * policies are validated for form only (policy-document.ts). Names are unique regardless of case, as in IAM.
 * Errors are ServiceErrors named after the model's error shapes (NoSuchEntityException, ...).
 */
import { randomInt } from 'node:crypto';
import path from 'node:path';
import { ServiceError } from '../control-plane/errors.js';
import { DocumentStore } from '../store/document-store.js';
import { KeyedMutex } from '../store/keyed-mutex.js';
import { checkPolicyDocument } from './policy-document.js';

export interface Tag {
  Key: string;
  Value: string;
}

export interface Role {
  name: string;
  id: string;
  path: string;
  createdAt: number;
  assumeRolePolicy: string;
  description?: string;
  maxSessionDuration: number;
  permissionsBoundary?: string;
  tags: Tag[];
  inlinePolicies: Record<string, string>;
  attachedPolicies: string[];
}

export interface ManagedPolicy {
  name: string;
  id: string;
  path: string;
  createdAt: number;
  updatedAt: number;
  description?: string;
  document: string;
  tags: Tag[];
}

const MAX_TAGS = 50;
const MAX_ATTACHED_POLICIES = 20;
const AWS_MANAGED_POLICY = /^arn:aws[a-z-]*:iam::aws:policy\/.+/;

const noSuchEntity = (message: string) => new ServiceError('NoSuchEntityException', message);

export class Iam {
  private readonly roles = new Map<string, Role>();
  private readonly policies = new Map<string, ManagedPolicy>();
  private readonly lock = new KeyedMutex();

  private constructor(
    readonly account: string,
    private readonly roleStore: DocumentStore<Role>,
    private readonly policyStore: DocumentStore<ManagedPolicy>,
    private readonly now: () => number,
  ) {}

  static async open(dir: string, options: { account: string; now?: () => number }): Promise<Iam> {
    const roles = await DocumentStore.open<Role>(path.join(dir, 'roles'));
    const policies = await DocumentStore.open<ManagedPolicy>(path.join(dir, 'policies'));
    const iam = new Iam(options.account, roles.store, policies.store, options.now ?? Date.now);
    for (const role of roles.documents) iam.roles.set(role.name.toLowerCase(), role);
    for (const policy of policies.documents) iam.policies.set(policy.name.toLowerCase(), policy);
    return iam;
  }

  // ---------------------------------------------------------------- roles

  createRole(input: {
    name: string;
    path?: string;
    assumeRolePolicy: string;
    description?: string;
    maxSessionDuration?: number;
    permissionsBoundary?: string;
    tags?: Tag[];
  }): Promise<Role> {
    return this.write(async () => {
      if (this.roles.has(input.name.toLowerCase())) {
        throw new ServiceError(
          'EntityAlreadyExistsException',
          `Role with name ${input.name} already exists.`,
        );
      }
      checkPolicyDocument(input.assumeRolePolicy, 'trust');
      checkTags(input.tags ?? [], 'role', input.name);
      if (input.permissionsBoundary !== undefined) this.requirePolicy(input.permissionsBoundary);
      const role: Role = {
        name: input.name,
        id: uniqueId('AROA'),
        path: input.path ?? '/',
        createdAt: this.now(),
        assumeRolePolicy: input.assumeRolePolicy,
        ...(input.description !== undefined ? { description: input.description } : {}),
        maxSessionDuration: input.maxSessionDuration ?? 3600,
        ...(input.permissionsBoundary !== undefined
          ? { permissionsBoundary: input.permissionsBoundary }
          : {}),
        tags: input.tags ?? [],
        inlinePolicies: {},
        attachedPolicies: [],
      };
      await this.saveRole(role);
      return role;
    });
  }

  role(name: string): Role {
    const role = this.roles.get(name.toLowerCase());
    if (!role) throw noSuchEntity(`The role with name ${name} cannot be found.`);
    return role;
  }

  /** The role an ARN names (`arn:aws:iam::<account>:role/<path/>name`), if it exists. */
  roleByArn(arn: string): Role | undefined {
    const match = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(arn);
    if (!match || match[1] !== this.account) return undefined;
    const role = this.roles.get(match[2]!.toLowerCase());
    return role && this.roleArn(role) === arn ? role : undefined;
  }

  listRoles(pathPrefix = '/'): Role[] {
    return [...this.roles.values()].filter((r) => r.path.startsWith(pathPrefix)).sort(byName);
  }

  roleArn(role: Role): string {
    return `arn:aws:iam::${this.account}:role${role.path}${role.name}`;
  }

  deleteRole(name: string): Promise<void> {
    return this.write(async () => {
      const role = this.role(name);
      if (Object.keys(role.inlinePolicies).length > 0) {
        throw new ServiceError(
          'DeleteConflictException',
          'Cannot delete entity, must delete policies first.',
        );
      }
      if (role.attachedPolicies.length > 0) {
        throw new ServiceError(
          'DeleteConflictException',
          'Cannot delete entity, must detach all policies first.',
        );
      }
      await this.roleStore.remove(role.name.toLowerCase());
      this.roles.delete(role.name.toLowerCase());
    });
  }

  updateRole(name: string, change: { description?: string; maxSessionDuration?: number }): Promise<Role> {
    return this.changeRole(name, (role) => ({
      ...role,
      ...(change.description !== undefined ? { description: change.description } : {}),
      ...(change.maxSessionDuration !== undefined ? { maxSessionDuration: change.maxSessionDuration } : {}),
    }));
  }

  updateAssumeRolePolicy(name: string, document: string): Promise<Role> {
    checkPolicyDocument(document, 'trust');
    return this.changeRole(name, (role) => ({ ...role, assumeRolePolicy: document }));
  }

  putPermissionsBoundary(name: string, policyArn: string): Promise<Role> {
    return this.changeRole(name, (role) => {
      this.requirePolicy(policyArn);
      return { ...role, permissionsBoundary: policyArn };
    });
  }

  deletePermissionsBoundary(name: string): Promise<Role> {
    return this.changeRole(name, ({ permissionsBoundary: _dropped, ...role }) => role);
  }

  tagRole(name: string, tags: Tag[]): Promise<Role> {
    return this.changeRole(name, (role) => {
      const merged = [...role.tags.filter((t) => !tags.some((n) => sameKey(n.Key, t.Key))), ...tags];
      checkTags(merged, 'role', role.name);
      return { ...role, tags: merged };
    });
  }

  untagRole(name: string, keys: string[]): Promise<Role> {
    return this.changeRole(name, (role) => ({
      ...role,
      tags: role.tags.filter((t) => !keys.some((k) => sameKey(k, t.Key))),
    }));
  }

  // ---------------------------------------------------------------- inline and attached policies

  putRolePolicy(roleName: string, policyName: string, document: string): Promise<Role> {
    checkPolicyDocument(document, 'identity');
    return this.changeRole(roleName, (role) => {
      const existing = Object.keys(role.inlinePolicies).find((n) => sameKey(n, policyName)) ?? policyName;
      return { ...role, inlinePolicies: { ...role.inlinePolicies, [existing]: document } };
    });
  }

  rolePolicy(roleName: string, policyName: string): { name: string; document: string } {
    const role = this.role(roleName);
    const name = Object.keys(role.inlinePolicies).find((n) => sameKey(n, policyName));
    if (name === undefined) throw noSuchEntity(`The role policy with name ${policyName} cannot be found.`);
    return { name, document: role.inlinePolicies[name]! };
  }

  deleteRolePolicy(roleName: string, policyName: string): Promise<Role> {
    return this.changeRole(roleName, (role) => {
      const { name } = this.rolePolicy(roleName, policyName);
      const inlinePolicies = { ...role.inlinePolicies };
      delete inlinePolicies[name];
      return { ...role, inlinePolicies };
    });
  }

  attachRolePolicy(roleName: string, policyArn: string): Promise<Role> {
    return this.changeRole(roleName, (role) => {
      this.requirePolicy(policyArn);
      if (role.attachedPolicies.includes(policyArn)) return role;
      if (role.attachedPolicies.length >= MAX_ATTACHED_POLICIES) {
        throw new ServiceError(
          'LimitExceededException',
          `Cannot exceed quota for PoliciesPerRole: ${MAX_ATTACHED_POLICIES}`,
        );
      }
      return { ...role, attachedPolicies: [...role.attachedPolicies, policyArn] };
    });
  }

  detachRolePolicy(roleName: string, policyArn: string): Promise<Role> {
    return this.changeRole(roleName, (role) => {
      if (!role.attachedPolicies.includes(policyArn))
        throw noSuchEntity(`Policy ${policyArn} was not found.`);
      return { ...role, attachedPolicies: role.attachedPolicies.filter((a) => a !== policyArn) };
    });
  }

  // ---------------------------------------------------------------- managed policies

  createPolicy(input: { name: string; path?: string; document: string; description?: string; tags?: Tag[] }) {
    return this.write(async () => {
      if (this.policies.has(input.name.toLowerCase())) {
        throw new ServiceError(
          'EntityAlreadyExistsException',
          `A policy called ${input.name} already exists. Duplicate names are not allowed.`,
        );
      }
      checkPolicyDocument(input.document, 'identity');
      checkTags(input.tags ?? [], 'policy', input.name);
      const now = this.now();
      const policy: ManagedPolicy = {
        name: input.name,
        id: uniqueId('ANPA'),
        path: input.path ?? '/',
        createdAt: now,
        updatedAt: now,
        ...(input.description !== undefined ? { description: input.description } : {}),
        document: input.document,
        tags: input.tags ?? [],
      };
      await this.policyStore.save(policy.name.toLowerCase(), policy);
      this.policies.set(policy.name.toLowerCase(), policy);
      return policy;
    });
  }

  /** A customer managed policy by ARN. */
  policy(arn: string): ManagedPolicy {
    const policy = this.customerPolicyByArn(arn);
    if (!policy) {
      throw noSuchEntity(
        AWS_MANAGED_POLICY.test(arn)
          ? `Policy ${arn} is an AWS managed policy; msf-local keeps no copies of those (it only records their attachments).`
          : `Policy ${arn} does not exist or is not attachable.`,
      );
    }
    return policy;
  }

  policyArn(policy: ManagedPolicy): string {
    return `arn:aws:iam::${this.account}:policy${policy.path}${policy.name}`;
  }

  listPolicies(pathPrefix = '/', onlyAttached = false): ManagedPolicy[] {
    return [...this.policies.values()]
      .filter((p) => p.path.startsWith(pathPrefix) && (!onlyAttached || this.attachmentCount(p) > 0))
      .sort(byName);
  }

  attachmentCount(policy: ManagedPolicy): number {
    const arn = this.policyArn(policy);
    return [...this.roles.values()].filter((r) => r.attachedPolicies.includes(arn)).length;
  }

  deletePolicy(arn: string): Promise<void> {
    return this.write(async () => {
      const policy = this.policy(arn);
      if (this.attachmentCount(policy) > 0) {
        throw new ServiceError('DeleteConflictException', 'Cannot delete a policy attached to entities.');
      }
      await this.policyStore.remove(policy.name.toLowerCase());
      this.policies.delete(policy.name.toLowerCase());
    });
  }

  // ---------------------------------------------------------------- helpers

  /** Every change runs alone: checks see the state the change is applied to, and memory follows the disk. */
  private write<T>(task: () => Promise<T>): Promise<T> {
    return this.lock.run('iam', task);
  }

  private changeRole(name: string, change: (role: Role) => Role): Promise<Role> {
    return this.write(async () => {
      const next = change(this.role(name));
      await this.saveRole(next);
      return next;
    });
  }

  private async saveRole(role: Role): Promise<void> {
    await this.roleStore.save(role.name.toLowerCase(), role);
    this.roles.set(role.name.toLowerCase(), role);
  }

  /** AWS managed policies are taken on trust (recorded by ARN); customer managed ones must exist here. */
  private requirePolicy(arn: string): void {
    if (AWS_MANAGED_POLICY.test(arn)) return;
    if (!this.customerPolicyByArn(arn))
      throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
  }

  private customerPolicyByArn(arn: string): ManagedPolicy | undefined {
    const match = /^arn:aws[a-z-]*:iam::(\d{12}):policy\/(?:.*\/)?([^/]+)$/.exec(arn);
    if (!match || match[1] !== this.account) return undefined;
    const policy = this.policies.get(match[2]!.toLowerCase());
    return policy && this.policyArn(policy) === arn ? policy : undefined;
  }
}

function checkTags(tags: Tag[], kind: string, name: string): void {
  if (tags.length > MAX_TAGS) {
    throw new ServiceError(
      'LimitExceededException',
      `Cannot exceed quota for TagsPer${kind === 'role' ? 'Role' : 'Policy'}: ${MAX_TAGS}`,
    );
  }
  const keys = new Set<string>();
  for (const tag of tags) {
    if (keys.has(tag.Key.toLowerCase())) {
      throw new ServiceError(
        'InvalidInputException',
        `Duplicate tag keys found on ${kind} ${name}. Tag keys are case insensitive.`,
      );
    }
    keys.add(tag.Key.toLowerCase());
  }
}

function sameKey(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name.toLowerCase().localeCompare(b.name.toLowerCase());
}

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** IAM unique ids: a 4-letter type prefix and 17 more upper-case letters and digits (AROA…, ANPA…, ASIA…). */
export function uniqueId(prefix: string): string {
  let id = prefix;
  while (id.length < 21) id += ID_CHARS[randomInt(ID_CHARS.length)];
  return id;
}
