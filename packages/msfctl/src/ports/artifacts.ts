/**
 * The application's JARs: resolving the one a spec names (built with Maven, or a file, or already in S3),
 * uploading it, and local copies of JARs in S3 for inspection. adapters/artifacts implements it over S3.
 */
import type { CodeLocation } from '../model/application.js';
import type { ArtifactRef } from '../model/plan.js';
import type { ApplicationSpec } from '../spec/schema.js';
import type { IoHost } from './io-host.js';

export interface ResolvedArtifact {
  code: CodeLocation;
  artifact: ArtifactRef;
}

export interface ResolveOptions {
  /** Build with Maven even when the sources and POM did not change since the last build (`--rebuild`). */
  rebuild?: boolean;
}

export interface CachedJar {
  path: string;
  sha256: string;
  /** False when the cache already had it. */
  downloaded: boolean;
}

export interface ArtifactStore {
  /** Builds (code.maven) or digests (code.jar) the spec's JAR and says where it goes in S3; code.s3 as is. */
  resolve(spec: ApplicationSpec, host: IoHost, options?: ResolveOptions): Promise<ResolvedArtifact>;
  /** Uploads the JAR unless that digest is there already; true when it uploaded. */
  upload(artifact: ArtifactRef, host: IoHost, options: { createBucket: boolean }): Promise<boolean>;
  exists(location: CodeLocation): Promise<boolean>;
  /** A local copy of a JAR in S3 (a cache by digest: a known digest never downloads twice). */
  fetchJar(location: CodeLocation, options: { sha256?: string }): Promise<CachedJar>;
}
