/**
 * CloudWatch input, validated and typed from the service model (input-model.ts, generated from botocore) in
 * CloudWatch's own wording: a missing required member is MissingParameter ("The parameter Namespace is
 * required."), any other violation InvalidParameterValue naming the member by its query-protocol path
 * (`MetricData.member.1.Unit`). Query-protocol scalars arrive as strings and are typed here, so the three
 * protocols reach the operations alike: numbers, booleans, timestamps as epoch milliseconds.
 */
import type { Shape } from '../../api/shape.js';
import { CloudWatchError, cwErrors } from '../errors.js';
import type { Input } from '../operations/types.js';
import { INPUTS } from './input-model.js';

export function readInput(operation: string, input: Input): Input {
  const shape = INPUTS[operation];
  if (!shape) throw new Error(`no input model for CloudWatch ${operation}`);
  try {
    return typed(shape, input, '') as Input;
  } catch (error) {
    // GetMetricData, the newer API, names the same violations ValidationError (as clients report it answering).
    if (
      operation === 'GetMetricData' &&
      error instanceof CloudWatchError &&
      error.code === 'InvalidParameterValue'
    )
      throw cwErrors.validation(error.message);
    throw error;
  }
}

function typed(shape: Shape, value: unknown, path: string): unknown {
  if (value === undefined || value === null) return undefined;
  switch (shape.kind) {
    case 'any':
      return value;
    case 'structure': {
      if (!isRecord(value)) throw invalid(`The parameter ${path} must be a structure.`);
      const out: Record<string, unknown> = {};
      for (const name of shape.required ?? []) {
        const member = value[name];
        if (member === undefined || member === null || member === '') {
          throw cwErrors.missingParameter(`The parameter ${join(path, name)} is required.`);
        }
      }
      for (const [name, member] of Object.entries(shape.members)) {
        const v = typed(member, value[name], join(path, name));
        if (v !== undefined) out[name] = v;
      }
      return out;
    }
    case 'list': {
      if (!Array.isArray(value)) throw invalid(`The parameter ${path} must be a list.`);
      if (shape.max !== undefined && value.length > shape.max) {
        throw invalid(`The collection ${path} must not have more than ${shape.max} members.`);
      }
      // An empty list is a list not given (the query protocol cannot tell them apart); the operation decides.
      if (shape.min !== undefined && value.length > 0 && value.length < shape.min) {
        throw invalid(`The collection ${path} must have at least ${shape.min} members.`);
      }
      return value.map((item, i) => {
        const where = `${path}.member.${i + 1}`;
        if (item === undefined || item === null)
          throw cwErrors.missingParameter(`The parameter ${where} is required.`);
        return typed(shape.member, item, where);
      });
    }
    case 'map': {
      if (!isRecord(value)) throw invalid(`The parameter ${path} must be a map.`);
      const entries = Object.entries(value);
      if (shape.max !== undefined && entries.length > shape.max) {
        throw invalid(`The map ${path} must not have more than ${shape.max} entries.`);
      }
      if (shape.min !== undefined && entries.length < shape.min) {
        throw invalid(`The map ${path} must have at least ${shape.min} entries.`);
      }
      return Object.fromEntries(
        entries.map(([k, v]) => [typed(shape.key, k, `${path}.${k}`), typed(shape.value, v, `${path}.${k}`)]),
      );
    }
    case 'string': {
      if (typeof value !== 'string') throw invalid(`The parameter ${path} must be a string.`);
      if (shape.enum && !shape.enum.includes(value)) {
        throw invalid(
          `The value ${value} for parameter ${path} is not valid. Valid values are: ${shape.enum.join(', ')}.`,
        );
      }
      if (
        (shape.min !== undefined && value.length < shape.min) ||
        (shape.max !== undefined && value.length > shape.max)
      ) {
        throw invalid(
          `The parameter ${path} must be between ${shape.min ?? 0} and ${shape.max ?? 'any number of'} characters long.`,
        );
      }
      if (shape.pattern && !new RegExp(`^(?:${shape.pattern})$`, 'su').test(value)) {
        throw invalid(`The value ${value} for parameter ${path} is invalid.`);
      }
      return value;
    }
    case 'integer':
    case 'double': {
      const n = numberOf(value);
      const integer = shape.kind === 'integer';
      if (n === undefined || (integer && !Number.isInteger(n))) {
        throw invalid(
          `The value ${String(value)} for parameter ${path} is not a valid ${integer ? 'integer' : 'number'}.`,
        );
      }
      if (shape.min !== undefined && n < shape.min) {
        throw invalid(`The parameter ${path} must be greater than or equal to ${shape.min}.`);
      }
      if (shape.max !== undefined && n > shape.max) {
        throw invalid(`The parameter ${path} must be less than or equal to ${shape.max}.`);
      }
      return n;
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true') return true;
      if (value === 'false') return false;
      throw invalid(`The value ${String(value)} for parameter ${path} is not a valid boolean.`);
    case 'timestamp':
      return timeOf(value, path);
    case 'blob':
      if (typeof value !== 'string') throw invalid(`The parameter ${path} must be a base64-encoded string.`);
      return value;
  }
}

/** Numbers: JSON/CBOR numbers, or a numeric string (query protocol). */
function numberOf(value: unknown): number | undefined {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** Timestamps: epoch seconds (JSON, CBOR, or a numeric string) or ISO 8601 (query protocol) → epoch ms. */
function timeOf(value: unknown, path: string): number {
  let ms = NaN;
  if (typeof value === 'number') ms = value * 1000;
  else if (typeof value === 'string')
    ms = /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value);
  if (!Number.isFinite(ms)) {
    throw invalid(`The value ${String(value)} for parameter ${path} is not a valid timestamp.`);
  }
  return ms;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function join(path: string, member: string): string {
  return path ? `${path}.${member}` : member;
}

function invalid(message: string) {
  return cwErrors.invalidParameterValue(message);
}
