/** S3 through the real @aws-sdk/client-s3 against a real EdgeServer on loopback. */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketLocationCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client, startS3, type S3Harness } from './harness.js';
import { caught, expectS3Error } from './s3-errors.js';

let h: S3Harness;
let s3: S3Client;
beforeAll(async () => {
  h = await startS3();
  s3 = h.client;
});
afterAll(async () => {
  await h.dispose();
});

const md5 = (data: string | Buffer) => createHash('md5').update(data).digest('hex');

async function body(bucket: string, key: string, extra: Record<string, unknown> = {}): Promise<string> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...extra }));
  return out.Body!.transformToString();
}

describe('buckets', () => {
  it('creates, heads, lists and deletes a bucket', async () => {
    const created = await s3.send(new CreateBucketCommand({ Bucket: 'b-lifecycle' }));
    expect(created.Location).toBe('/b-lifecycle');
    const head = await s3.send(new HeadBucketCommand({ Bucket: 'b-lifecycle' }));
    expect(head.BucketRegion).toBe('us-east-1');
    const listed = await s3.send(new ListBucketsCommand({}));
    const mine = listed.Buckets?.find((b) => b.Name === 'b-lifecycle');
    expect(mine?.CreationDate).toBeInstanceOf(Date);
    expect(listed.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
    expect(
      (await s3.send(new GetBucketLocationCommand({ Bucket: 'b-lifecycle' }))).LocationConstraint,
    ).toBeUndefined();
    await s3.send(new DeleteBucketCommand({ Bucket: 'b-lifecycle' }));
    await expectS3Error(s3.send(new HeadBucketCommand({ Bucket: 'b-lifecycle' })), 'NotFound', 404);
  });

  it('answers an existing bucket as S3 does per region (us-east-1: 200, elsewhere BucketAlreadyOwnedByYou)', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'b-twice' }));
    await s3.send(new CreateBucketCommand({ Bucket: 'b-twice' }));
    const eu = s3Client(h.url, 'eu-west-1');
    try {
      const e = await expectS3Error(
        eu.send(
          new CreateBucketCommand({
            Bucket: 'b-twice',
            CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
          }),
        ),
        'BucketAlreadyOwnedByYou',
        409,
      );
      expect(e.error.BucketName).toBe('b-twice');
      await eu.send(
        new CreateBucketCommand({
          Bucket: 'b-eu',
          CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
        }),
      );
      expect((await eu.send(new GetBucketLocationCommand({ Bucket: 'b-eu' }))).LocationConstraint).toBe(
        'eu-west-1',
      );
      expect((await eu.send(new HeadBucketCommand({ Bucket: 'b-eu' }))).BucketRegion).toBe('eu-west-1');
    } finally {
      eu.destroy();
    }
  });

  it('refuses invalid names, unknown buckets and non-empty deletes', async () => {
    for (const bad of ['UPPER', 'ab', 'a..b', '192.168.1.1', 'x'.repeat(64), '-dash', 'xn--punycode']) {
      await expectS3Error(s3.send(new CreateBucketCommand({ Bucket: bad })), 'InvalidBucketName', 400);
    }
    const e = await expectS3Error(
      s3.send(new DeleteBucketCommand({ Bucket: 'no-such-bucket' })),
      'NoSuchBucket',
      404,
    );
    expect(e.error.BucketName).toBe('no-such-bucket');
    expect(e.message).toBe('The specified bucket does not exist');
    await s3.send(new CreateBucketCommand({ Bucket: 'b-full' }));
    await s3.send(new PutObjectCommand({ Bucket: 'b-full', Key: 'k', Body: 'x' }));
    await expectS3Error(s3.send(new DeleteBucketCommand({ Bucket: 'b-full' })), 'BucketNotEmpty', 409);
    await s3.send(new DeleteObjectCommand({ Bucket: 'b-full', Key: 'k' }));
    await s3.send(new DeleteBucketCommand({ Bucket: 'b-full' }));
  });
});

describe('objects', () => {
  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'objects' }));
  });

  it('puts, heads and gets an object with its metadata and headers', async () => {
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: 'objects',
        Key: 'dir/hello.txt',
        Body: 'hello world',
        ContentType: 'text/plain',
        CacheControl: 'max-age=60',
        ContentDisposition: 'attachment',
        Metadata: { owner: 'msfctl', 'build-id': '42' },
      }),
    );
    expect(put.ETag).toBe(`"${md5('hello world')}"`);
    expect(put.ServerSideEncryption).toBe('AES256');
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'objects', Key: 'dir/hello.txt' }));
    expect(head).toMatchObject({
      ContentLength: 11,
      ContentType: 'text/plain',
      ETag: put.ETag,
      CacheControl: 'max-age=60',
      ContentDisposition: 'attachment',
      Metadata: { owner: 'msfctl', 'build-id': '42' },
      AcceptRanges: 'bytes',
    });
    expect(Math.abs(head.LastModified!.getTime() - Date.now())).toBeLessThan(10_000);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'dir/hello.txt' }));
    expect(await got.Body!.transformToString()).toBe('hello world');
    expect(got.ContentLength).toBe(11);
    expect(got.ETag).toBe(put.ETag);
    expect(got.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('stores binary bytes exactly, including an empty object', async () => {
    const data = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 256));
    await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'bin', Body: data }));
    const out = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'bin' }));
    expect(Buffer.from(await out.Body!.transformToByteArray()).equals(data)).toBe(true);
    await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'empty', Body: '' }));
    const empty = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'empty' }));
    expect(empty.ContentLength).toBe(0);
    expect(await empty.Body!.transformToString()).toBe('');
    expect(empty.ETag).toBe(`"${md5('')}"`);
  });

  it('decodes aws-chunked streaming uploads and verifies and returns their trailing CRC32', async () => {
    const chunks = [Buffer.alloc(70_000, 1), Buffer.alloc(50_000, 2)];
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: 'objects',
        Key: 'streamed',
        Body: Readable.from(chunks),
        ContentLength: 120_000,
      }),
    );
    expect(put.ETag).toBe(`"${md5(Buffer.concat(chunks))}"`);
    expect(put.ChecksumCRC32).toBeDefined();
    const got = await s3.send(
      new GetObjectCommand({ Bucket: 'objects', Key: 'streamed', ChecksumMode: 'ENABLED' }),
    );
    expect(got.ChecksumCRC32).toBe(put.ChecksumCRC32);
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(Buffer.concat(chunks))).toBe(true);
  });

  it('rejects a checksum or Content-MD5 that does not match the body (BadDigest)', async () => {
    await expectS3Error(
      s3.send(
        new PutObjectCommand({ Bucket: 'objects', Key: 'bad', Body: 'abc', ChecksumCRC32: 'AAAAAA==' }),
      ),
      'BadDigest',
      400,
    );
    await expectS3Error(
      s3.send(
        new PutObjectCommand({ Bucket: 'objects', Key: 'bad', Body: 'abc', ContentMD5: md5b64('xyz') }),
      ),
      'BadDigest',
      400,
    );
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: 'objects', Key: 'bad' })), 'NotFound', 404);
    await s3.send(
      new PutObjectCommand({ Bucket: 'objects', Key: 'good-md5', Body: 'abc', ContentMD5: md5b64('abc') }),
    );
  });

  it('serves byte ranges and refuses unsatisfiable ones with InvalidRange', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'digits', Body: '0123456789' }));
    const first = await s3.send(
      new GetObjectCommand({ Bucket: 'objects', Key: 'digits', Range: 'bytes=0-3' }),
    );
    expect(await first.Body!.transformToString()).toBe('0123');
    expect(first.ContentRange).toBe('bytes 0-3/10');
    expect(first.ContentLength).toBe(4);
    expect(first.$metadata.httpStatusCode).toBe(206);
    expect(await body('objects', 'digits', { Range: 'bytes=7-' })).toBe('789');
    expect(await body('objects', 'digits', { Range: 'bytes=-2' })).toBe('89');
    expect(await body('objects', 'digits', { Range: 'bytes=8-100' })).toBe('89');
    const e = await expectS3Error(
      s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'digits', Range: 'bytes=10-20' })),
      'InvalidRange',
      416,
    );
    expect(e.error.ActualObjectSize).toBe('10');
    // A malformed range is ignored, as S3 does: the whole object.
    expect(await body('objects', 'digits', { Range: 'lines=1-2' })).toBe('0123456789');
  });

  it('answers NoSuchKey and NoSuchBucket with their elements', async () => {
    const e = await expectS3Error(
      s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'missing/key' })),
      'NoSuchKey',
      404,
    );
    expect(e.error.Key).toBe('missing/key');
    expect(e.message).toBe('The specified key does not exist.');
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: 'nobucket', Key: 'k' })), 'NoSuchBucket', 404);
    await expectS3Error(
      s3.send(new PutObjectCommand({ Bucket: 'nobucket', Key: 'k', Body: 'x' })),
      'NoSuchBucket',
      404,
    );
    await expectS3Error(
      s3.send(new HeadObjectCommand({ Bucket: 'objects', Key: 'missing' })),
      'NotFound',
      404,
    );
  });

  it('deletes objects (missing keys too) and batches with DeleteObjects', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'del/a', Body: 'a' }));
    const deleted = await s3.send(new DeleteObjectCommand({ Bucket: 'objects', Key: 'del/a' }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    await s3.send(new DeleteObjectCommand({ Bucket: 'objects', Key: 'del/a' }));
    await expectS3Error(
      s3.send(new DeleteObjectCommand({ Bucket: 'nobucket', Key: 'x' })),
      'NoSuchBucket',
      404,
    );
    for (const k of ['del/1', 'del/2', 'del/3'])
      await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: k, Body: k }));
    const etag2 = (await s3.send(new HeadObjectCommand({ Bucket: 'objects', Key: 'del/2' }))).ETag;
    const batch = await s3.send(
      new DeleteObjectsCommand({
        Bucket: 'objects',
        Delete: {
          Objects: [
            { Key: 'del/1' },
            { Key: 'del/2', ETag: '"0000"' },
            { Key: 'del/3' },
            { Key: 'del/none' },
          ],
        },
      }),
    );
    expect(batch.Deleted?.map((d) => d.Key)).toEqual(['del/1', 'del/3', 'del/none']);
    expect(batch.Errors).toEqual([
      {
        Key: 'del/2',
        Code: 'PreconditionFailed',
        Message: 'At least one of the pre-conditions you specified did not hold',
      },
    ]);
    await s3.send(
      new DeleteObjectsCommand({ Bucket: 'objects', Delete: { Objects: [{ Key: 'del/2', ETag: etag2 }] } }),
    );
    const left = await s3.send(new ListObjectsV2Command({ Bucket: 'objects', Prefix: 'del/' }));
    expect(left.KeyCount).toBe(0);
  });

  it('copies objects: metadata COPY and REPLACE, source conditions, refusing a no-op self copy', async () => {
    await s3.send(
      new PutObjectCommand({
        Bucket: 'objects',
        Key: 'src',
        Body: 'source',
        ContentType: 'text/x-src',
        Metadata: { a: '1' },
      }),
    );
    const copied = await s3.send(
      new CopyObjectCommand({ Bucket: 'objects', Key: 'dst', CopySource: 'objects/src' }),
    );
    expect(copied.CopyObjectResult?.ETag).toBe(`"${md5('source')}"`);
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'objects', Key: 'dst' }));
    expect(head).toMatchObject({ ContentType: 'text/x-src', Metadata: { a: '1' } });
    await s3.send(
      new CopyObjectCommand({
        Bucket: 'objects',
        Key: 'dst2',
        CopySource: '/objects/src',
        MetadataDirective: 'REPLACE',
        ContentType: 'text/plain',
        Metadata: { b: '2' },
      }),
    );
    expect(await s3.send(new HeadObjectCommand({ Bucket: 'objects', Key: 'dst2' }))).toMatchObject({
      ContentType: 'text/plain',
      Metadata: { b: '2' },
    });
    expect(await body('objects', 'dst2')).toBe('source');
    await expectS3Error(
      s3.send(new CopyObjectCommand({ Bucket: 'objects', Key: 'src', CopySource: 'objects/src' })),
      'InvalidRequest',
      400,
    );
    await expectS3Error(
      s3.send(new CopyObjectCommand({ Bucket: 'objects', Key: 'x', CopySource: 'objects/nope' })),
      'NoSuchKey',
      404,
    );
    await expectS3Error(
      s3.send(
        new CopyObjectCommand({
          Bucket: 'objects',
          Key: 'x',
          CopySource: 'objects/src',
          CopySourceIfMatch: '"0"',
        }),
      ),
      'PreconditionFailed',
      412,
    );
    // Keys that need URL encoding in x-amz-copy-source.
    await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'sp ace/ü+%.txt', Body: 'enc' }));
    await s3.send(
      new CopyObjectCommand({
        Bucket: 'objects',
        Key: 'enc-copy',
        CopySource: `objects/${encodeURIComponent('sp ace/ü+%.txt')}`,
      }),
    );
    expect(await body('objects', 'enc-copy')).toBe('enc');
  });

  it('stores and returns object tags', async () => {
    await s3.send(
      new PutObjectCommand({ Bucket: 'objects', Key: 'tagged', Body: 't', Tagging: 'env=dev&team=flink' }),
    );
    const tags = await s3.send(new GetObjectTaggingCommand({ Bucket: 'objects', Key: 'tagged' }));
    expect(tags.TagSet).toEqual([
      { Key: 'env', Value: 'dev' },
      { Key: 'team', Value: 'flink' },
    ]);
    await s3.send(
      new PutObjectTaggingCommand({
        Bucket: 'objects',
        Key: 'tagged',
        Tagging: { TagSet: [{ Key: 'x', Value: 'y' }] },
      }),
    );
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket: 'objects', Key: 'tagged' }))).TagSet).toEqual(
      [{ Key: 'x', Value: 'y' }],
    );
    expect(await body('objects', 'tagged')).toBe('t');
  });
});

describe('conditional requests', () => {
  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'cond' }));
  });

  it('If-None-Match: * creates once, then answers 412 PreconditionFailed and keeps the object', async () => {
    const first = await s3.send(
      new PutObjectCommand({ Bucket: 'cond', Key: 'lock', Body: 'owner-1', IfNoneMatch: '*' }),
    );
    const e = await expectS3Error(
      s3.send(new PutObjectCommand({ Bucket: 'cond', Key: 'lock', Body: 'owner-2', IfNoneMatch: '*' })),
      'PreconditionFailed',
      412,
    );
    expect(e.error.Condition).toBe('If-None-Match');
    expect(e.message).toBe('At least one of the pre-conditions you specified did not hold');
    expect(await body('cond', 'lock')).toBe('owner-1');
    expect((await s3.send(new HeadObjectCommand({ Bucket: 'cond', Key: 'lock' }))).ETag).toBe(first.ETag);
  });

  it('If-Match: <etag> replaces only the current version; a missing key is NoSuchKey', async () => {
    const v1 = await s3.send(new PutObjectCommand({ Bucket: 'cond', Key: 'lease', Body: 'v1' }));
    const v2 = await s3.send(
      new PutObjectCommand({ Bucket: 'cond', Key: 'lease', Body: 'v2', IfMatch: v1.ETag }),
    );
    const stale = await expectS3Error(
      s3.send(new PutObjectCommand({ Bucket: 'cond', Key: 'lease', Body: 'v3', IfMatch: v1.ETag })),
      'PreconditionFailed',
      412,
    );
    expect(stale.error.Condition).toBe('If-Match');
    expect(await body('cond', 'lease')).toBe('v2');
    await s3.send(
      new PutObjectCommand({ Bucket: 'cond', Key: 'lease', Body: 'v3', IfMatch: v2.ETag!.replace(/"/g, '') }),
    );
    await expectS3Error(
      s3.send(new PutObjectCommand({ Bucket: 'cond', Key: 'no-lease', Body: 'x', IfMatch: v1.ETag })),
      'NoSuchKey',
      404,
    );
  });

  it('If-None-Match with an ETag on a write is NotImplemented (501), as in S3', async () => {
    await expectS3Error(
      s3.send(new PutObjectCommand({ Bucket: 'cond', Key: 'lock', Body: 'x', IfNoneMatch: '"abc"' })),
      'NotImplemented',
      501,
    );
  });

  it('of racing If-None-Match: * writers exactly one wins', async () => {
    for (let round = 0; round < 5; round++) {
      const key = `race-${round}`;
      const attempts = await Promise.allSettled(
        Array.from({ length: 12 }, (_, i) =>
          s3
            .send(new PutObjectCommand({ Bucket: 'cond', Key: key, Body: `writer-${i}`, IfNoneMatch: '*' }))
            .then(() => i),
        ),
      );
      const winners = attempts
        .filter((a) => a.status === 'fulfilled')
        .map((a) => (a as PromiseFulfilledResult<number>).value);
      const losers = attempts.filter((a) => a.status === 'rejected') as PromiseRejectedResult[];
      expect(winners).toHaveLength(1);
      expect(losers.map((l) => (l.reason as Error).name)).toEqual(Array(11).fill('PreconditionFailed'));
      expect(await body('cond', key)).toBe(`writer-${winners[0]}`);
    }
  });

  it('evaluates If-Match / If-None-Match / If-Modified-Since / If-Unmodified-Since on GET and HEAD', async () => {
    const put = await s3.send(new PutObjectCommand({ Bucket: 'cond', Key: 'read', Body: 'r' }));
    const etag = put.ETag!;
    const past = new Date(Date.now() - 3600_000);
    const future = new Date(Date.now() + 3600_000);
    expect(await body('cond', 'read', { IfMatch: etag })).toBe('r');
    await expectS3Error(
      s3.send(new GetObjectCommand({ Bucket: 'cond', Key: 'read', IfMatch: '"0"' })),
      'PreconditionFailed',
      412,
    );
    // HEAD responses carry no error body, so the SDK only sees the status (the same with real S3).
    expect(
      (await caught(s3.send(new HeadObjectCommand({ Bucket: 'cond', Key: 'read', IfMatch: '"0"' })))).status,
    ).toBe(412);
    const notModified = await caught(
      s3.send(new GetObjectCommand({ Bucket: 'cond', Key: 'read', IfNoneMatch: etag })),
    );
    expect(notModified.status).toBe(304);
    expect(
      (await caught(s3.send(new HeadObjectCommand({ Bucket: 'cond', Key: 'read', IfNoneMatch: etag }))))
        .status,
    ).toBe(304);
    expect(await body('cond', 'read', { IfNoneMatch: '"other"' })).toBe('r');
    expect(
      (await caught(s3.send(new GetObjectCommand({ Bucket: 'cond', Key: 'read', IfModifiedSince: future }))))
        .status,
    ).toBe(304);
    expect(await body('cond', 'read', { IfModifiedSince: past })).toBe('r');
    await expectS3Error(
      s3.send(new GetObjectCommand({ Bucket: 'cond', Key: 'read', IfUnmodifiedSince: past })),
      'PreconditionFailed',
      412,
    );
    // If-Match true wins over If-Unmodified-Since false (RFC 7232 order, as S3 documents).
    expect(await body('cond', 'read', { IfMatch: etag, IfUnmodifiedSince: past })).toBe('r');
  });

  it('DeleteObject honours If-Match', async () => {
    const put = await s3.send(new PutObjectCommand({ Bucket: 'cond', Key: 'to-delete', Body: 'd' }));
    await expectS3Error(
      s3.send(new DeleteObjectCommand({ Bucket: 'cond', Key: 'to-delete', IfMatch: '"0"' })),
      'PreconditionFailed',
      412,
    );
    await expectS3Error(
      s3.send(new DeleteObjectCommand({ Bucket: 'cond', Key: 'never', IfMatch: put.ETag })),
      'NoSuchKey',
      404,
    );
    await s3.send(new DeleteObjectCommand({ Bucket: 'cond', Key: 'to-delete', IfMatch: put.ETag }));
    await expectS3Error(
      s3.send(new HeadObjectCommand({ Bucket: 'cond', Key: 'to-delete' })),
      'NotFound',
      404,
    );
  });
});

describe('listing', () => {
  const keys = [
    'a.txt',
    'logs/2026/01/x.log',
    'logs/2026/01/y.log',
    'logs/2026/02/z.log',
    'logs/readme',
    'z/last',
    'é-accent',
    '\u{1F600}-emoji',
    '\uFF21-fullwidth',
    'space key',
  ];
  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'listing' }));
    for (const key of keys) await s3.send(new PutObjectCommand({ Bucket: 'listing', Key: key, Body: key }));
  });

  /** S3 order: UTF-8 bytes. */
  const sorted = [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

  it('lists every key in UTF-8 binary order with sizes and ETags', async () => {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: 'listing' }));
    expect(out.Contents?.map((c) => c.Key)).toEqual(sorted);
    expect(out.KeyCount).toBe(keys.length);
    expect(out.IsTruncated).toBe(false);
    const first = out.Contents![0]!;
    expect(first.Size).toBe(Buffer.byteLength(first.Key!));
    expect(first.ETag).toBe(`"${md5(first.Key!)}"`);
    expect(first.StorageClass).toBe('STANDARD');
  });

  it('ListObjectVersions of an unversioned bucket: every object once as version "null", with pages and prefixes', async () => {
    const versions: string[] = [];
    let markers: { KeyMarker?: string; VersionIdMarker?: string } = {};
    for (let pages = 0; pages < 10; pages++) {
      const page = await s3.send(
        new ListObjectVersionsCommand({ Bucket: 'listing', MaxKeys: 3, ...markers }),
      );
      for (const v of page.Versions ?? []) {
        expect(v).toMatchObject({ VersionId: 'null', IsLatest: true, Size: Buffer.byteLength(v.Key!) });
        expect(v.ETag).toBe(`"${md5(v.Key!)}"`);
        versions.push(v.Key!);
      }
      if (!page.IsTruncated) break;
      expect(page.NextVersionIdMarker).toBe('null');
      markers = { KeyMarker: page.NextKeyMarker, VersionIdMarker: page.NextVersionIdMarker };
    }
    expect(versions).toEqual(sorted);
    const grouped = await s3.send(
      new ListObjectVersionsCommand({ Bucket: 'listing', Prefix: 'logs/', Delimiter: '/' }),
    );
    expect(grouped.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['logs/2026/']);
    expect(grouped.Versions?.map((v) => v.Key)).toEqual(['logs/readme']);
    const noKeyMarker = await expectS3Error(
      s3.send(new ListObjectVersionsCommand({ Bucket: 'listing', VersionIdMarker: 'null' })),
      'InvalidArgument',
      400,
    );
    expect(noKeyMarker.message).toBe('A version-id marker cannot be specified without a key marker.');
    // The cleanup idiom (boto3 object_versions.delete()): DeleteObjects of what was listed, version "null".
    await s3.send(new PutObjectCommand({ Bucket: 'listing', Key: 'to-clean', Body: 'x' }));
    const cleaned = await s3.send(
      new DeleteObjectsCommand({
        Bucket: 'listing',
        Delete: { Objects: [{ Key: 'to-clean', VersionId: 'null' }] },
      }),
    );
    expect(cleaned.Deleted).toEqual([{ Key: 'to-clean', VersionId: 'null' }]);
    await expectS3Error(
      s3.send(new ListObjectVersionsCommand({ Bucket: 'no-such-bucket-v' })),
      'NoSuchBucket',
      404,
    );
  });

  it('groups by delimiter under a prefix', async () => {
    const top = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', Delimiter: '/' }));
    expect(top.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['logs/', 'z/']);
    expect(top.Contents?.map((c) => c.Key)).toEqual(sorted.filter((k) => !k.includes('/')));
    const logs = await s3.send(
      new ListObjectsV2Command({ Bucket: 'listing', Prefix: 'logs/', Delimiter: '/' }),
    );
    expect(logs.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['logs/2026/']);
    expect(logs.Contents?.map((c) => c.Key)).toEqual(['logs/readme']);
    expect(logs.KeyCount).toBe(2);
    const none = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', Prefix: 'nothing/' }));
    expect(none.KeyCount).toBe(0);
    expect(none.Contents).toBeUndefined();
  });

  it('paginates with max-keys and continuation tokens, counting common prefixes once', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket: 'listing', Delimiter: '/', MaxKeys: 2, ContinuationToken: token }),
      );
      pages++;
      expect((page.Contents?.length ?? 0) + (page.CommonPrefixes?.length ?? 0)).toBeLessThanOrEqual(2);
      seen.push(
        ...(page.Contents ?? []).map((c) => c.Key!),
        ...(page.CommonPrefixes ?? []).map((p) => p.Prefix!),
      );
      token = page.NextContinuationToken;
      expect(page.IsTruncated).toBe(token !== undefined);
    } while (token);
    const expected = [...sorted.filter((k) => !k.includes('/')), 'logs/', 'z/'];
    expect(seen.sort()).toEqual(expected.sort());
    expect(pages).toBe(Math.ceil(expected.length / 2));
  });

  it('starts after a key, and refuses a bad continuation token or max-keys', async () => {
    const after = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', StartAfter: 'logs/readme' }));
    expect(after.Contents?.map((c) => c.Key)).toEqual(
      sorted.filter((k) => Buffer.compare(Buffer.from(k), Buffer.from('logs/readme')) > 0),
    );
    expect(after.StartAfter).toBe('logs/readme');
    await expectS3Error(
      s3.send(new ListObjectsV2Command({ Bucket: 'listing', ContinuationToken: 'garbage!' })),
      'InvalidArgument',
      400,
    );
    await expectS3Error(
      s3.send(new ListObjectsV2Command({ Bucket: 'listing', MaxKeys: -1 })),
      'InvalidArgument',
      400,
    );
    await expectS3Error(s3.send(new ListObjectsV2Command({ Bucket: 'no-bucket-here' })), 'NoSuchBucket', 404);
  });

  it('ListObjects v1 pages with Marker / NextMarker', async () => {
    const seen: string[] = [];
    let marker: string | undefined;
    for (;;) {
      const page = await s3.send(new ListObjectsCommand({ Bucket: 'listing', MaxKeys: 3, Marker: marker }));
      seen.push(...(page.Contents ?? []).map((c) => c.Key!));
      if (!page.IsTruncated) break;
      marker = page.NextMarker ?? page.Contents![page.Contents!.length - 1]!.Key;
    }
    expect(seen).toEqual(sorted);
  });
});

function md5b64(data: string): string {
  return createHash('md5').update(data).digest('base64');
}

describe('presigned URL lifetimes (query-string authentication)', () => {
  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'presigned' }));
    await s3.send(new PutObjectCommand({ Bucket: 'presigned', Key: 'doc', Body: 'linked' }));
  });

  const amzDate = (ms: number) =>
    new Date(ms)
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
  /** A SigV4 query string as the SDKs write it (msf-local checks lifetimes, never signatures). */
  const sigV4 = (date: string, expires: string) =>
    new URLSearchParams({
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': `AKIDMSFLOCAL/${date.slice(0, 8)}/us-east-1/s3/aws4_request`,
      'X-Amz-Date': date,
      'X-Amz-Expires': expires,
      'X-Amz-SignedHeaders': 'host',
      'X-Amz-Signature': '0'.repeat(64),
    }).toString();
  const get = async (query: string) => {
    const res = await fetch(`${h.url}/presigned/doc?${query}`);
    return { status: res.status, body: await res.text() };
  };

  it('serves a live SigV4 or SigV2 link and refuses an expired one with 403 AccessDenied', async () => {
    const now = Date.now();
    expect(await get(sigV4(amzDate(now - 10_000), '60'))).toEqual({ status: 200, body: 'linked' });
    const v4 = await get(sigV4(amzDate(now - 120_000), '60'));
    expect(v4.status).toBe(403);
    expect(v4.body).toContain(
      '<Code>AccessDenied</Code><Message>Request has expired</Message><X-Amz-Expires>60</X-Amz-Expires>',
    );
    expect(v4.body).toContain(
      `<Expires>${new Date(Math.floor((now - 60_000) / 1000) * 1000).toISOString().replace('.000Z', 'Z')}</Expires>`,
    );

    const v2 = (expires: number) => `AWSAccessKeyId=AKIDMSFLOCAL&Signature=x&Expires=${expires}`;
    expect(await get(v2(Math.floor(now / 1000) + 60))).toEqual({ status: 200, body: 'linked' });
    const late = await get(v2(Math.floor(now / 1000) - 60));
    expect(late.status).toBe(403);
    expect(late.body).toContain('<Code>AccessDenied</Code><Message>Request has expired</Message><Expires>');
  });

  it('refuses X-Amz-Expires over a week, not a number or negative, and a malformed X-Amz-Date', async () => {
    const date = amzDate(Date.now());
    const cases: [string, string][] = [
      [sigV4(date, '604801'), 'X-Amz-Expires must be less than a week (in seconds) that is 604800'],
      [sigV4(date, 'soon'), 'X-Amz-Expires should be a number'],
      [sigV4(date, '-1'), 'X-Amz-Expires must be non-negative'],
      [sigV4('2026-01-01', '60'), `X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`],
    ];
    for (const [query, message] of cases) {
      const res = await get(query);
      expect(res.status).toBe(400);
      expect(res.body).toContain(
        `<Code>AuthorizationQueryParametersError</Code><Message>${message.replace(/"/g, '&quot;').replace(/'/g, '&apos;')}</Message>`,
      );
    }
    expect((await get(sigV4(date, '604800'))).status).toBe(200);
  });
});
