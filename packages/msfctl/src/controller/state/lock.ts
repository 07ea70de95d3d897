/**
 * The per-application lock, built once on ObjectStore: created with a conditional write, held for a lease
 * that a heartbeat renews, named in the error when someone else holds it, and taken over only when its
 * lease expired or its holder process (on this host) is gone. `msfctl force-unlock ID` deletes it.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { lockHeldError, MsfctlError, type LockHolder } from '../../model/errors.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import { PreconditionFailed, type ObjectStore } from '../../ports/object-store.js';
import { actor } from './actor.js';

export const DEFAULT_LEASE_MS = 5 * 60_000;

export interface LockInfo extends LockHolder {
  application: string;
  /** ID of the expired or orphaned lock this one replaced. */
  takenOverFrom?: string;
}

export interface LockOptions {
  leaseMs?: number;
  clock?: Clock;
  /** Liveness of a process on this host; injectable for tests. */
  isProcessAlive?: (pid: number) => boolean;
  host?: string;
  who?: string;
}

export function lockKey(application: string): string {
  return `${application}/lock.json`;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parseLock(body: string): LockInfo | undefined {
  try {
    const value = JSON.parse(body) as LockInfo;
    return typeof value.id === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

export class HeldLock {
  private timer: NodeJS.Timeout | undefined;
  private lost: MsfctlError | undefined;

  constructor(
    private readonly store: ObjectStore,
    readonly info: LockInfo,
    private revision: string,
    private readonly leaseMs: number,
    private readonly clock: Clock,
  ) {}

  /** Extends the lease; fails if the lock was force-unlocked or taken over meanwhile. */
  async renew(): Promise<void> {
    const now = this.clock.now();
    const next: LockInfo = { ...this.info, expiresAt: new Date(now + this.leaseMs).toISOString() };
    try {
      this.revision = await this.store.put(lockKey(this.info.application), JSON.stringify(next, null, 2), {
        ifMatch: this.revision,
      });
      this.info.expiresAt = next.expiresAt;
    } catch (error) {
      if (!PreconditionFailed.is(error)) throw error;
      this.lost = new MsfctlError(
        'LOCK_LOST',
        `The lock on ${this.info.application} (ID ${this.info.id}) was removed or taken over while msfctl held it.`,
        {
          hint: 'Someone ran force-unlock or the lease expired. Check `msfctl status` and `msfctl history` before trying again.',
        },
      );
      throw this.lost;
    }
  }

  /** Renews the lease every third of it until released. */
  startHeartbeat(): void {
    this.timer = setInterval(
      () => {
        this.renew().catch(() => this.stopHeartbeat());
      },
      Math.max(1_000, Math.floor(this.leaseMs / 3)),
    );
    this.timer.unref();
  }

  stopHeartbeat(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Throws if the heartbeat found the lock gone: the caller must stop changing things. */
  assertHeld(): void {
    if (this.lost) throw this.lost;
  }

  async release(): Promise<void> {
    this.stopHeartbeat();
    if (this.lost) return;
    try {
      await this.store.delete(lockKey(this.info.application), this.revision);
    } catch (error) {
      if (!PreconditionFailed.is(error)) throw error;
    }
  }
}

export async function acquireLock(
  store: ObjectStore,
  application: string,
  operation: string,
  options: LockOptions = {},
): Promise<HeldLock> {
  const clock = options.clock ?? systemClock;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const host = options.host ?? hostname();
  const alive = options.isProcessAlive ?? processAlive;
  const now = clock.now();
  const info: LockInfo = {
    id: randomUUID(),
    application,
    who: options.who ?? actor(),
    operation,
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + leaseMs).toISOString(),
    pid: process.pid,
    host,
  };
  const body = JSON.stringify(info, null, 2);
  const key = lockKey(application);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const revision = await store.put(key, body, { ifNoneMatch: true });
      return new HeldLock(store, info, revision, leaseMs, clock);
    } catch (error) {
      if (!PreconditionFailed.is(error)) throw error;
    }
    const current = await store.get(key);
    if (!current) continue; // released in between: try again
    const holder = parseLock(current.body);
    if (holder && lockLiveness(holder, { host, isProcessAlive: alive, clock }) === 'held')
      throw lockHeldError(application, holder);
    try {
      const takeover = JSON.stringify({ ...info, ...(holder ? { takenOverFrom: holder.id } : {}) }, null, 2);
      const revision = await store.put(key, takeover, { ifMatch: current.revision });
      return new HeldLock(
        store,
        { ...info, ...(holder ? { takenOverFrom: holder.id } : {}) },
        revision,
        leaseMs,
        clock,
      );
    } catch (error) {
      if (!PreconditionFailed.is(error)) throw error;
      // Someone else took it over first: look again.
    }
  }
  const holder = parseLock((await store.get(key))?.body ?? '');
  if (holder) throw lockHeldError(application, holder);
  throw new MsfctlError(
    'STATE',
    `Could not take the lock on ${application} in ${store.location}: it keeps changing.`,
  );
}

/**
 * Whether a lock still protects a running command: `orphaned` when its holder was a process on this host that
 * is gone, `expired` when its lease ran out. Either way the next command takes it over.
 */
export function lockLiveness(
  holder: LockHolder,
  options: Pick<LockOptions, 'host' | 'isProcessAlive' | 'clock'> = {},
): 'held' | 'orphaned' | 'expired' {
  const alive = options.isProcessAlive ?? processAlive;
  if (Date.parse(holder.expiresAt) < (options.clock ?? systemClock).now()) return 'expired';
  const pid = localHolderPid(holder, options.host);
  if (pid !== undefined && !alive(pid)) return 'orphaned';
  return 'held';
}

/** The holder's PID when it is another process on this host: the only holder whose liveness msfctl can check. */
function localHolderPid(holder: LockHolder, host = hostname()): number | undefined {
  return holder.host === host && holder.pid !== undefined && holder.pid !== process.pid
    ? holder.pid
    : undefined;
}

export async function readLock(store: ObjectStore, application: string): Promise<LockInfo | undefined> {
  const current = await store.get(lockKey(application));
  return current ? parseLock(current.body) : undefined;
}

/**
 * Deletes the lock if it has this ID. Returns the lock that was removed. Refuses while its holder is a process
 * on this host that is still running: removing its lock would let a second command act beside it (a holder on
 * another host cannot be checked from here: the ID is the user's confirmation).
 */
export async function forceUnlock(
  store: ObjectStore,
  application: string,
  id: string,
  options: Pick<LockOptions, 'host' | 'isProcessAlive'> = {},
): Promise<LockInfo> {
  const current = await store.get(lockKey(application));
  const holder = current ? parseLock(current.body) : undefined;
  if (!current || !holder) {
    throw new MsfctlError('STATE', `Application ${application} is not locked (in ${store.location}).`, {
      hint: 'Nothing to unlock.',
    });
  }
  if (holder.id !== id) {
    throw new MsfctlError(
      'STATE',
      `The lock on ${application} has ID ${holder.id} (held by ${holder.who}), not ${id}.`,
      {
        hint: `Check who holds it; to remove it anyway run: msfctl force-unlock ${holder.id}`,
      },
    );
  }
  const alive = options.isProcessAlive ?? processAlive;
  const pid = localHolderPid(holder, options.host);
  if (pid !== undefined && alive(pid)) {
    throw new MsfctlError(
      'LOCK_HELD',
      `Lock ${id} on ${application} belongs to a command that is still running: msfctl ${holder.operation} by ${holder.who}, PID ${holder.pid} on this host (since ${holder.createdAt}).`,
      {
        hint: `Let it finish, or stop it (Ctrl-C in its terminal, or kill ${holder.pid}): it releases the lock itself, and a lock whose process is gone is taken over by the next command.`,
        details: { holder },
      },
    );
  }
  await store.delete(lockKey(application), current.revision);
  return holder;
}
