/** Multipart uploads through the real @aws-sdk/client-s3 against a real EdgeServer on loopback. */
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3, type S3Harness } from './harness.js';
import { expectS3Error } from './s3-errors.js';

const MiB = 1024 * 1024;
let h: S3Harness;
let s3: S3Client;
beforeAll(async () => {
  h = await startS3();
  s3 = h.client;
  await s3.send(new CreateBucketCommand({ Bucket: 'mpu' }));
});
afterAll(async () => {
  await h.dispose();
});

const md5 = (data: Buffer) => createHash('md5').update(data).digest();
/** S3's multipart ETag: MD5 of the concatenated binary part MD5s, then -N. */
const multipartEtag = (parts: Buffer[]) =>
  `"${createHash('md5')
    .update(Buffer.concat(parts.map(md5)))
    .digest('hex')}-${parts.length}"`;

function crc32Base64(data: Buffer): string {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(zlib.crc32(data));
  return out.toString('base64');
}

function filled(size: number, seed: number): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i += 4096) b.writeUInt32BE((i * 2654435761 + seed) >>> 0, i);
  return b;
}

async function start(key: string, extra: Record<string, unknown> = {}): Promise<string> {
  const out = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'mpu', Key: key, ...extra }));
  expect(out.UploadId).toMatch(/^[A-Za-z0-9_-]{40,}$/);
  return out.UploadId!;
}

async function part(key: string, uploadId: string, partNumber: number, body: Buffer): Promise<string> {
  const out = await s3.send(
    new UploadPartCommand({
      Bucket: 'mpu',
      Key: key,
      UploadId: uploadId,
      PartNumber: partNumber,
      Body: body,
    }),
  );
  expect(out.ETag).toBe(`"${md5(body).toString('hex')}"`);
  return out.ETag!;
}

describe('multipart upload', () => {
  it('uploads, lists and completes parts into one object with the md5-of-md5s ETag', async () => {
    const key = 'big/app.jar';
    const uploadId = await start(key, {
      ContentType: 'application/java-archive',
      Metadata: { digest: 'abc' },
    });
    const parts = [filled(5 * MiB, 1), filled(5 * MiB, 2), filled(123_457, 3)];
    // Upload out of order, and part 2 twice: the last upload of a part number wins.
    const etag3 = await part(key, uploadId, 3, parts[2]!);
    await part(key, uploadId, 2, filled(5 * MiB, 99));
    const etag2 = await part(key, uploadId, 2, parts[1]!);
    const etag1 = await part(key, uploadId, 1, parts[0]!);

    const listed = await s3.send(new ListPartsCommand({ Bucket: 'mpu', Key: key, UploadId: uploadId }));
    expect(listed.Parts?.map((p) => [p.PartNumber, p.Size, p.ETag])).toEqual([
      [1, 5 * MiB, etag1],
      [2, 5 * MiB, etag2],
      [3, 123_457, etag3],
    ]);
    const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'mpu' }));
    expect(uploads.Uploads?.map((u) => [u.Key, u.UploadId])).toContainEqual([key, uploadId]);

    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'mpu',
        Key: key,
        UploadId: uploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: etag1 },
            { PartNumber: 2, ETag: etag2 },
            { PartNumber: 3, ETag: etag3 },
          ],
        },
      }),
    );
    expect(done.ETag).toBe(multipartEtag(parts));
    expect(done.Key).toBe(key);
    expect(done.Bucket).toBe('mpu');

    const got = await s3.send(new GetObjectCommand({ Bucket: 'mpu', Key: key }));
    expect(got.ContentType).toBe('application/java-archive');
    expect(got.Metadata).toEqual({ digest: 'abc' });
    expect(got.ContentLength).toBe(10 * MiB + 123_457);
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(Buffer.concat(parts))).toBe(true);

    // partNumber GET/HEAD address one part of a multipart object.
    const second = await s3.send(new HeadObjectCommand({ Bucket: 'mpu', Key: key, PartNumber: 2 }));
    expect(second.ContentLength).toBe(5 * MiB);
    expect(second.PartsCount).toBe(3);
    // The upload is gone once completed.
    await expectS3Error(
      s3.send(new ListPartsCommand({ Bucket: 'mpu', Key: key, UploadId: uploadId })),
      'NoSuchUpload',
      404,
    );
  });

  it('refuses bad part lists: InvalidPart, InvalidPartOrder, EntityTooSmall, MalformedXML', async () => {
    const key = 'bad-parts';
    const uploadId = await start(key);
    const small1 = await part(key, uploadId, 1, Buffer.from('tiny one'));
    const small2 = await part(key, uploadId, 2, Buffer.from('tiny two'));
    const complete = (parts: { PartNumber: number; ETag: string }[]) =>
      s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: 'mpu',
          Key: key,
          UploadId: uploadId,
          MultipartUpload: { Parts: parts },
        }),
      );

    const wrongEtag = await expectS3Error(complete([{ PartNumber: 1, ETag: '"0123"' }]), 'InvalidPart', 400);
    expect(wrongEtag.error.PartNumber).toBe('1');
    await expectS3Error(complete([{ PartNumber: 7, ETag: small1 }]), 'InvalidPart', 400);
    await expectS3Error(
      complete([
        { PartNumber: 2, ETag: small2 },
        { PartNumber: 1, ETag: small1 },
      ]),
      'InvalidPartOrder',
      400,
    );
    const tooSmall = await expectS3Error(
      complete([
        { PartNumber: 1, ETag: small1 },
        { PartNumber: 2, ETag: small2 },
      ]),
      'EntityTooSmall',
      400,
    );
    expect(tooSmall.error.MinSizeAllowed).toBe(String(5 * MiB));
    await expectS3Error(complete([]), 'MalformedXML', 400);
    // A single small part is a valid upload (only non-last parts have a minimum).
    const done = await complete([{ PartNumber: 1, ETag: small1 }]);
    expect(done.ETag).toBe(multipartEtag([Buffer.from('tiny one')]));
  });

  it('answers NoSuchUpload after an abort, for unknown ids and for the wrong key', async () => {
    const key = 'aborted';
    const uploadId = await start(key);
    await part(key, uploadId, 1, Buffer.from('x'));
    await expectS3Error(
      s3.send(
        new UploadPartCommand({
          Bucket: 'mpu',
          Key: 'other-key',
          UploadId: uploadId,
          PartNumber: 2,
          Body: 'y',
        }),
      ),
      'NoSuchUpload',
      404,
    );
    const aborted = await s3.send(
      new AbortMultipartUploadCommand({ Bucket: 'mpu', Key: key, UploadId: uploadId }),
    );
    expect(aborted.$metadata.httpStatusCode).toBe(204);
    const e = await expectS3Error(
      s3.send(
        new UploadPartCommand({ Bucket: 'mpu', Key: key, UploadId: uploadId, PartNumber: 2, Body: 'y' }),
      ),
      'NoSuchUpload',
      404,
    );
    expect(e.error.UploadId).toBe(uploadId);
    await expectS3Error(
      s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: 'mpu',
          Key: key,
          UploadId: uploadId,
          MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"x"' }] },
        }),
      ),
      'NoSuchUpload',
      404,
    );
    await expectS3Error(
      s3.send(new AbortMultipartUploadCommand({ Bucket: 'mpu', Key: key, UploadId: '../../etc' })),
      'NoSuchUpload',
      404,
    );
    await expectS3Error(s3.send(new HeadObjectCommand({ Bucket: 'mpu', Key: key })), 'NotFound', 404);
  });

  it('refuses part numbers outside 1..10000', async () => {
    const uploadId = await start('part-numbers');
    for (const n of [0, 10001]) {
      await expectS3Error(
        s3.send(
          new UploadPartCommand({
            Bucket: 'mpu',
            Key: 'part-numbers',
            UploadId: uploadId,
            PartNumber: n,
            Body: 'x',
          }),
        ),
        'InvalidArgument',
        400,
      );
    }
  });

  it('CompleteMultipartUpload honours If-None-Match: * and If-Match', async () => {
    const key = 'cond-mp';
    await s3.send(new PutObjectCommand({ Bucket: 'mpu', Key: key, Body: 'existing' }));
    const uploadId = await start(key);
    const etag = await part(key, uploadId, 1, Buffer.from('replacement'));
    const parts = { Parts: [{ PartNumber: 1, ETag: etag }] };
    const e = await expectS3Error(
      s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: 'mpu',
          Key: key,
          UploadId: uploadId,
          MultipartUpload: parts,
          IfNoneMatch: '*',
        }),
      ),
      'PreconditionFailed',
      412,
    );
    expect(e.error.Condition).toBe('If-None-Match');
    await expectS3Error(
      s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: 'mpu',
          Key: key,
          UploadId: uploadId,
          MultipartUpload: parts,
          IfMatch: '"stale"',
        }),
      ),
      'PreconditionFailed',
      412,
    );
    const current = await s3.send(new HeadObjectCommand({ Bucket: 'mpu', Key: key }));
    // The failed completes left the upload usable.
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'mpu',
        Key: key,
        UploadId: uploadId,
        MultipartUpload: parts,
        IfMatch: current.ETag,
      }),
    );
    const got = await s3.send(new GetObjectCommand({ Bucket: 'mpu', Key: key }));
    expect(await got.Body!.transformToString()).toBe('replacement');
  });

  it('verifies and combines flexible checksums (COMPOSITE) when the upload declares an algorithm', async () => {
    const key = 'checksummed';
    const uploadId = await start(key, { ChecksumAlgorithm: 'CRC32' });
    const p1 = filled(5 * MiB, 7);
    const p2 = Buffer.from('tail');
    const r1 = await s3.send(
      new UploadPartCommand({
        Bucket: 'mpu',
        Key: key,
        UploadId: uploadId,
        PartNumber: 1,
        Body: p1,
        ChecksumAlgorithm: 'CRC32',
      }),
    );
    const r2 = await s3.send(
      new UploadPartCommand({
        Bucket: 'mpu',
        Key: key,
        UploadId: uploadId,
        PartNumber: 2,
        Body: p2,
        ChecksumAlgorithm: 'CRC32',
      }),
    );
    expect(r1.ChecksumCRC32).toBeDefined();
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'mpu',
        Key: key,
        UploadId: uploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: r1.ETag, ChecksumCRC32: r1.ChecksumCRC32 },
            { PartNumber: 2, ETag: r2.ETag, ChecksumCRC32: r2.ChecksumCRC32 },
          ],
        },
      }),
    );
    const raw = Buffer.concat([r1.ChecksumCRC32!, r2.ChecksumCRC32!].map((c) => Buffer.from(c, 'base64')));
    const composite = Buffer.alloc(4);
    composite.writeUInt32BE(zlib.crc32(raw));
    expect(r1.ChecksumCRC32).toBe(crc32Base64(p1));
    expect(done.ChecksumCRC32).toBe(`${composite.toString('base64')}-2`);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'mpu', Key: key, ChecksumMode: 'ENABLED' }));
    expect(got.ChecksumCRC32).toBe(done.ChecksumCRC32);
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(Buffer.concat([p1, p2]))).toBe(true);
  });

  it('CRC64NVME uploads are FULL_OBJECT by default: the checksum of the whole object, as S3 computes it', async () => {
    const key = 'crc64-full';
    const created = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: 'mpu', Key: key, ChecksumAlgorithm: 'CRC64NVME' }),
    );
    expect(created.ChecksumType).toBe('FULL_OBJECT');
    const bodies = [filled(5 * MiB, 21), Buffer.from('the last part')];
    const parts = [];
    for (const [i, body] of bodies.entries()) {
      const out = await s3.send(
        new UploadPartCommand({
          Bucket: 'mpu',
          Key: key,
          UploadId: created.UploadId,
          PartNumber: i + 1,
          Body: body,
          ChecksumAlgorithm: 'CRC64NVME',
        }),
      );
      parts.push({ PartNumber: i + 1, ETag: out.ETag, ChecksumCRC64NVME: out.ChecksumCRC64NVME });
    }
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'mpu',
        Key: key,
        UploadId: created.UploadId,
        MultipartUpload: { Parts: parts },
      }),
    );
    // The same bytes in one PutObject: the SDK computes the CRC64NVME itself and the server checks it.
    const whole = await s3.send(
      new PutObjectCommand({
        Bucket: 'mpu',
        Key: `${key}-single`,
        Body: Buffer.concat(bodies),
        ChecksumAlgorithm: 'CRC64NVME',
      }),
    );
    expect(whole.ChecksumCRC64NVME).toMatch(/^[A-Za-z0-9+/]{11}=$/);
    expect(done).toMatchObject({ ChecksumType: 'FULL_OBJECT', ChecksumCRC64NVME: whole.ChecksumCRC64NVME });
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'mpu', Key: key, ChecksumMode: 'ENABLED' }));
    expect(head).toMatchObject({ ChecksumType: 'FULL_OBJECT', ChecksumCRC64NVME: whole.ChecksumCRC64NVME });
  });

  it('refuses checksum types an algorithm does not have, and a type without an algorithm (InvalidRequest)', async () => {
    const refused = [
      [
        { ChecksumAlgorithm: 'CRC64NVME', ChecksumType: 'COMPOSITE' },
        /COMPOSITE checksum type cannot be used with the crc64nvme/,
      ],
      [
        { ChecksumAlgorithm: 'SHA256', ChecksumType: 'FULL_OBJECT' },
        /FULL_OBJECT checksum type cannot be used with the sha256/,
      ],
      [
        { ChecksumType: 'FULL_OBJECT' },
        /x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm/,
      ],
    ] as const;
    for (const [extra, message] of refused) {
      const e = await expectS3Error(
        s3.send(new CreateMultipartUploadCommand({ Bucket: 'mpu', Key: 'refused', ...extra })),
        'InvalidRequest',
        400,
      );
      expect(e.message).toMatch(message);
    }
    const crc32Full = await s3.send(
      new CreateMultipartUploadCommand({
        Bucket: 'mpu',
        Key: 'crc32-full',
        ChecksumAlgorithm: 'CRC32',
        ChecksumType: 'FULL_OBJECT',
      }),
    );
    expect(crc32Full.ChecksumType).toBe('FULL_OBJECT');
    const sha = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: 'mpu', Key: 'sha-default', ChecksumAlgorithm: 'SHA256' }),
    );
    expect(sha.ChecksumType).toBe('COMPOSITE');
  });

  it('UploadPartCopy builds parts from ranges of existing objects', async () => {
    const source = filled(6 * MiB, 11);
    await s3.send(new PutObjectCommand({ Bucket: 'mpu', Key: 'copy-source', Body: source }));
    const key = 'copy-target';
    const uploadId = await start(key);
    const c1 = await s3.send(
      new UploadPartCopyCommand({
        Bucket: 'mpu',
        Key: key,
        UploadId: uploadId,
        PartNumber: 1,
        CopySource: 'mpu/copy-source',
        CopySourceRange: `bytes=0-${5 * MiB - 1}`,
      }),
    );
    const c2 = await s3.send(
      new UploadPartCopyCommand({
        Bucket: 'mpu',
        Key: key,
        UploadId: uploadId,
        PartNumber: 2,
        CopySource: 'mpu/copy-source',
        CopySourceRange: `bytes=${5 * MiB}-${6 * MiB - 1}`,
      }),
    );
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'mpu',
        Key: key,
        UploadId: uploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: c1.CopyPartResult!.ETag },
            { PartNumber: 2, ETag: c2.CopyPartResult!.ETag },
          ],
        },
      }),
    );
    const got = await s3.send(new GetObjectCommand({ Bucket: 'mpu', Key: key }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(source)).toBe(true);
  });
});
