/**
 * Requests no service on the edge claims get an error in their own protocol naming what was asked, and the
 * request log names every operation (X-Amz-Target or the query Action), not just `POST /`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCbor } from '../../src/cloudwatch/protocol/cbor.js';
import type { RequestLogEntry } from '../../src/server/edge-server.js';
import { startHarness, type Harness } from '../support/msf-local-harness.js';

let h: Harness;
const log: RequestLogEntry[] = [];
beforeAll(async () => {
  h = await startHarness({ runtime: null, onRequest: (entry) => log.push(entry) });
});
afterAll(async () => {
  await h?.close();
});

const signedFor = (service: string) => ({
  authorization: `AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=x`,
});
const lastLog = () => log.at(-1)!;

describe('requests msf-local does not serve', () => {
  it('answers a query-protocol action with the query error XML', async () => {
    const response = await fetch(h.server.url, {
      method: 'POST',
      headers: { ...signedFor('sqs'), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=ListQueues&Version=2012-11-05',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('text/xml');
    const text = await response.text();
    expect(text).toMatch(
      /<Error><Type>Sender<\/Type><Code>InvalidAction<\/Code><Message>msf-local does not serve ListQueues \(signed for sqs\);/,
    );
    expect(text).toContain(`<RequestId>${response.headers.get('x-amzn-requestid')}</RequestId>`);
    expect(lastLog()).toMatchObject({ service: 'unknown(sqs)', operation: 'ListQueues', status: 400 });
  });

  it('answers an AWS JSON target in JSON, in the content type it was sent', async () => {
    const response = await fetch(h.server.url, {
      method: 'POST',
      headers: {
        ...signedFor('dynamodb'),
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.ListTables',
      },
      body: '{}',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    expect(response.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    expect(await response.json()).toEqual({
      __type: 'UnknownOperationException',
      message: expect.stringContaining(
        'msf-local does not serve DynamoDB_20120810.ListTables (signed for dynamodb)',
      ),
    });
    expect(lastLog()).toMatchObject({
      service: 'unknown(dynamodb)',
      operation: 'DynamoDB_20120810.ListTables',
    });
  });

  it('answers Smithy RPC v2 in CBOR', async () => {
    const response = await fetch(`${h.server.url}/service/AmazonSQS/operation/ListQueues`, {
      method: 'POST',
      headers: { ...signedFor('sqs'), 'smithy-protocol': 'rpc-v2-cbor', 'content-type': 'application/cbor' },
      body: new Uint8Array([0xa0]),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/cbor');
    const body = decodeCbor(new Uint8Array(await response.arrayBuffer())) as {
      __type: string;
      message: string;
    };
    expect(body.__type).toBe('UnknownOperationException');
    expect(body.message).toContain('AmazonSQS.ListQueues');
    expect(lastLog().operation).toBe('AmazonSQS.ListQueues');
  });

  it('answers a REST request in JSON, naming its method and path', async () => {
    const response = await fetch(`${h.server.url}/2015-03-31/functions/`, { headers: signedFor('lambda') });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toContain(
      'msf-local does not serve GET /2015-03-31/functions/ (signed for lambda)',
    );
    expect(lastLog()).toMatchObject({
      service: 'unknown(lambda)',
      method: 'GET',
      path: '/2015-03-31/functions/',
    });
  });

  it('names the action of a query service it serves in the request log', async () => {
    const response = await fetch(h.server.url, {
      method: 'POST',
      headers: { ...signedFor('sts'), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    expect(response.status).toBe(200);
    expect(lastLog()).toMatchObject({ service: 'sts', operation: 'GetCallerIdentity', status: 200 });
  });
});
