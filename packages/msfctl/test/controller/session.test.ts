/** Ctrl-C while a command holds the lock: the entry is recorded as interrupted, the lock released, and the user told. */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { processInterrupts } from '../../src/adapters/io/process-interrupts.js';
import { withLockedSession } from '../../src/controller/session.js';
import { createSilentHost } from '../../src/adapters/io/memory-host.js';
import { readLedger } from '../../src/controller/state/ledger-store.js';
import { LocalObjectStore } from '../../src/adapters/state/local-object-store.js';

function until(check: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const poll = () => (check() ? resolve() : setTimeout(poll, 5));
    poll();
  });
}

describe('withLockedSession on SIGINT', () => {
  it('records the entry as interrupted with the operation in flight, releases the lock, exits 130', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'msfctl-sigint-'));
    const store = new LocalObjectStore(dir);
    const host = createSilentHost();
    const exits: number[] = [];
    let acting = false;
    let finish = () => undefined as void;
    const before = process.listenerCount('SIGINT');
    const running = withLockedSession(
      {
        store,
        application: 'app',
        kind: 'apply',
        summary: 'apply',
        host,
        interrupts: processInterrupts((code) => void exits.push(code)),
      },
      async (session) => {
        await session.begin({ summary: 'update' });
        await session.recordOperation({ id: 'op-1', operation: 'UpdateApplication', status: 'IN_PROGRESS' });
        acting = true;
        await new Promise<void>((resolve) => (finish = resolve)); // waiting on the service
      },
    );
    await until(() => acting);
    expect(existsSync(path.join(dir, 'app', 'lock.json'))).toBe(true);
    process.emit('SIGINT');
    await until(() => exits.length > 0);

    expect(exits).toEqual([130]);
    expect(existsSync(path.join(dir, 'app', 'lock.json'))).toBe(false);
    const { ledger } = await readLedger(store, 'app');
    expect(ledger.entries).toHaveLength(1);
    expect(ledger.entries[0]).toMatchObject({
      outcome: 'interrupted',
      error: 'interrupted by SIGINT while UpdateApplication was in progress',
      operations: [{ id: 'op-1', status: 'IN_PROGRESS' }],
    });
    const warning = host.messages.find((m) => m.code === 'MSF_SESSION_W1001');
    expect(warning?.text).toContain(
      'UpdateApplication (operation op-1) was already sent and keeps running on the service',
    );
    expect(warning?.text).toContain('`msfctl status` shows where app is now');

    // A second Ctrl-C while the first is being handled exits at once; the handlers stay until the body ends.
    process.emit('SIGINT');
    expect(exits).toEqual([130, 130]);
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    finish();
    await running;
    expect(process.listenerCount('SIGINT')).toBe(before);
  });

  it('with no operation in flight (e.g. during the health watch), says what did not run', async () => {
    const store = new LocalObjectStore(mkdtempSync(path.join(tmpdir(), 'msfctl-sigint-')));
    const host = createSilentHost();
    const exits: number[] = [];
    let finish = () => undefined as void;
    let acting = false;
    const running = withLockedSession(
      {
        store,
        application: 'app',
        kind: 'start',
        summary: 'start',
        host,
        interrupts: processInterrupts((code) => void exits.push(code)),
      },
      async (session) => {
        await session.begin();
        await session.recordOperation({ id: 'op-2', operation: 'StartApplication', status: 'SUCCESSFUL' });
        acting = true;
        await new Promise<void>((resolve) => (finish = resolve)); // baking
      },
    );
    await until(() => acting);
    process.emit('SIGTERM');
    await until(() => exits.length > 0);
    expect(exits).toEqual([143]);
    expect(host.messages.find((m) => m.code === 'MSF_SESSION_W1001')?.text).toContain(
      'No service operation was in flight; what was left (such as the health watch) did not run: `msfctl health` checks the job.',
    );
    expect((await readLedger(store, 'app')).ledger.entries[0]).toMatchObject({
      outcome: 'interrupted',
      error: 'interrupted by SIGTERM',
    });
    finish();
    await running;
  });

  it('before the command changed anything (planning, building the JAR): says so and records nothing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'msfctl-sigint-'));
    const store = new LocalObjectStore(dir);
    const host = createSilentHost();
    const exits: number[] = [];
    let finish = () => undefined as void;
    let planning = false;
    const running = withLockedSession(
      {
        store,
        application: 'app',
        kind: 'apply',
        summary: 'apply',
        host,
        interrupts: processInterrupts((code) => void exits.push(code)),
      },
      async () => {
        planning = true;
        await new Promise<void>((resolve) => (finish = resolve)); // Maven is building
      },
    );
    await until(() => planning);
    process.emit('SIGINT');
    await until(() => exits.length > 0);
    expect(exits).toEqual([130]);
    expect(host.messages.find((m) => m.code === 'MSF_SESSION_W1001')?.text).toBe(
      'Interrupted (SIGINT): msfctl apply stopped before changing anything on app.',
    );
    expect(existsSync(path.join(dir, 'app', 'lock.json'))).toBe(false);
    expect((await readLedger(store, 'app')).ledger.entries).toEqual([]);
    finish();
    await running;
  });

  it('removes its signal handlers when the command ends', async () => {
    const store = new LocalObjectStore(mkdtempSync(path.join(tmpdir(), 'msfctl-sigint-')));
    const before = [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
    await withLockedSession(
      {
        store,
        application: 'app',
        kind: 'stop',
        summary: 'stop',
        host: createSilentHost(),
        interrupts: processInterrupts(() => undefined),
      },
      async () => expect(process.listenerCount('SIGINT')).toBe(before[0]! + 1),
    );
    expect([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')]).toEqual(before);
  });

  it('a library caller without interrupts: no process signal handler at all', async () => {
    const store = new LocalObjectStore(mkdtempSync(path.join(tmpdir(), 'msfctl-sigint-')));
    const before = [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
    await withLockedSession(
      { store, application: 'app', kind: 'stop', summary: 'stop', host: createSilentHost() },
      async () => expect([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')]).toEqual(before),
    );
  });
});
