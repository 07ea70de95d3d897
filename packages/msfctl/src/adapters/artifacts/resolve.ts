/**
 * Turns the spec's `code` into the S3 location the application runs from: `maven` builds the project,
 * `jar` takes a file, both are addressed by their SHA-256; `s3` is used as is.
 */
import { existsSync } from 'node:fs';
import type { CodeLocation } from '../../model/application.js';
import { MsfctlError } from '../../model/errors.js';
import type { IoHost } from '../../ports/io-host.js';
import type { ArtifactRef } from '../../model/plan.js';
import type { ApplicationSpec } from '../../spec/schema.js';
import { artifactKey, fileDigest } from './digest.js';
import { buildWithMaven } from './maven.js';
import { recordBuild, sourcesDigest, unchangedBuild } from './build-stamp.js';
import type { ResolveOptions } from '../../ports/artifacts.js';

export interface ResolvedArtifact {
  code: CodeLocation;
  artifact: ArtifactRef;
}

export async function resolveArtifact(
  spec: ApplicationSpec,
  host: IoHost,
  options: ResolveOptions = {},
): Promise<ResolvedArtifact> {
  const code = spec.code;
  if (code.s3) {
    const location: CodeLocation = {
      bucket: code.s3.bucket,
      key: code.s3.key,
      ...(code.s3.objectVersion ? { objectVersion: code.s3.objectVersion } : {}),
    };
    return { code: location, artifact: { bucket: location.bucket, key: location.key, source: 's3' } };
  }
  let jar: string;
  let source: 'maven' | 'jar';
  if (code.maven !== undefined) {
    const build = typeof code.maven === 'string' ? { dir: code.maven } : code.maven;
    const inputs = existsSync(build.dir) ? sourcesDigest(build.dir, build.args ?? []) : undefined;
    const reused = inputs && !options.rebuild ? await unchangedBuild(build.dir, inputs) : undefined;
    if (reused) {
      jar = reused;
      host.notify({
        level: 'info',
        code: 'MSF_BUILD_I1001',
        text: `Maven build skipped: the sources and POM of ${build.dir} are unchanged since ${jar} was built (--rebuild builds anyway).`,
      });
    } else {
      const progress = host.progress(`Building ${build.dir} with Maven`);
      try {
        jar = await buildWithMaven(build, progress);
      } catch (error) {
        progress.done('Maven build failed', false);
        throw error;
      }
      progress.done(`Built ${jar}`);
      if (inputs) await recordBuild(build.dir, inputs, jar);
    }
    source = 'maven';
  } else {
    jar = code.jar!;
    if (!existsSync(jar))
      throw new MsfctlError('ARTIFACT', `code.jar ${jar} does not exist.`, {
        hint: 'Build it first, or use code.maven to let msfctl build it.',
      });
    source = 'jar';
  }
  const artifacts = spec.artifacts!;
  const { sha256, size } = await fileDigest(jar);
  const key = artifactKey(artifacts.prefix, sha256);
  return {
    code: { bucket: artifacts.bucket, key },
    artifact: { sha256, size, bucket: artifacts.bucket, key, localPath: jar, source },
  };
}
