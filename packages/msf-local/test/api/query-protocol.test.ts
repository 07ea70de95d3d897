/**
 * The shared query-protocol codec: form trees on null-prototype objects that refuse prototype keys, its limits,
 * typing by the input shape, and the XML it writes.
 */
import { describe, expect, it } from 'vitest';
import {
  decodeQueryInput,
  parseQueryRequest,
  QueryProtocolError,
  queryErrorXml,
  queryResponseXml,
  type QueryLimits,
} from '../../src/api/query-protocol.js';
import { bool, int, list, map, str, struct } from '../../src/api/shape.js';
import type { ServiceRequest } from '../../src/server/service.js';

function form(body: string, query = ''): ServiceRequest {
  return {
    method: 'POST',
    rawPath: '/',
    query: new URLSearchParams(query),
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: Buffer.from(body),
    requestId: 'req-1',
  };
}

function failure(run: () => unknown): QueryProtocolError {
  try {
    run();
  } catch (error) {
    if (error instanceof QueryProtocolError) return error;
    throw error;
  }
  throw new Error('expected a QueryProtocolError');
}

const TAG = struct({ Key: str(), Value: str() }, ['Key']);
const SHAPE = struct({
  RoleName: str(),
  MaxSessionDuration: int(),
  OnlyAttached: bool,
  Tags: list(TAG),
  TagKeys: list(str()),
  Attributes: map(str(), str()),
});

describe('query protocol: reading', () => {
  it('reads Action, Version and a typed tree from the URL and the form body', () => {
    const { action, version, params } = parseQueryRequest(
      form(
        'RoleName=r&MaxSessionDuration=7200&OnlyAttached=true&Tags.member.2.Key=b&Tags.member.2.Value=2' +
          '&Tags.member.1.Key=a&Tags.member.1.Value=1&TagKeys=&Attributes.entry.1.key=k&Attributes.entry.1.value=v',
        'Action=CreateRole&Version=2010-05-08',
      ),
    );
    expect({ action, version }).toEqual({ action: 'CreateRole', version: '2010-05-08' });
    expect(Object.getPrototypeOf(params)).toBeNull();
    const input = decodeQueryInput(SHAPE, params);
    expect(input).toEqual({
      RoleName: 'r',
      MaxSessionDuration: 7200,
      OnlyAttached: true,
      Tags: [
        { Key: 'a', Value: '1' },
        { Key: 'b', Value: '2' },
      ],
      TagKeys: [],
      Attributes: Object.assign(Object.create(null), { k: 'v' }),
    });
  });

  it('refuses prototype names anywhere in a parameter name and as map keys', () => {
    for (const name of ['__proto__.polluted', 'Tags.member.1.constructor', 'prototype', 'A..B', 'A.']) {
      expect(failure(() => parseQueryRequest(form(`${encodeURIComponent(name)}=x`))).code).toBe(
        'InvalidQueryParameter',
      );
    }
    const { params } = parseQueryRequest(form('Attributes.entry.1.key=__proto__&Attributes.entry.1.value=x'));
    expect(failure(() => decodeQueryInput(SHAPE, params)).code).toBe('InvalidQueryParameter');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('bounds body size, parameter count, depth and list indexes', () => {
    const limits: QueryLimits = { maxBodyBytes: 100, maxParameters: 3, maxDepth: 4, maxListIndex: 10 };
    expect(failure(() => parseQueryRequest(form('A=' + 'x'.repeat(200)), limits))).toMatchObject({
      code: 'RequestEntityTooLarge',
      status: 413,
    });
    expect(failure(() => parseQueryRequest(form('A=1&B=2&C=3&D=4'), limits)).code).toBe(
      'InvalidQueryParameter',
    );
    expect(failure(() => parseQueryRequest(form('A.B.C.D.E=1'), limits)).message).toContain('deeper than 4');
    expect(failure(() => parseQueryRequest(form('Tags.member.11.Key=a'), limits)).message).toContain(
      'outside 1..10',
    );
    expect(failure(() => parseQueryRequest(form('Tags.member.0.Key=a'), limits)).code).toBe(
      'InvalidQueryParameter',
    );
  });

  it('refuses a value given twice or both as a value and as a structure', () => {
    expect(failure(() => parseQueryRequest(form('RoleName=a&RoleName=b'))).message).toContain(
      'more than once',
    );
    expect(failure(() => parseQueryRequest(form('Tags=a&Tags.member.1.Key=b'))).message).toContain(
      'conflicts',
    );
  });

  it('types scalars by the shape, with the validation error of the query services', () => {
    const { params } = parseQueryRequest(form('MaxSessionDuration=lots'));
    expect(failure(() => decodeQueryInput(SHAPE, params))).toMatchObject({
      code: 'ValidationError',
      message:
        "1 validation error detected: Value 'lots' at 'maxSessionDuration' failed to satisfy constraint: Member must be an integer",
    });
    const nested = parseQueryRequest(form('RoleName.x=1'));
    expect(failure(() => decodeQueryInput(SHAPE, nested.params)).code).toBe('ValidationError');
    // Members the shape does not know are dropped, as the services drop them.
    expect(decodeQueryInput(SHAPE, parseQueryRequest(form('Unknown=1&RoleName=r')).params)).toEqual({
      RoleName: 'r',
    });
  });
});

describe('query protocol: writing', () => {
  it('writes results with member lists, ISO timestamps and escaped text', () => {
    const xml = queryResponseXml(
      'GetRole',
      'https://iam.amazonaws.com/doc/2010-05-08/',
      {
        Role: {
          RoleName: 'a<b',
          CreateDate: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
          Tags: [{ Key: 'k', Value: 'v' }],
          Gone: undefined,
        },
      },
      'req-1',
    );
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        '<GetRoleResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetRoleResult><Role>' +
        '<RoleName>a&lt;b</RoleName><CreateDate>2026-01-02T03:04:05Z</CreateDate>' +
        '<Tags><member><Key>k</Key><Value>v</Value></member></Tags></Role></GetRoleResult>' +
        '<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></GetRoleResponse>\n',
    );
    expect(queryResponseXml('DeleteRole', 'ns', undefined, 'r')).toContain(
      '<DeleteRoleResponse xmlns="ns"><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DeleteRoleResponse>',
    );
  });

  it('writes the query error shape', () => {
    expect(queryErrorXml({ code: 'NoSuchEntity', message: 'not "here"', senderFault: true }, 'ns', 'r')).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="ns"><Error><Type>Sender</Type>' +
        '<Code>NoSuchEntity</Code><Message>not &quot;here&quot;</Message></Error><RequestId>r</RequestId></ErrorResponse>\n',
    );
  });
});
