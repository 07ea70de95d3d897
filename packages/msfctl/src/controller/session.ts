/**
 * Every command that changes an application runs inside a locked session: take the application's lock
 * (failing fast with the holder's name), open its ledger, mark entries a killed run left in progress as
 * interrupted, write the intent entry before acting, and release the lock whatever happens — an interrupt
 * included (the CLI passes Ctrl-C; a library caller may pass its own or none): the first SIGINT/SIGTERM records
 * the entry as interrupted, says what the service may still be doing, releases the lock and exits (130/143); a
 * second one exits at once.
 */
import type { LiveApplication, Tags } from '../model/application.js';
import type { Interrupts } from '../ports/interrupts.js';
import type { IoHost } from '../ports/io-host.js';
import { actor } from './state/actor.js';
import {
  appendEntry,
  markInterrupted,
  newEntry,
  updateEntry,
  type EntryKind,
  type LedgerEntry,
  type OperationRecord,
} from '../model/ledger.js';
import { LedgerSession } from './state/ledger-store.js';
import { acquireLock, type HeldLock, type LockOptions } from './state/lock.js';
import type { ObjectStore } from '../ports/object-store.js';

export interface LockedSession {
  ledger: LedgerSession;
  lock: HeldLock;
  /** The entry this command writes (its intent, then its outcome). */
  entry: LedgerEntry;
  /** begin() ran: the command has started changing the application. */
  readonly begun: boolean;
  /**
   * Writes the intent entry (before the first service call). Until then nothing is recorded, so a command
   * that finds nothing to do leaves no entry behind.
   */
  begin(patch?: Partial<LedgerEntry>): Promise<void>;
  /** Adds or updates an operation of this command's entry. */
  recordOperation(op: OperationRecord): Promise<void>;
  /** Patches this command's entry. */
  patch(patch: Partial<LedgerEntry>): Promise<void>;
  /**
   * Records what msfctl leaves the application as (the baseline for drift); `note` replaces the next plan's
   * "msfctl <by> changed the application" line (e.g. to say the service rolled an update back).
   */
  recordExpected(live: LiveApplication | undefined, by: EntryKind, note?: string): Promise<void>;
  /** The tags msfctl expects the application to have (after apply set them, or import read them). */
  recordExpectedTags(tags: Tags): Promise<void>;
}

export interface SessionOptions {
  lock?: LockOptions;
  store: ObjectStore;
  application: string;
  kind: EntryKind;
  summary: string;
  host: IoHost;
  entry?: Partial<LedgerEntry>;
  /** Where interrupts come from and how an interrupted command ends; none: the session is not interruptible. */
  interrupts?: Interrupts;
}

const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

export async function withLockedSession<T>(
  options: SessionOptions,
  body: (session: LockedSession) => Promise<T>,
): Promise<T> {
  const { store, application, kind, host } = options;
  const lock = await acquireLock(store, application, kind, options.lock);
  if (lock.info.takenOverFrom) {
    host.notify({
      level: 'warn',
      code: 'MSF_LOCK_W1001',
      text: `Took over lock ${lock.info.takenOverFrom} on ${application}: its lease had expired or its process was gone.`,
    });
  }
  lock.startHeartbeat();
  let active: LockedSession | undefined;
  let interrupted = false;
  const unsubscribe = options.interrupts?.subscribe((signal) => {
    const exit = options.interrupts!.exit;
    if (interrupted) return exit(SIGNAL_EXIT[signal]);
    interrupted = true;
    void stopOnSignal(signal, active, lock, options).finally(() => exit(SIGNAL_EXIT[signal]));
  });
  try {
    const ledger = await LedgerSession.open(store, application);
    const { interrupted } = markInterrupted(ledger.ledger);
    for (const e of interrupted) {
      host.notify({
        level: 'warn',
        code: 'MSF_LEDGER_W1001',
        text: `A previous ${e.kind} by ${e.who} (started ${e.startedAt}) did not finish; msfctl works from the service's current state.`,
      });
    }
    if (interrupted.length) await ledger.update((l) => markInterrupted(l).ledger);
    let current: LedgerEntry = {
      ...newEntry(kind, options.lock?.who ?? actor(), options.summary),
      ...options.entry,
    };
    let begun = false;
    const session: LockedSession = {
      ledger,
      lock,
      get entry() {
        return current;
      },
      get begun() {
        return begun;
      },
      async begin(patch = {}) {
        if (begun) return session.patch(patch);
        begun = true;
        current = { ...current, ...patch, startedAt: new Date().toISOString() };
        await ledger.update((l) => appendEntry(l, current));
      },
      async recordOperation(op) {
        const ops = [...current.operations];
        const i = op.id ? ops.findIndex((o) => o.id === op.id) : -1;
        if (i >= 0) ops[i] = op;
        else ops.push(op);
        await session.patch({ operations: ops });
      },
      async patch(patch) {
        current = { ...current, ...patch };
        if (begun) await ledger.update((l) => updateEntry(l, current.id, patch));
      },
      async recordExpectedTags(tags) {
        await ledger.update((l) => (l.expected ? { ...l, expected: { ...l.expected, tags } } : l));
      },
      async recordExpected(live, by, note) {
        await ledger.update((l) => {
          if (!live) return { ...l, expected: undefined };
          // A snapshot leaves the version and status as they were: who changed the application last stays.
          const kept =
            by === 'snapshot' && l.expected?.versionId === live.versionId && l.expected.status === live.status
              ? l.expected
              : undefined;
          return {
            ...l,
            expected: {
              versionId: live.versionId,
              status: live.status,
              config: live.config,
              at: new Date().toISOString(),
              by: kept?.by ?? by,
              ...(note ? { note } : kept?.note ? { note: kept.note } : {}),
              // Tags are not versioned: they stay as msfctl last left them until apply or import says otherwise.
              ...(l.expected?.tags ? { tags: l.expected.tags } : {}),
            },
          };
        });
      },
    } as LockedSession;
    active = session;
    try {
      const result = await body(session);
      if (begun && current.outcome === 'in-progress')
        await session.patch({ outcome: 'succeeded', endedAt: new Date().toISOString() });
      return result;
    } catch (error) {
      // Failures before begin() (refused, stale, cancelled, build failed) changed nothing: no record.
      if (begun && current.outcome === 'in-progress') {
        await session
          .patch({ outcome: 'failed', endedAt: new Date().toISOString(), error: (error as Error).message })
          .catch(() => undefined);
      }
      throw error;
    }
  } finally {
    unsubscribe?.();
    await lock.release().catch((error: unknown) =>
      host.notify({
        level: 'warn',
        code: 'MSF_LOCK_W1002',
        text: `Could not release the lock: ${(error as Error).message}`,
      }),
    );
  }
}

/**
 * Ctrl-C while msfctl holds the lock: what it already asked the service to do keeps going there, so say which
 * operations were in flight, record the entry as interrupted (the next run reconciles with the service), and
 * release the lock so nobody needs force-unlock.
 */
async function stopOnSignal(
  signal: string,
  session: LockedSession | undefined,
  lock: HeldLock,
  options: SessionOptions,
): Promise<void> {
  const { host, application, kind } = options;
  const inFlight = (session?.entry.operations ?? []).filter((op) => /IN_PROGRESS|PENDING/.test(op.status));
  if (!session?.begun) {
    host.notify({
      level: 'warn',
      code: 'MSF_SESSION_W1001',
      text: `Interrupted (${signal}): msfctl ${kind} stopped before changing anything on ${application}.`,
    });
    await lock.release().catch(() => undefined);
    return;
  }
  host.notify({
    level: 'warn',
    code: 'MSF_SESSION_W1001',
    text:
      `Interrupted (${signal}): msfctl ${kind} stops waiting on ${application}. ` +
      (inFlight.length
        ? `${inFlight.map((op) => `${op.operation}${op.id ? ` (operation ${op.id})` : ''}`).join(', ')} was already sent and keeps running on the service. `
        : 'No service operation was in flight; what was left (such as the health watch) did not run: `msfctl health` checks the job. ') +
      `\`msfctl status\` shows where ${application} is now; the next \`msfctl apply\` continues from the service's state.`,
  });
  try {
    if (session.entry.outcome === 'in-progress') {
      await session.patch({
        outcome: 'interrupted',
        endedAt: new Date().toISOString(),
        error: `interrupted by ${signal}${inFlight.length ? ` while ${inFlight.map((op) => op.operation).join(', ')} was in progress` : ''}`,
      });
    }
  } catch {
    // The lock still goes below; a later run marks the entry interrupted.
  }
  await lock.release().catch(() => undefined);
}
