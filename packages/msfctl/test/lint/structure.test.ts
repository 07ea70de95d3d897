/**
 * The repository's structural lint (.dependency-cruiser.cjs, run by `npm run lint`) on small fixtures laid out
 * like the repository: it must fail on a deliberately introduced cycle — `import type` ones included — and on
 * an import across a declared boundary, and pass a tree that keeps the rules.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult, type IConfiguration } from 'dependency-cruiser';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const config = createRequire(import.meta.url)(path.join(REPO, '.dependency-cruiser.cjs')) as IConfiguration;
const dirs: string[] = [];

/** Writes the files under a fresh root and cruises its packages/ with the repository's rules. */
async function lint(files: Record<string, string>): Promise<{ rule: string; from: string; to: string }[]> {
  const root = mkdtempSync(path.join(tmpdir(), 'msfctl-lint-'));
  dirs.push(root);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  const { tsConfig: _repoTsConfig, ...options } = config.options ?? {};
  const result = await cruise(['packages'], {
    ...options,
    baseDir: root,
    ruleSet: { forbidden: config.forbidden ?? [] },
    validate: true,
  });
  const output = result.output as ICruiseResult;
  return output.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A tree that keeps the rules: cli → controller → engine → model, an adapter implementing a port. */
const CLEAN = {
  'packages/msfctl/src/model/plan.ts': 'export interface Plan { actions: string[] }\n',
  'packages/msfctl/src/engine/planner.ts':
    "import type { Plan } from '../model/plan.js';\nexport const plan = (): Plan => ({ actions: [] });\n",
  'packages/msfctl/src/ports/msf.ts':
    "import type { Plan } from '../model/plan.js';\nexport interface Msf { run(p: Plan): void }\n",
  'packages/msfctl/src/controller/apply.ts':
    "import { plan } from '../engine/planner.js';\nimport type { Msf } from '../ports/msf.js';\nexport const apply = (msf: Msf) => msf.run(plan());\n",
  'packages/msfctl/src/adapters/aws/msf.ts':
    "import type { Msf } from '../../ports/msf.js';\nexport const sdk: Msf = { run: () => undefined };\n",
  'packages/msfctl/src/cli/main.ts':
    "import { sdk } from '../adapters/aws/msf.js';\nimport { apply } from '../controller/apply.js';\napply(sdk);\n",
  'packages/msf-local/src/index.ts': 'export const local = 1;\n',
};

describe('the structural lint', () => {
  it('passes a tree that keeps the rules', async () => {
    expect(await lint(CLEAN)).toEqual([]);
  });

  it('fails on an import cycle made only of `import type`', async () => {
    const violations = await lint({
      ...CLEAN,
      'packages/msfctl/src/model/a.ts': "import type { B } from './b.js';\nexport interface A { b?: B }\n",
      'packages/msfctl/src/model/b.ts': "import type { A } from './a.js';\nexport interface B { a?: A }\n",
    });
    expect(violations.map((v) => v.rule)).toContain('no-circular');
    expect(violations.filter((v) => v.rule === 'no-circular').map((v) => v.from)).toContain(
      'packages/msfctl/src/model/a.ts',
    );
  });

  it('fails on a cycle through three modules in msf-local too', async () => {
    const violations = await lint({
      ...CLEAN,
      'packages/msf-local/src/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
      'packages/msf-local/src/b.ts': "import { c } from './c.js';\nexport const b = () => c;\n",
      'packages/msf-local/src/c.ts': "import { a } from './a.js';\nexport const c = () => a;\n",
    });
    const cycles = violations.filter((v) => v.rule === 'no-circular');
    expect(cycles.length).toBeGreaterThan(0);
    expect(cycles.every((v) => v.from.startsWith('packages/msf-local/src/'))).toBe(true);
  });

  it('fails on an import against the layers: the engine importing the controller (type-only)', async () => {
    const violations = await lint({
      ...CLEAN,
      'packages/msfctl/src/engine/verbs.ts':
        "import type { apply } from '../controller/apply.js';\nexport type Apply = typeof apply;\n",
    });
    expect(violations).toContainEqual({
      rule: 'layer-engine',
      from: 'packages/msfctl/src/engine/verbs.ts',
      to: 'packages/msfctl/src/controller/apply.ts',
    });
  });

  it('fails on the controller importing an adapter, and on a port importing the controller', async () => {
    const violations = await lint({
      ...CLEAN,
      'packages/msfctl/src/controller/start.ts':
        "import { sdk } from '../adapters/aws/msf.js';\nexport const start = () => sdk;\n",
      'packages/msfctl/src/ports/target.ts':
        "import type { apply } from '../controller/apply.js';\nexport type T = typeof apply;\n",
    });
    expect(violations.map((v) => v.rule).sort()).toEqual(['layer-controller', 'layer-ports']);
  });

  it("fails on msfctl reaching into msf-local's files by path", async () => {
    const violations = await lint({
      ...CLEAN,
      'packages/msfctl/src/adapters/inspector/build.ts':
        "import { local } from '../../../../msf-local/src/index.js';\nexport const build = local;\n",
    });
    expect(violations.map((v) => v.rule)).toEqual(
      expect.arrayContaining(['no-reach-into-other-packages', 'msfctl-msf-local-only-in-local-target']),
    );
  });
});
