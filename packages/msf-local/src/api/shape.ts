/**
 * Input validation the way the AWS front end does it, from a shape model: wrong JSON types are a
 * SerializationException; constraint violations (required, length, pattern, enum, range) are collected into
 * one ValidationException in the service's own wording:
 *   "2 validation errors detected: Value null at 'applicationName' failed to satisfy constraint: Member must
 *    not be null; Value '0' at 'limit' failed to satisfy constraint: ..."
 */
import { ServiceError } from '../control-plane/errors.js';

export type Shape =
  | { kind: 'string'; min?: number; max?: number; pattern?: string; enum?: readonly string[] }
  | { kind: 'integer'; min?: number; max?: number }
  | { kind: 'double'; min?: number; max?: number }
  | { kind: 'boolean' }
  | { kind: 'timestamp' }
  | { kind: 'blob'; min?: number; max?: number }
  | { kind: 'structure'; members: Record<string, Shape>; required?: readonly string[] }
  | { kind: 'list'; member: Shape; min?: number; max?: number }
  | { kind: 'map'; key: Shape; value: Shape; min?: number; max?: number }
  /** Accepted as is (shapes msf-local never reads, e.g. SQL-only configuration). */
  | { kind: 'any' };

export const str = (c: { min?: number; max?: number; pattern?: string } = {}): Shape => ({
  kind: 'string',
  ...c,
});
export const enumOf = (...values: string[]): Shape => ({ kind: 'string', enum: values });
export const int = (c: { min?: number; max?: number } = {}): Shape => ({ kind: 'integer', ...c });
export const double = (c: { min?: number; max?: number } = {}): Shape => ({ kind: 'double', ...c });
export const blob = (c: { min?: number; max?: number } = {}): Shape => ({ kind: 'blob', ...c });
export const bool: Shape = { kind: 'boolean' };
export const timestamp: Shape = { kind: 'timestamp' };
export const any: Shape = { kind: 'any' };
export const list = (member: Shape, c: { min?: number; max?: number } = {}): Shape => ({
  kind: 'list',
  member,
  ...c,
});
export const map = (key: Shape, value: Shape, c: { min?: number; max?: number } = {}): Shape => ({
  kind: 'map',
  key,
  value,
  ...c,
});
export const struct = (members: Record<string, Shape>, required: readonly string[] = []): Shape => ({
  kind: 'structure',
  members,
  required,
});

export function serializationError(message: string): ServiceError {
  return new ServiceError('SerializationException', message);
}

/** Throws SerializationException or ValidationException; returns normally when `value` fits `shape`. */
export function validate(shape: Shape, value: unknown): void {
  const violations: string[] = [];
  check(shape, value, '', violations);
  if (violations.length > 0) {
    const count = violations.length;
    throw new ServiceError(
      'ValidationException',
      `${count} validation error${count === 1 ? '' : 's'} detected: ${violations.join('; ')}`,
    );
  }
}

function check(shape: Shape, value: unknown, path: string, violations: string[]): void {
  if (value === undefined || value === null) return;
  const fail = (constraint: string) =>
    violations.push(
      `Value ${render(value)} at '${path}' failed to satisfy constraint: Member must ${constraint}`,
    );
  switch (shape.kind) {
    case 'any':
      return;
    case 'string': {
      if (typeof value !== 'string') throw typeMismatch(path, 'a string', value);
      if (shape.enum && !shape.enum.includes(value))
        fail(`satisfy enum value set: [${shape.enum.join(', ')}]`);
      checkLength(value.length, shape, fail);
      if (shape.pattern && !new RegExp(`^(?:${shape.pattern})$`, 'su').test(value)) {
        fail(`satisfy regular expression pattern: ${shape.pattern}`);
      }
      return;
    }
    case 'integer': {
      if (typeof value !== 'number' || !Number.isInteger(value))
        throw typeMismatch(path, 'an integer', value);
      checkRange(value, shape, fail);
      return;
    }
    case 'double': {
      if (typeof value !== 'number' || !Number.isFinite(value)) throw typeMismatch(path, 'a number', value);
      checkRange(value, shape, fail);
      return;
    }
    case 'boolean':
      if (typeof value !== 'boolean') throw typeMismatch(path, 'a boolean', value);
      return;
    case 'timestamp':
      if (typeof value !== 'number' && !(typeof value === 'string' && !Number.isNaN(Date.parse(value)))) {
        throw typeMismatch(path, 'a timestamp (epoch seconds)', value);
      }
      return;
    case 'blob': {
      if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) {
        throw typeMismatch(path, 'a base64-encoded blob', value);
      }
      checkLength(Buffer.byteLength(value, 'base64'), shape, fail);
      return;
    }
    case 'list': {
      if (!Array.isArray(value)) throw typeMismatch(path, 'a list', value);
      checkLength(value.length, shape, fail);
      value.forEach((item, i) => check(shape.member, item, `${path}.${i + 1}.member`, violations));
      return;
    }
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value)) throw typeMismatch(path, 'a map', value);
      const entries = Object.entries(value as Record<string, unknown>);
      checkLength(entries.length, shape, fail);
      for (const [k, v] of entries) {
        check(shape.key, k, `${path}.${k}.key`, violations);
        check(shape.value, v, `${path}.${k}.value`, violations);
      }
      return;
    }
    case 'structure': {
      if (typeof value !== 'object' || Array.isArray(value)) throw typeMismatch(path, 'a structure', value);
      const record = value as Record<string, unknown>;
      for (const name of shape.required ?? []) {
        if (record[name] === undefined || record[name] === null) {
          violations.push(
            `Value null at '${join(path, name)}' failed to satisfy constraint: Member must not be null`,
          );
        }
      }
      for (const [name, member] of Object.entries(shape.members)) {
        check(member, record[name], join(path, name), violations);
      }
      return;
    }
  }
}

function checkRange(
  value: number,
  c: { min?: number; max?: number },
  fail: (constraint: string) => void,
): void {
  if (c.min !== undefined && value < c.min) fail(`have value greater than or equal to ${c.min}`);
  if (c.max !== undefined && value > c.max) fail(`have value less than or equal to ${c.max}`);
}

function checkLength(
  length: number,
  c: { min?: number; max?: number },
  fail: (constraint: string) => void,
): void {
  if (c.min !== undefined && length < c.min) fail(`have length greater than or equal to ${c.min}`);
  if (c.max !== undefined && length > c.max) fail(`have length less than or equal to ${c.max}`);
}

/** Member paths in messages use camelCase, as the service does ('applicationConfiguration.tags.1.member'). */
function join(path: string, member: string): string {
  const camel = member.charAt(0).toLowerCase() + member.slice(1);
  return path ? `${path}.${camel}` : camel;
}

function render(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return `'${text.length > 256 ? `${text.slice(0, 256)}...` : text}'`;
}

function typeMismatch(path: string, expected: string, value: unknown): ServiceError {
  return serializationError(
    `Cannot deserialize ${path || 'the request body'}: expected ${expected}, got ${JSON.stringify(value)?.slice(0, 100)}`,
  );
}
