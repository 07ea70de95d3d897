import { readFile } from 'node:fs/promises';
import type { SnapshotObjectStore } from '../control-plane/snapshots/savepoint-transfer.js';
import type { S3Store } from './backend/object-store.js';

const PAGE = 1000;

/** Savepoint files of enhanced snapshots in msf-local's own S3 (ExportSnapshot, ImportSnapshot). */
export class S3SnapshotObjects implements SnapshotObjectStore {
  constructor(private readonly s3: S3Store) {}

  bucketRegion(bucketArn: string): string | undefined {
    const bucket = bucketOf(bucketArn);
    return bucket === undefined ? undefined : this.s3.getBucket(bucket)?.region;
  }

  async list(bucketArn: string, prefix: string): Promise<{ key: string; size: number }[]> {
    const bucket = this.requireBucket(bucketArn);
    const objects: { key: string; size: number }[] = [];
    let after: string | undefined;
    for (;;) {
      const page = this.s3.listObjects(bucket, { prefix, maxKeys: PAGE, ...(after ? { after } : {}) });
      objects.push(...page.contents.map((o) => ({ key: o.key, size: o.size })));
      if (!page.isTruncated || page.last === undefined) return objects;
      after = page.last;
    }
  }

  async download(bucketArn: string, key: string, file: string): Promise<void> {
    await this.s3.downloadObject(this.requireBucket(bucketArn), key, file);
  }

  async upload(bucketArn: string, key: string, file: string): Promise<void> {
    // Savepoint files are read whole: msf-local's savepoints are test- and development-sized.
    await this.s3.putObject(this.requireBucket(bucketArn), key, await readFile(file), {
      contentType: 'application/octet-stream',
    });
  }

  private requireBucket(bucketArn: string): string {
    const bucket = bucketOf(bucketArn);
    if (bucket === undefined) throw new Error(`BucketARN ${bucketArn} is not an S3 bucket ARN`);
    return bucket;
  }
}

function bucketOf(bucketArn: string): string | undefined {
  return /^arn:[^:]+:s3:::([^/:]+)$/.exec(bucketArn)?.[1];
}
