/**
 * The artifacts port for unit tests: JARs resolved as the real adapter resolves them (code.s3 as is, no I/O),
 * an S3 that has every object, no uploads, and no downloads (a test that inspects JARs passes its own).
 */
import { resolveArtifact } from '../../src/adapters/artifacts/resolve.js';
import type { ApplyInput, ApplyResult } from '../../src/controller/apply.js';
import { apply } from '../../src/controller/apply.js';
import type { RunContext } from '../../src/controller/context.js';
import type { ArtifactStore } from '../../src/ports/artifacts.js';

export function fakeArtifacts(overrides: Partial<ArtifactStore> = {}): ArtifactStore & { uploads: string[] } {
  const uploads: string[] = [];
  return {
    uploads,
    resolve: (spec, host) => resolveArtifact(spec, host),
    upload: async (artifact) => {
      uploads.push(`${artifact.bucket}/${artifact.key}`);
      return true;
    },
    exists: async () => true,
    fetchJar: async (location) => {
      throw new Error(`no JAR download in this test (s3://${location.bucket}/${location.key})`);
    },
    ...overrides,
  };
}

/** apply with its context and its input given as one object (their fields do not overlap). */
export function applyWith(all: RunContext & ApplyInput): Promise<ApplyResult> {
  return apply(all, all);
}
