/** The SavepointFiles port over S3 (AWS or msf-local's): list a prefix, download or delete what is under it. */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  paginateListObjectsV2,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { S3Prefix } from '../../model/application.js';
import type { SavepointFiles } from '../../ports/savepoint-files.js';

export function s3SavepointFiles(s3: () => S3Client): SavepointFiles {
  const keys = async (prefix: S3Prefix): Promise<{ key: string; size: number; at: number }[]> => {
    const found: { key: string; size: number; at: number }[] = [];
    for await (const page of paginateListObjectsV2(
      { client: s3() },
      { Bucket: prefix.bucket, Prefix: prefix.prefix },
    ))
      for (const o of page.Contents ?? [])
        if (o.Key) found.push({ key: o.Key, size: o.Size ?? 0, at: o.LastModified?.getTime() ?? 0 });
    return found;
  };
  return {
    async download(from, toDir) {
      const objects = await keys(from);
      let bytes = 0;
      for (const { key, size } of objects) {
        const relative = key.slice(from.prefix.length);
        const target = path.resolve(toDir, relative);
        // A key that climbs out of the directory ("../") is not a savepoint file.
        if (!relative || !target.startsWith(path.resolve(toDir) + path.sep)) continue;
        await mkdir(path.dirname(target), { recursive: true });
        const body = (await s3().send(new GetObjectCommand({ Bucket: from.bucket, Key: key }))).Body;
        await pipeline(body as Readable, createWriteStream(target));
        bytes += size;
      }
      return { files: objects.length, bytes };
    },
    async remove(prefix, olderThan) {
      const objects = (await keys(prefix)).filter((o) => olderThan === undefined || o.at < olderThan);
      for (let i = 0; i < objects.length; i += 1000) {
        await s3().send(
          new DeleteObjectsCommand({
            Bucket: prefix.bucket,
            Delete: { Objects: objects.slice(i, i + 1000).map((o) => ({ Key: o.key })), Quiet: true },
          }),
        );
      }
      return objects.length;
    },
  };
}
