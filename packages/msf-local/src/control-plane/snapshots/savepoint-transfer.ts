/**
 * Savepoints between msf-local's disk and S3 (msf-local's own), as ExportSnapshot and ImportSnapshot move
 * them: one object per savepoint file under a prefix, keys relative to the savepoint directory.
 */
import path from 'node:path';
import { resolveInside } from '../../store/safe-path.js';
import { checkSavepointDir, METADATA_FILE, NotASavepoint, savepointFiles } from './savepoint-files.js';

/** S3 as the snapshot transfers need it (implemented over msf-local's S3 store). */
export interface SnapshotObjectStore {
  /** The bucket's region; undefined when there is no such bucket. */
  bucketRegion(bucketArn: string): string | undefined;
  /** Every object whose key starts with `prefix`. */
  list(bucketArn: string, prefix: string): Promise<{ key: string; size: number }[]>;
  download(bucketArn: string, key: string, file: string): Promise<void>;
  upload(bucketArn: string, key: string, file: string): Promise<void>;
}

/** A transfer that cannot complete; `code` goes to the operation's ErrorInfo.ErrorCode. */
export class TransferFailure extends Error {
  override readonly name = 'TransferFailure';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** `s3://bucket/key` for messages. */
export function s3Url(bucketArn: string, key: string): string {
  return `s3://${bucketArn.replace(/^arn:[^:]*:s3:::/, '')}/${key}`;
}

/**
 * Writes the savepoint in `dir` under `prefix`, `_metadata` last: a prefix without `_metadata` is never
 * mistaken for a savepoint, so an export cut short (a crash, a full disk) leaves nothing importable.
 */
export async function exportSavepoint(
  objects: SnapshotObjectStore,
  dir: string,
  bucketArn: string,
  prefix: string,
): Promise<void> {
  try {
    await checkSavepointDir(dir);
  } catch (error) {
    if (error instanceof NotASavepoint) throw new TransferFailure('InvalidSavepoint', error.message);
    throw error;
  }
  const files = await savepointFiles(dir);
  const ordered = [
    ...files.filter((f) => f.relative !== METADATA_FILE),
    ...files.filter((f) => f.relative === METADATA_FILE),
  ];
  for (const file of ordered) {
    await objects.upload(bucketArn, `${prefix}${file.relative}`, path.join(dir, ...file.relative.split('/')));
  }
}

/**
 * Copies the savepoint under `prefix` (a directory: `/` is appended when missing) into the empty directory
 * `into` and checks that it is one: `_metadata` present, with Flink's metadata header.
 */
export async function importSavepoint(
  objects: SnapshotObjectStore,
  bucketArn: string,
  prefix: string,
  into: string,
): Promise<void> {
  const dirPrefix = prefix.endsWith('/') ? prefix : `${prefix}/`;
  const listed = (await objects.list(bucketArn, dirPrefix)).filter((o) => !o.key.endsWith('/'));
  if (!listed.some((o) => o.key === `${dirPrefix}${METADATA_FILE}`)) {
    throw new TransferFailure(
      'InvalidSavepoint',
      `${s3Url(bucketArn, dirPrefix)} holds no Flink savepoint: there is no ${METADATA_FILE} object under ` +
        `the prefix (${listed.length} object${listed.length === 1 ? '' : 's'} found).`,
    );
  }
  for (const object of listed) {
    const relative = object.key.slice(dirPrefix.length);
    let file: string;
    try {
      file = resolveInside(into, ...relative.split('/'));
    } catch {
      throw new TransferFailure(
        'InvalidSavepoint',
        `${s3Url(bucketArn, object.key)} cannot be a file of a savepoint under ${s3Url(bucketArn, dirPrefix)}.`,
      );
    }
    await objects.download(bucketArn, object.key, file);
  }
  try {
    await checkSavepointDir(into);
  } catch (error) {
    if (error instanceof NotASavepoint) {
      throw new TransferFailure('InvalidSavepoint', `${s3Url(bucketArn, dirPrefix)}: ${error.message}`);
    }
    throw error;
  }
}
