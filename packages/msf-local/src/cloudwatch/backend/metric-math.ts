import { cwErrors } from '../errors.js';

/**
 * A small subset of CloudWatch metric math for GetMetricData expressions, enough for health checks:
 * numbers, query ids, + - * /, parentheses, and the functions RATE, DIFF, ABS and FILL(series, number).
 * Series combine on equal timestamps. Anything else is refused with a clear InvalidParameterValue.
 */

export interface Point {
  t: number;
  v: number;
}

type Value = number | Point[];

type Node =
  | { kind: 'number'; value: number }
  | { kind: 'id'; name: string }
  | { kind: 'neg'; operand: Node }
  | { kind: 'binary'; op: '+' | '-' | '*' | '/'; left: Node; right: Node }
  | { kind: 'call'; name: string; args: Node[] };

const MAX_NESTING = 100;

export const SUPPORTED_FUNCTIONS = ['RATE', 'DIFF', 'ABS', 'FILL'];

/** The query ids an expression refers to. */
export function referencedIds(expression: string, where: string): string[] {
  const ids: string[] = [];
  const visit = (node: Node) => {
    if (node.kind === 'id') ids.push(node.name);
    else if (node.kind === 'neg') visit(node.operand);
    else if (node.kind === 'binary') {
      visit(node.left);
      visit(node.right);
    } else if (node.kind === 'call') node.args.forEach(visit);
  };
  visit(parse(expression, where));
  return ids;
}

/** Evaluates `expression`; `lookup` gives the (ascending) series of another query id. */
export function evaluate(expression: string, where: string, lookup: (id: string) => Point[]): Point[] {
  const result = evalNode(parse(expression, where), where, lookup);
  if (typeof result === 'number') {
    throw cwErrors.invalidParameterValue(
      `Error in expression ${where}: the expression must return a time series, not a number.`,
    );
  }
  return result;
}

function evalNode(node: Node, where: string, lookup: (id: string) => Point[]): Value {
  switch (node.kind) {
    case 'number':
      return node.value;
    case 'id':
      return lookup(node.name);
    case 'neg':
      return combine(-1, evalNode(node.operand, where, lookup), '*');
    case 'binary':
      return combine(evalNode(node.left, where, lookup), evalNode(node.right, where, lookup), node.op);
    case 'call': {
      const args = node.args.map((a) => evalNode(a, where, lookup));
      const series = (i: number): Point[] => {
        const arg = args[i];
        if (!Array.isArray(arg))
          throw cwErrors.invalidParameterValue(
            `Error in expression ${where}: ${node.name} expects a time series as argument ${i + 1}.`,
          );
        return arg;
      };
      const arity = (n: number) => {
        if (args.length !== n)
          throw cwErrors.invalidParameterValue(
            `Error in expression ${where}: ${node.name} takes ${n} argument(s).`,
          );
      };
      switch (node.name) {
        case 'RATE':
        case 'DIFF': {
          arity(1);
          const s = series(0);
          const out: Point[] = [];
          for (let i = 1; i < s.length; i++) {
            const dv = s[i]!.v - s[i - 1]!.v;
            out.push({ t: s[i]!.t, v: node.name === 'DIFF' ? dv : dv / ((s[i]!.t - s[i - 1]!.t) / 1000) });
          }
          return out;
        }
        case 'ABS':
          arity(1);
          return typeof args[0] === 'number'
            ? Math.abs(args[0])
            : series(0).map((p) => ({ t: p.t, v: Math.abs(p.v) }));
        case 'FILL': {
          arity(2);
          const s = series(0);
          const fill = args[1];
          if (typeof fill !== 'number')
            throw cwErrors.invalidParameterValue(
              `Error in expression ${where}: FILL's second argument must be a number.`,
            );
          if (s.length < 2) return s;
          const step = Math.min(...s.slice(1).map((p, i) => p.t - s[i]!.t));
          const out: Point[] = [];
          for (let i = 0; i < s.length; i++) {
            out.push(s[i]!);
            const next = s[i + 1];
            if (next) for (let t = s[i]!.t + step; t < next.t; t += step) out.push({ t, v: fill });
          }
          return out;
        }
        default:
          throw cwErrors.invalidParameterValue(
            `Error in expression ${where}: msf-local does not implement the metric math function ${node.name} (supported: ${SUPPORTED_FUNCTIONS.join(', ')}, + - * /).`,
          );
      }
    }
  }
}

function combine(a: Value, b: Value, op: '+' | '-' | '*' | '/'): Value {
  const apply = (x: number, y: number) =>
    op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : x / y;
  if (typeof a === 'number' && typeof b === 'number') return apply(a, b);
  if (typeof a === 'number') return (b as Point[]).map((p) => ({ t: p.t, v: apply(a, p.v) })).filter(finite);
  if (typeof b === 'number') return a.map((p) => ({ t: p.t, v: apply(p.v, b) })).filter(finite);
  const right = new Map(b.map((p) => [p.t, p.v]));
  return a
    .filter((p) => right.has(p.t))
    .map((p) => ({ t: p.t, v: apply(p.v, right.get(p.t)!) }))
    .filter(finite);
}

/** CloudWatch drops datapoints that become NaN or infinite (e.g. division by zero). */
function finite(p: Point): boolean {
  return Number.isFinite(p.v);
}

// ------------------------------------------------------------------ parser

function parse(expression: string, where: string): Node {
  const tokens = tokenize(expression, where);
  let i = 0;
  const fail = (why: string): never => {
    throw cwErrors.invalidParameterValue(
      `Error in expression ${where}: ${why} in ${JSON.stringify(expression)}.`,
    );
  };
  // Parentheses and unary minus recurse: bounded, so no expression can overflow the stack.
  let depth = 0;
  const nested = <T>(parse: () => T): T => {
    if (++depth > MAX_NESTING) fail(`nesting deeper than ${MAX_NESTING} levels`);
    const node = parse();
    depth--;
    return node;
  };
  const peek = () => tokens[i];
  const expect = (t: string) => {
    if (tokens[i] !== t) fail(`expected '${t}'`);
    i++;
  };
  const sum = (): Node => {
    let node = product();
    while (peek() === '+' || peek() === '-') {
      const op = tokens[i++] as '+' | '-';
      node = { kind: 'binary', op, left: node, right: product() };
    }
    return node;
  };
  const product = (): Node => {
    let node = unary();
    while (peek() === '*' || peek() === '/') {
      const op = tokens[i++] as '*' | '/';
      node = { kind: 'binary', op, left: node, right: unary() };
    }
    return node;
  };
  const unary = (): Node => {
    if (peek() === '-') {
      i++;
      return { kind: 'neg', operand: nested(unary) };
    }
    return primary();
  };
  const primary = (): Node => {
    const token = tokens[i++];
    if (token === undefined) return fail('unexpected end');
    if (token === '(') {
      const node = nested(sum);
      expect(')');
      return node;
    }
    if (/^\d/.test(token)) return { kind: 'number', value: Number(token) };
    if (/^[A-Za-z_]/.test(token)) {
      if (peek() !== '(') return { kind: 'id', name: token };
      i++;
      const args: Node[] = [];
      if (peek() !== ')') {
        args.push(nested(sum));
        while (peek() === ',') {
          i++;
          args.push(nested(sum));
        }
      }
      expect(')');
      return { kind: 'call', name: token.toUpperCase(), args };
    }
    return fail(`unexpected '${token}'`);
  };
  const node = sum();
  if (i < tokens.length) fail(`unexpected '${tokens[i]}'`);
  return node;
}

function tokenize(expression: string, where: string): string[] {
  const tokens: string[] = [];
  const pattern = /\s*(\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|[A-Za-z_][A-Za-z0-9_]*|[-+*/(),])/y;
  let index = 0;
  while (index < expression.length) {
    if (/^\s*$/.test(expression.slice(index))) break;
    pattern.lastIndex = index;
    const match = pattern.exec(expression);
    if (!match) {
      throw cwErrors.invalidParameterValue(
        `Error in expression ${where}: unsupported syntax at ${JSON.stringify(expression.slice(index).trim())}.`,
      );
    }
    tokens.push(match[1]!);
    index = pattern.lastIndex;
  }
  return tokens;
}
