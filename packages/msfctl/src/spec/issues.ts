/**
 * Turns zod issues into what a person can act on: the field path, the reason, and (when the file is known)
 * the line it is on. Unknown fields get a "did you mean" when a known field is close.
 */
import type { z } from 'zod';

export interface SpecIssue {
  /** Dotted path, e.g. `parallelism.perKpu` or `properties.OutputStream0["stream.name"]`. */
  path: string;
  message: string;
  line?: number;
  column?: number;
}

export type PathSegment = string | number;

export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out || '(top level)';
}

/** Locates a path in the source file; returns undefined when it cannot. */
export type Locator = (
  path: readonly PathSegment[],
  keyOf?: string,
) => { line: number; column: number } | undefined;

export function describeIssues(
  issues: readonly z.core.$ZodIssue[],
  options: {
    knownKeys?: (path: readonly PathSegment[]) => readonly string[] | undefined;
    locate?: Locator;
    /** Whether the document has a value at this path: an absent enum field is missing, not a wrong choice. */
    present?: (path: readonly PathSegment[]) => boolean;
  } = {},
): SpecIssue[] {
  const out: SpecIssue[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((p): p is PathSegment => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const known = options.knownKeys?.(path) ?? [];
        const guess = closest(key, known);
        out.push({
          path: formatPath([...path, key]),
          message: `unknown field${guess ? ` (did you mean "${guess}"?)` : known.length ? ` (known: ${known.join(', ')})` : ''}`,
          ...options.locate?.(path, key),
        });
      }
      continue;
    }
    const missing = issue.code === 'invalid_value' && options.present?.(path) === false;
    out.push({
      path: formatPath(path),
      message: missing ? `is required: ${reason(issue).replace(/^must be /, '')}` : reason(issue),
      ...options.locate?.(path),
    });
  }
  return out;
}

function reason(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (/received undefined/.test(issue.message)) return 'is required';
      return `must be ${article(issue.expected)} (${issue.message.replace(/^Invalid input: /, '')})`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
      return issue.origin === 'string'
        ? issue.minimum === 1
          ? 'must not be empty'
          : `must be at least ${issue.minimum} characters`
        : `must be ${issue.inclusive ? '≥' : '>'} ${issue.minimum}`;
    case 'too_big':
      return issue.origin === 'string'
        ? `must be at most ${issue.maximum} characters`
        : `must be ${issue.inclusive ? '≤' : '<'} ${issue.maximum}`;
    case 'invalid_format':
      return issue.format === 'regex'
        ? issue.message.replace(/^Invalid string: /, 'must match ')
        : `must be a valid ${issue.format}`;
    case 'invalid_union':
      return issue.message === 'Invalid input' ? 'has an unexpected form' : issue.message;
    default:
      return issue.message;
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** The known key closest to `key` by edit distance, if it is close enough to be a typo. */
export function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

export function formatIssues(file: string, issues: readonly SpecIssue[]): string {
  return issues
    .map(
      (i) => `  ${file}${i.line !== undefined ? `:${i.line}:${i.column ?? 1}` : ''}: ${i.path}: ${i.message}`,
    )
    .join('\n');
}
