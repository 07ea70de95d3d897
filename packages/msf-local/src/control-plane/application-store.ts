import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readJsonFile, removeStaleTempFiles, writeFileAtomic } from '../store/atomic-file.js';
import { resolveInside, safeSegment } from '../store/safe-path.js';
import type { Application } from './model.js';

/**
 * Durable home of the control plane's state: one JSON document per application, replaced atomically on every
 * change before the change is acknowledged, plus inline-uploaded application code by digest.
 *
 * Why documents and not a database: an application with its versions, operations and snapshots is one
 * consistency unit, every mutation touches one application, and an atomic rename gives all-or-nothing writes
 * with no native dependency.
 */
export class ApplicationStore {
  private readonly appsDir: string;
  private readonly codeDir: string;
  /** Per-application write queue: saves of one application land in the order they were requested. */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(readonly dataDir: string) {
    this.appsDir = path.join(dataDir, 'control-plane', 'applications');
    this.codeDir = path.join(dataDir, 'control-plane', 'code');
  }

  async loadAll(): Promise<Application[]> {
    await fs.mkdir(this.appsDir, { recursive: true });
    await fs.mkdir(this.codeDir, { recursive: true });
    await removeStaleTempFiles(this.appsDir);
    await removeStaleTempFiles(this.codeDir);
    const names = (await fs.readdir(this.appsDir)).filter((n) => n.endsWith('.json'));
    const apps: Application[] = [];
    for (const name of names) {
      const app = await readJsonFile<Application>(path.join(this.appsDir, name));
      if (app) apps.push(app);
    }
    return apps;
  }

  /** Persists a snapshot of `app` as it is now. */
  save(app: Application): Promise<void> {
    const document = JSON.stringify(app);
    return this.enqueue(app.name, () => writeFileAtomic(this.fileOf(app.name), document));
  }

  remove(name: string): Promise<void> {
    return this.enqueue(name, () => fs.rm(this.fileOf(name), { force: true }));
  }

  /** Where the application's Flink work (jars, logs, checkpoints, savepoints) lives. */
  workDirOf(name: string): string {
    return resolveInside(this.dataDir, 'applications', safeSegment(name));
  }

  /** Stores inline code (ZipFileContent) by digest; returns its path. */
  async storeCode(sha512: string, bytes: Buffer): Promise<string> {
    const file = this.codePath(sha512);
    try {
      await fs.access(file);
    } catch {
      await writeFileAtomic(file, bytes);
    }
    return file;
  }

  codePath(sha512: string): string {
    return resolveInside(this.codeDir, `${safeSegment(sha512)}.zip`);
  }

  private fileOf(name: string): string {
    return resolveInside(this.appsDir, `${safeSegment(name)}.json`);
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
