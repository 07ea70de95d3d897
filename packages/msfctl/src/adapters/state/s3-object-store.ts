/**
 * ObjectStore on S3 (`s3://bucket/prefix`), using S3's conditional writes: PutObject If-None-Match: * to
 * create, If-Match: <ETag> to replace, DeleteObject If-Match to delete. An S3 object is replaced whole, so
 * every write is atomic by construction.
 */
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
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
      if ((error as { name?: string }).name === 'NoSuchKey' || status(error) === 404) return undefined;
      throw error;
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
      throw error;
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
      if (status(error) === 404) {
        if (ifMatch) throw new PreconditionFailed(key);
        return;
      }
      throw error;
    }
  }
}

export function parseS3Location(location: string): { bucket: string; prefix: string } | undefined {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(location);
  if (!match) return undefined;
  const prefix = match[2] ?? '';
  return { bucket: match[1]!, prefix: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/` };
}
