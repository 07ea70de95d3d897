import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  isTempFileName,
  readJsonFile,
  removeStaleTempFiles,
  tempPathFor,
  writeFileAtomic,
} from '../../store/atomic-file.js';
import { resolveInside, safeSegment } from '../../store/safe-path.js';
import type { EnhancedSnapshot } from './model.js';

/**
 * Durable home of the enhanced snapshots: one JSON document per snapshot (with its operation log), replaced
 * atomically before a change is acknowledged, and one savepoint directory per snapshot, outside every
 * application's directory so that a snapshot outlives its application.
 *
 *   <dataDir>/control-plane/snapshots/<name>.json
 *   <dataDir>/snapshots/<id>/_metadata …   (a Flink savepoint, relocatable)
 */
export class SnapshotStore {
  private readonly recordsDir: string;
  readonly savepointsDir: string;
  private readonly queues = new Map<string, Promise<void>>();

  constructor(dataDir: string) {
    this.recordsDir = path.join(dataDir, 'control-plane', 'snapshots');
    this.savepointsDir = path.join(dataDir, 'snapshots');
  }

  /** Loads every record; removes temp files and savepoint directories no record names (left by a crash). */
  async loadAll(): Promise<EnhancedSnapshot[]> {
    await fs.mkdir(this.recordsDir, { recursive: true });
    await fs.mkdir(this.savepointsDir, { recursive: true });
    await removeStaleTempFiles(this.recordsDir);
    await removeStaleTempFiles(this.savepointsDir);
    const snapshots: EnhancedSnapshot[] = [];
    for (const file of (await fs.readdir(this.recordsDir)).filter((n) => n.endsWith('.json'))) {
      const snapshot = await readJsonFile<EnhancedSnapshot>(path.join(this.recordsDir, file));
      if (snapshot) snapshots.push(snapshot);
    }
    const known = new Set(snapshots.map((s) => safeSegment(s.id)));
    for (const entry of await fs.readdir(this.savepointsDir)) {
      if (!known.has(entry) && !isTempFileName(entry)) {
        await fs.rm(path.join(this.savepointsDir, entry), { recursive: true, force: true });
      }
    }
    return snapshots;
  }

  save(snapshot: EnhancedSnapshot): Promise<void> {
    const document = JSON.stringify(snapshot);
    return this.enqueue(snapshot.name, () => writeFileAtomic(this.recordOf(snapshot.name), document));
  }

  /** Deletes the savepoint, then the record (a crash in between leaves a DELETING record to finish). */
  remove(snapshot: EnhancedSnapshot): Promise<void> {
    return this.enqueue(snapshot.name, async () => {
      await fs.rm(this.savepointDir(snapshot), { recursive: true, force: true });
      await fs.rm(this.recordOf(snapshot.name), { force: true });
    });
  }

  savepointDir(snapshot: Pick<EnhancedSnapshot, 'id'>): string {
    return resolveInside(this.savepointsDir, safeSegment(snapshot.id));
  }

  /** A fresh directory to assemble a savepoint in before it is moved into place (cleaned up at start-up). */
  async stagingDir(): Promise<string> {
    const dir = tempPathFor(path.join(this.savepointsDir, 'staging'));
    await fs.mkdir(dir, { recursive: true });
    return dir;
  }

  /**
   * Moves a finished savepoint directory to the snapshot's place (a rename: the data dir is one file system;
   * a copy when it is not). Flink savepoints are relocatable, so the moved one restores as it is.
   */
  async adoptSavepoint(from: string, snapshot: Pick<EnhancedSnapshot, 'id'>): Promise<string> {
    const target = this.savepointDir(snapshot);
    try {
      await fs.rename(from, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      await fs.cp(from, target, { recursive: true, errorOnExist: true, force: false });
      await fs.rm(from, { recursive: true, force: true });
    }
    return target;
  }

  private recordOf(name: string): string {
    return resolveInside(this.recordsDir, `${safeSegment(name)}.json`);
  }

  private enqueue(name: string, write: () => Promise<void>): Promise<void> {
    const previous = this.queues.get(name) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(write);
    this.queues.set(name, next);
    void next.finally(() => {
      if (this.queues.get(name) === next) this.queues.delete(name);
    });
    return next;
  }
}
