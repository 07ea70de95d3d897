/**
 * ObjectStore on a local directory (default `.msfctl/`). Writes are atomic (temp file + rename, or + link for
 * create-only). Compare-and-swap is read-compare-rename: not atomic against a second writer in the same
 * instant. That window only matters when two processes take over the same expired lock at once; ledger
 * writes always happen under the lock.
 */
import { createHash } from 'node:crypto';
import { readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { createFileExclusive, writeFileAtomic } from './atomic-file.js';
import {
  PreconditionFailed,
  type ObjectStore,
  type StoredObject,
  type WriteCondition,
} from '../../ports/object-store.js';

function revisionOf(body: string): string {
  return createHash('sha256').update(body).digest('hex').slice(0, 32);
}

export class LocalObjectStore implements ObjectStore {
  constructor(readonly location: string) {}

  private file(key: string): string {
    const resolved = path.resolve(this.location, key);
    if (!resolved.startsWith(path.resolve(this.location) + path.sep))
      throw new Error(`invalid state key ${key}`);
    return resolved;
  }

  async get(key: string): Promise<StoredObject | undefined> {
    try {
      const body = await readFile(this.file(key), 'utf8');
      return { body, revision: revisionOf(body) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async put(key: string, body: string, condition?: WriteCondition): Promise<string> {
    const file = this.file(key);
    if (condition && 'ifNoneMatch' in condition) {
      if (!(await createFileExclusive(file, body))) throw new PreconditionFailed(key);
      return revisionOf(body);
    }
    if (condition) {
      const current = await this.get(key);
      if (!current || current.revision !== condition.ifMatch) throw new PreconditionFailed(key);
    }
    await writeFileAtomic(file, body);
    return revisionOf(body);
  }

  async delete(key: string, ifMatch?: string): Promise<void> {
    if (ifMatch !== undefined) {
      const current = await this.get(key);
      if (!current || current.revision !== ifMatch) throw new PreconditionFailed(key);
    }
    try {
      await unlink(this.file(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}
