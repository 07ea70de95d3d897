/**
 * What the newest snapshot of an application really holds, per OperatorID, read through the target's public API:
 * the snapshot is exported to a scratch S3 prefix (the SnapshotExporter port), downloaded, its `_metadata` read by
 * the jar-inspector, and the scratch objects removed. msf-local exports both kinds of snapshot; AWS only enhanced
 * ones, so there a legacy application's state stays unknown and the state check compares the JARs alone.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { newestReadySnapshot, type SnapshotInfo } from '../../model/application.js';
import type { SnapshotState } from '../../model/inspection.js';
import type { SavepointFiles } from '../../ports/savepoint-files.js';
import type { SnapshotExporter } from '../../ports/snapshot-export.js';
import type { SnapshotStateSource } from '../../ports/snapshot-state.js';
import { msfctlCacheDir } from '../artifacts/jar-cache.js';
import { readSnapshotState } from './inspect-jar.js';

export interface ExportedSnapshotStateOptions {
  exporter: SnapshotExporter;
  files: SavepointFiles;
  cacheDir?: string;
}

export function exportedSnapshotState(options: ExportedSnapshotStateOptions): SnapshotStateSource {
  const cacheDir = options.cacheDir ?? msfctlCacheDir();
  return {
    newestState: async (live, msf) => {
      const newest = newestReadySnapshot(await msf.listSnapshots(live.name));
      if (!newest || options.exporter.cannotExport(newest) !== undefined) return undefined;
      // Only a snapshot of the code that runs now says which of its operators hold state.
      const version =
        newest.versionId === live.versionId ? live : await msf.describeVersion(live.name, newest.versionId);
      if (
        version.config.code.key !== live.config.code.key ||
        version.config.code.bucket !== live.config.code.bucket
      )
        return undefined;
      // A snapshot never changes: its reading is cached by its identity.
      const cached = path.join(cacheDir, 'snapshot-state', `${identity(live.arn, newest)}.json`);
      const hit = await readFile(cached, 'utf8').catch(() => undefined);
      if (hit) return JSON.parse(hit) as SnapshotState;

      const stamp = `${Date.now()}-${process.pid}`;
      const scratch = {
        bucket: live.config.code.bucket,
        prefix: `msfctl/snapshot-state/${live.name}/${stamp}/`,
      };
      const dir = await mkdtemp(path.join(tmpdir(), 'msfctl-snapshot-state-'));
      try {
        const out = await options.exporter.export({
          application: live.name,
          snapshot: newest,
          to: scratch,
          role: live.config.role,
        });
        const copied = await options.files.download(out.location, dir);
        if (!copied.files) return undefined;
        const read = await readSnapshotState({
          snapshotPath: dir,
          runtime: newest.runtime ?? version.config.runtime,
        });
        // The download is gone after this: the snapshot's name is what the state was read from.
        const state: SnapshotState = { ...read, path: newest.name };
        await mkdir(path.dirname(cached), { recursive: true });
        await writeFile(`${cached}.${process.pid}`, JSON.stringify(state));
        await rename(`${cached}.${process.pid}`, cached);
        return state;
      } finally {
        await rm(dir, { recursive: true, force: true });
        await options.files.remove(scratch).catch(() => 0);
      }
    },
  };
}

function identity(arn: string, snapshot: SnapshotInfo): string {
  const key = snapshot.enhanced?.arn ?? `${arn}/${snapshot.name}/${snapshot.createdAt}`;
  return createHash('sha256').update(key).digest('hex');
}
