/** Keys with '.' and '..' segments are ordinary S3 keys: the edge must not resolve them as a URL path would. */
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startS3, type S3Harness } from './harness.js';

let h: S3Harness;
beforeAll(async () => {
  h = await startS3();
  await h.client.send(new CreateBucketCommand({ Bucket: 'dots' }));
});
afterAll(() => h.dispose());

it('stores and lists keys such as a/../b and . verbatim', async () => {
  for (const key of ['a/../b', './c', 'd/./e']) {
    await h.client.send(new PutObjectCommand({ Bucket: 'dots', Key: key, Body: key }));
    const got = await h.client.send(new GetObjectCommand({ Bucket: 'dots', Key: key }));
    expect(await got.Body?.transformToString()).toBe(key);
  }
  const listed = await h.client.send(new ListObjectsV2Command({ Bucket: 'dots' }));
  expect(listed.Contents?.map((o) => o.Key).sort()).toEqual(['./c', 'a/../b', 'd/./e']);
});
