/**
 * The state a rehearsal restores, brought to this machine: a fresh snapshot of the running job (or the snapshot
 * the deploy restores from), exported to a scratch S3 prefix (ExportSnapshot; on msf-local
 * ExportApplicationSnapshot for application snapshots too) and downloaded to a temp directory. `cleanup` removes
 * all of it again: the scratch objects, the directory and the snapshot taken for the rehearsal.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LiveApplication, S3Prefix, SnapshotInfo } from '../../model/application.js';
import { MsfctlError } from '../../model/errors.js';
import type { RehearsedState } from '../../model/rehearsal.js';
import { describeS3Prefix } from '../../model/snapshot-refs.js';
import type { RehearsalState } from '../../engine/preflight/rehearsal-decision.js';
import type { Clock } from '../../ports/clock.js';
import type { MsfGateway } from '../../ports/msf.js';
import type { SavepointFiles } from '../../ports/savepoint-files.js';
import type { SnapshotExporter } from '../../ports/snapshot-export.js';
import { waitForSnapshot } from '../wait.js';

/** The names of snapshots taken for a rehearsal start with it. */
export const REHEARSAL_SNAPSHOT = 'msfctl-rehearsal-';

export interface StateFetchPorts {
  gateway: MsfGateway;
  exporter: SnapshotExporter;
  files: SavepointFiles;
  clock?: Clock;
}

export interface StateFetch {
  /** Resolves with the local savepoint directory. */
  savepoint: Promise<string>;
  /** Filled in as the fetch goes. */
  state: RehearsedState;
  /** Removes what the fetch left (idempotent); resolves with what it removed, for the report. */
  cleanup(): Promise<string[]>;
}

/** Older than any rehearsal can run (its window is at most 1 h, its restore bounded at 5 min). */
const STALE_MS = 2 * 3_600_000;

/**
 * What an interrupted or killed rehearsal left (its snapshot, its scratch objects) is swept by the next one of the
 * same application, once older than any rehearsal can run. Resolves with what it removed.
 */
export async function sweepStale(
  ports: Pick<StateFetchPorts, 'gateway' | 'files'>,
  application: string,
  scratchRoot: S3Prefix,
  now = Date.now(),
): Promise<string[]> {
  const removed: string[] = [];
  const n = await ports.files.remove(scratchRoot, now - STALE_MS);
  if (n)
    removed.push(`${n} stale scratch object${n === 1 ? '' : 's'} under ${describeS3Prefix(scratchRoot)}`);
  for (const s of await ports.gateway.listSnapshots(application)) {
    if (!s.name.startsWith(REHEARSAL_SNAPSHOT) || s.createdAt >= now - STALE_MS || s.status === 'DELETING')
      continue;
    await ports.gateway.deleteSnapshot(application, s);
    removed.push(`snapshot ${s.name} (left by an earlier rehearsal)`);
  }
  return removed;
}

/** Why this state cannot be exported here (AWS: an application snapshot, legacy mode); undefined when it can. */
export function cannotFetch(exporter: SnapshotExporter, enhanced: boolean): string | undefined {
  return exporter.cannotExport(enhanced ? { enhanced: ENHANCED } : {});
}
const ENHANCED = { arn: '', initiator: 'USER', initiatorOperation: 'CreateSnapshot' } as const;

export function fetchRehearsalState(
  ports: StateFetchPorts,
  live: LiveApplication,
  wanted: RehearsalState,
  scratch: S3Prefix,
  now: Date = new Date(),
): StateFetch {
  const started = Date.now();
  const application = live.name;
  const enhanced = wanted.source === 'fresh' ? live.config.snapshotMode === 'enhanced' : wanted.enhanced;
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const name =
    wanted.source === 'snapshot'
      ? wanted.snapshot
      : enhanced
        ? `${REHEARSAL_SNAPSHOT}${application}-${stamp}`
        : `${REHEARSAL_SNAPSHOT}${stamp}`;
  const state: RehearsedState = { source: wanted.source, snapshot: name };
  let taken: SnapshotInfo | undefined;
  let exported = false;
  let dir: string | undefined;

  const savepoint = (async () => {
    let snapshot: Pick<SnapshotInfo, 'name' | 'enhanced'>;
    if (wanted.source === 'fresh') {
      await ports.gateway.createSnapshot(application, name, live.config.snapshotMode);
      const made = await waitForSnapshot(ports.gateway, application, name, {
        enhanced,
        ...(ports.clock ? { clock: ports.clock } : {}),
      });
      taken = made;
      if (made.status !== 'READY')
        throw new MsfctlError(
          'SNAPSHOT',
          `the snapshot ${name} taken for the rehearsal ended ${made.status}`,
        );
      snapshot = made;
    } else {
      const found = enhanced
        ? await ports.gateway.describeEnhancedSnapshot(name)
        : (await ports.gateway.listSnapshots(application)).find((s) => s.name === name && !s.enhanced);
      if (!found || found.status !== 'READY')
        throw new MsfctlError('SNAPSHOT', `snapshot ${name} is ${found ? found.status : 'gone'}`);
      snapshot = found;
    }
    if (snapshot.enhanced?.arn) state.arn = snapshot.enhanced.arn;
    exported = true;
    const out = await ports.exporter.export({ application, snapshot, to: scratch, role: live.config.role });
    state.exportedTo = describeS3Prefix(out.location);
    dir = await mkdtemp(path.join(tmpdir(), 'msfctl-rehearsal-'));
    const copied = await ports.files.download(out.location, dir);
    if (!copied.files)
      throw new MsfctlError('SNAPSHOT', `the export of ${name} left nothing under ${state.exportedTo}`);
    state.files = copied.files;
    state.sizeBytes = copied.bytes;
    state.fetchMs = Date.now() - started;
    return dir;
  })();

  let cleaned: Promise<string[]> | undefined;
  const cleanup = (): Promise<string[]> =>
    (cleaned ??= (async () => {
      // The fetch may still be running (the rehearsal failed first): let it end before removing its traces.
      await savepoint.catch(() => undefined);
      const removed: string[] = [];
      if (exported) {
        const n = await ports.files.remove(scratch);
        if (n) removed.push(`${n} scratch object${n === 1 ? '' : 's'} under ${describeS3Prefix(scratch)}`);
      }
      if (dir) await rm(dir, { recursive: true, force: true });
      if (taken && taken.status !== 'DELETING') {
        await ports.gateway.deleteSnapshot(application, taken);
        removed.push(`snapshot ${taken.name} (taken for the rehearsal)`);
      }
      return removed;
    })());
  return { savepoint, state, cleanup };
}
