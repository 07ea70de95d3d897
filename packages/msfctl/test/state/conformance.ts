/**
 * The state conformance suite: every ObjectStore backend (local directory, S3) must pass it, and with it the
 * lock and ledger built on top. Each backend's test file calls `runStateConformance` with a factory.
 */
import { describe, expect, it } from 'vitest';
import { MsfctlError } from '../../src/model/errors.js';
import { appendEntry, newEntry } from '../../src/model/ledger.js';
import { LedgerSession, readLedger } from '../../src/controller/state/ledger-store.js';
import { acquireLock, forceUnlock, readLock } from '../../src/controller/state/lock.js';
import { PreconditionFailed, type ObjectStore } from '../../src/ports/object-store.js';

async function rejects(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

export function runStateConformance(name: string, makeStore: () => Promise<ObjectStore>): void {
  describe(`${name}: object store`, () => {
    it('creates only when absent, replaces only on a matching revision', async () => {
      const store = await makeStore();
      expect(await store.get('a/x.json')).toBeUndefined();
      const r1 = await store.put('a/x.json', 'one', { ifNoneMatch: true });
      expect(PreconditionFailed.is(await rejects(store.put('a/x.json', 'two', { ifNoneMatch: true })))).toBe(
        true,
      );
      expect((await store.get('a/x.json'))?.body).toBe('one');
      const r2 = await store.put('a/x.json', 'two', { ifMatch: r1 });
      expect(r2).not.toBe(r1);
      expect(PreconditionFailed.is(await rejects(store.put('a/x.json', 'three', { ifMatch: r1 })))).toBe(
        true,
      );
      expect(await store.get('a/x.json')).toEqual({ body: 'two', revision: r2 });
    });

    it('deletes only on a matching revision', async () => {
      const store = await makeStore();
      const r1 = await store.put('d.json', 'x');
      expect(PreconditionFailed.is(await rejects(store.delete('d.json', 'not-the-revision')))).toBe(true);
      await store.delete('d.json', r1);
      expect(await store.get('d.json')).toBeUndefined();
      await store.delete('d.json'); // deleting what is gone is fine without a condition
    });

    it('lets exactly one of many concurrent creators win', async () => {
      const store = await makeStore();
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) => store.put('race.json', `writer ${i}`, { ifNoneMatch: true })),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(
        results
          .filter((r) => r.status === 'rejected')
          .every((r) => PreconditionFailed.is((r as PromiseRejectedResult).reason)),
      ).toBe(true);
    });
  });

  describe(`${name}: lock`, () => {
    it('is held by one; the other fails fast naming the holder', async () => {
      const store = await makeStore();
      const held = await acquireLock(store, 'app', 'apply', { who: 'alice@laptop' });
      const error = await rejects(acquireLock(store, 'app', 'apply', { who: 'bob@ci' }));
      expect(MsfctlError.is(error, 'LOCK_HELD')).toBe(true);
      expect((error as Error).message).toContain('locked by alice@laptop (apply');
      expect((error as MsfctlError).hint).toContain(`msfctl force-unlock ${held.info.id}`);
      await held.release();
      const next = await acquireLock(store, 'app', 'apply', { who: 'bob@ci' });
      expect((await readLock(store, 'app'))?.who).toBe('bob@ci');
      await next.release();
      expect(await readLock(store, 'app')).toBeUndefined();
    });

    it('locks applications independently', async () => {
      const store = await makeStore();
      const a = await acquireLock(store, 'a', 'apply');
      const b = await acquireLock(store, 'b', 'apply');
      await a.release();
      await b.release();
    });

    it('takes over a lock whose lease expired, and the old holder finds out', async () => {
      const store = await makeStore();
      let now = Date.parse('2026-01-01T00:00:00Z');
      const clock = { now: () => now, sleep: async () => undefined };
      const old = await acquireLock(store, 'app', 'apply', {
        who: 'gone@host',
        leaseMs: 60_000,
        clock,
        isProcessAlive: () => true,
        host: 'elsewhere',
      });
      now += 61_000;
      const fresh = await acquireLock(store, 'app', 'apply', { who: 'me@host', clock });
      expect(fresh.info.takenOverFrom).toBe(old.info.id);
      expect(MsfctlError.is(await rejects(old.renew()), 'LOCK_LOST')).toBe(true);
      expect(() => old.assertHeld()).toThrow(/removed or taken over/);
      await old.release(); // must not remove the new holder's lock
      expect((await readLock(store, 'app'))?.id).toBe(fresh.info.id);
      await fresh.release();
    });

    it('takes over a lock whose holder process on this host is gone', async () => {
      const store = await makeStore();
      const dead = await acquireLock(store, 'app', 'apply', { host: 'this-host' });
      // Rewrite the holder as another PID of this host.
      const current = (await store.get('app/lock.json'))!;
      await store.put('app/lock.json', JSON.stringify({ ...JSON.parse(current.body), pid: 999_999 }), {
        ifMatch: current.revision,
      });
      const next = await acquireLock(store, 'app', 'apply', {
        host: 'this-host',
        isProcessAlive: (pid) => pid !== 999_999,
      });
      expect(next.info.takenOverFrom).toBe(dead.info.id);
      await next.release();
    });

    it('lets exactly one of many simultaneous takeovers of a dead holder win', async () => {
      for (let round = 0; round < 5; round++) {
        const store = await makeStore();
        const dead = {
          id: `dead-${round}`,
          application: 'app',
          who: 'gone@this-host',
          operation: 'apply',
          createdAt: new Date().toISOString(),
          expiresAt: new Date(Date.now() + 600_000).toISOString(),
          pid: 999_999,
          host: 'this-host',
        };
        await store.put('app/lock.json', JSON.stringify(dead), { ifNoneMatch: true });
        const results = await Promise.allSettled(
          Array.from({ length: 10 }, (_, i) =>
            acquireLock(store, 'app', 'apply', {
              who: `contender-${i}`,
              host: 'this-host',
              isProcessAlive: (pid) => pid !== 999_999,
            }),
          ),
        );
        const winners = results.filter((r) => r.status === 'fulfilled');
        expect(winners, `round ${round}`).toHaveLength(1);
        for (const r of results) {
          if (r.status === 'rejected') expect(MsfctlError.is(r.reason, 'LOCK_HELD')).toBe(true);
        }
        const held = (winners[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof acquireLock>>>).value;
        expect((await readLock(store, 'app'))?.id).toBe(held.info.id);
        expect(held.info.takenOverFrom).toBe(dead.id);
        await held.release();
      }
    });

    it('renews the lease and keeps holding', async () => {
      const store = await makeStore();
      let now = 1_000_000;
      const clock = { now: () => now, sleep: async () => undefined };
      const held = await acquireLock(store, 'app', 'apply', { leaseMs: 10_000, clock });
      now += 8_000;
      await held.renew();
      expect(Date.parse((await readLock(store, 'app'))!.expiresAt)).toBe(now + 10_000);
      now += 8_000; // past the first lease, inside the renewed one
      expect(
        MsfctlError.is(
          await rejects(acquireLock(store, 'app', 'apply', { clock, isProcessAlive: () => true })),
          'LOCK_HELD',
        ),
      ).toBe(true);
      await held.release();
    });

    it('force-unlock removes the lock only with its ID', async () => {
      const store = await makeStore();
      const held = await acquireLock(store, 'app', 'apply');
      expect(((await rejects(forceUnlock(store, 'app', 'wrong-id'))) as Error).message).toContain(
        `has ID ${held.info.id}`,
      );
      expect((await forceUnlock(store, 'app', held.info.id)).id).toBe(held.info.id);
      expect(await readLock(store, 'app')).toBeUndefined();
      expect(((await rejects(forceUnlock(store, 'app', held.info.id))) as Error).message).toContain(
        'is not locked',
      );
    });

    it('force-unlock refuses while the holder is a running process on this host', async () => {
      const store = await makeStore();
      const holder = {
        id: 'held-by-4242',
        application: 'app',
        who: 'carol@h1',
        operation: 'apply',
        createdAt: new Date().toISOString(),
        expiresAt: new Date(Date.now() + 600_000).toISOString(),
        pid: 4242,
        host: 'h1',
      };
      await store.put('app/lock.json', JSON.stringify(holder), { ifNoneMatch: true });
      const refused = await rejects(
        forceUnlock(store, 'app', holder.id, { host: 'h1', isProcessAlive: (pid) => pid === 4242 }),
      );
      expect(MsfctlError.is(refused, 'LOCK_HELD')).toBe(true);
      expect((refused as MsfctlError).message).toContain('still running: msfctl apply by carol@h1, PID 4242');
      expect((refused as MsfctlError).hint).toContain('kill 4242');
      expect((await readLock(store, 'app'))?.id).toBe(holder.id);
      // Another host's process cannot be checked from here: the ID is the confirmation.
      expect(
        (await forceUnlock(store, 'app', holder.id, { host: 'h2', isProcessAlive: () => true })).id,
      ).toBe(holder.id);
    });
  });

  describe(`${name}: ledger`, () => {
    it('starts empty, writes with an increasing serial, reads back what was written', async () => {
      const store = await makeStore();
      const session = await LedgerSession.open(store, 'app');
      expect(session.ledger.serial).toBe(0);
      await session.update((l) => appendEntry(l, newEntry('apply', 'me', 'first')));
      await session.update((l) => appendEntry(l, newEntry('stop', 'me', 'second')));
      const { ledger } = await readLedger(store, 'app');
      expect(ledger.serial).toBe(2);
      expect(ledger.entries.map((e) => e.summary)).toEqual(['first', 'second']);
    });

    it('refuses a write over one it has not seen (no lost update)', async () => {
      const store = await makeStore();
      const a = await LedgerSession.open(store, 'app');
      await a.update((l) => appendEntry(l, newEntry('apply', 'a', 'a1')));
      const b = await LedgerSession.open(store, 'app');
      await b.update((l) => appendEntry(l, newEntry('apply', 'b', 'b1')));
      const error = await rejects(a.update((l) => appendEntry(l, newEntry('apply', 'a', 'a2'))));
      expect(MsfctlError.is(error, 'STATE')).toBe(true);
      expect((await readLedger(store, 'app')).ledger.entries.map((e) => e.summary)).toEqual(['a1', 'b1']);
    });
  });
}
