/** Opens the state backend a spec or flag names: a directory (default `.msfctl/`) or `s3://bucket/prefix`. */
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { LocalObjectStore } from './local-object-store.js';
import type { ObjectStore } from '../../ports/object-store.js';
import { parseS3Location, S3ObjectStore } from './s3-object-store.js';

export const DEFAULT_STATE_DIR = '.msfctl';

export function openStateStore(
  location: string | undefined,
  baseDir: string,
  s3: () => S3Client,
): ObjectStore {
  const where = location ?? DEFAULT_STATE_DIR;
  const s3Location = parseS3Location(where);
  if (s3Location) return new S3ObjectStore(s3(), s3Location.bucket, s3Location.prefix);
  return new LocalObjectStore(path.resolve(baseDir, where));
}
