/**
 * What an MSF API call is checked against before the control plane changes anything: the version guard, tag and
 * scale limits, the code it names, and how a start or update restores. Pure but for the code check (S3, disk).
 */
import { createHash } from 'node:crypto';
import type { ApplicationStore } from './application-store.js';
import type { CodeSource } from './code-source.js';
import { allocatedKpus, type CodeInput } from './configuration.js';
import {
  codeValidation,
  concurrentModification,
  invalidArgument,
  limitExceeded,
  tooManyTags,
} from './errors.js';
import {
  currentVersion,
  type Application,
  type ApplicationConfig,
  type CodeLocation,
  type RestoreType,
  type RunConfig,
} from './model.js';
import { checkCustomRestoreReference } from './snapshots/mode-rules.js';

const MAX_USER_TAGS = 50;

export interface RunInput {
  restoreType?: RestoreType;
  snapshotName?: string;
  snapshotArn?: string;
  allowNonRestoredState?: boolean;
}

/** Optimistic concurrency: at least one of them, and every one given must match. */
export interface VersionGuard {
  currentApplicationVersionId?: number;
  conditionalToken?: string;
}

export interface ScaleLimits {
  /** KPUs per application (MSF default quota: 64). */
  kpuLimit?: number;
  /** Parallelism per application (MSF default maximum: 256). */
  parallelismLimit?: number;
}

export function checkGuard(app: Application, guard: VersionGuard, required: boolean): void {
  const version = currentVersion(app);
  if (guard.currentApplicationVersionId === undefined && guard.conditionalToken === undefined) {
    if (required) {
      throw invalidArgument('Either CurrentApplicationVersionId or ConditionalToken must be provided.');
    }
    return;
  }
  if (guard.currentApplicationVersionId !== undefined && guard.currentApplicationVersionId !== version.id) {
    throw concurrentModification(
      `The current application version of ${app.name} is ${version.id}, not ` +
        `${guard.currentApplicationVersionId}. Describe the application and retry with its current version.`,
    );
  }
  if (guard.conditionalToken !== undefined && guard.conditionalToken !== version.conditionalToken) {
    throw concurrentModification(
      `The ConditionalToken of ${app.name} does not match its current version ${version.id}. Describe the ` +
        `application and retry with its current ConditionalToken.`,
    );
  }
}

export function checkTags(tags: { key: string; value: string }[]): void {
  if (tags.length > MAX_USER_TAGS) {
    throw tooManyTags(
      `Application can have at most ${MAX_USER_TAGS} user tags; the request would give it ${tags.length}.`,
    );
  }
}

export function checkScale(config: ApplicationConfig, limits: ScaleLimits): void {
  const p = config.parallelism;
  if (p.perKpu > 8) {
    throw invalidArgument(`ParallelismPerKPU ${p.perKpu} is above the maximum of 8.`);
  }
  const parallelismLimit = limits.parallelismLimit ?? 256;
  if (p.parallelism > parallelismLimit) {
    throw limitExceeded(`Parallelism ${p.parallelism} is above the maximum of ${parallelismLimit}.`);
  }
  const kpus = allocatedKpus(p);
  const kpuLimit = limits.kpuLimit ?? 64;
  if (kpus > kpuLimit) {
    throw limitExceeded(
      `Parallelism ${p.parallelism} with ParallelismPerKPU ${p.perKpu} needs ${kpus} KPUs, above the ` +
        `limit of ${kpuLimit} KPUs per application.`,
    );
  }
}

/** Validates code input and turns it into the stored code configuration. */
export async function codeConfig(
  input: CodeInput | undefined,
  previous: ApplicationConfig['code'],
  runtime: string,
  where: { store: ApplicationStore; code: CodeSource },
): Promise<ApplicationConfig['code']> {
  if (!input) return previous;
  const contentType = input.contentType ?? previous?.contentType ?? 'ZIPFILE';
  if (contentType === 'PLAINTEXT' || input.text !== undefined) {
    throw codeValidation(
      `Code content type PLAINTEXT (TextContent) is for SQL applications; ${runtime} applications take a ` +
        `ZIPFILE (a JAR or zip in S3, or ZipFileContent).`,
    );
  }
  if (input.zipContent) {
    const sha512 = createHash('sha512').update(input.zipContent).digest('hex');
    await where.store.storeCode(sha512, input.zipContent);
    return { contentType, zip: { sha512, size: input.zipContent.length } };
  }
  if (input.s3) {
    const location: CodeLocation = {
      bucketArn: input.s3.bucketArn ?? previous?.s3?.bucketArn ?? '',
      fileKey: input.s3.fileKey ?? previous?.s3?.fileKey ?? '',
      ...(input.s3.objectVersion !== undefined ? { objectVersion: input.s3.objectVersion } : {}),
    };
    if (!location.bucketArn || !location.fileKey) {
      throw invalidArgument('S3ContentLocation needs both BucketARN and FileKey.');
    }
    if (!(await where.code.exists(location))) {
      throw invalidArgument(
        `Please check the role provided or validity of S3 location you provided. We are unable to get the ` +
          `specified fileKey: ${location.fileKey} in the specified bucket: ${bucketName(location.bucketArn)}`,
      );
    }
    return { contentType, s3: location };
  }
  if (previous) return { ...previous, contentType };
  throw invalidArgument('ApplicationCodeConfiguration needs CodeContent for a ZIPFILE application.');
}

export function runConfigFrom(
  run: RunInput,
  app: Application,
  forStart: boolean,
  enhanced: boolean,
): RunConfig {
  const restoreType =
    run.restoreType ??
    (forStart
      ? 'RESTORE_FROM_LATEST_SNAPSHOT'
      : (app.runConfig?.restoreType ?? 'RESTORE_FROM_LATEST_SNAPSHOT'));
  const custom = restoreType === 'RESTORE_FROM_CUSTOM_SNAPSHOT';
  if (custom) checkCustomRestoreReference(app.name, run, enhanced);
  return {
    restoreType,
    ...(custom && run.snapshotName !== undefined ? { snapshotName: run.snapshotName } : {}),
    ...(custom && run.snapshotArn !== undefined ? { snapshotArn: run.snapshotArn } : {}),
    allowNonRestoredState: run.allowNonRestoredState ?? false,
  };
}

/** An update that does not say how to restore keeps the restore type and resets AllowNonRestoredState. */
export function defaultRestartRun(app: Application): RunConfig {
  const restoreType = app.runConfig?.restoreType ?? 'RESTORE_FROM_LATEST_SNAPSHOT';
  return {
    restoreType:
      restoreType === 'RESTORE_FROM_CUSTOM_SNAPSHOT' ? 'RESTORE_FROM_LATEST_SNAPSHOT' : restoreType,
    allowNonRestoredState: false,
  };
}

function bucketName(bucketArn: string): string {
  return bucketArn.replace(/^arn:[^:]*:s3:::/, '');
}
