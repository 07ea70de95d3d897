import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LocalObjectStore } from '../../src/adapters/state/local-object-store.js';
import { runStateConformance } from './conformance.js';

runStateConformance(
  'local directory',
  async () => new LocalObjectStore(mkdtempSync(path.join(tmpdir(), 'msfctl-state-'))),
);

/** Runs the contender fixture; resolves with its output lines. */
function contender(dir: string, start: number, rounds: number): Promise<string[]> {
  const script = fileURLToPath(new URL('./fixtures/lock-contender.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, dir, String(start), String(rounds)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(out.trim().split('\n')) : reject(new Error(`exit ${code}`)),
    );
  });
}

describe('local directory: simultaneous takeover across processes', () => {
  it('of six processes taking over a dead holder in the same instant, exactly one wins, every round', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'msfctl-state-'));
    const store = new LocalObjectStore(dir);
    const rounds = 5;
    for (let round = 0; round < rounds; round++) {
      const dead = {
        id: `dead-${round}`,
        application: `round-${round}`,
        who: 'gone',
        operation: 'apply',
        createdAt: new Date().toISOString(),
        expiresAt: new Date(Date.now() - 1000).toISOString(), // expired: every contender may take it over
        pid: 999_999,
        host: 'elsewhere',
      };
      await store.put(`round-${round}/lock.json`, JSON.stringify(dead), { ifNoneMatch: true });
    }
    // Far enough ahead for six Node processes to start on a busy machine.
    const start = Date.now() + 12_000;
    const outputs = await Promise.all(Array.from({ length: 6 }, () => contender(dir, start, rounds)));
    expect(outputs.flat()).not.toContain('late');
    for (let round = 0; round < rounds; round++) {
      const lines = outputs.map((lines) => lines.find((l) => l.startsWith(`${round} `)));
      expect(
        lines.filter((l) => l === `${round} won from dead-${round}`),
        `round ${round}: ${lines.join(' | ')}`,
      ).toHaveLength(1);
      expect(lines.filter((l) => l?.startsWith(`${round} held LOCK_HELD`))).toHaveLength(5);
    }
  }, 60_000);
});
