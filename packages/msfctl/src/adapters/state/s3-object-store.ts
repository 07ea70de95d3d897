/**
 * ObjectStore on S3 (`s3://bucket/prefix`), using S3's conditional writes: PutObject If-None-Match: * to
 * create, If-Match: <ETag> to replace, DeleteObject If-Match to delete. An S3 object is replaced whole, so
 * every write is atomic by construction.
 */
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { MsfctlError } from '../../model/errors.js';
import { translateAwsError } from '../aws/aws-errors.js';
import {
  PreconditionFailed,
  type ObjectStore,
  type StoredObject,
  type WriteCondition,
} from '../../ports/object-store.js';

function status(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

function isPreconditionFailure(error: unknown): boolean {
  const name = (error as { name?: string }).name;
  // 409 ConditionalRequestConflict: a concurrent conditional write to the same key won.
  return (
    name === 'PreconditionFailed' ||
    name === 'ConditionalRequestConflict' ||
    status(error) === 412 ||
    status(error) === 409
  );
}

/**
 * An S3 failure of the state store as an error that names the location and the fix: the bucket missing or
 * not ours are the expected ones (a typo in --state, the wrong account), and never a stack trace.
 */
function stateError(error: unknown, bucket: string, location: string, what: string): Error {
  const name = (error as { name?: string }).name;
  const where = `--state ${location.replace(/\/$/, '')}`;
  if (name === 'NoSuchBucket')
    return new MsfctlError('STATE', `The state bucket ${bucket} (${where}) does not exist.`, {
      hint: `Create it (\`aws s3 mb s3://${bucket}\`), or give --state (or the spec's state, MSFCTL_STATE) a bucket that exists or a directory.`,
      cause: error,
    });
  if (name === 'AccessDenied' || name === 'AllBucketsAreRestricted' || status(error) === 403)
    return new MsfctlError(
      'STATE',
      `Access to the state bucket ${bucket} (${where}) was denied while ${what}.`,
      {
        hint: `The credentials in use need s3:GetObject, s3:PutObject and s3:DeleteObject on s3://${bucket}/*; check the profile and region, or use another --state.`,
        cause: error,
      },
    );
  return translateAwsError(error, `${what} at ${location}`);
}

export class S3ObjectStore implements ObjectStore {
  readonly location: string;

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly prefix: string,
  ) {
    this.location = `s3://${bucket}/${prefix}`;
  }

  private key(key: string): string {
    return `${this.prefix}${key}`;
  }

  async get(key: string): Promise<StoredObject | undefined> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(key) }));
      const body = (await out.Body?.transformToString('utf8')) ?? '';
      return { body, revision: out.ETag ?? '' };
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'NoSuchKey' || (status(error) === 404 && name !== 'NoSuchBucket')) return undefined;
      throw stateError(error, this.bucket, this.location, `reading ${key}`);
    }
  }

  async put(key: string, body: string, condition?: WriteCondition): Promise<string> {
    try {
      const out = await this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: this.key(key),
          Body: body,
          ContentType: 'application/json',
          ...(condition && 'ifNoneMatch' in condition ? { IfNoneMatch: '*' } : {}),
          ...(condition && 'ifMatch' in condition ? { IfMatch: condition.ifMatch } : {}),
        }),
      );
      return out.ETag ?? '';
    } catch (error) {
      if (condition && isPreconditionFailure(error)) throw new PreconditionFailed(key);
      throw stateError(error, this.bucket, this.location, `writing ${key}`);
    }
  }

  async delete(key: string, ifMatch?: string): Promise<void> {
    try {
      await this.s3.send(
        new DeleteObjectCommand({
          Bucket: this.bucket,
          Key: this.key(key),
          ...(ifMatch ? { IfMatch: ifMatch } : {}),
        }),
      );
    } catch (error) {
      if (ifMatch && isPreconditionFailure(error)) throw new PreconditionFailed(key);
      if (status(error) === 404 && (error as { name?: string }).name !== 'NoSuchBucket') {
        if (ifMatch) throw new PreconditionFailed(key);
        return;
      }
      throw stateError(error, this.bucket, this.location, `deleting ${key}`);
    }
  }
}

export function parseS3Location(location: string): { bucket: string; prefix: string } | undefined {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(location);
  if (!match) return undefined;
  const prefix = match[2] ?? '';
  return { bucket: match[1]!, prefix: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/` };
}
