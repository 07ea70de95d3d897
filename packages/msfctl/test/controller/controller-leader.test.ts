/**
 * The controller's leader lock across hosts (where a dead holder's process cannot be seen): one controller
 * leads, the other stands by; when the leader stops renewing (a kill -9 elsewhere), the standby takes over only
 * once the lease has run out; a released lock is taken at the next pass.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalObjectStore } from '../../src/adapters/state/local-object-store.js';
import { Controller } from '../../src/controller/controller-loop.js';
import { fakeClock } from '../fakes/fake-msf.js';

function pair() {
  const store = new LocalObjectStore(mkdtempSync(path.join(tmpdir(), 'msfctl-leader-')));
  const clock = fakeClock();
  const make = (host: string) =>
    new Controller({
      load: () => ({ apps: [], errors: [] }),
      store,
      intervalMs: 1_000,
      leaseMs: 30_000,
      clock,
      log: () => undefined,
      // Another host: its process cannot be checked, only its lease.
      lock: { host, isProcessAlive: () => true },
    });
  return { clock, a: make('host-a'), b: make('host-b') };
}

describe('controller leader lock', () => {
  it('one leads, the other stands by and names the holder', async () => {
    const { a, b } = pair();
    expect((await a.pass()).leader).toBe(true);
    const standby = await b.pass();
    expect(standby.leader).toBe(false);
    expect(standby.holder).toMatchObject({ host: 'host-a' });
    expect((await a.pass()).leader).toBe(true);
    await a.release();
  });

  it('a leader that stops renewing (kill -9): taken over only after its lease', async () => {
    const { clock, a, b } = pair();
    await a.pass(); // a leads, then "dies": no heartbeat, no release
    (a as unknown as { lock: { stopHeartbeat(): void } }).lock.stopHeartbeat();
    clock.advance(29_000);
    expect((await b.pass()).leader).toBe(false);
    clock.advance(2_000);
    expect((await b.pass()).leader).toBe(true);
    await b.release();
  });

  it('a released lock (SIGTERM) is taken at the next pass', async () => {
    const { a, b } = pair();
    await a.pass();
    await a.release();
    expect(a.report.leader).toBe(false);
    expect((await b.pass()).leader).toBe(true);
    await b.release();
  });
});
