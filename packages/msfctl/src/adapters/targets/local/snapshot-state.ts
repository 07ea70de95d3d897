/**
 * msf-local only: what the application's newest snapshot really holds, per OperatorID. msf-local keeps each
 * snapshot's savepoint on this machine and records its path in its persisted application record
 * (`<dataDir>/control-plane/applications/<app>.json`); the jar-inspector reads the savepoint's metadata. On
 * AWS snapshots are not readable, and the state check compares the JARs alone.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { newestReadySnapshot } from '../../../model/application.js';
import type { SnapshotState } from '../../../model/inspection.js';
import type { SnapshotStateSource } from '../../../ports/snapshot-state.js';
import { msfctlCacheDir } from '../../artifacts/jar-cache.js';
import { readSnapshotState } from '../../inspector/inspect-jar.js';

interface PersistedApplication {
  snapshots?: { name: string; path?: string }[];
}

// Reads msf-local's private data dir for now: to be swapped for msf-local's public snapshot-export operation.
export function localSnapshotState(dataDir: string, cacheDir = msfctlCacheDir()): SnapshotStateSource {
  return {
    newestState: async (live, msf) => {
      const newest = newestReadySnapshot(await msf.listSnapshots(live.name));
      if (!newest) return undefined;
      // Only a snapshot of the code that runs now says which of its operators hold state.
      const version =
        newest.versionId === live.versionId ? live : await msf.describeVersion(live.name, newest.versionId);
      if (
        version.config.code.key !== live.config.code.key ||
        version.config.code.bucket !== live.config.code.bucket
      )
        return undefined;
      const record = JSON.parse(
        await readFile(path.join(dataDir, 'control-plane', 'applications', `${live.name}.json`), 'utf8'),
      ) as PersistedApplication;
      const savepoint = record.snapshots?.find((s) => s.name === newest.name)?.path;
      if (!savepoint) return undefined;
      // A savepoint never changes: its reading is cached by path.
      const cached = path.join(
        cacheDir,
        'snapshot-state',
        `${createHash('sha256').update(savepoint).digest('hex')}.json`,
      );
      const hit = await readFile(cached, 'utf8').catch(() => undefined);
      if (hit) return JSON.parse(hit) as SnapshotState;
      const state = await readSnapshotState({
        snapshotPath: savepoint,
        runtime: newest.runtime ?? version.config.runtime,
      });
      await mkdir(path.dirname(cached), { recursive: true });
      await writeFile(`${cached}.${process.pid}`, JSON.stringify(state));
      await rename(`${cached}.${process.pid}`, cached);
      return state;
    },
  };
}
