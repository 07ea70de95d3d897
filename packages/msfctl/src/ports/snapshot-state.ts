/**
 * What the newest snapshot of an application really holds, per OperatorID, where the target can read it
 * (msf-local keeps savepoints on this machine; on AWS snapshots are not readable and the state check compares
 * the JARs alone).
 */
import type { LiveApplication } from '../model/application.js';
import type { SnapshotState } from '../model/inspection.js';
import type { MsfGateway } from './msf.js';

export interface SnapshotStateSource {
  /** Undefined when it cannot be known: no READY snapshot, one of other code, no savepoint on record. */
  newestState(live: LiveApplication, msf: MsfGateway): Promise<SnapshotState | undefined>;
}
