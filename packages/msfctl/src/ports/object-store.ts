/**
 * The storage primitive both state backends implement: small objects with conditional writes, the way S3
 * does them (If-None-Match: * to create, If-Match: <revision> to replace or delete). The ledger and the lock
 * are built on top of it once (state/ledger-store.ts, state/lock.ts), so local and S3 behave the same.
 */

export interface StoredObject {
  body: string;
  /** Opaque: changes with every write (an ETag on S3, a content hash locally). */
  revision: string;
}

export type WriteCondition = { ifNoneMatch: true } | { ifMatch: string };

/** A conditional write or delete whose condition did not hold. */
export class PreconditionFailed extends Error {
  override readonly name = 'PreconditionFailed';
  constructor(key: string) {
    super(`precondition failed for ${key}`);
  }
  static is(error: unknown): error is PreconditionFailed {
    return (
      typeof error === 'object' &&
      error !== null &&
      (error as { name?: unknown }).name === 'PreconditionFailed'
    );
  }
}

export interface ObjectStore {
  /** Where the objects live, for messages: a directory or s3://bucket/prefix. */
  readonly location: string;
  get(key: string): Promise<StoredObject | undefined>;
  /** Writes atomically; throws PreconditionFailed when the condition does not hold. Returns the new revision. */
  put(key: string, body: string, condition?: WriteCondition): Promise<string>;
  /** Deletes if the revision matches (or unconditionally); throws PreconditionFailed otherwise. */
  delete(key: string, ifMatch?: string): Promise<void>;
}
