import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpecSet } from '../../src/spec/spec-set.js';

const ROLE = 'arn:aws:iam::123456789012:role/flink';

function spec(name: string, extra = ''): string {
  return `application: ${name}
runtime: FLINK-1_19
role: ${ROLE}
code:
  s3: { bucket: code-bucket, key: ${name}.jar }
${extra}`;
}

function tree(files: Record<string, string>): string {
  const d = mkdtempSync(path.join(tmpdir(), 'msfctl-specset-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(d, name)), { recursive: true });
    writeFileSync(path.join(d, name), text);
  }
  return d;
}

const names = (set: ReturnType<typeof loadSpecSet>) => set.loaded.map((l) => l.spec.application);

describe('spec sets', () => {
  it('a directory contributes its spec files (not hidden ones, not subdirectories), sorted by path', () => {
    const cwd = tree({
      'fleet/b.yaml': spec('bravo'),
      'fleet/a.yml': spec('alpha'),
      'fleet/c.json': JSON.stringify({
        application: 'charlie',
        runtime: 'FLINK-1_19',
        role: ROLE,
        code: { s3: { bucket: 'b-bucket', key: 'c.jar' } },
      }),
      'fleet/README.md': '# not a spec',
      'fleet/.hidden.yaml': spec('hidden'),
      'fleet/nested/d.yaml': spec('delta'),
    });
    const set = loadSpecSet({ sources: ['fleet'], cwd, env: {} });
    expect(set.errors).toEqual([]);
    expect(names(set)).toEqual(['alpha', 'bravo', 'charlie']);
  });

  it('globs and repeated files combine; a file named twice loads once', () => {
    const cwd = tree({
      'one/a.yaml': spec('alpha'),
      'two/b.yaml': spec('bravo'),
      'two/c.yaml': spec('charlie'),
      'x.yaml': spec('xray'),
    });
    const set = loadSpecSet({ sources: ['two/*.yaml', 'x.yaml', 'one', 'two/b.yaml'], cwd, env: {} });
    expect(set.errors).toEqual([]);
    expect(names(set).sort()).toEqual(['alpha', 'bravo', 'charlie', 'xray']);
  });

  it('a broken file is an error naming file, line and field; the others load', () => {
    const cwd = tree({
      'fleet/good.yaml': spec('good'),
      'fleet/bad.yaml': spec('bad').replace('FLINK-1_19', 'FLINK-0_1'),
      'fleet/unparsable.yaml': 'application: [unclosed',
    });
    const set = loadSpecSet({ sources: ['fleet'], cwd, env: {} });
    expect(names(set)).toEqual(['good']);
    expect(set.errors).toHaveLength(2);
    const bad = set.errors.find((e) => e.file.endsWith('bad.yaml'))!;
    expect(bad.error.code).toBe('SPEC_INVALID');
    expect(bad.error.message).toMatch(/fleet\/bad\.yaml:2:\d+: runtime: must be one of/);
    const unparsable = set.errors.find((e) => e.file.endsWith('unparsable.yaml'))!;
    expect(unparsable.error.message).toMatch(/fleet\/unparsable\.yaml:\d+:\d+ cannot be parsed/);
  });

  it('a source matching nothing is an error of its own', () => {
    const cwd = tree({ 'a.yaml': spec('alpha') });
    const set = loadSpecSet({ sources: ['a.yaml', 'nowhere/*.yaml', 'missing.yaml'], cwd, env: {} });
    expect(names(set)).toEqual(['alpha']);
    expect(set.errors.map((e) => [e.file, e.error.code])).toEqual([
      ['nowhere/*.yaml', 'SPEC_NOT_FOUND'],
      ['missing.yaml', 'SPEC_NOT_FOUND'],
    ]);
  });

  it('environments apply to every file as today; a file without the environment is an error', () => {
    const withProd = `environments:\n  prod:\n    parallelism: { parallelism: 4 }\n`;
    const cwd = tree({ 'f/a.yaml': spec('alpha', withProd), 'f/b.yaml': spec('bravo') });
    const set = loadSpecSet({ sources: ['f'], cwd, environment: 'prod', env: {} });
    expect(names(set)).toEqual(['alpha']);
    expect(set.loaded[0]!.spec.parallelism?.parallelism).toBe(4);
    expect(set.loaded[0]!.source.environment).toBe('prod');
    expect(set.errors[0]!.error.message).toMatch(/f\/b\.yaml has no environment "prod"/);
  });

  it('two files for one application on one target: neither is used, each names the other', () => {
    const cwd = tree({
      'f/a.yaml': spec('same'),
      'f/b.yaml': spec('same'),
      'f/c.yaml': spec('same', 'target: { kind: aws, region: eu-west-1 }\n'),
    });
    const set = loadSpecSet({ sources: ['f'], cwd, env: {} });
    expect(names(set)).toEqual(['same']);
    expect(set.loaded[0]!.source.path).toMatch(/c\.yaml$/);
    expect(set.errors.map((e) => e.error.message)).toEqual([
      'f/a.yaml: application: same is also defined in f/b.yaml.',
      'f/b.yaml: application: same is also defined in f/a.yaml.',
    ]);
  });

  it('refuses one code override for a whole fleet', () => {
    const cwd = tree({ 'a.yaml': spec('alpha') });
    expect(() => loadSpecSet({ sources: ['a.yaml'], cwd, overrides: { code: { jar: 'x.jar' } } })).toThrow(
      /--jar and --maven name the code of one application/,
    );
  });
});
