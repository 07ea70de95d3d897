/** Reads and writes an application's ledger on an ObjectStore, with a revision check on every write. */
import { MsfctlError } from '../../model/errors.js';
import { emptyLedger, LEDGER_FORMAT, type Ledger } from '../../model/ledger.js';
import { PreconditionFailed, type ObjectStore } from '../../ports/object-store.js';

export function ledgerKey(application: string): string {
  return `${application}/ledger.json`;
}

export async function readLedger(
  store: ObjectStore,
  application: string,
): Promise<{ ledger: Ledger; revision?: string }> {
  const stored = await store.get(ledgerKey(application));
  if (!stored) return { ledger: emptyLedger(application) };
  let value: Ledger;
  try {
    value = JSON.parse(stored.body) as Ledger;
  } catch (error) {
    throw new MsfctlError(
      'STATE',
      `The ledger of ${application} in ${store.location} is not valid JSON: ${(error as Error).message}`,
      {
        hint: 'It was edited by hand or written by something else; restore it from a backup or move it aside.',
      },
    );
  }
  if (value.format !== LEDGER_FORMAT) {
    throw new MsfctlError(
      'STATE',
      `The ledger of ${application} in ${store.location} has format ${String(value.format)}, expected ${LEDGER_FORMAT}.`,
    );
  }
  return { ledger: value, revision: stored.revision };
}

/**
 * One writer's view of a ledger: every `update` re-applies the change on top of what it last wrote,
 * conditional on nobody else having written since (the lock makes that the normal case).
 */
export class LedgerSession {
  private constructor(
    private readonly store: ObjectStore,
    private current: Ledger,
    private revision: string | undefined,
  ) {}

  static async open(store: ObjectStore, application: string): Promise<LedgerSession> {
    const { ledger, revision } = await readLedger(store, application);
    return new LedgerSession(store, ledger, revision);
  }

  get ledger(): Ledger {
    return this.current;
  }

  async update(change: (ledger: Ledger) => Ledger): Promise<Ledger> {
    const next = {
      ...change(this.current),
      serial: this.current.serial + 1,
      updatedAt: new Date().toISOString(),
    };
    try {
      this.revision = await this.store.put(
        ledgerKey(next.application),
        `${JSON.stringify(next, null, 2)}\n`,
        this.revision === undefined ? { ifNoneMatch: true } : { ifMatch: this.revision },
      );
    } catch (error) {
      if (PreconditionFailed.is(error)) {
        throw new MsfctlError(
          'STATE',
          `The ledger of ${next.application} was changed by another process (in ${this.store.location}).`,
          {
            hint: 'Someone wrote it without holding the lock (or after force-unlock). Run the command again.',
          },
        );
      }
      throw error;
    }
    this.current = next;
    return next;
  }
}
