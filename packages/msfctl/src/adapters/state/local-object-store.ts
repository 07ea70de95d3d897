/**
 * ObjectStore on a local directory (default `.msfctl/`). Writes are atomic (temp file + rename, or + link for
 * create-only). A compare-and-swap from revision R first claims R: it hard-links a claim file named after R, which
 * exactly one process can create (link fails with EEXIST for the others). Only the claimant reads, compares and
 * renames, then drops the claim; anyone claiming R later finds the revision changed. So of many processes taking
 * over the same dead holder's lock in the same instant, exactly one wins, as with S3's conditional writes.
 */
import { createHash } from 'node:crypto';
import { readFile, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
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
    if (condition) await this.swap(key, condition.ifMatch, () => writeFileAtomic(file, body));
    else await writeFileAtomic(file, body);
    return revisionOf(body);
  }

  async delete(key: string, ifMatch?: string): Promise<void> {
    const remove = async () => {
      try {
        await unlink(this.file(key));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    };
    if (ifMatch !== undefined) await this.swap(key, ifMatch, remove);
    else await remove();
  }

  /** Runs `change` only if `key` is at revision `expected`, holding the claim on that revision meanwhile. */
  private async swap(key: string, expected: string, change: () => Promise<void>): Promise<void> {
    if (!/^[0-9a-f]+$/.test(expected)) throw new PreconditionFailed(key); // not a revision this store gave
    const claim = `${this.file(key)}.${expected}.claim`;
    const mine = `${process.pid} ${hostname()} ${new Date().toISOString()}\n`;
    let claimed = await createFileExclusive(claim, mine);
    // A claimant killed mid-swap leaves its claim behind: once it is known dead, its claim is void.
    if (!claimed && (await removeAbandonedClaim(claim))) claimed = await createFileExclusive(claim, mine);
    // Otherwise another writer is swapping from this very revision now: it wins, or finds the revision changed.
    if (!claimed) throw new PreconditionFailed(key);
    try {
      const current = await this.get(key);
      if (!current || current.revision !== expected) throw new PreconditionFailed(key);
      await change();
    } finally {
      await unlink(claim).catch(() => undefined);
    }
  }
}

/** A claim is held for milliseconds; one this old was left by a process killed mid-swap on another host. */
const ABANDONED_CLAIM_MS = 30_000;

/**
 * Removes a claim whose claimant is gone (a dead PID of this host, or older than 30 s); true if it did. Only a
 * double fault — a kill mid-swap, then two writers racing to clear it — could let a fresh claim be removed here.
 */
async function removeAbandonedClaim(claim: string): Promise<boolean> {
  try {
    const [text, { mtimeMs }] = await Promise.all([readFile(claim, 'utf8'), stat(claim)]);
    const [pid, host] = text.split(' ');
    const dead = host === hostname() && Number(pid) > 0 && !processAlive(Number(pid));
    if (!dead && Date.now() - mtimeMs <= ABANDONED_CLAIM_MS) return false;
    await unlink(claim);
    return true;
  } catch {
    return false; // gone already: released by its claimant
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
