/** The Debian AWS CLI v2 (`/usr/bin/aws`, botocore's REST-XML S3 client) against msf-local's S3. */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli, awsCliJson, awsCliOk } from '../support/aws-cli.js';
import { startS3, type S3Harness } from './harness.js';

let h: S3Harness;
let work: string;
beforeAll(async () => {
  h = await startS3();
  work = await mkdtemp(path.join(os.tmpdir(), 'msf-cli-s3-'));
});
afterAll(async () => {
  await h.dispose();
  await rm(work, { recursive: true, force: true });
});

describe('aws s3 (Debian CLI v2)', () => {
  // Each CLI run costs about a second of Python start-up.
  it('mb, cp up (multipart over 8 MB) and down byte for byte, ls, rm, rb', { timeout: 120_000 }, async () => {
    const url = h.url;
    expect(await awsCliOk(url, ['s3', 'mb', 's3://cli-bucket'])).toContain('make_bucket: cli-bucket');

    const big = randomBytes(20 * 1024 * 1024 + 12_345);
    const small = Buffer.from('a small file\n');
    await writeFile(path.join(work, 'big.bin'), big);
    await writeFile(path.join(work, 'small.txt'), small);
    await awsCliOk(url, [
      's3',
      'cp',
      '--no-progress',
      path.join(work, 'big.bin'),
      's3://cli-bucket/jars/big.bin',
    ]);
    await awsCliOk(url, [
      's3',
      'cp',
      '--no-progress',
      path.join(work, 'small.txt'),
      's3://cli-bucket/small.txt',
    ]);

    // The CLI split the big file into parts: its ETag is the multipart form.
    const head = await awsCliJson<{ ETag: string; ContentLength: number }>(url, [
      's3api',
      'head-object',
      '--bucket',
      'cli-bucket',
      '--key',
      'jars/big.bin',
    ]);
    expect(head.ContentLength).toBe(big.length);
    expect(head.ETag).toMatch(/^"[0-9a-f]{32}-\d+"$/);

    await awsCliOk(url, [
      's3',
      'cp',
      '--no-progress',
      's3://cli-bucket/jars/big.bin',
      path.join(work, 'big.back'),
    ]);
    expect((await readFile(path.join(work, 'big.back'))).equals(big)).toBe(true);
    await awsCliOk(url, [
      's3',
      'cp',
      '--no-progress',
      's3://cli-bucket/small.txt',
      path.join(work, 'small.back'),
    ]);
    expect((await readFile(path.join(work, 'small.back'))).equals(small)).toBe(true);

    const buckets = await awsCliOk(url, ['s3', 'ls']);
    expect(buckets).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d cli-bucket/);
    const top = await awsCliOk(url, ['s3', 'ls', 's3://cli-bucket/']);
    expect(top).toMatch(/PRE jars\//);
    expect(top).toMatch(new RegExp(`\\s${small.length} small\\.txt`));
    const recursive = await awsCliOk(url, ['s3', 'ls', '--recursive', 's3://cli-bucket/']);
    expect(recursive).toMatch(new RegExp(`\\s${big.length} jars/big\\.bin`));

    const notEmpty = await awsCli(url, ['s3', 'rb', 's3://cli-bucket']);
    expect(notEmpty.code).not.toBe(0);
    expect(notEmpty.stderr).toContain('BucketNotEmpty');

    await awsCliOk(url, ['s3', 'rm', '--recursive', 's3://cli-bucket/']);
    expect((await awsCliOk(url, ['s3', 'ls', 's3://cli-bucket/'])).trim()).toBe('');
    expect(await awsCliOk(url, ['s3', 'rb', 's3://cli-bucket'])).toContain('remove_bucket: cli-bucket');
  });

  it(
    's3api get-object with a range, a missing key, and list-objects-v2 pagination',
    { timeout: 120_000 },
    async () => {
      const url = h.url;
      await awsCliOk(url, ['s3', 'mb', 's3://cli-api']);
      const dir = path.join(work, 'many');
      await mkdir(dir);
      for (let i = 0; i < 7; i++) await writeFile(path.join(dir, `k${i}`), '0123456789');
      await awsCliOk(url, ['s3', 'cp', '--no-progress', '--recursive', dir, 's3://cli-api/']);
      const ranged = await awsCliJson<{ ContentRange: string }>(url, [
        's3api',
        'get-object',
        '--bucket',
        'cli-api',
        '--key',
        'k0',
        '--range',
        'bytes=2-4',
        path.join(work, 'range.out'),
      ]);
      expect(ranged.ContentRange).toBe('bytes 2-4/10');
      expect(await readFile(path.join(work, 'range.out'), 'utf8')).toBe('234');

      const missing = await awsCli(url, [
        's3api',
        'get-object',
        '--bucket',
        'cli-api',
        '--key',
        'nope',
        path.join(work, 'x'),
      ]);
      expect(missing.code).not.toBe(0);
      expect(missing.stderr).toContain('NoSuchKey');

      // The CLI follows NextContinuationToken itself with a small page size.
      const all = await awsCliJson<{ Contents: { Key: string }[] }>(url, [
        's3api',
        'list-objects-v2',
        '--bucket',
        'cli-api',
        '--page-size',
        '2',
      ]);
      expect(all.Contents.map((c) => c.Key)).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6']);
    },
  );

  it('s3 presign: the URL serves the object until it expires, then S3\'s 403 "Request has expired"', async () => {
    const url = h.url;
    await awsCliOk(url, ['s3', 'mb', 's3://cli-presign']);
    await writeFile(path.join(work, 'presigned.txt'), 'shared by link');
    await awsCliOk(url, [
      's3',
      'cp',
      '--no-progress',
      path.join(work, 'presigned.txt'),
      's3://cli-presign/doc',
    ]);

    const lasting = (
      await awsCliOk(url, ['s3', 'presign', 's3://cli-presign/doc', '--expires-in', '600'])
    ).trim();
    expect(lasting).toContain('X-Amz-Expires=600');
    const ok = await fetch(lasting);
    expect({ status: ok.status, body: await ok.text() }).toEqual({ status: 200, body: 'shared by link' });

    const brief = (
      await awsCliOk(url, ['s3', 'presign', 's3://cli-presign/doc', '--expires-in', '1'])
    ).trim();
    await new Promise((r) => setTimeout(r, 2_500));
    const late = await fetch(brief);
    const body = await late.text();
    expect(late.status).toBe(403);
    expect(body).toContain(
      '<Code>AccessDenied</Code><Message>Request has expired</Message><X-Amz-Expires>1</X-Amz-Expires>',
    );
    expect(body).toMatch(/<Expires>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<\/Expires><ServerTime>/);
  }, 60_000);
});
