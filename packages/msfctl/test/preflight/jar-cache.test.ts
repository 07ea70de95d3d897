/** The deployed JAR, read from S3 by its recorded location once and kept under its SHA-256. */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { GetObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { jarFromS3, msfctlCacheDir } from '../../src/adapters/artifacts/jar-cache.js';

const BYTES = Buffer.from('PK\u0003\u0004 not really a jar, but bytes all the same');
const SHA = createHash('sha256').update(BYTES).digest('hex');

function s3(body: () => unknown = () => Readable.from([BYTES.subarray(0, 10), BYTES.subarray(10)])) {
  const requests: GetObjectCommand['input'][] = [];
  return {
    requests,
    async send(command: GetObjectCommand) {
      requests.push(command.input);
      if (command.input.Key === 'missing.jar')
        throw Object.assign(new Error('The specified key does not exist.'), {
          name: 'NoSuchKey',
          $metadata: { httpStatusCode: 404 },
        });
      return { Body: body() };
    },
  };
}

describe('jarFromS3', () => {
  it('downloads the object (at its version) into the cache under its SHA-256', async () => {
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'msfctl-jars-'));
    const client = s3();
    const jar = await jarFromS3(
      client as never,
      { bucket: 'b', key: 'app.jar', objectVersion: 'v7' },
      { cacheDir },
    );
    expect(jar).toEqual({ path: path.join(cacheDir, 'jars', `${SHA}.jar`), sha256: SHA, downloaded: true });
    expect(readFileSync(jar.path)).toEqual(BYTES);
    expect(client.requests).toEqual([{ Bucket: 'b', Key: 'app.jar', VersionId: 'v7' }]);
    expect(readdirSync(path.join(cacheDir, 'jars'))).toEqual([`${SHA}.jar`]);
  });

  it('a known digest already in the cache is not downloaded again', async () => {
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'msfctl-jars-'));
    await jarFromS3(s3() as never, { bucket: 'b', key: 'app.jar' }, { cacheDir });
    const client = s3();
    const again = await jarFromS3(
      client as never,
      { bucket: 'b', key: 'app.jar' },
      { cacheDir, sha256: SHA },
    );
    expect(again).toMatchObject({ sha256: SHA, downloaded: false });
    expect(client.requests).toEqual([]);
  });

  it('a missing object is an error naming its location, and leaves nothing behind', async () => {
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'msfctl-jars-'));
    await expect(jarFromS3(s3() as never, { bucket: 'b', key: 'missing.jar' }, { cacheDir })).rejects.toThrow(
      /GetObject s3:\/\/b\/missing.jar/,
    );
    expect(readdirSync(path.join(cacheDir, 'jars'))).toEqual([]);
  });

  it('lives under $MSFCTL_CACHE, else the XDG cache, else ~/.cache/msfctl', () => {
    expect(msfctlCacheDir({ MSFCTL_CACHE: '/c' })).toBe('/c');
    expect(msfctlCacheDir({ XDG_CACHE_HOME: '/x' })).toBe('/x/msfctl');
    expect(msfctlCacheDir({})).toMatch(/\.cache\/msfctl$/);
  });
});
