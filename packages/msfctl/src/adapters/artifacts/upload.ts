/**
 * Uploads a JAR once: HeadObject on its content-digest key first, PutObject (with its SHA-256 checksum,
 * which S3 verifies) only when absent.
 */
import { createReadStream } from 'node:fs';
import {
  CreateBucketCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { translateAwsError } from '../aws/aws-errors.js';
import { MsfctlError } from '../../model/errors.js';
import type { IoHost } from '../../ports/io-host.js';
import { short, type ArtifactRef } from '../../model/plan.js';
import { fileDigest } from './digest.js';

function httpStatus(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

export async function objectExists(
  s3: S3Client,
  bucket: string,
  key: string,
  versionId?: string,
): Promise<boolean> {
  try {
    await s3.send(
      new HeadObjectCommand({ Bucket: bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) }),
    );
    return true;
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'NotFound' || name === 'NoSuchKey' || httpStatus(error) === 404) return false;
    throw translateAwsError(error, `HeadObject s3://${bucket}/${key}`);
  }
}

export interface UploadOptions {
  /** Create the bucket when it does not exist (local targets only: a laptop has no bucket yet). */
  createBucket?: boolean;
}

/** Returns true when the JAR was uploaded, false when it was already there. */
export async function uploadArtifact(
  s3: S3Client,
  artifact: ArtifactRef,
  host: IoHost,
  options: UploadOptions = {},
): Promise<boolean> {
  if (!artifact.localPath) return false;
  if (
    await objectExists(s3, artifact.bucket, artifact.key).catch((e: unknown) =>
      isNoSuchBucket(e) ? false : Promise.reject(e),
    )
  ) {
    host.notify({
      level: 'detail',
      code: 'MSF_ARTIFACT_I1001',
      text: `JAR ${short(artifact.sha256)} already in s3://${artifact.bucket}/${artifact.key}: not uploaded again`,
    });
    return false;
  }
  // The file must still be the one the plan was made with.
  const now = await fileDigest(artifact.localPath);
  if (artifact.sha256 && now.sha256 !== artifact.sha256) {
    throw new MsfctlError(
      'ARTIFACT',
      `${artifact.localPath} changed since the plan (sha256 ${short(now.sha256)}, plan has ${short(artifact.sha256)}).`,
      {
        hint: 'Run msfctl plan again.',
      },
    );
  }
  const progress = host.progress(
    `Uploading ${artifact.localPath} to s3://${artifact.bucket}/${artifact.key}`,
  );
  const put = () =>
    s3.send(
      new PutObjectCommand({
        Bucket: artifact.bucket,
        Key: artifact.key,
        Body: createReadStream(artifact.localPath!),
        ContentLength: now.size,
        ContentType: 'application/java-archive',
        ChecksumSHA256: Buffer.from(now.sha256, 'hex').toString('base64'),
      }),
    );
  try {
    if (options.createBucket && !(await bucketExists(s3, artifact.bucket))) {
      await s3.send(new CreateBucketCommand({ Bucket: artifact.bucket }));
      host.notify({ level: 'detail', code: 'MSF_ARTIFACT_I1002', text: `Created bucket ${artifact.bucket}` });
    }
    try {
      await put();
    } catch (error) {
      if (!isNoSuchBucket(error)) throw error;
      throw new MsfctlError('ARTIFACT', `Bucket ${artifact.bucket} does not exist.`, {
        hint: 'Create it, or set artifacts.bucket to an existing bucket.',
      });
    }
  } catch (error) {
    progress.done('Upload failed', false);
    throw MsfctlError.is(error)
      ? error
      : translateAwsError(error, `PutObject s3://${artifact.bucket}/${artifact.key}`);
  }
  progress.done(
    `Uploaded JAR ${short(now.sha256)} (${Math.round(now.size / 1024)} KiB) to s3://${artifact.bucket}/${artifact.key}`,
  );
  return true;
}

async function bucketExists(s3: S3Client, bucket: string): Promise<boolean> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return true;
  } catch (error) {
    if (httpStatus(error) === 404 || (error as { name?: string }).name === 'NotFound') return false;
    throw translateAwsError(error, `HeadBucket ${bucket}`);
  }
}

function isNoSuchBucket(error: unknown): boolean {
  return (error as { name?: string }).name === 'NoSuchBucket';
}
