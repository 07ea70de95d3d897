import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readJsonFile, removeStaleTempFiles, writeFileAtomic } from './atomic-file.js';
import { resolveInside, safeSegment } from './safe-path.js';

/**
 * A directory of JSON documents, one per key (`<safe key>.json`), each replaced atomically: for services whose
 * records are small and independent (IAM roles, KMS keys, STS sessions). Writes of one key land in the order they
 * were asked for; a crash leaves each document either old or new.
 */
export class DocumentStore<T> {
  private readonly queues = new Map<string, Promise<void>>();

  private constructor(private readonly dir: string) {}

  /** Opens `dir` (created if missing) and reads every document in it. */
  static async open<T>(dir: string): Promise<{ store: DocumentStore<T>; documents: T[] }> {
    const resolved = path.resolve(dir);
    await fs.mkdir(resolved, { recursive: true });
    await removeStaleTempFiles(resolved);
    const documents: T[] = [];
    for (const name of (await fs.readdir(resolved)).filter((n) => n.endsWith('.json')).sort()) {
      const document = await readJsonFile<T>(path.join(resolved, name));
      if (document !== undefined) documents.push(document);
    }
    return { store: new DocumentStore<T>(resolved), documents };
  }

  save(key: string, document: T): Promise<void> {
    // Serialised now, so the document is saved as it is at this call even if it changes while queued.
    const text = JSON.stringify(document, null, 2) + '\n';
    return this.enqueue(key, () => writeFileAtomic(this.fileOf(key), text));
  }

  remove(key: string): Promise<void> {
    return this.enqueue(key, () => fs.rm(this.fileOf(key), { force: true }));
  }

  private fileOf(key: string): string {
    return resolveInside(this.dir, `${safeSegment(key)}.json`);
  }

  private enqueue(key: string, write: () => Promise<void>): Promise<void> {
    const next = (this.queues.get(key) ?? Promise.resolve()).catch(() => undefined).then(write);
    this.queues.set(key, next);
    void next.finally(() => {
      if (this.queues.get(key) === next) this.queues.delete(key);
    });
    return next;
  }
}
