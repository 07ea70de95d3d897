/** S3 persistence across restarts, crash safety under `kill -9`, and path-traversal safety. */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { S3Store } from '../../src/s3/backend/object-store.js';
import { startChildServer, type ChildServer } from './child-server.js';
import { makeDataDir, s3Client, startS3, type S3Harness } from './harness.js';
import { expectS3Error } from './s3-errors.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const md5hex = (data: Buffer | string) => createHash('md5').update(data).digest('hex');

async function readAll(s3: S3Client, bucket: string, key: string): Promise<Buffer> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

async function listAll(s3: S3Client, bucket: string): Promise<{ key: string; etag: string; size: number }[]> {
  const out: { key: string; etag: string; size: number }[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token, MaxKeys: 100 }),
    );
    for (const c of page.Contents ?? []) out.push({ key: c.Key!, etag: c.ETag!, size: c.Size! });
    token = page.NextContinuationToken;
  } while (token);
  return out;
}

/** Every file under `dir` (relative paths). */
async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(path.relative(dir, path.join(entry.parentPath, entry.name)));
  }
  return out;
}

describe('persistence', () => {
  it('keeps buckets, objects, metadata, tags, listings and in-progress uploads across a restart', async () => {
    let h: S3Harness = await startS3();
    cleanups.push(() => h.dispose());
    const s3 = h.client;
    await s3.send(new CreateBucketCommand({ Bucket: 'keep' }));
    const keys = Array.from({ length: 40 }, (_, i) => `dir${i % 3}/obj-${String(i).padStart(2, '0')}`);
    for (const key of keys) {
      await s3.send(
        new PutObjectCommand({
          Bucket: 'keep',
          Key: key,
          Body: `body of ${key}`,
          Metadata: { k: key.slice(-2) },
        }),
      );
    }
    await s3.send(
      new PutObjectCommand({
        Bucket: 'keep',
        Key: 'tagged',
        Body: 't',
        Tagging: 'a=b',
        ContentType: 'text/x-t',
      }),
    );
    const upload = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'keep', Key: 'later' }));
    const part = await s3.send(
      new UploadPartCommand({
        Bucket: 'keep',
        Key: 'later',
        UploadId: upload.UploadId,
        PartNumber: 1,
        Body: 'part one',
      }),
    );
    const before = await listAll(s3, 'keep');

    h = await h.restart();
    const s3b = h.client;
    expect(await listAll(s3b, 'keep')).toEqual(before);
    for (const key of keys) {
      expect((await readAll(s3b, 'keep', key)).toString()).toBe(`body of ${key}`);
      expect((await s3b.send(new HeadObjectCommand({ Bucket: 'keep', Key: key }))).Metadata).toEqual({
        k: key.slice(-2),
      });
    }
    expect((await s3b.send(new GetObjectTaggingCommand({ Bucket: 'keep', Key: 'tagged' }))).TagSet).toEqual([
      { Key: 'a', Value: 'b' },
    ]);
    expect((await s3b.send(new HeadObjectCommand({ Bucket: 'keep', Key: 'tagged' }))).ContentType).toBe(
      'text/x-t',
    );
    await expectS3Error(
      s3b.send(new PutObjectCommand({ Bucket: 'keep', Key: keys[0], Body: 'x', IfNoneMatch: '*' })),
      'PreconditionFailed',
      412,
    );
    await s3b.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'keep',
        Key: 'later',
        UploadId: upload.UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
      }),
    );
    expect((await readAll(s3b, 'keep', 'later')).toString()).toBe('part one');

    // And once more: the completed upload does not come back, the object does.
    h = await h.restart();
    expect((await readAll(h.client, 'keep', 'later')).toString()).toBe('part one');
    expect(h.store.listMultipartUploads('keep')).toEqual([]);
  });
});

describe('kill -9', () => {
  it('loses no acknowledged write and corrupts nothing when the server is killed mid-stream', async () => {
    const dataDir = await makeDataDir();
    cleanups.push(() => fs.rm(dataDir, { recursive: true, force: true }));
    const script = path.join(import.meta.dirname, 'fixtures', 's3-server-process.ts');
    const server: ChildServer = await startChildServer(script, [dataDir]);
    cleanups.push(() => server.kill9());
    const s3 = s3Client(server.url);
    cleanups.push(async () => s3.destroy());
    await s3.send(new CreateBucketCommand({ Bucket: 'crash' }));

    const acked = new Map<string, string>(); // key -> md5 of the acknowledged body
    const hotAttempted = new Map<number, string>(); // seq -> md5, for the one key everybody overwrites
    let hotLastAcked = -1;
    let stop = false;
    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const key = `w${w}/${i}`;
        const data = randomBytes(1_000 + ((w * 7919 + i * 104_729) % 300_000));
        try {
          await s3.send(new PutObjectCommand({ Bucket: 'crash', Key: key, Body: data }));
          acked.set(key, md5hex(data));
        } catch {
          return; // the server is gone
        }
      }
    };
    const hotWriter = async () => {
      for (let seq = 0; !stop; seq++) {
        const data = Buffer.from(`hot version ${seq} `.repeat(1 + (seq % 500)));
        hotAttempted.set(seq, md5hex(data));
        try {
          await s3.send(new PutObjectCommand({ Bucket: 'crash', Key: 'hot', Body: data }));
          hotLastAcked = seq;
        } catch {
          return;
        }
      }
    };
    const writers = [writer(0), writer(1), writer(2), hotWriter()];
    // Let writes flow, then kill the server while requests are in flight.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await server.kill9();
    stop = true;
    await Promise.all(writers);
    expect(acked.size).toBeGreaterThan(10);

    const h = await startS3(dataDir);
    cleanups.push(() => h.stop());
    for (const [key, digest] of acked) {
      const head = await h.client.send(new HeadObjectCommand({ Bucket: 'crash', Key: key }));
      expect(head.ETag).toBe(`"${digest}"`);
      expect(md5hex(await readAll(h.client, 'crash', key))).toBe(digest);
    }
    // Every object that exists is whole: its bytes match its ETag.
    const listed = await listAll(h.client, 'crash');
    for (const entry of listed) {
      const data = await readAll(h.client, 'crash', entry.key);
      expect(data.length).toBe(entry.size);
      expect(`"${md5hex(data)}"`).toBe(entry.etag);
    }
    // The hot key holds the last acknowledged version or one that was in flight, never a torn one.
    if (hotLastAcked >= 0) {
      const hot = md5hex(await readAll(h.client, 'crash', 'hot'));
      const possible = [...hotAttempted].filter(([seq]) => seq >= hotLastAcked).map(([, digest]) => digest);
      expect(possible).toContain(hot);
    }
    // Start-up collected temp files and unreferenced data files.
    const files = await walk(dataDir);
    expect(files.filter((f) => path.basename(f).startsWith('.tmp-'))).toEqual([]);
    const dataFiles = files.filter((f) => f.includes(`${path.sep}data${path.sep}`));
    expect(dataFiles.length).toBe(listed.length);
  });
});

describe('path safety', () => {
  it('stores keys that look like paths without ever writing outside the data directory', async () => {
    const parent = await makeDataDir('msf-s3-parent-');
    cleanups.push(() => fs.rm(parent, { recursive: true, force: true }));
    const dataDir = path.join(parent, 'data');
    const h = await startS3(dataDir);
    cleanups.push(() => h.stop());
    const s3 = h.client;
    await s3.send(new CreateBucketCommand({ Bucket: 'safety' }));
    // Through the SDK: keys the SDK sends unchanged.
    const sdkKeys = [
      '/etc/passwd',
      '//double//slash',
      'nul\u0000byte',
      '..\\..\\windows',
      '%2e%2e%2fencoded',
      '..x/..y',
    ];
    for (const key of sdkKeys)
      await s3.send(new PutObjectCommand({ Bucket: 'safety', Key: key, Body: `key=${key}` }));
    // Over raw HTTP: keys with real `..` segments, encoded so no URL normaliser can resolve them.
    // (A key that is exactly `..` cannot be sent: every URL parser, the edge server's too, resolves it.)
    const rawKeys = ['../../outside', '../../../../../../tmp/escape', '../', 'a/../..'];
    for (const key of rawKeys) {
      const res = await fetch(`${h.url}/safety/${encodeURIComponent(key)}`, {
        method: 'PUT',
        body: `key=${key}`,
      });
      expect(res.status).toBe(200);
      const back = await fetch(`${h.url}/safety/${encodeURIComponent(key)}`);
      expect(await back.text()).toBe(`key=${key}`);
    }
    // The in-process API takes any key too.
    await h.store.putObject('safety', '../../store-api', Buffer.from('x'));
    expect(h.store.headObject('safety', '../../store-api').size).toBe(1);

    const listed = (await listAll(s3, 'safety')).map((o) => o.key);
    expect(listed.sort()).toEqual([...sdkKeys, ...rawKeys, '../../store-api'].sort());
    for (const key of sdkKeys) expect((await readAll(s3, 'safety', key)).toString()).toBe(`key=${key}`);
    // Nothing but the data directory appeared next to it or above it.
    expect(await fs.readdir(parent)).toEqual(['data']);
    await expect(fs.access('/tmp/escape')).rejects.toThrow();
    // Bucket names are validated before they touch the disk.
    await expect(h.store.createBucket('../evil')).rejects.toThrow('The specified bucket is not valid.');
    const evil = await fetch(`${h.url}/${encodeURIComponent('../evil')}/x`, { method: 'PUT', body: 'x' });
    expect(evil.status).toBe(404);
    expect(await evil.text()).toContain('<Code>NoSuchBucket</Code>');
  });

  it('answers unsigned raw requests with S3 XML errors carrying Code, Message, Resource and RequestId', async () => {
    const h = await startS3();
    cleanups.push(() => h.dispose());
    const res = await fetch(`${h.url}/no-such-bucket/some/key`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/xml');
    const requestId = res.headers.get('x-amz-request-id');
    expect(requestId).toBeTruthy();
    expect(res.headers.get('x-amz-id-2')).toBeTruthy();
    const xml = await res.text();
    expect(xml).toContain('<Code>NoSuchBucket</Code>');
    expect(xml).toContain('<Message>The specified bucket does not exist</Message>');
    expect(xml).toContain('<BucketName>no-such-bucket</BucketName>');
    expect(xml).toContain('<Resource>/no-such-bucket/some/key</Resource>');
    expect(xml).toContain(`<RequestId>${requestId}</RequestId>`);
    const unsupported = await fetch(`${h.url}/no-such-bucket?policy`);
    expect(unsupported.status).toBe(501);
    expect(await unsupported.text()).toContain('<Code>NotImplemented</Code>');
  });
});

describe('in-process API (for the control plane)', () => {
  it('reads objects to a Buffer or a local file and maps missing ones to S3 errors', async () => {
    const dir = await makeDataDir();
    cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
    const store = await S3Store.open(dir);
    await store.createBucket('code');
    const jar = randomBytes(200_000);
    const put = await store.putObject('code', 'app/app.jar', jar);
    expect(store.headObject('code', 'app/app.jar')).toMatchObject({ size: jar.length, etag: put.etag });
    expect((await store.readObject('code', 'app/app.jar')).data.equals(jar)).toBe(true);
    const file = path.join(dir, 'out', 'app.jar');
    await store.downloadObject('code', 'app/app.jar', file);
    expect((await fs.readFile(file)).equals(jar)).toBe(true);
    expect(() => store.headObject('code', 'missing.jar')).toThrow('The specified key does not exist.');
    expect(() => store.headObject('nope', 'app/app.jar')).toThrow('The specified bucket does not exist');
    expect(() => store.headObject('code', 'app/app.jar', 'v123')).toThrow(
      'The specified version does not exist.',
    );
    expect(store.headObject('code', 'app/app.jar', 'null').size).toBe(jar.length);
  });
});
