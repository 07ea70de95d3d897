import type { CodeSource } from '../control-plane/code-source.js';
import type { CodeLocation } from '../control-plane/model.js';
import type { S3Store } from './backend/object-store.js';

/** Application code (S3ContentLocation) read from msf-local's own S3. */
export class S3CodeSource implements CodeSource {
  constructor(private readonly s3: S3Store) {}

  async exists(location: CodeLocation): Promise<boolean> {
    const bucket = bucketOf(location.bucketArn);
    if (!bucket) return false;
    try {
      this.s3.headObject(bucket, location.fileKey, location.objectVersion);
      return true;
    } catch {
      return false;
    }
  }

  async copyTo(location: CodeLocation, file: string): Promise<void> {
    const bucket = bucketOf(location.bucketArn);
    if (!bucket) throw new Error(`BucketARN ${location.bucketArn} is not an S3 bucket ARN`);
    await this.s3.downloadObject(bucket, location.fileKey, file, location.objectVersion);
  }
}

function bucketOf(bucketArn: string): string | undefined {
  return /^arn:[^:]+:s3:::([^/]+)$/.exec(bucketArn)?.[1];
}
