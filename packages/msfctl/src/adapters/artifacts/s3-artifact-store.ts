/** The ArtifactStore port over S3 (AWS or msf-local): Maven builds and digests here, uploads and downloads there. */
import type { S3Client } from '@aws-sdk/client-s3';
import type { ArtifactStore } from '../../ports/artifacts.js';
import { jarFromS3, msfctlCacheDir } from './jar-cache.js';
import { resolveArtifact } from './resolve.js';
import { objectExists, uploadArtifact } from './upload.js';

export function s3ArtifactStore(s3: () => S3Client, cacheDir = msfctlCacheDir()): ArtifactStore {
  return {
    resolve: (spec, host, options) => resolveArtifact(spec, host, options),
    upload: (artifact, host, options) => uploadArtifact(s3(), artifact, host, options),
    exists: (location) => objectExists(s3(), location.bucket, location.key, location.objectVersion),
    fetchJar: (location, options) => jarFromS3(s3(), location, { cacheDir, ...options }),
  };
}
