/** A kill at any moment never leaves a corrupt ledger: SIGKILL a writer mid-stream, repeatedly, and read. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { LocalObjectStore } from '../../src/adapters/state/local-object-store.js';
import { readLedger } from '../../src/controller/state/ledger-store.js';

const writer = fileURLToPath(new URL('./fixtures/ledger-writer.ts', import.meta.url));

async function writeThenKill(dir: string, afterMs: number): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', writer, dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`writer exited early (${code})`)));
  });
  await new Promise((r) => setTimeout(r, afterMs));
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

it(
  'survives SIGKILL during writes: the ledger always parses and the serial never goes back',
  { timeout: 60_000 },
  async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'msfctl-kill-'));
    const store = new LocalObjectStore(dir);
    let lastSerial = 0;
    for (const afterMs of [30, 90, 170, 250, 400]) {
      await writeThenKill(dir, afterMs);
      const { ledger } = await readLedger(store, 'app'); // throws on a torn or partial file
      expect(ledger.serial).toBeGreaterThanOrEqual(lastSerial);
      expect(ledger.entries).toHaveLength(Math.min(ledger.serial, 500));
      lastSerial = ledger.serial;
    }
    expect(lastSerial).toBeGreaterThan(5);
    // Temp files a kill left behind are never read as the ledger.
    expect(readdirSync(path.join(dir, 'app')).filter((f) => f === 'ledger.json')).toHaveLength(1);
  },
);
