import { el, escapeXml } from '../../api/xml.js';
import { cborTimestamp, encodeCbor } from './cbor.js';
import { FORBIDDEN_KEYS } from '../../api/safe-input.js';
import { CloudWatchError } from '../errors.js';
import { OutputMap, type Input, type Output } from '../operations/types.js';

/**
 * The wire protocols CloudWatch clients send (captured, see the module docs of cloudwatch-service.ts):
 * AWS JSON 1.0 (JS SDK v3, recent botocore), the query protocol (AWS CLI v2.9, older botocore) and Smithy RPC v2
 * CBOR (listed first in CloudWatch's current service model).
 */

export const CLOUDWATCH_XMLNS = 'http://monitoring.amazonaws.com/doc/2010-08-01/';
export const JSON_TARGET_PREFIX = 'GraniteServiceVersion20100801.';
const ERROR_NAMESPACE = 'com.amazonaws.cloudwatch#';

// ------------------------------------------------------------------ query protocol

/**
 * Query-protocol fields → nested input: `A.member.2.B=x` becomes `{A: [, {B: 'x'}]}` (then compacted).
 * Every scalar stays a string; the operations convert.
 */
export function parseQueryParams(params: URLSearchParams): Input {
  const root = Object.create(null) as Input;
  for (const [name, value] of params) {
    if (name === 'Action' || name === 'Version') continue;
    const segments = name.split('.');
    if (segments.some((segment) => FORBIDDEN_KEYS.has(segment))) throw forbiddenParameter(name);
    let node: Record<string, unknown> | unknown[] = root;
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i]!;
      const isList = segments[i + 1] === 'member' && /^\d+$/.test(segments[i + 2] ?? '');
      const last = isList ? i + 2 === segments.length - 1 : i === segments.length - 1;
      const container = node as Record<string, unknown>;
      if (isList) {
        if (!Array.isArray(container[segment])) container[segment] = [];
        const list = container[segment] as unknown[];
        const index = Number(segments[i + 2]) - 1;
        if (index < 0 || index > 10_000) break;
        if (last) {
          list[index] = value;
        } else {
          if (typeof list[index] !== 'object' || list[index] === null) list[index] = Object.create(null);
          node = list[index] as Record<string, unknown>;
        }
        i += 2;
        if (last) break;
      } else if (last) {
        container[segment] = value;
      } else {
        if (
          typeof container[segment] !== 'object' ||
          container[segment] === null ||
          Array.isArray(container[segment])
        ) {
          container[segment] = Object.create(null);
        }
        node = container[segment] as Record<string, unknown>;
      }
    }
  }
  return compactLists(root) as Input;
}

function forbiddenParameter(name: string): CloudWatchError {
  return new CloudWatchError(
    'InvalidParameterValueException',
    'InvalidParameterValue',
    400,
    `The parameter name ${name.slice(0, 100)} is not allowed.`,
  );
}

function compactLists(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== undefined).map(compactLists);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, compactLists(v)]));
  }
  return value;
}

export function queryResponse(operation: string, output: Output, requestId: string): string {
  const result = Object.keys(output).length > 0 ? xmlMember(`${operation}Result`, output) : '';
  return (
    `<${operation}Response xmlns="${CLOUDWATCH_XMLNS}">` +
    result +
    `<ResponseMetadata>${el('RequestId', requestId)}</ResponseMetadata>` +
    `</${operation}Response>`
  );
}

export function queryError(error: CloudWatchError, requestId: string): string {
  return (
    `<ErrorResponse xmlns="${CLOUDWATCH_XMLNS}">` +
    `<Error>${el('Type', error.fault)}${el('Code', error.code)}${el('Message', error.message)}</Error>` +
    el('RequestId', requestId) +
    `</ErrorResponse>`
  );
}

function xmlMember(name: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return `<${name}>${value.map((v) => xmlMember('member', v)).join('')}</${name}>`;
  if (value instanceof OutputMap) {
    const entries = Object.entries(value.entries)
      .map(([k, v]) => `<entry>${el('key', k)}${xmlMember('value', v)}</entry>`)
      .join('');
    return `<${name}>${entries}</${name}>`;
  }
  if (value instanceof Date) return el(name, value.toISOString());
  if (typeof value === 'object') {
    const children = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => xmlMember(k, v))
      .join('');
    return `<${name}>${children}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

// ------------------------------------------------------------------ AWS JSON 1.0

/**
 * The JSON 1.0 body. Every number in these outputs is a modelled double (datapoint statistics, GetMetricData
 * values) and CloudWatch writes doubles with a fraction (`3.0`, as in its alarms' JSON): botocore hands JSON
 * numbers to Python as parsed, so `3` would reach boto3 users as an int where AWS gives them a float.
 */
export function jsonResponse(output: Output): string {
  return writeJson(output);
}

function writeJson(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.getTime() / 1000);
  if (typeof value === 'number') return writeDouble(value);
  if (Array.isArray(value)) return `[${value.map(writeJson).join(',')}]`;
  if (value instanceof OutputMap) return writeJson(value.entries);
  if (typeof value === 'object' && value !== null) {
    const members = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${JSON.stringify(k)}:${writeJson(v)}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}

function writeDouble(value: number): string {
  const text = JSON.stringify(value);
  // Integral values within the exact range get `.0`; exponent forms (1e+21) are already doubles to every parser.
  return Number.isInteger(value) && /^-?\d+$/.test(text) ? `${text}.0` : text;
}

// ------------------------------------------------------------------ Smithy RPC v2 CBOR

/** `POST /service/GraniteServiceVersion20100801/operation/<Op>`: the operation, or undefined for another path. */
export function cborOperation(rawPath: string): string | undefined {
  const match = /^\/service\/GraniteServiceVersion20100801\/operation\/([^/]+)$/.exec(rawPath);
  return match?.[1];
}

export const CBOR_HEADERS = { 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor' };

export function cborResponse(output: Output): Buffer {
  return encodeCbor(toCborValue(output));
}

function toCborValue(value: unknown): unknown {
  if (value instanceof Date) return cborTimestamp(value);
  if (Array.isArray(value)) return value.map(toCborValue);
  if (value instanceof OutputMap) return toCborValue(value.entries);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, toCborValue(v)]),
    );
  }
  return value;
}

/** The error body of RPC v2 CBOR: `__type` and the message, plus the query-compatible code header. */
export function cborError(error: CloudWatchError): { body: Buffer; headers: Record<string, string> } {
  return {
    body: encodeCbor({ __type: `${ERROR_NAMESPACE}${error.shape}`, [error.messageMember]: error.message }),
    headers: { ...CBOR_HEADERS, 'x-amzn-query-error': `${error.code};${error.fault}` },
  };
}

export function jsonError(error: CloudWatchError): { body: string; headers: Record<string, string> } {
  return {
    body: JSON.stringify({
      __type: `${ERROR_NAMESPACE}${error.shape}`,
      [error.messageMember]: error.message,
    }),
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-query-error': `${error.code};${error.fault}`,
    },
  };
}
