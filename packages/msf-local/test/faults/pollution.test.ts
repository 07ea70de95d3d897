/**
 * Prototype pollution and non-operations, protocol by protocol, against a real msf-local: keys naming prototype
 * machinery are refused in every body format (query form, JSON 1.0/1.1, CBOR, S3 XML) and never reach
 * Object.prototype; `constructor`, `hasOwnProperty`, `__proto__`… are no operation of any service.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { encodeCbor, decodeCbor } from '../../src/cloudwatch/protocol/cbor.js';
import { startMsfLocal, type MsfLocal } from '../../src/msf-local.js';

let server: MsfLocal;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'msf-pollution-'));
  server = await startMsfLocal({ dataDir, port: 0, runtime: null, kinesis: false, log: () => undefined });
});

afterAll(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

afterEach(() => {
  // What a successful pollution would have left behind; checked (and cleaned) after every test.
  const proto = Object.prototype as Record<string, unknown>;
  const leaked = ['JAVA_TOOL_OPTIONS', 'polluted', 'a'].filter((k) => k in proto);
  for (const k of leaked) delete proto[k];
  expect(leaked).toEqual([]);
});

async function send(
  headers: Record<string, string>,
  body: string | Buffer,
  urlPath = '/',
  method = 'POST',
): Promise<{ status: number; type: string; text: string; body: Buffer }> {
  const res = await fetch(`${server.url}${urlPath}`, { method, headers, body });
  const bytes = Buffer.from(await res.arrayBuffer());
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    text: bytes.toString(),
    body: bytes,
  };
}

const form = { 'content-type': 'application/x-www-form-urlencoded' };
const json11 = (target: string) => ({ 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target });

describe('pollution keys are refused in every protocol', () => {
  it('CloudWatch query form: __proto__.JAVA_TOOL_OPTIONS → 400 in the query error shape', async () => {
    for (const key of [
      '__proto__.JAVA_TOOL_OPTIONS',
      'constructor.prototype.polluted',
      'Dimensions.member.1.__proto__',
    ]) {
      const r = await send(form, `Action=ListMetrics&Version=2010-08-01&${encodeURIComponent(key)}=-Dx=1`);
      expect(r.status).toBe(400);
      expect(r.text).toMatch(/<Code>InvalidParameterValue<\/Code>/);
    }
  });

  it('CloudWatch JSON 1.0 and RPC v2 CBOR: a __proto__ member → SerializationException', async () => {
    const polluting = '{"Namespace":"x","__proto__":{"polluted":"yes"}}';
    const r = await send(
      {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'GraniteServiceVersion20100801.ListMetrics',
      },
      polluting,
    );
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text).__type).toMatch(/SerializationException$/);
    const cbor = await send(
      { 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor' },
      encodeCbor(JSON.parse(polluting)),
      '/service/GraniteServiceVersion20100801/operation/ListMetrics',
    );
    expect(cbor.status).toBe(400);
    expect((decodeCbor(cbor.body) as { __type: string }).__type).toMatch(/SerializationException$/);
  });

  it('AWS JSON 1.1 services (MSF, Logs, KMS): a __proto__ or constructor member → SerializationException', async () => {
    for (const target of [
      'KinesisAnalytics_20180523.ListApplications',
      'Logs_20140328.DescribeLogGroups',
      'TrentService.ListKeys',
    ]) {
      for (const body of [
        '{"__proto__":{"polluted":1}}',
        '{"Limit":1,"x":{"constructor":{"prototype":{"a":1}}}}',
      ]) {
        const r = await send(json11(target), body);
        expect(r.status, `${target} ${body}`).toBe(400);
        expect(JSON.parse(r.text).__type).toBe('SerializationException');
      }
    }
  });

  it('IAM and STS query forms: a prototype key → InvalidQueryParameter', async () => {
    const r = await send(form, 'Action=ListRoles&Version=2010-05-08&__proto__.polluted=1');
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/<Code>InvalidQueryParameter<\/Code>/);
  });

  it('S3 XML: an element named __proto__ or constructor → MalformedXML', async () => {
    expect((await send({}, '', '/pollution-bucket', 'PUT')).status).toBe(200);
    for (const element of ['__proto__', 'constructor']) {
      const r = await send(
        { 'content-type': 'application/xml' },
        `<Delete><Object><Key>k</Key></Object><${element}><polluted>1</polluted></${element}></Delete>`,
        '/pollution-bucket?delete',
        'POST',
      );
      expect(r.status).toBe(400);
      expect(r.text).toMatch(/<Code>MalformedXML<\/Code>/);
    }
  });

  it('a body nested deeper than any model is refused before it is parsed', async () => {
    const deep = `{"x":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    const r = await send(json11('KinesisAnalytics_20180523.ListApplications'), deep);
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text)).toMatchObject({ __type: 'SerializationException', message: /deeper than/ });
  });
});

describe('only own operations are dispatched', () => {
  const NON_OPERATIONS = [
    'constructor',
    'hasOwnProperty',
    'valueOf',
    '__proto__',
    'toString',
    'isPrototypeOf',
  ];

  it('AWS JSON services answer UnknownOperationException for Object.prototype names', async () => {
    for (const prefix of [
      'KinesisAnalytics_20180523',
      'Logs_20140328',
      'TrentService',
      'MsfLocal_20261201',
    ]) {
      for (const name of NON_OPERATIONS) {
        const r = await send(json11(`${prefix}.${name}`), '{}');
        expect(r.status, `${prefix}.${name}`).toBe(400);
        expect(JSON.parse(r.text).__type, `${prefix}.${name}`).toBe('UnknownOperationException');
      }
    }
  });

  it('query and CBOR services answer their unknown-action errors', async () => {
    for (const name of NON_OPERATIONS) {
      for (const version of ['2010-05-08', '2011-06-15', '2010-08-01']) {
        const r = await send(form, `Action=${name}&Version=${version}`);
        expect(r.status, `${name} ${version}`).toBe(400);
        expect(r.text).toMatch(/<Code>InvalidAction<\/Code>/);
      }
      const cbor = await send(
        { 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor' },
        encodeCbor({}),
        `/service/GraniteServiceVersion20100801/operation/${name}`,
      );
      expect(cbor.status, name).toBe(400);
    }
  });
});
