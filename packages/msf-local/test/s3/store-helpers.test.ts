import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  readJsonFile,
  removeStaleTempFiles,
  tempPathFor,
  writeFileAtomic,
  writeJsonAtomic,
} from '../../src/store/atomic-file.js';
import { hashedName, resolveInside, safeSegment } from '../../src/store/safe-path.js';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'msf-store-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('atomic files', () => {
  it('writes, overwrites and reads back JSON, leaving no temp files', async () => {
    const file = path.join(dir, 'nested', 'a.json');
    await writeJsonAtomic(file, { a: 1 });
    await writeJsonAtomic(file, { a: 2 });
    expect(await readJsonFile(file)).toEqual({ a: 2 });
    expect(await fs.readdir(path.dirname(file))).toEqual(['a.json']);
  });

  it('answers undefined for a missing file and an error for a corrupt one', async () => {
    expect(await readJsonFile(path.join(dir, 'missing.json'))).toBeUndefined();
    await fs.writeFile(path.join(dir, 'bad.json'), '{"a":');
    await expect(readJsonFile(path.join(dir, 'bad.json'))).rejects.toThrow(/Corrupt JSON file/);
  });

  it('writes binary data byte for byte', async () => {
    const data = Buffer.from([0, 1, 2, 255, 10, 13]);
    await writeFileAtomic(path.join(dir, 'b.bin'), data);
    expect(await fs.readFile(path.join(dir, 'b.bin'))).toEqual(data);
  });

  it('removes temp files left by a crash, and only those', async () => {
    const target = path.join(dir, 'x.json');
    await fs.writeFile(tempPathFor(target), 'half');
    await writeJsonAtomic(target, 1);
    expect(await removeStaleTempFiles(dir)).toBe(1);
    expect(await fs.readdir(dir)).toEqual(['x.json']);
  });
});

describe('safe paths', () => {
  it('never lets a name leave the root', () => {
    for (const evil of ['..', '../x', '../../etc/passwd', '/etc/passwd', 'a/../../b', '.', '']) {
      const seg = safeSegment(evil);
      expect(seg).not.toMatch(/[/\\]/);
      expect(seg).not.toBe('..');
      expect(seg).not.toBe('.');
      expect(resolveInside(dir, seg).startsWith(dir + path.sep)).toBe(true);
    }
    expect(() => resolveInside(dir, '../x')).toThrow(/escapes/);
    expect(() => resolveInside(dir, '/etc/passwd')).toThrow(/escapes/);
    expect(() => resolveInside(dir, 'a\0b')).toThrow(/NUL/);
    expect(() => resolveInside(dir, '.')).toThrow(/escapes/);
  });

  it('keeps distinct names distinct', () => {
    expect(safeSegment('a.b')).not.toBe(safeSegment('a_b'));
    expect(safeSegment('my-app_1')).toBe('my-app_1');
    expect(hashedName('x')).toHaveLength(64);
    expect(safeSegment('x'.repeat(500))).toMatch(/^\.h[0-9a-f]{64}$/);
  });
});
