/** Reads the field names a zod object schema accepts at a path, for "did you mean" hints. */
import type { z } from 'zod';
import type { PathSegment } from './issues.js';

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
}

function def(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** Peels optional/default/pipe wrappers until an object, record or union shows. */
function unwrap(schema: z.ZodType): z.ZodType {
  for (let i = 0; i < 10; i++) {
    const d = def(schema);
    if (d.innerType) schema = d.innerType;
    else if (d.type === 'pipe') schema = def(d.out!).type === 'transform' ? d.in! : d.out!;
    else return schema;
  }
  return schema;
}

function child(schema: z.ZodType, segment: PathSegment): z.ZodType | undefined {
  const d = def(unwrap(schema));
  if (d.type === 'object') return d.shape?.[String(segment)];
  if (d.type === 'record') return d.valueType;
  if (d.type === 'union') {
    for (const option of d.options ?? []) {
      const found = child(option, segment);
      if (found) return found;
    }
  }
  return undefined;
}

export function knownKeysAt(root: z.ZodType, path: readonly PathSegment[]): string[] | undefined {
  let schema: z.ZodType | undefined = root;
  for (const segment of path) {
    schema = schema && child(schema, segment);
    if (!schema) return undefined;
  }
  const d = def(unwrap(schema!));
  if (d.type === 'object') return Object.keys(d.shape ?? {});
  if (d.type === 'union') {
    const keys = (d.options ?? []).flatMap((o) => {
      const od = def(unwrap(o));
      return od.type === 'object' ? Object.keys(od.shape ?? {}) : [];
    });
    return keys.length ? [...new Set(keys)] : undefined;
  }
  return undefined;
}
