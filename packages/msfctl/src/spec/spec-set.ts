/**
 * A spec set: the specs of a fleet, from directories (their spec files, not recursive), globs and files, each
 * file one application with its environments as `loadSpec` reads them. A file that cannot be used is an error
 * member naming the file (and the field), and does not stop the others from loading.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { globSync, isDynamicPattern } from 'tinyglobby';
import { MsfctlError } from '../model/errors.js';
import { loadSpec, type LoadedSpec, type SpecOverrides } from './load.js';

/** The files a directory contributes: its spec files, by extension. */
export const SPEC_EXTENSIONS = ['yaml', 'yml', 'json'];

export interface SpecSetOptions {
  /** Directories, glob patterns or files, as given (repeated -f, positional arguments). */
  sources: readonly string[];
  environment?: string;
  cwd?: string;
  overrides?: SpecOverrides;
  env?: NodeJS.ProcessEnv;
}

export type SpecSetMember = { file: string; loaded: LoadedSpec } | { file: string; error: MsfctlError };

export interface SpecSet {
  /** Every file, in a stable order (by path), loaded or not. */
  members: SpecSetMember[];
  loaded: LoadedSpec[];
  errors: { file: string; error: MsfctlError }[];
}

export function loadSpecSet(options: SpecSetOptions): SpecSet {
  const cwd = options.cwd ?? process.cwd();
  if (options.overrides?.code) {
    throw new MsfctlError('USAGE', '--jar and --maven name the code of one application, not of a fleet.', {
      hint: 'Give each spec its own code block, or run the command on that one spec (-f FILE).',
    });
  }
  const { files, missing } = expandSources(options.sources, cwd);
  const members: SpecSetMember[] = missing.map((source) => ({
    file: source,
    error: new MsfctlError('SPEC_NOT_FOUND', `${source} matches no spec file.`, {
      hint: `A directory contributes its *.${SPEC_EXTENSIONS.join(', *.')} files; a glob must match at least one file.`,
    }),
  }));
  for (const file of files) {
    try {
      const loaded = loadSpec({
        file,
        cwd,
        ...(options.environment ? { environment: options.environment } : {}),
        ...(options.overrides ? { overrides: options.overrides } : {}),
        ...(options.env ? { env: options.env } : {}),
      });
      members.push({ file, loaded });
    } catch (error) {
      if (!MsfctlError.is(error)) throw error;
      members.push({ file, error });
    }
  }
  markDuplicates(members, cwd);
  const loaded: LoadedSpec[] = [];
  const errors: { file: string; error: MsfctlError }[] = [];
  for (const m of members) {
    if ('loaded' in m) loaded.push(m.loaded);
    else errors.push(m);
  }
  return { members, loaded, errors };
}

/** Files (absolute, sorted, each once) and the sources that matched none. */
export function expandSources(
  sources: readonly string[],
  cwd: string,
): { files: string[]; missing: string[] } {
  const files = new Set<string>();
  const missing: string[] = [];
  for (const source of sources) {
    const found = filesOf(source, cwd);
    if (!found.length) missing.push(source);
    for (const f of found) files.add(f);
  }
  return { files: [...files].sort(), missing };
}

function filesOf(source: string, cwd: string): string[] {
  const absolute = path.resolve(cwd, source);
  const stat = statOf(absolute);
  if (stat?.isDirectory()) {
    return globSync(`*.{${SPEC_EXTENSIONS.join(',')}}`, { cwd: absolute, absolute: true, dot: false });
  }
  if (stat?.isFile()) return [absolute];
  if (!isDynamicPattern(source)) return [];
  return globSync(source, { cwd, absolute: true, dot: false, onlyFiles: true });
}

function statOf(file: string) {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Two files for one application on one target would fight over it: neither is used, and each error names the
 * other file. The same name on different targets (regions, endpoints) is two applications.
 */
function markDuplicates(members: SpecSetMember[], cwd: string): void {
  const byKey = new Map<string, number[]>();
  members.forEach((m, i) => {
    if (!('loaded' in m)) return;
    const { application, target } = m.loaded.spec;
    const key = JSON.stringify([application, target.kind, target.region, target.endpoint, target.port]);
    byKey.set(key, [...(byKey.get(key) ?? []), i]);
  });
  for (const indices of byKey.values()) {
    if (indices.length < 2) continue;
    const files = indices.map((i) => members[i]!.file);
    for (const i of indices) {
      const m = members[i]!;
      const application = 'loaded' in m ? m.loaded.spec.application : '';
      const others = files.filter((f) => f !== m.file).map((f) => rel(f, cwd));
      members[i] = {
        file: m.file,
        error: new MsfctlError(
          'SPEC_INVALID',
          `${rel(m.file, cwd)}: application: ${application} is also defined in ${others.join(', ')}.`,
          {
            hint: 'One application per file: remove or rename one of them (environments pick per-target values).',
          },
        ),
      };
    }
  }
}

function rel(file: string, cwd: string): string {
  const r = path.relative(cwd, file);
  return r && !r.startsWith('..') ? r : file;
}
