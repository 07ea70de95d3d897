/**
 * Checks of enhanced-snapshot requests beyond the model's shapes. IAM and KMS are not emulated: role and key
 * ARNs are checked for shape only.
 */
import { invalidArgument, tooManyTags } from '../errors.js';
import type { EncryptionConfig } from './model.js';

const MAX_USER_TAGS = 50;
const MAX_KEY_PREFIX = 200;
/** What an export adds after KeyPrefix: a 12-character operation id and '/'. */
const EXPORT_SUFFIX_LENGTH = 13;

export function checkTags(tags: readonly unknown[]): void {
  if (tags.length > MAX_USER_TAGS) {
    throw tooManyTags(
      `A snapshot can have at most ${MAX_USER_TAGS} user tags; the request would give it ${tags.length}.`,
    );
  }
}

export function checkBucketArn(bucketArn: string): void {
  if (!/^arn:[^:]+:s3:::[^/:]+$/.test(bucketArn)) {
    throw invalidArgument(`BucketARN ${bucketArn} is not the ARN of an S3 bucket (arn:aws:s3:::<bucket>).`);
  }
}

export function checkRoleArn(roleArn: string, member: string): void {
  if (!/^arn:[^:]+:iam::\d{12}:role\/.+$/.test(roleArn)) {
    throw invalidArgument(
      `${member} ${roleArn} is not the ARN of an IAM role (arn:aws:iam::<account>:role/<name>).`,
    );
  }
}

export function checkEncryption(encryption: EncryptionConfig | undefined, member: string): void {
  if (encryption?.keyType === 'CUSTOMER_MANAGED_KEY' && !/^arn:[^:]+:kms:/.test(encryption.keyId ?? '')) {
    throw invalidArgument(`${member}: a CUSTOMER_MANAGED_KEY needs KeyId, the ARN of the KMS key.`);
  }
}

/** ExportedPrefix may have at most 200 characters, like KeyPrefix. */
export function checkExportKeyPrefix(keyPrefix: string): void {
  if (keyPrefix.length + EXPORT_SUFFIX_LENGTH > MAX_KEY_PREFIX) {
    throw invalidArgument(
      `KeyPrefix has ${keyPrefix.length} characters: an export adds ${EXPORT_SUFFIX_LENGTH} (a unique id and ` +
        `'/') and the exported prefix may have at most ${MAX_KEY_PREFIX}.`,
    );
  }
}

/** Where an export writes: a unique id right after KeyPrefix (MSF documents the operation id there). */
export function exportedPrefixOf(keyPrefix: string, uniqueId: string): string {
  return `${keyPrefix}${uniqueId}/`;
}
