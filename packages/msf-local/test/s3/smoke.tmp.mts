import { startS3 } from './harness.js';
import {
  CreateBucketCommand,
  PutObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  HeadObjectCommand,
} from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
const h = await startS3();
const c = h.client;
console.log(await c.send(new CreateBucketCommand({ Bucket: 'bkt' })).then((r) => r.Location));
console.log((await c.send(new PutObjectCommand({ Bucket: 'bkt', Key: 'a/b.txt', Body: 'hello' }))).ETag);
console.log(
  (
    await c.send(
      new PutObjectCommand({
        Bucket: 'bkt',
        Key: 'stream',
        Body: Readable.from([Buffer.from('hello '), Buffer.from('stream')]),
        ContentLength: 12,
      }),
    )
  ).ETag,
);
const g = await c.send(new GetObjectCommand({ Bucket: 'bkt', Key: 'stream' }));
console.log(await g.Body!.transformToString(), g.ChecksumCRC32);
const r = await c.send(new GetObjectCommand({ Bucket: 'bkt', Key: 'a/b.txt', Range: 'bytes=1-2' }));
console.log(await r.Body!.transformToString(), r.ContentRange);
console.log(
  JSON.stringify((await c.send(new ListObjectsV2Command({ Bucket: 'bkt', Delimiter: '/' }))).CommonPrefixes),
);
try {
  await c.send(new HeadObjectCommand({ Bucket: 'bkt', Key: 'nope' }));
} catch (e) {
  console.log((e as Error).name);
}
try {
  await c.send(new PutObjectCommand({ Bucket: 'bkt', Key: 'a/b.txt', Body: 'x', IfNoneMatch: '*' }));
} catch (e) {
  console.log((e as Error).name, (e as Error).message);
}
await h.dispose();
