/**
 * Where a spec's code is in S3, found without side effects (no build, no upload): what a read-only view such
 * as the dashboard compares with the live application. code.s3 as is; code.jar by its digest (remembered per
 * file size and modification time, since a dashboard asks every few seconds); code.maven: only a build can
 * tell, so undefined.
 */
import { stat } from 'node:fs/promises';
import type { CodeLocation } from '../../model/application.js';
import type { ApplicationSpec } from '../../spec/schema.js';
import { artifactKey, fileDigest } from './digest.js';

export function codeLocator(): (spec: ApplicationSpec) => Promise<CodeLocation | undefined> {
  const digests = new Map<string, { stamp: string; sha256: string }>();
  return async (spec) => {
    const code = spec.code;
    if (code.s3) {
      return {
        bucket: code.s3.bucket,
        key: code.s3.key,
        ...(code.s3.objectVersion ? { objectVersion: code.s3.objectVersion } : {}),
      };
    }
    if (!code.jar || !spec.artifacts) return undefined;
    const info = await stat(code.jar).catch(() => undefined);
    if (!info) return undefined;
    const stamp = `${info.size}:${info.mtimeMs}`;
    let known = digests.get(code.jar);
    if (known?.stamp !== stamp) {
      known = { stamp, sha256: (await fileDigest(code.jar)).sha256 };
      digests.set(code.jar, known);
    }
    return { bucket: spec.artifacts.bucket, key: artifactKey(spec.artifacts.prefix, known.sha256) };
  };
}
