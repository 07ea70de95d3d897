/**
 * The AWS query protocol (IAM, STS): form-encoded requests (`Action=GetRole&Version=2010-05-08&RoleName=x`,
 * lists as `Tags.member.1.Key`, maps as `Attrs.entry.1.key`) in, XML out. Shared by every query service.
 *
 * Reading is in two steps: the form becomes a tree of null-prototype objects (names split at dots; `__proto__`,
 * `constructor` and `prototype` refused; bounded size, depth, parameter count and list indexes), then the input
 * shape of the operation gives the tree its types (lists, maps, integers, booleans). Validation against the shape's
 * constraints is then shape.ts's, as for the JSON protocols.
 */
import type { ServiceRequest } from '../server/service.js';
import { header } from '../server/service.js';
import { el, escapeXml, XML_DECLARATION } from './xml.js';
import type { Shape } from './shape.js';

export interface QueryLimits {
  maxBodyBytes: number;
  maxParameters: number;
  /** Dot-separated segments in one parameter name. */
  maxDepth: number;
  /** Highest `.member.N` / `.entry.N` index. */
  maxListIndex: number;
}

/** Policy documents (128 KiB, percent-encoded up to three times that) fit; nothing a model allows is refused. */
export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxBodyBytes: 2 * 1024 * 1024,
  maxParameters: 1000,
  maxDepth: 12,
  maxListIndex: 1000,
};

/** A client error of the protocol itself, before any operation runs (AWS's common query errors). */
export class QueryProtocolError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** A node of the parameter tree: a value, or named children. */
export type QueryNode = string | QueryTree;
export interface QueryTree {
  [segment: string]: QueryNode;
}

export interface QueryRequest {
  action?: string;
  version?: string;
  params: QueryTree;
}

/** True for a form-encoded POST or a GET with an `Action` parameter: what a query-protocol client sends. */
export function looksLikeQuery(req: ServiceRequest): boolean {
  if (req.query.has('Action')) return true;
  return req.method === 'POST' && isForm(req);
}

/**
 * One top-level parameter of a query request (`Action`, `Version`), read without building the tree: for routing
 * and the request log.
 */
export function queryParameter(req: ServiceRequest, name: 'Action' | 'Version'): string | undefined {
  const inUrl = req.query.get(name);
  if (inUrl) return inUrl;
  if (req.method !== 'POST' || !isForm(req) || req.body.length > DEFAULT_QUERY_LIMITS.maxBodyBytes) {
    return undefined;
  }
  return new URLSearchParams(req.body.toString('utf8')).get(name) ?? undefined;
}

/** The URL's query parameters and the form body, as one tree. */
export function parseQueryRequest(
  req: ServiceRequest,
  limits: QueryLimits = DEFAULT_QUERY_LIMITS,
): QueryRequest {
  if (req.body.length > limits.maxBodyBytes) {
    throw new QueryProtocolError(
      'RequestEntityTooLarge',
      `The request body is ${req.body.length} bytes; msf-local accepts at most ${limits.maxBodyBytes}.`,
      413,
    );
  }
  const pairs: [string, string][] = [...req.query];
  if (isForm(req)) pairs.push(...new URLSearchParams(req.body.toString('utf8')));
  if (pairs.length > limits.maxParameters) {
    throw invalidQuery(
      `The request has ${pairs.length} parameters; at most ${limits.maxParameters} are accepted.`,
    );
  }
  const params: QueryTree = Object.create(null) as QueryTree;
  let action: string | undefined;
  let version: string | undefined;
  for (const [name, value] of pairs) {
    if (name === 'Action') action = value;
    else if (name === 'Version') version = value;
    else insert(params, name, value, limits);
  }
  return { action, version, params };
}

function insert(root: QueryTree, name: string, value: string, limits: QueryLimits): void {
  const segments = name.split('.');
  if (segments.length > limits.maxDepth) {
    throw invalidQuery(`Parameter ${truncate(name)} is nested deeper than ${limits.maxDepth} levels.`);
  }
  let node = root;
  segments.forEach((segment, i) => {
    if (segment === '' || FORBIDDEN.has(segment)) {
      throw invalidQuery(`Parameter name ${truncate(name)} is not valid.`);
    }
    if (/^\d+$/.test(segment) && (Number(segment) < 1 || Number(segment) > limits.maxListIndex)) {
      throw invalidQuery(
        `Index ${truncate(segment)} in ${truncate(name)} is outside 1..${limits.maxListIndex}.`,
      );
    }
    const last = i === segments.length - 1;
    const existing = node[segment];
    if (last) {
      if (existing !== undefined) throw invalidQuery(`Parameter ${truncate(name)} is given more than once.`);
      node[segment] = value;
      return;
    }
    if (typeof existing === 'string') {
      throw invalidQuery(`Parameter ${truncate(name)} conflicts with a value given for one of its prefixes.`);
    }
    if (existing === undefined) node[segment] = Object.create(null) as QueryTree;
    node = node[segment] as QueryTree;
  });
}

/**
 * The tree read as `shape` says: `X.member.N` lists (an empty `X=` is an empty list), `X.entry.N.key/value` maps,
 * numbers and booleans from their text. Members the shape does not know are dropped, as the services do.
 */
export function decodeQueryInput(shape: Shape, params: QueryTree): Record<string, unknown> {
  return (decode(shape, params, '') ?? {}) as Record<string, unknown>;
}

function decode(shape: Shape, node: QueryNode | undefined, path: string): unknown {
  if (node === undefined) return undefined;
  switch (shape.kind) {
    case 'structure': {
      if (typeof node === 'string') return node === '' ? {} : mismatch(path, 'a structure', node);
      const out: Record<string, unknown> = {};
      for (const [member, memberShape] of Object.entries(shape.members)) {
        // Paths in messages are camelCase, as in shape.ts's ('roleName', 'tags.member.1.key').
        const name = member.charAt(0).toLowerCase() + member.slice(1);
        const value = decode(memberShape, node[member], path ? `${path}.${name}` : name);
        if (value !== undefined) out[member] = value;
      }
      return out;
    }
    case 'list': {
      if (typeof node === 'string') return node === '' ? [] : mismatch(path, 'a list', node);
      const items = node.member;
      if (items === undefined) return [];
      if (typeof items === 'string') return mismatch(`${path}.member`, 'a list', items);
      return indexed(items).map(([i, item]) => decode(shape.member, item, `${path}.member.${i}`));
    }
    case 'map': {
      if (typeof node === 'string') return node === '' ? {} : mismatch(path, 'a map', node);
      const entries = node.entry;
      const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      if (entries === undefined) return out;
      if (typeof entries === 'string') return mismatch(`${path}.entry`, 'a map', entries);
      for (const [i, entry] of indexed(entries)) {
        if (typeof entry === 'string' || typeof entry.key !== 'string') {
          throw invalidQuery(`${path}.entry.${i} has no key.`);
        }
        if (FORBIDDEN.has(entry.key))
          throw invalidQuery(`${path}.entry.${i}.key ${entry.key} is not allowed.`);
        out[entry.key] = decode(shape.value, entry.value, `${path}.entry.${i}.value`);
      }
      return out;
    }
    case 'any':
      return node;
    default:
      if (typeof node !== 'string') return mismatch(path, 'a value', '(nested parameters)');
      return scalar(shape, node, path);
  }
}

function scalar(shape: Shape, text: string, path: string): unknown {
  switch (shape.kind) {
    case 'integer':
      return /^-?\d+$/.test(text) ? Number(text) : mismatch(path, 'an integer', text);
    case 'double': {
      const value = Number(text);
      return text.trim() !== '' && Number.isFinite(value) ? value : mismatch(path, 'a number', text);
    }
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : mismatch(path, 'true or false', text);
    default:
      return text; // strings, timestamps (ISO 8601, checked by validate) and base64 blobs
  }
}

/** `{ '2': b, '1': a }` → `[['1', a], ['2', b]]`; anything but 1-based indexes is refused. */
function indexed(tree: QueryTree): [string, QueryNode][] {
  const entries = Object.entries(tree);
  for (const [key] of entries) {
    if (!/^\d+$/.test(key)) throw invalidQuery(`Expected a 1-based index, got ${truncate(key)}.`);
  }
  return entries.sort(([a], [b]) => Number(a) - Number(b));
}

function mismatch(path: string, expected: string, got: string): never {
  throw new QueryProtocolError(
    'ValidationError',
    `1 validation error detected: Value '${truncate(got)}' at '${path}' failed to satisfy constraint: Member must be ${expected}`,
  );
}

function invalidQuery(message: string): QueryProtocolError {
  return new QueryProtocolError('InvalidQueryParameter', message);
}

function truncate(text: string): string {
  return text.length > 100 ? `${text.slice(0, 100)}...` : text;
}

function isForm(req: ServiceRequest): boolean {
  return (header(req, 'content-type') ?? '').toLowerCase().includes('application/x-www-form-urlencoded');
}

// ------------------------------------------------------------------ responses

/**
 * `<ActionResponse xmlns><ActionResult>…</ActionResult><ResponseMetadata>…</ResponseMetadata></ActionResponse>`.
 * Arrays become `<member>` lists, Dates ISO 8601 timestamps; undefined members are left out.
 */
export function queryResponseXml(
  action: string,
  xmlNamespace: string,
  result: Record<string, unknown> | undefined,
  requestId: string,
): string {
  const body = result !== undefined ? xmlValue(`${action}Result`, result) : '';
  return (
    XML_DECLARATION +
    `<${action}Response xmlns="${escapeXml(xmlNamespace)}">${body}` +
    `<ResponseMetadata>${el('RequestId', requestId)}</ResponseMetadata></${action}Response>\n`
  );
}

export function queryErrorXml(
  error: { code: string; message: string; senderFault: boolean },
  xmlNamespace: string,
  requestId: string,
): string {
  return (
    XML_DECLARATION +
    `<ErrorResponse xmlns="${escapeXml(xmlNamespace)}"><Error>` +
    `${el('Type', error.senderFault ? 'Sender' : 'Receiver')}${el('Code', error.code)}${el('Message', error.message)}` +
    `</Error>${el('RequestId', requestId)}</ErrorResponse>\n`
  );
}

function xmlValue(name: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return `<${name}>${value.map((v) => xmlValue('member', v)).join('')}</${name}>`;
  if (value instanceof Date) return el(name, value.toISOString().replace(/\.\d{3}Z$/, 'Z'));
  if (typeof value === 'object') {
    const children = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => xmlValue(k, v))
      .join('');
    return `<${name}>${children}</${name}>`;
  }
  return el(name, value as string | number | boolean);
}

export const QUERY_CONTENT_TYPE = 'text/xml';
