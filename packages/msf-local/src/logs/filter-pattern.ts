/**
 * CloudWatch Logs filter patterns (FilterLogEvents' `filterPattern`), as far as msf-local understands them:
 * - terms: `ERROR Exception` (every term, case-sensitive substrings), `"quoted phrase"`, `-excluded`, `?either ?or`
 *   (at least one of the `?` terms), and `%regular expression%`;
 * - JSON: `{ $.messageType = "ERROR" }`, `{ $.a.b != "x*" && ($.n >= 3 || $.c IS NULL) }`, with `=`/`!=` on
 *   strings (`*` wildcards) and numbers, `< <= > >=` on numbers, `IS TRUE|FALSE|NULL`, `NOT EXISTS`.
 * Space-delimited patterns (`[ip, user, ...]`) are refused with a clear message rather than mis-applied.
 */

export type Matcher = (message: string) => boolean;

export class FilterPatternError extends Error {}

export function compileFilterPattern(pattern: string | undefined): Matcher {
  const text = (pattern ?? '').trim();
  if (text === '' || text === '""') return () => true;
  if (text.startsWith('{')) return compileJson(text);
  if (text.startsWith('[')) {
    throw new FilterPatternError(
      'Space-delimited filter patterns ([...]) are not supported by msf-local; use terms or a JSON pattern.',
    );
  }
  return compileTerms(text);
}

// ------------------------------------------------------------------ terms

function compileTerms(text: string): Matcher {
  const required: Matcher[] = [];
  const optional: Matcher[] = [];
  const excluded: Matcher[] = [];
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i]!)) {
      i++;
      continue;
    }
    let kind: 'required' | 'optional' | 'excluded' = 'required';
    if (text[i] === '?' || text[i] === '-') {
      kind = text[i] === '?' ? 'optional' : 'excluded';
      i++;
    }
    let term: Matcher;
    if (text[i] === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0) throw new FilterPatternError(`Invalid filter pattern: unterminated quote in ${text}`);
      const phrase = text.slice(i + 1, end);
      term = (m) => m.includes(phrase);
      i = end + 1;
    } else if (text[i] === '%') {
      const end = text.indexOf('%', i + 1);
      if (end < 0)
        throw new FilterPatternError(`Invalid filter pattern: unterminated regular expression in ${text}`);
      term = regexTerm(text.slice(i + 1, end));
      i = end + 1;
    } else {
      const start = i;
      while (i < text.length && !/\s/.test(text[i]!)) i++;
      const word = text.slice(start, i);
      if (word === '') throw new FilterPatternError(`Invalid filter pattern: ${text}`);
      term = (m) => m.includes(word);
    }
    ({ required, optional, excluded })[kind].push(term);
  }
  return (message) =>
    required.every((t) => t(message)) &&
    (optional.length === 0 || optional.some((t) => t(message))) &&
    !excluded.some((t) => t(message));
}

function regexTerm(source: string): Matcher {
  try {
    const regex = new RegExp(source, 'u');
    return (m) => regex.test(m);
  } catch (error) {
    throw new FilterPatternError(`Invalid regular expression in filter pattern: ${(error as Error).message}`);
  }
}

// ------------------------------------------------------------------ JSON

type Condition = (event: unknown) => boolean;

function compileJson(text: string): Matcher {
  const parser = new JsonPatternParser(text);
  const condition = parser.parse();
  return (message) => {
    let event: unknown;
    try {
      event = JSON.parse(message);
    } catch {
      return false;
    }
    return typeof event === 'object' && event !== null && condition(event);
  };
}

const TOKEN =
  /\s*(?:(\{|\}|\(|\)|&&|\|\||!=|<=|>=|=|<|>)|(\$(?:\.[A-Za-z0-9_@-]+|\[\d+\])*)|("(?:[^"\\]|\\.)*")|(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|([A-Za-z_][A-Za-z0-9_*.-]*))/y;

class JsonPatternParser {
  private readonly tokens: string[] = [];
  private pos = 0;

  constructor(private readonly text: string) {
    TOKEN.lastIndex = 0;
    let at = 0;
    while (at < text.length) {
      if (/^\s*$/.test(text.slice(at))) break;
      TOKEN.lastIndex = at;
      const match = TOKEN.exec(text);
      if (!match) throw this.error(`unexpected input at "${text.slice(at, at + 20)}"`);
      this.tokens.push(match[1] ?? match[2] ?? match[3] ?? match[4] ?? match[5]!);
      at = TOKEN.lastIndex;
    }
  }

  parse(): Condition {
    this.expect('{');
    const condition = this.or();
    this.expect('}');
    if (this.pos < this.tokens.length) throw this.error(`unexpected "${this.tokens[this.pos]}" after "}"`);
    return condition;
  }

  private or(): Condition {
    let left = this.and();
    while (this.peek() === '||') {
      this.pos++;
      const a = left;
      const b = this.and();
      left = (e) => a(e) || b(e);
    }
    return left;
  }

  private and(): Condition {
    let left = this.primary();
    while (this.peek() === '&&') {
      this.pos++;
      const a = left;
      const b = this.primary();
      left = (e) => a(e) && b(e);
    }
    return left;
  }

  private primary(): Condition {
    if (this.peek() === '(') {
      this.pos++;
      const inner = this.or();
      this.expect(')');
      return inner;
    }
    const selector = this.next();
    if (!selector?.startsWith('$'))
      throw this.error(`expected a selector like $.field, got "${selector ?? 'end'}"`);
    const read = selectorReader(selector);
    const op = this.next();
    if (op === 'IS') {
      const what = this.next();
      if (what === 'NULL') return (e) => read(e) === null;
      if (what === 'TRUE') return (e) => read(e) === true;
      if (what === 'FALSE') return (e) => read(e) === false;
      throw this.error(`expected NULL, TRUE or FALSE after IS, got "${what ?? 'end'}"`);
    }
    if (op === 'NOT') {
      if (this.next() !== 'EXISTS') throw this.error('expected EXISTS after NOT');
      return (e) => read(e) === undefined;
    }
    if (!op || !['=', '!=', '<', '<=', '>', '>='].includes(op)) {
      throw this.error(`expected a comparison after ${selector}, got "${op ?? 'end'}"`);
    }
    const raw = this.next();
    if (raw === undefined) throw this.error(`expected a value after ${op}`);
    return comparison(read, op, raw, (m) => this.error(m));
  }

  private peek(): string | undefined {
    return this.tokens[this.pos];
  }

  private next(): string | undefined {
    return this.tokens[this.pos++];
  }

  private expect(token: string): void {
    const got = this.next();
    if (got !== token) throw this.error(`expected "${token}", got "${got ?? 'end'}"`);
  }

  private error(message: string): FilterPatternError {
    return new FilterPatternError(`Invalid filter pattern ${this.text}: ${message}`);
  }
}

function selectorReader(selector: string): (event: unknown) => unknown {
  const steps = [...selector.slice(1).matchAll(/\.([^.[]+)|\[(\d+)\]/g)].map((m) => m[1] ?? Number(m[2]));
  return (event) => {
    let value: unknown = event;
    for (const step of steps) {
      if (typeof value !== 'object' || value === null) return undefined;
      if (typeof step === 'number') value = Array.isArray(value) ? value[step] : undefined;
      else value = Object.hasOwn(value, step) ? (value as Record<string, unknown>)[step] : undefined;
    }
    return value;
  };
}

function comparison(
  read: (event: unknown) => unknown,
  op: string,
  raw: string,
  error: (message: string) => FilterPatternError,
): Condition {
  const quoted = raw.startsWith('"');
  let text = raw;
  if (quoted) {
    try {
      text = JSON.parse(raw) as string;
    } catch {
      throw error(`${raw} is not a valid quoted string`);
    }
  }
  const number = !quoted && /^-?\d/.test(raw) ? Number(raw) : undefined;
  if (op === '=' || op === '!=') {
    const equal =
      number !== undefined ? (v: unknown) => typeof v === 'number' && v === number : wildcardEquals(text);
    return op === '=' ? (e) => equal(read(e)) : (e) => read(e) !== undefined && !equal(read(e));
  }
  if (number === undefined) throw error(`${op} needs a number, got ${raw}`);
  const compare = {
    '<': (a: number) => a < number,
    '<=': (a: number) => a <= number,
    '>': (a: number) => a > number,
    '>=': (a: number) => a >= number,
  }[op as '<'];
  return (e) => {
    const v = read(e);
    return typeof v === 'number' && compare(v);
  };
}

function wildcardEquals(text: string): (value: unknown) => boolean {
  if (!text.includes('*')) return (v) => typeof v === 'string' && v === text;
  const regex = new RegExp(`^${text.split('*').map(escapeRegex).join('.*')}$`, 's');
  return (v) => typeof v === 'string' && regex.test(v);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
