/**
 * JARs the preflight inspects, on local disk: a built or given JAR is used where it is; a JAR in S3 (the one
 * the application runs, or code.s3) is downloaded once through the AWS SDK — the same call on AWS and on
 * msf-local — into a cache addressed by its SHA-256, so a known digest never downloads twice.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { translateAwsError } from '../aws/aws-errors.js';
import { describeCode, type CodeLocation } from '../../model/application.js';
import { MsfctlError } from '../../model/errors.js';

/** $MSFCTL_CACHE, else $XDG_CACHE_HOME/msfctl, else ~/.cache/msfctl. */
export function msfctlCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.MSFCTL_CACHE || path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'msfctl');
}

export interface CachedJar {
  path: string;
  sha256: string;
  /** False when the cache already had it. */
  downloaded: boolean;
}

export async function jarFromS3(
  s3: Pick<S3Client, 'send'>,
  location: CodeLocation,
  options: { cacheDir: string; sha256?: string },
): Promise<CachedJar> {
  const dir = path.join(options.cacheDir, 'jars');
  if (options.sha256) {
    const cached = path.join(dir, `${options.sha256}.jar`);
    if (existsSync(cached)) return { path: cached, sha256: options.sha256, downloaded: false };
  }
  await mkdir(dir, { recursive: true });
  const temp = path.join(dir, `.download-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    let body: unknown;
    try {
      const out = await s3.send(
        new GetObjectCommand({
          Bucket: location.bucket,
          Key: location.key,
          ...(location.objectVersion ? { VersionId: location.objectVersion } : {}),
        }),
      );
      body = out.Body;
    } catch (error) {
      throw translateAwsError(error, `GetObject ${describeCode(location)}`);
    }
    if (!(body instanceof Readable))
      throw new MsfctlError('ARTIFACT', `GetObject ${describeCode(location)} returned no readable body.`);
    const hash = createHash('sha256');
    body.on('data', (chunk: Buffer) => hash.update(chunk));
    await pipeline(body, createWriteStream(temp));
    const sha256 = hash.digest('hex');
    const file = path.join(dir, `${sha256}.jar`);
    await rename(temp, file);
    return { path: file, sha256, downloaded: true };
  } finally {
    await rm(temp, { force: true });
  }
}
