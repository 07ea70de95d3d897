/**
 * Savepoint files in S3: downloading an exported savepoint to this machine (for the rehearsal) and removing a
 * scratch prefix afterwards. adapters/aws implements it over S3.
 */
import type { S3Prefix } from '../model/application.js';

export interface SavepointFiles {
  /** Copies every object under `from` into `toDir` (keys relative to the prefix); resolves with what it copied. */
  download(from: S3Prefix, toDir: string): Promise<{ files: number; bytes: number }>;
  /** Deletes every object under `prefix` (only those last written before `olderThan`, epoch ms); resolves with how many. */
  remove(prefix: S3Prefix, olderThan?: number): Promise<number>;
}
