/**
 * Loads the application spec from `msfctl.yaml` (or `-f FILE`, YAML or JSON) or from the seed's
 * `config.tfvars.json` (`--tfvars`), applies the chosen environment and command-line overrides, and validates
 * the result. Every error names the file, line, field path and reason.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { MsfctlError } from '../model/errors.js';
import { chooseEnvironment, mergeEnvironment } from './environments.js';
import { describeIssues, formatIssues, type Locator, type PathSegment, type SpecIssue } from './issues.js';
import { knownKeysAt } from './known-keys.js';
import { applicationSpecSchema, type ApplicationSpec } from './schema.js';
import { readTfvars, type TfvarsMappingEntry } from './tfvars.js';

export const DEFAULT_SPEC_FILES = ['msfctl.yaml', 'msfctl.yml', 'msfctl.json'];

/** msf-local checks no IAM; a local target may leave the role out. */
export const LOCAL_PLACEHOLDER_ROLE = 'arn:aws:iam::000000000000:role/msf-local';

export interface SpecOverrides {
  /** --role, or MSFCTL_ROLE_ARN. */
  role?: string;
  /** --jar FILE / --maven DIR (paths relative to the working directory). */
  code?: { jar: string } | { maven: string };
  /** --target aws|local. */
  targetKind?: 'aws' | 'local';
}

export interface LoadSpecOptions {
  file?: string;
  tfvars?: string;
  environment?: string;
  cwd?: string;
  overrides?: SpecOverrides;
  env?: NodeJS.ProcessEnv;
}

export interface LoadedSpec {
  spec: ApplicationSpec;
  source: { kind: 'spec' | 'tfvars'; path: string; environment?: string };
  /** Directory relative paths in the spec are resolved against (and where `.msfctl/` lives by default). */
  baseDir: string;
  warnings: string[];
  tfvarsMapping?: TfvarsMappingEntry[];
  /** SHA-256 of the resolved spec: recorded in the ledger with every deployment. */
  digest: string;
}

interface RawSource {
  kind: 'spec' | 'tfvars';
  path: string;
  document: Record<string, unknown>;
  yaml?: Document;
  lines?: LineCounter;
  warnings: string[];
  mapping?: TfvarsMappingEntry[];
}

export function findSpecFile(cwd: string): string | undefined {
  return DEFAULT_SPEC_FILES.map((f) => path.join(cwd, f)).find((f) => existsSync(f));
}

export function loadSpec(options: LoadSpecOptions = {}): LoadedSpec {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const raw = readSource(options, cwd);
  const environments = raw.kind === 'spec' ? readEnvironments(raw) : {};
  const names = Object.keys(environments);
  const choice = chooseEnvironment(
    names,
    options.environment ?? undefined,
    stringField(raw.document.defaultEnvironment),
    env.MSFCTL_ENV,
  );
  if (choice.name !== undefined && !names.includes(choice.name)) {
    throw new MsfctlError(
      'SPEC_INVALID',
      `${rel(raw.path, cwd)} has no environment "${choice.name}" (from ${choice.source}).`,
      {
        hint: names.length ? `Known environments: ${names.join(', ')}.` : 'The file defines no environments.',
      },
    );
  }
  return resolve(raw, choice.name, environments, options, cwd, env);
}

/** Validates every environment and what plan uses without --env (the base spec, when no environment is the default); for `msfctl validate`. */
export function loadAllEnvironments(
  options: LoadSpecOptions = {},
): { name: string | undefined; result: LoadedSpec | MsfctlError }[] {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const raw = readSource(options, cwd);
  const environments = raw.kind === 'spec' ? readEnvironments(raw) : {};
  const names = Object.keys(environments);
  // What plan uses without --env is checked too: the base spec when no environment is chosen by default.
  const chosen = chooseEnvironment(
    names,
    options.environment ?? undefined,
    stringField(raw.document.defaultEnvironment),
    env.MSFCTL_ENV,
  );
  const targets: (string | undefined)[] =
    names.length && chosen.name === undefined ? [undefined, ...names] : names.length ? names : [undefined];
  return targets.map((name) => {
    try {
      return { name, result: resolve(raw, name, environments, options, cwd, env) };
    } catch (error) {
      if (MsfctlError.is(error)) return { name, result: error };
      throw error;
    }
  });
}

function resolve(
  raw: RawSource,
  environment: string | undefined,
  environments: Record<string, Record<string, unknown>>,
  options: LoadSpecOptions,
  cwd: string,
  env: NodeJS.ProcessEnv,
): LoadedSpec {
  const { environments: _e, defaultEnvironment: _d, ...base } = raw.document;
  let merged = environment ? mergeEnvironment(base, environments[environment] ?? {}) : base;
  const overrides = options.overrides ?? {};
  merged = applyOverrides(merged, overrides, env, cwd, raw.kind);

  const parsed = applicationSpecSchema.safeParse(merged);
  const where = `${rel(raw.path, cwd)}${environment ? ` (environment ${environment})` : ''}`;
  if (!parsed.success) {
    const issues = describeIssues(parsed.error.issues, {
      knownKeys: (p) => knownKeysAt(applicationSpecSchema, p),
      locate: raw.yaml && raw.lines ? locator(raw.yaml, raw.lines, environment) : undefined,
      present: (p) => hasValueAt(merged, p),
    });
    for (const issue of issues) {
      if (issue.path === 'role' && issue.message === 'is required') {
        issue.message +=
          raw.kind === 'tfvars'
            ? " (the seed's Terraform creates the role: give --role ARN or set MSFCTL_ROLE_ARN)"
            : ' (or give --role ARN / MSFCTL_ROLE_ARN)';
      }
    }
    throw specInvalid(raw, where, issues, cwd);
  }
  const baseDir = raw.kind === 'spec' ? path.dirname(raw.path) : cwd;
  const spec = absolutize(parsed.data, baseDir);
  return {
    spec,
    source: { kind: raw.kind, path: raw.path, ...(environment ? { environment } : {}) },
    baseDir,
    warnings: raw.warnings,
    ...(raw.mapping ? { tfvarsMapping: raw.mapping } : {}),
    digest: createHash('sha256').update(canonicalJson(spec)).digest('hex'),
  };
}

function applyOverrides(
  doc: Record<string, unknown>,
  overrides: SpecOverrides,
  env: NodeJS.ProcessEnv,
  cwd: string,
  kind: 'spec' | 'tfvars',
): Record<string, unknown> {
  const out = { ...doc };
  if (overrides.targetKind) {
    const current = out.target;
    const base = typeof current === 'object' && current !== null ? (current as Record<string, unknown>) : {};
    out.target = { ...(overrides.targetKind === 'local' ? {} : base), kind: overrides.targetKind };
  }
  // tfvars code overrides were applied while reading the file (they also move s3_bucket_name).
  if (overrides.code && kind === 'spec') {
    out.code =
      'jar' in overrides.code
        ? { jar: path.resolve(cwd, overrides.code.jar) }
        : { maven: path.resolve(cwd, overrides.code.maven) };
  }
  const role = overrides.role ?? env.MSFCTL_ROLE_ARN;
  if (role) out.role = role;
  const target = out.target;
  const isLocal =
    target === 'local' ||
    (typeof target === 'object' && target !== null && (target as { kind?: unknown }).kind === 'local');
  if (isLocal && out.role === undefined) out.role = LOCAL_PLACEHOLDER_ROLE;
  return out;
}

function readSource(options: LoadSpecOptions, cwd: string): RawSource {
  if (options.tfvars) {
    const file = path.resolve(cwd, options.tfvars);
    const text = readText(file, 'tfvars');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new MsfctlError(
        'TFVARS_INVALID',
        `${rel(file, cwd)} is not valid JSON: ${(error as Error).message}`,
        {
          hint: 'msfctl reads the JSON form of tfvars (config.tfvars.json); HCL .tfvars files are not supported.',
        },
      );
    }
    const code = options.overrides?.code;
    const result = readTfvars(
      json,
      code
        ? {
            codeOverride:
              'jar' in code ? { jar: path.resolve(cwd, code.jar) } : { maven: path.resolve(cwd, code.maven) },
          }
        : {},
    );
    if (result.problems.length) {
      throw new MsfctlError(
        'TFVARS_INVALID',
        `${rel(file, cwd)} cannot be used:\n${result.problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`,
        {
          hint: 'Fix the variables above; `msfctl validate --tfvars FILE` shows how each variable maps to the spec.',
          details: { problems: result.problems },
        },
      );
    }
    return {
      kind: 'tfvars',
      path: file,
      document: result.document,
      warnings: result.warnings,
      mapping: result.mapping,
    };
  }
  const file = options.file ? path.resolve(cwd, options.file) : findSpecFile(cwd);
  if (!file) {
    throw new MsfctlError(
      'SPEC_NOT_FOUND',
      `No spec found in ${cwd} (looked for ${DEFAULT_SPEC_FILES.join(', ')}).`,
      {
        hint: 'Write one (see `msfctl import APP` to start from an existing application), or pass -f FILE or --tfvars FILE.',
      },
    );
  }
  const text = readText(file, 'spec');
  const lines = new LineCounter();
  const yaml = parseDocument(text, { lineCounter: lines, prettyErrors: true });
  if (yaml.errors.length) {
    const first = yaml.errors[0]!;
    const pos = first.linePos?.[0];
    throw new MsfctlError(
      'SPEC_INVALID',
      `${rel(file, cwd)}${pos ? `:${pos.line}:${pos.col}` : ''} cannot be parsed: ${first.message.split('\n')[0]}`,
      {
        hint: 'The spec is YAML (or JSON). Check indentation and quoting around the reported line.',
      },
    );
  }
  const document = yaml.toJS() as unknown;
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new MsfctlError(
      'SPEC_INVALID',
      `${rel(file, cwd)} must be a mapping of fields (application, runtime, code, ...).`,
    );
  }
  return {
    kind: 'spec',
    path: file,
    document: document as Record<string, unknown>,
    yaml,
    lines,
    warnings: [],
  };
}

function readEnvironments(raw: RawSource): Record<string, Record<string, unknown>> {
  const value = raw.document.environments;
  if (value === undefined || value === null) return {};
  const issues: SpecIssue[] = [];
  if (typeof value !== 'object' || Array.isArray(value)) {
    issues.push({ path: 'environments', message: 'must be a mapping of environment names to overrides' });
  } else {
    for (const [name, body] of Object.entries(value)) {
      if (!/^[a-zA-Z0-9_.-]+$/.test(name))
        issues.push({
          path: `environments.${name}`,
          message: 'environment names contain only letters, digits, "_", "." and "-"',
        });
      if (typeof body !== 'object' || body === null || Array.isArray(body))
        issues.push({ path: `environments.${name}`, message: 'must be a mapping of fields to override' });
      else if ('environments' in body)
        issues.push({ path: `environments.${name}.environments`, message: 'environments cannot be nested' });
    }
  }
  if (issues.length) throw specInvalid(raw, raw.path, issues, process.cwd());
  return value as Record<string, Record<string, unknown>>;
}

function specInvalid(raw: RawSource, where: string, issues: SpecIssue[], cwd: string): MsfctlError {
  return new MsfctlError(
    'SPEC_INVALID',
    `${where} is not a valid spec:\n${formatIssues(rel(raw.path, cwd), issues)}`,
    {
      hint:
        raw.kind === 'tfvars'
          ? 'These fields come from the tfvars mapping; `msfctl validate --tfvars FILE` shows which variable became which field.'
          : 'Fix the fields above and run `msfctl validate`.',
      details: { issues },
    },
  );
}

/** Finds a path in the YAML source: in the environment's override first, then in the base. */
function locator(doc: Document, lines: LineCounter, environment: string | undefined): Locator {
  const find = (p: readonly PathSegment[], keyOf?: string) => {
    const node = doc.getIn(p as PathSegment[], true);
    if (keyOf !== undefined) {
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === keyOf);
        const range = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
        if (range) return lines.linePos(range[0]);
      }
      return undefined;
    }
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    return range ? lines.linePos(range[0]) : undefined;
  };
  return (p, keyOf) => {
    const pos =
      (environment ? find(['environments', environment, ...p], keyOf) : undefined) ?? find(p, keyOf);
    return pos ? { line: pos.line, column: pos.col } : undefined;
  };
}

function absolutize(spec: ApplicationSpec, baseDir: string): ApplicationSpec {
  const code = { ...spec.code };
  if (code.jar) code.jar = path.resolve(baseDir, code.jar);
  if (typeof code.maven === 'string') code.maven = path.resolve(baseDir, code.maven);
  else if (code.maven) code.maven = { ...code.maven, dir: path.resolve(baseDir, code.maven.dir) };
  const target = spec.target.dataDir
    ? { ...spec.target, dataDir: expandHome(spec.target.dataDir, baseDir) }
    : spec.target;
  return { ...spec, code, target };
}

function expandHome(p: string, baseDir: string): string {
  if (p === '~' || p.startsWith('~/')) return path.join(process.env.HOME ?? '', p.slice(1));
  return path.resolve(baseDir, p);
}

function readText(file: string, what: 'spec' | 'tfvars'): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new MsfctlError(
      what === 'spec' ? 'SPEC_NOT_FOUND' : 'TFVARS_INVALID',
      `Cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}.`,
    );
  }
}

/** False only when an object on the path lacks the key: a shorthand string (`restore: latest`) counts as there. */
function hasValueAt(doc: unknown, p: readonly PathSegment[]): boolean {
  let value = doc;
  for (const key of p) {
    if (typeof value !== 'object' || value === null) return true;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value !== undefined;
}

function stringField(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

function rel(file: string, cwd: string): string {
  const r = path.relative(cwd, file);
  return r && !r.startsWith('..') ? r : file;
}

/** JSON with sorted keys, so equal specs digest equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}
