/**
 * IAM operations (query protocol): the validated input in, the `<Action>Result` structure out. Policy documents go
 * out percent-encoded, as IAM returns them (clients decode them: botocore, the Go SDK's callers, Terraform).
 */
import { ServiceError } from '../../control-plane/errors.js';
import type { Iam, ManagedPolicy, Role, Tag } from '../../iam/iam.js';
import type { OperationHandlers } from '../model.js';

interface Context {
  iam: Iam;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- inputs are validated against the model */
type Input = any;

export const OPERATIONS: OperationHandlers<Context> = {
  async CreateRole(input: Input, { iam }) {
    const role = await iam.createRole({
      name: input.RoleName,
      path: input.Path,
      assumeRolePolicy: input.AssumeRolePolicyDocument,
      description: input.Description,
      maxSessionDuration: input.MaxSessionDuration,
      permissionsBoundary: input.PermissionsBoundary,
      tags: input.Tags,
    });
    return { Role: roleOf(iam, role) };
  },

  GetRole(input: Input, { iam }) {
    return { Role: roleOf(iam, iam.role(input.RoleName)) };
  },

  ListRoles(input: Input, { iam }) {
    const { page, ...more } = pageOf(iam.listRoles(input.PathPrefix), input.MaxItems, input.Marker);
    return { Roles: page.map((r) => roleOf(iam, r, false)), ...more };
  },

  async DeleteRole(input: Input, { iam }) {
    await iam.deleteRole(input.RoleName);
  },

  async UpdateRole(input: Input, { iam }) {
    await iam.updateRole(input.RoleName, {
      description: input.Description,
      maxSessionDuration: input.MaxSessionDuration,
    });
    return {};
  },

  async UpdateRoleDescription(input: Input, { iam }) {
    return { Role: roleOf(iam, await iam.updateRole(input.RoleName, { description: input.Description })) };
  },

  async UpdateAssumeRolePolicy(input: Input, { iam }) {
    await iam.updateAssumeRolePolicy(input.RoleName, input.PolicyDocument);
  },

  async PutRolePermissionsBoundary(input: Input, { iam }) {
    await iam.putPermissionsBoundary(input.RoleName, input.PermissionsBoundary);
  },

  async DeleteRolePermissionsBoundary(input: Input, { iam }) {
    await iam.deletePermissionsBoundary(input.RoleName);
  },

  async TagRole(input: Input, { iam }) {
    await iam.tagRole(input.RoleName, input.Tags);
  },

  async UntagRole(input: Input, { iam }) {
    await iam.untagRole(input.RoleName, input.TagKeys);
  },

  ListRoleTags(input: Input, { iam }) {
    const { page, ...more } = pageOf(
      iam.role(input.RoleName).tags,
      input.MaxItems,
      input.Marker,
      (t) => t.Key,
    );
    return { Tags: page, ...more };
  },

  async PutRolePolicy(input: Input, { iam }) {
    await iam.putRolePolicy(input.RoleName, input.PolicyName, input.PolicyDocument);
  },

  GetRolePolicy(input: Input, { iam }) {
    const role = iam.role(input.RoleName);
    const policy = iam.rolePolicy(input.RoleName, input.PolicyName);
    return { RoleName: role.name, PolicyName: policy.name, PolicyDocument: encodeDocument(policy.document) };
  },

  async DeleteRolePolicy(input: Input, { iam }) {
    await iam.deleteRolePolicy(input.RoleName, input.PolicyName);
  },

  ListRolePolicies(input: Input, { iam }) {
    const names = Object.keys(iam.role(input.RoleName).inlinePolicies).sort();
    const { page, ...more } = pageOf(names, input.MaxItems, input.Marker, (n) => n);
    return { PolicyNames: page, ...more };
  },

  async AttachRolePolicy(input: Input, { iam }) {
    await iam.attachRolePolicy(input.RoleName, input.PolicyArn);
  },

  async DetachRolePolicy(input: Input, { iam }) {
    await iam.detachRolePolicy(input.RoleName, input.PolicyArn);
  },

  ListAttachedRolePolicies(input: Input, { iam }) {
    const prefix: string = input.PathPrefix ?? '/';
    const attached = iam
      .role(input.RoleName)
      .attachedPolicies.map((arn) => ({ PolicyName: arn.slice(arn.lastIndexOf('/') + 1), PolicyArn: arn }))
      .filter((p) => policyPath(p.PolicyArn).startsWith(prefix));
    const { page, ...more } = pageOf(attached, input.MaxItems, input.Marker, (p) => p.PolicyArn);
    return { AttachedPolicies: page, ...more };
  },

  /** msf-local has no instance profiles: the role must exist, and the list is empty. */
  ListInstanceProfilesForRole(input: Input, { iam }) {
    iam.role(input.RoleName);
    return { InstanceProfiles: [], IsTruncated: false };
  },

  async CreatePolicy(input: Input, { iam }) {
    const policy = await iam.createPolicy({
      name: input.PolicyName,
      path: input.Path,
      document: input.PolicyDocument,
      description: input.Description,
      tags: input.Tags,
    });
    return { Policy: policyOf(iam, policy) };
  },

  GetPolicy(input: Input, { iam }) {
    return { Policy: policyOf(iam, iam.policy(input.PolicyArn)) };
  },

  GetPolicyVersion(input: Input, { iam }) {
    const policy = iam.policy(input.PolicyArn);
    if (input.VersionId !== 'v1') {
      throw new ServiceError(
        'NoSuchEntityException',
        `Policy ${input.PolicyArn} version ${input.VersionId} does not exist or is not attachable.`,
      );
    }
    return { PolicyVersion: versionOf(policy) };
  },

  ListPolicyVersions(input: Input, { iam }) {
    return { Versions: [versionOf(iam.policy(input.PolicyArn), false)], IsTruncated: false };
  },

  ListPolicies(input: Input, { iam }) {
    // Only customer managed policies exist here: Scope=AWS lists none.
    const policies =
      input.Scope === 'AWS' ? [] : iam.listPolicies(input.PathPrefix, input.OnlyAttached === true);
    const { page, ...more } = pageOf(policies, input.MaxItems, input.Marker);
    return { Policies: page.map((p) => policyOf(iam, p, false)), ...more };
  },

  async DeletePolicy(input: Input, { iam }) {
    await iam.deletePolicy(input.PolicyArn);
  },
};

function roleOf(iam: Iam, role: Role, full = true) {
  return {
    Path: role.path,
    RoleName: role.name,
    RoleId: role.id,
    Arn: iam.roleArn(role),
    CreateDate: new Date(role.createdAt),
    AssumeRolePolicyDocument: encodeDocument(role.assumeRolePolicy),
    Description: role.description,
    MaxSessionDuration: role.maxSessionDuration,
    ...(full
      ? {
          PermissionsBoundary: role.permissionsBoundary && {
            PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
            PermissionsBoundaryArn: role.permissionsBoundary,
          },
          Tags: tagsOrNone(role.tags),
        }
      : {}),
  };
}

function policyOf(iam: Iam, policy: ManagedPolicy, full = true) {
  return {
    PolicyName: policy.name,
    PolicyId: policy.id,
    Arn: iam.policyArn(policy),
    Path: policy.path,
    DefaultVersionId: 'v1',
    AttachmentCount: iam.attachmentCount(policy),
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    Description: full ? policy.description : undefined,
    CreateDate: new Date(policy.createdAt),
    UpdateDate: new Date(policy.updatedAt),
    Tags: full ? tagsOrNone(policy.tags) : undefined,
  };
}

/** msf-local keeps one version (v1) of each customer managed policy: CreatePolicyVersion is not served. */
function versionOf(policy: ManagedPolicy, withDocument = true) {
  return {
    Document: withDocument ? encodeDocument(policy.document) : undefined,
    VersionId: 'v1',
    IsDefaultVersion: true,
    CreateDate: new Date(policy.createdAt),
  };
}

function tagsOrNone(tags: Tag[]): Tag[] | undefined {
  return tags.length > 0 ? tags : undefined;
}

/** IAM returns policy documents percent-encoded (RFC 3986: spaces as %20, so Go's QueryUnescape reads them too). */
function encodeDocument(document: string): string {
  return encodeURIComponent(document);
}

function policyPath(arn: string): string {
  const resource = arn.slice(arn.indexOf(':policy') + ':policy'.length);
  return resource.slice(0, resource.lastIndexOf('/') + 1);
}

/**
 * IAM's Marker/MaxItems paging (default 100 items), in key order. The marker is the key of the next item, so a page
 * boundary survives items being added or deleted between calls.
 */
function pageOf<T>(
  unordered: T[],
  maxItems: number | undefined,
  marker: string | undefined,
  keyOf: (item: T) => string = (item) => (item as { name: string }).name.toLowerCase(),
): { page: T[]; IsTruncated: boolean; Marker?: string } {
  const items = [...unordered].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  const start = marker === undefined ? 0 : items.findIndex((item) => keyOf(item) >= fromMarker(marker));
  const from = start < 0 ? items.length : start;
  const size = maxItems ?? 100;
  const page = items.slice(from, from + size);
  const next = items[from + size];
  return next === undefined
    ? { page, IsTruncated: false }
    : { page, IsTruncated: true, Marker: Buffer.from(keyOf(next)).toString('base64url') };
}

function fromMarker(marker: string): string {
  return Buffer.from(marker, 'base64url').toString('utf8');
}
