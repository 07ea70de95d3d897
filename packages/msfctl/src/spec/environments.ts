/**
 * Environments: named overrides of the base spec. Objects merge key by key; scalars and lists replace;
 * `null` removes a field. `code` and `target` replace as a whole, because mixing two code sources or two
 * targets never means anything.
 */

const REPLACE_WHOLE = new Set(['code', 'target']);

type Plain = Record<string, unknown>;

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function mergeEnvironment(base: Plain, override: Plain, depth = 0): Plain {
  const out: Plain = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === null) delete out[key];
    else if (depth === 0 && REPLACE_WHOLE.has(key)) out[key] = value;
    else if (isPlain(value) && isPlain(out[key]))
      out[key] = mergeEnvironment(out[key] as Plain, value, depth + 1);
    else out[key] = value;
  }
  return out;
}

/** Which environment applies: the flag, then MSFCTL_ENV, then the file's defaultEnvironment, else none. */
export function chooseEnvironment(
  available: readonly string[],
  requested: string | undefined,
  fileDefault: string | undefined,
  fromEnv: string | undefined,
): { name: string | undefined; source: 'flag' | 'MSFCTL_ENV' | 'defaultEnvironment' | 'none' } {
  if (requested) return { name: requested, source: 'flag' };
  if (fromEnv) return { name: fromEnv, source: 'MSFCTL_ENV' };
  if (fileDefault) return { name: fileDefault, source: 'defaultEnvironment' };
  return { name: undefined, source: 'none' };
}
