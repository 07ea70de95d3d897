/** CloudWatch through the real @aws-sdk/client-cloudwatch (AWS JSON 1.0) against a real EdgeServer. */
import { readFile } from 'node:fs/promises';
import {
  CloudWatchClient,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  InvalidNextToken,
  InvalidParameterCombinationException,
  InvalidParameterValueException,
  ListMetricsCommand,
  MissingRequiredParameterException,
  PutMetricDataCommand,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
// The RPC v2 CBOR protocol of the SDK's own core (what @aws-sdk/client-cloudwatch is built on).
import { AwsSmithyRpcV2CborProtocol } from '@aws-sdk/core/protocols';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeCbor } from '../../src/cloudwatch/protocol/cbor.js';
import { startCloudWatch, TEST_CREDENTIALS, type CloudWatchHarness } from './harness.js';

const T0 = Date.parse('2026-03-01T12:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);
let clock = T0 + 10 * 60_000;
let h: CloudWatchHarness;
let cw: CloudWatchClient;
beforeAll(async () => {
  h = await startCloudWatch(undefined, { now: () => clock });
  cw = h.client;
});
afterAll(async () => {
  await h.dispose();
});
afterEach(() => {
  clock = T0 + 10 * 60_000;
});

const KDA = 'AWS/KinesisAnalytics';
const app = (name: string) => [{ Name: 'Application', Value: name }];

async function caught(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

describe('PutMetricData and ListMetrics', () => {
  beforeAll(async () => {
    await cw.send(
      new PutMetricDataCommand({
        Namespace: 'Custom/Apps',
        MetricData: [
          { MetricName: 'latency', Dimensions: app('a'), Value: 10, Unit: 'Milliseconds', Timestamp: at(0) },
          {
            MetricName: 'latency',
            Dimensions: app('b'),
            Values: [1, 2, 3],
            Counts: [1, 1, 2],
            Timestamp: at(0),
          },
          {
            MetricName: 'requests',
            Dimensions: [...app('a'), { Name: 'Stage', Value: 'prod' }],
            StatisticValues: { SampleCount: 4, Sum: 40, Minimum: 5, Maximum: 15 },
            Unit: 'Count',
            Timestamp: at(0),
          },
        ],
      }),
    );
    await cw.send(
      new PutMetricDataCommand({
        Namespace: 'Other',
        MetricData: [{ MetricName: 'x', Value: 1, Timestamp: at(0) }],
      }),
    );
  });

  it('lists metrics filtered by namespace, name and dimensions', async () => {
    const all = await cw.send(new ListMetricsCommand({ Namespace: 'Custom/Apps' }));
    expect(all.Metrics).toEqual([
      { Namespace: 'Custom/Apps', MetricName: 'latency', Dimensions: app('a') },
      { Namespace: 'Custom/Apps', MetricName: 'latency', Dimensions: app('b') },
      {
        Namespace: 'Custom/Apps',
        MetricName: 'requests',
        Dimensions: [...app('a'), { Name: 'Stage', Value: 'prod' }],
      },
    ]);
    expect((await cw.send(new ListMetricsCommand({ MetricName: 'x' }))).Metrics).toEqual([
      { Namespace: 'Other', MetricName: 'x', Dimensions: [] },
    ]);
    const byValue = await cw.send(
      new ListMetricsCommand({ Namespace: 'Custom/Apps', Dimensions: [{ Name: 'Application', Value: 'a' }] }),
    );
    expect(byValue.Metrics?.map((m) => m.MetricName)).toEqual(['latency', 'requests']);
    const byName = await cw.send(new ListMetricsCommand({ Dimensions: [{ Name: 'Stage' }] }));
    expect(byName.Metrics?.map((m) => m.MetricName)).toEqual(['requests']);
    expect((await cw.send(new ListMetricsCommand({ Namespace: 'None/Such' }))).Metrics).toEqual([]);
  });

  it('stores values, value sets and statistic sets', async () => {
    const stats = async (metric: string, dims: { Name: string; Value: string }[]) =>
      (
        await cw.send(
          new GetMetricStatisticsCommand({
            Namespace: 'Custom/Apps',
            MetricName: metric,
            Dimensions: dims,
            StartTime: at(0),
            EndTime: at(60),
            Period: 60,
            Statistics: ['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum'],
          }),
        )
      ).Datapoints;
    expect(await stats('latency', app('b'))).toEqual([
      { Timestamp: at(0), SampleCount: 4, Sum: 9, Average: 2.25, Minimum: 1, Maximum: 3, Unit: 'None' },
    ]);
    expect(await stats('requests', [{ Name: 'Stage', Value: 'prod' }, ...app('a')])).toEqual([
      { Timestamp: at(0), SampleCount: 4, Sum: 40, Average: 10, Minimum: 5, Maximum: 15, Unit: 'Count' },
    ]);
  });

  it('refuses bad PutMetricData input with the modelled errors', async () => {
    const put = (data: Record<string, unknown>, namespace = 'Custom/Apps') =>
      caught(cw.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: [data as never] })));
    const aws = await put({ MetricName: 'm', Value: 1 }, 'AWS/KinesisAnalytics');
    expect(aws).toBeInstanceOf(InvalidParameterValueException);
    expect(aws.message).toBe('The value AWS/KinesisAnalytics for parameter Namespace is invalid.');
    expect((aws.Error as { Code: string }).Code).toBe('InvalidParameterValue');
    expect(await put({ MetricName: 'm' })).toBeInstanceOf(MissingRequiredParameterException);
    expect(
      await put({
        MetricName: 'm',
        Value: 1,
        StatisticValues: { SampleCount: 1, Sum: 1, Minimum: 1, Maximum: 1 },
      }),
    ).toBeInstanceOf(InvalidParameterCombinationException);
    const old = await put({ MetricName: 'm', Value: 1, Timestamp: new Date(clock - 15 * 24 * 3600_000) });
    expect(old).toBeInstanceOf(InvalidParameterValueException);
    expect(await put({ MetricName: 'm', Value: 1, Unit: 'Furlongs' })).toBeInstanceOf(
      InvalidParameterValueException,
    );
  });

  it('paginates ListMetrics 500 at a time', async () => {
    const data = Array.from({ length: 620 }, (_, i) => ({
      MetricName: 'many',
      Dimensions: app(`app-${String(i).padStart(3, '0')}`),
      Value: i,
      Timestamp: at(0),
    }));
    for (let i = 0; i < data.length; i += 500) {
      await cw.send(
        new PutMetricDataCommand({ Namespace: 'Custom/Many', MetricData: data.slice(i, i + 500) }),
      );
    }
    const first = await cw.send(new ListMetricsCommand({ Namespace: 'Custom/Many' }));
    expect(first.Metrics).toHaveLength(500);
    expect(first.NextToken).toBeDefined();
    const second = await cw.send(
      new ListMetricsCommand({ Namespace: 'Custom/Many', NextToken: first.NextToken }),
    );
    expect(second.Metrics).toHaveLength(120);
    expect(second.NextToken).toBeUndefined();
    const names = [...first.Metrics!, ...second.Metrics!].map((m) => m.Dimensions![0]!.Value);
    expect(new Set(names).size).toBe(620);
    expect(await caught(cw.send(new ListMetricsCommand({ NextToken: 'bogus' })))).toBeInstanceOf(
      InvalidNextToken,
    );
  });
});

describe('GetMetricStatistics', () => {
  beforeAll(async () => {
    // uptime of app "stats": two datapoints per minute, and one Count datapoint in the first minute.
    const points: [number, number][] = [
      [10, 1],
      [40, 3],
      [65, 5],
      [110, 7],
      [180, 9],
    ];
    await cw.send(
      new PutMetricDataCommand({
        Namespace: 'Custom/Stats',
        MetricData: [
          ...points.map(([s, v]) => ({
            MetricName: 'uptime',
            Dimensions: app('stats'),
            Value: v,
            Unit: 'Milliseconds' as const,
            Timestamp: at(s),
          })),
          { MetricName: 'uptime', Dimensions: app('stats'), Value: 100, Unit: 'Count', Timestamp: at(20) },
        ],
      }),
    );
  });

  const query = (extra: Record<string, unknown> = {}) =>
    cw.send(
      new GetMetricStatisticsCommand({
        Namespace: 'Custom/Stats',
        MetricName: 'uptime',
        Dimensions: app('stats'),
        StartTime: at(0),
        EndTime: at(180),
        Period: 60,
        Statistics: ['Average', 'Sum', 'Minimum', 'Maximum', 'SampleCount'],
        ...extra,
      }),
    );

  it('aggregates per period and unit; EndTime is exclusive', async () => {
    const out = await query({ Unit: 'Milliseconds', ExtendedStatistics: undefined });
    expect(out.Label).toBe('uptime');
    expect(out.Datapoints).toEqual([
      { Timestamp: at(0), Average: 2, Sum: 4, Minimum: 1, Maximum: 3, SampleCount: 2, Unit: 'Milliseconds' },
      {
        Timestamp: at(60),
        Average: 6,
        Sum: 12,
        Minimum: 5,
        Maximum: 7,
        SampleCount: 2,
        Unit: 'Milliseconds',
      },
    ]);
    const mixed = await query({ Statistics: ['Sum'] });
    expect(mixed.Datapoints?.map((d) => [d.Timestamp?.toISOString(), d.Unit, d.Sum])).toEqual([
      [at(0).toISOString(), 'Count', 100],
      [at(0).toISOString(), 'Milliseconds', 4],
      [at(60).toISOString(), 'Milliseconds', 12],
    ]);
  });

  it('computes percentiles and aligns a mid-minute StartTime down to the minute', async () => {
    const out = await query({
      StartTime: at(30),
      EndTime: at(240),
      Period: 120,
      Unit: 'Milliseconds',
      Statistics: undefined,
      ExtendedStatistics: ['p50', 'p99', 'p0.5'],
    });
    expect(out.Datapoints).toEqual([
      { Timestamp: at(0), Unit: 'Milliseconds', ExtendedStatistics: { p50: 3, p99: 7, 'p0.5': 1 } },
      { Timestamp: at(120), Unit: 'Milliseconds', ExtendedStatistics: { p50: 9, p99: 9, 'p0.5': 9 } },
    ]);
  });

  it('answers no datapoints for unknown metrics or dimension sets (dimensions must match exactly)', async () => {
    expect((await query({ Dimensions: app('other') })).Datapoints).toEqual([]);
    expect((await query({ Dimensions: [] })).Datapoints).toEqual([]);
  });

  it('refuses bad requests with CloudWatch error shapes', async () => {
    const backwards = await caught(query({ StartTime: at(60), EndTime: at(0) }));
    expect(backwards).toBeInstanceOf(InvalidParameterValueException);
    expect(backwards.message).toBe('The parameter StartTime must be less than the parameter EndTime.');
    expect(await caught(query({ Period: 45 }))).toBeInstanceOf(InvalidParameterValueException);
    const tooMany = await caught(query({ EndTime: at(2 * 24 * 3600), Period: 60 }));
    expect(tooMany).toBeInstanceOf(InvalidParameterCombinationException);
    expect(tooMany.message).toContain('which exceeds the limit of 1,440');
    expect(await caught(query({ Statistics: [] }))).toBeInstanceOf(MissingRequiredParameterException);
    expect(await caught(query({ Statistics: ['Median'] }))).toBeInstanceOf(InvalidParameterValueException);
    const missing = await caught(query({ Namespace: undefined }));
    expect(missing).toBeInstanceOf(MissingRequiredParameterException);
    expect(missing.message).toBe('The parameter Namespace is required.');
    expect((missing.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(400);
  });

  it('forgets datapoints older than the retention window', async () => {
    await h.store.put(KDA, 'retained', { Application: 'r' }, T0, 1, 'Count');
    const get = () =>
      cw.send(
        new GetMetricStatisticsCommand({
          Namespace: KDA,
          MetricName: 'retained',
          Dimensions: app('r'),
          StartTime: at(0),
          EndTime: at(60),
          Period: 60,
          Statistics: ['Sum'],
        }),
      );
    expect((await get()).Datapoints).toHaveLength(1);
    clock = T0 + 3 * 3600_000 + 1;
    expect((await get()).Datapoints).toEqual([]);
    expect((await cw.send(new ListMetricsCommand({ MetricName: 'retained' }))).Metrics).toEqual([]);
  });
});

describe('GetMetricData', () => {
  beforeAll(async () => {
    // What the Flink driver does: the in-process store API, every 20 s for 10 minutes.
    for (let s = 0; s < 600; s += 20) {
      await h.store.put(KDA, 'uptime', { Application: 'flow' }, T0 + s * 1000, s * 1000, 'Milliseconds');
      await h.store.put({
        namespace: KDA,
        metricName: 'downtime',
        dimensions: app('flow'),
        timestamp: T0 + s * 1000,
        value: s >= 300 && s < 360 ? 500 : 0,
        unit: 'Milliseconds',
      });
    }
  });

  const stat = (
    id: string,
    metric: string,
    statName: string,
    extra: Partial<MetricDataQuery> = {},
  ): MetricDataQuery => ({
    Id: id,
    MetricStat: {
      Metric: { Namespace: KDA, MetricName: metric, Dimensions: app('flow') },
      Period: 60,
      Stat: statName,
    },
    ...extra,
  });

  it('answers several queries, newest first by default, with labels', async () => {
    const out = await cw.send(
      new GetMetricDataCommand({
        StartTime: at(0),
        EndTime: at(600),
        MetricDataQueries: [
          stat('up', 'uptime', 'Maximum'),
          stat('down', 'downtime', 'Sum', { Label: 'downtime ms' }),
          stat('hidden', 'uptime', 'Minimum', { ReturnData: false }),
        ],
      }),
    );
    expect(out.MetricDataResults?.map((r) => [r.Id, r.Label, r.StatusCode])).toEqual([
      ['up', 'uptime', 'Complete'],
      ['down', 'downtime ms', 'Complete'],
    ]);
    const up = out.MetricDataResults![0]!;
    expect(up.Timestamps).toHaveLength(10);
    expect(up.Timestamps![0]).toEqual(at(540));
    expect(up.Values![0]).toBe(580_000);
    expect(up.Values![9]).toBe(40_000);
    const down = out.MetricDataResults![1]!;
    expect(down.Values).toEqual([0, 0, 0, 0, 1500, 0, 0, 0, 0, 0]);
    expect(out.NextToken).toBeUndefined();
  });

  it('scans ascending on request and supports percentiles and SampleCount', async () => {
    const out = await cw.send(
      new GetMetricDataCommand({
        StartTime: at(0),
        EndTime: at(120),
        ScanBy: 'TimestampAscending',
        MetricDataQueries: [stat('p', 'uptime', 'p50'), stat('n', 'uptime', 'SampleCount')],
      }),
    );
    expect(out.MetricDataResults?.[0]?.Timestamps).toEqual([at(0), at(60)]);
    expect(out.MetricDataResults?.[0]?.Values).toEqual([20_000, 80_000]);
    expect(out.MetricDataResults?.[1]?.Values).toEqual([3, 3]);
  });

  it('paginates with MaxDatapoints and NextToken across queries', async () => {
    const queries = [stat('up', 'uptime', 'Maximum'), stat('down', 'downtime', 'Maximum')];
    const full = await cw.send(
      new GetMetricDataCommand({ StartTime: at(0), EndTime: at(600), MetricDataQueries: queries }),
    );
    const collected = new Map<string, number[]>();
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await cw.send(
        new GetMetricDataCommand({
          StartTime: at(0),
          EndTime: at(600),
          MetricDataQueries: queries,
          MaxDatapoints: 7,
          NextToken: token,
        }),
      );
      pages++;
      const count = page.MetricDataResults!.reduce((n, r) => n + r.Values!.length, 0);
      expect(count).toBeLessThanOrEqual(7);
      for (const r of page.MetricDataResults!)
        collected.set(r.Id!, [...(collected.get(r.Id!) ?? []), ...r.Values!]);
      token = page.NextToken;
      if (token) expect(page.MetricDataResults!.at(-1)!.StatusCode).toBe('PartialData');
    } while (token);
    expect(pages).toBe(3);
    for (const r of full.MetricDataResults!) expect(collected.get(r.Id!)).toEqual(r.Values);
    const bad = await caught(
      cw.send(
        new GetMetricDataCommand({
          StartTime: at(0),
          EndTime: at(600),
          MetricDataQueries: queries,
          NextToken: 'nope',
        }),
      ),
    );
    expect(bad).toBeInstanceOf(InvalidNextToken);
  });

  it('refuses duplicate or malformed ids, expressions and ambiguous queries clearly', async () => {
    const run = (queries: MetricDataQuery[]) =>
      caught(
        cw.send(new GetMetricDataCommand({ StartTime: at(0), EndTime: at(600), MetricDataQueries: queries })),
      );
    const dup = await run([stat('a', 'uptime', 'Sum'), stat('a', 'downtime', 'Sum')]);
    expect(dup).toBeInstanceOf(InvalidParameterValueException);
    expect(dup.message).toBe('The values for parameter id in MetricDataQueries are not unique.');
    expect(await run([stat('Upper', 'uptime', 'Sum')])).toBeInstanceOf(InvalidParameterValueException);
    const unknownFunction = await run([
      stat('a', 'uptime', 'Sum'),
      { Id: 'e', Expression: 'ANOMALY_DETECTION_BAND(a)' },
    ]);
    expect(unknownFunction).toBeInstanceOf(InvalidParameterValueException);
    expect(unknownFunction.message).toContain(
      'does not implement the metric math function ANOMALY_DETECTION_BAND',
    );
    const unknownId = await run([{ Id: 'e', Expression: 'RATE(nope)' }]);
    expect(unknownId.message).toBe('Error in expression e: Unrecognized metric or expression id: nope.');
    const circular = await run([
      { Id: 'e1', Expression: 'e2 + 1' },
      { Id: 'e2', Expression: 'e1 * 2' },
    ]);
    expect(circular.message).toContain('circular dependency');
    expect((await run([{ Id: 'e', Expression: 'a +' }])).message).toContain('unexpected end');
    expect(await run([{ ...stat('a', 'uptime', 'Sum'), Expression: 'a*2' }])).toBeInstanceOf(
      InvalidParameterCombinationException,
    );
    expect(await run([stat('a', 'uptime', 'Median')])).toBeInstanceOf(InvalidParameterValueException);
    expect(await run([])).toBeInstanceOf(InvalidParameterValueException);
  });
});

describe('GetMetricData metric math', () => {
  it('evaluates RATE, DIFF and arithmetic over other queries', async () => {
    const metric = (name: string) => ({ Namespace: KDA, MetricName: name, Dimensions: app('flow') });
    const out = await cw.send(
      new GetMetricDataCommand({
        StartTime: at(0),
        EndTime: at(600),
        ScanBy: 'TimestampAscending',
        MetricDataQueries: [
          {
            Id: 'up',
            MetricStat: { Metric: metric('uptime'), Period: 60, Stat: 'Maximum' },
            ReturnData: false,
          },
          {
            Id: 'down',
            MetricStat: { Metric: metric('downtime'), Period: 60, Stat: 'Sum' },
            ReturnData: false,
          },
          { Id: 'rate', Expression: 'RATE(up)', Label: 'uptime growth ms/s' },
          { Id: 'jumps', Expression: 'DIFF(down)' },
          { Id: 'secs', Expression: '(up - 40000) / 1000 + -1 * 0' },
          { Id: 'bad', Expression: 'down / 0' },
        ],
      }),
    );
    const byId = Object.fromEntries(out.MetricDataResults!.map((r) => [r.Id, r]));
    expect(Object.keys(byId)).toEqual(['rate', 'jumps', 'secs', 'bad']);
    expect(byId.rate!.Label).toBe('uptime growth ms/s');
    expect(byId.rate!.Values).toEqual(Array(9).fill(1000));
    expect(byId.rate!.Timestamps![0]).toEqual(at(60));
    expect(byId.jumps!.Label).toBe('jumps');
    expect(byId.jumps!.Values).toEqual([0, 0, 0, 0, 1500, -1500, 0, 0, 0]);
    expect(byId.secs!.Values).toEqual([0, 60, 120, 180, 240, 300, 360, 420, 480, 540]);
    // Division by zero yields no datapoints, as in CloudWatch.
    expect(byId.bad!.Values).toEqual([]);
  });

  it('FILL fills the gaps of a series with a constant', async () => {
    for (const minute of [0, 1, 4])
      await h.store.put(KDA, 'gappy', { Application: 'flow' }, T0 + minute * 60_000, minute + 1, 'Count');
    const out = await cw.send(
      new GetMetricDataCommand({
        StartTime: at(0),
        EndTime: at(600),
        ScanBy: 'TimestampAscending',
        MetricDataQueries: [
          {
            Id: 'g',
            MetricStat: {
              Metric: { Namespace: KDA, MetricName: 'gappy', Dimensions: app('flow') },
              Period: 60,
              Stat: 'Sum',
            },
            ReturnData: false,
          },
          { Id: 'filled', Expression: 'FILL(g, 0)' },
        ],
      }),
    );
    expect(out.MetricDataResults![0]!.Values).toEqual([1, 2, 0, 0, 5]);
    expect(out.MetricDataResults![0]!.Timestamps).toEqual([0, 60, 120, 180, 240].map(at));
  });
});

describe('wire details', () => {
  it('serves Smithy RPC v2 CBOR: botocore 1.44 requests replayed byte for byte, answers and errors in CBOR', async () => {
    const captured = JSON.parse(
      await readFile(new URL('./fixtures/botocore-cbor-requests.json', import.meta.url), 'utf8'),
    ) as Record<'putMetricData' | 'getMetricStatistics' | 'getMetricStatisticsEndBeforeStart', string>;
    const post = (operation: string, bodyHex: string) =>
      fetch(`${h.url}/service/GraniteServiceVersion20100801/operation/${operation}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/cbor',
          accept: 'application/cbor',
          'smithy-protocol': 'rpc-v2-cbor',
          'x-amzn-query-mode': 'true',
          authorization:
            'AWS4-HMAC-SHA256 Credential=AKIDMSFLOCAL/20260301/us-east-1/monitoring/aws4_request, SignedHeaders=host, Signature=0',
        },
        body: Buffer.from(bodyHex, 'hex'),
      });
    const put = await post('PutMetricData', captured.putMetricData);
    expect(put.status).toBe(200);
    expect(put.headers.get('smithy-protocol')).toBe('rpc-v2-cbor');

    const stats = await post('GetMetricStatistics', captured.getMetricStatistics);
    expect(stats.status).toBe(200);
    expect(stats.headers.get('content-type')).toBe('application/cbor');
    // 1.5 at T0; Values [2, 4] x Counts [1, 3] at T0+10 s; a statistic set (2 samples, sum 100, max 60) at T0+20 s.
    expect(decodeCbor(Buffer.from(await stats.arrayBuffer()))).toEqual({
      Label: 'records',
      Datapoints: [{ Timestamp: T0 / 1000, SampleCount: 7, Sum: 115.5, Maximum: 60, Unit: 'Count' }],
    });
    const wrong = await post('GetMetricStatistics', captured.getMetricStatisticsEndBeforeStart);
    expect(wrong.status).toBe(400);
    expect(wrong.headers.get('x-amzn-query-error')).toBe('InvalidParameterValue;Sender');
    expect(decodeCbor(Buffer.from(await wrong.arrayBuffer()))).toEqual({
      __type: 'com.amazonaws.cloudwatch#InvalidParameterValueException',
      message: 'The parameter StartTime must be less than the parameter EndTime.',
    });
    const unknown = await post('DescribeAlarms', 'a0');
    expect(unknown.status).toBe(400);
    expect(decodeCbor(Buffer.from(await unknown.arrayBuffer()))).toMatchObject({
      __type: 'com.amazonaws.cloudwatch#InvalidAction',
    });
    const garbage = await post('ListMetrics', '1903');
    expect(garbage.status).toBe(400);
    expect(decodeCbor(Buffer.from(await garbage.arrayBuffer()))).toMatchObject({
      __type: 'com.amazonaws.cloudwatch#SerializationException',
    });
  });

  it('serves the JS SDK switched to RPC v2 CBOR (the protocol @aws-sdk/core ships for it)', async () => {
    const client = new CloudWatchClient({
      endpoint: h.url,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
      protocol: AwsSmithyRpcV2CborProtocol,
    });
    const paths: string[] = [];
    client.middlewareStack.add(
      (next) => async (args) => {
        paths.push((args.request as { path: string }).path);
        return next(args);
      },
      { step: 'finalizeRequest' },
    );
    try {
      const dims = app('js-cbor');
      await client.send(
        new PutMetricDataCommand({
          Namespace: 'Custom/JsCbor',
          MetricData: [
            { MetricName: 'm', Dimensions: dims, Timestamp: at(0), Values: [1, 3], Counts: [1, 1] },
          ],
        }),
      );
      const data = await client.send(
        new GetMetricDataCommand({
          StartTime: at(0),
          EndTime: at(60),
          MetricDataQueries: [
            {
              Id: 'avg',
              MetricStat: {
                Metric: { Namespace: 'Custom/JsCbor', MetricName: 'm', Dimensions: dims },
                Period: 60,
                Stat: 'Average',
              },
            },
          ],
        }),
      );
      expect(data.MetricDataResults?.[0]).toMatchObject({ Id: 'avg', Values: [2], Timestamps: [at(0)] });
      const listed = await client.send(new ListMetricsCommand({ Namespace: 'Custom/JsCbor' }));
      expect(listed.Metrics).toEqual([{ Namespace: 'Custom/JsCbor', MetricName: 'm', Dimensions: dims }]);
      const error = await caught(
        client.send(
          new GetMetricStatisticsCommand({
            Namespace: 'x',
            MetricName: 'm',
            StartTime: at(60),
            EndTime: at(0),
            Period: 60,
            Statistics: ['Sum'],
          }),
        ),
      );
      expect(error).toBeInstanceOf(InvalidParameterValueException);
      expect(paths).toContain('/service/GraniteServiceVersion20100801/operation/GetMetricData');
    } finally {
      client.destroy();
    }
  });

  it('writes doubles with a fraction in JSON 1.0 (3.0, not 3: botocore would hand boto3 users an int)', async () => {
    const post = async (operation: string, body: unknown) => {
      const res = await fetch(h.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': `GraniteServiceVersion20100801.${operation}`,
        },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(200);
      return res.text();
    };
    const metric = { Namespace: 'Custom/Wire', MetricName: 'doubles', Dimensions: app('wire') };
    await post('PutMetricData', {
      Namespace: metric.Namespace,
      MetricData: [
        { MetricName: metric.MetricName, Dimensions: metric.Dimensions, Timestamp: T0 / 1000, Value: 3 },
        { MetricName: metric.MetricName, Dimensions: metric.Dimensions, Timestamp: T0 / 1000, Value: 0.5 },
      ],
    });
    const window = { StartTime: T0 / 1000, EndTime: T0 / 1000 + 60, Period: 60 };
    const statistics = await post('GetMetricStatistics', {
      ...metric,
      ...window,
      Statistics: ['SampleCount', 'Sum', 'Maximum'],
      ExtendedStatistics: ['p100'],
    });
    expect(statistics).toContain(`"Timestamp":${T0 / 1000},`);
    expect(statistics).toMatch(/"SampleCount":2\.0\b/);
    expect(statistics).toMatch(/"Sum":3\.5\b/);
    expect(statistics).toMatch(/"Maximum":3\.0\b/);
    expect(statistics).toContain('"ExtendedStatistics":{"p100":3.0}');
    const data = await post('GetMetricData', {
      ...window,
      MetricDataQueries: [{ Id: 'm', MetricStat: { Metric: metric, Period: 60, Stat: 'Maximum' } }],
    });
    expect(data).toContain('"Values":[3.0]');
    expect(JSON.parse(data)).toMatchObject({ MetricDataResults: [{ Id: 'm', Values: [3] }] });
  });

  it('answers unknown targets, malformed JSON and the query protocol as AWS does', async () => {
    const post = (headers: Record<string, string>, body: string) =>
      fetch(h.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.0', ...headers },
        body,
      });
    const unknown = await post({ 'x-amz-target': 'GraniteServiceVersion20100801.PutMetricAlarm' }, '{}');
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('x-amzn-query-error')).toBe('InvalidAction;Sender');
    expect(await unknown.json()).toMatchObject({ __type: 'com.amazonaws.cloudwatch#InvalidAction' });
    const malformed = await post({ 'x-amz-target': 'GraniteServiceVersion20100801.ListMetrics' }, '{nope');
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { __type: string }).__type).toContain('SerializationException');
    const invalid = await post(
      { 'x-amz-target': 'GraniteServiceVersion20100801.GetMetricStatistics' },
      '{"Namespace":"x"}',
    );
    expect(invalid.headers.get('x-amzn-query-error')).toBe('MissingParameter;Sender');
    expect(await invalid.json()).toEqual({
      __type: 'com.amazonaws.cloudwatch#MissingRequiredParameterException',
      message: 'The parameter MetricName is required.',
    });

    // Query protocol (what the AWS CLI v2.9 sends), unsigned: XML in, XML out.
    const form = new URLSearchParams({
      Action: 'ListMetrics',
      Version: '2010-08-01',
      Namespace: 'Custom/Apps',
      'Dimensions.member.1.Name': 'Application',
      'Dimensions.member.1.Value': 'b',
    });
    const listed = await fetch(h.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    const xml = await listed.text();
    expect(listed.status).toBe(200);
    expect(xml).toContain('<ListMetricsResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/">');
    expect(xml).toContain(
      '<member><Namespace>Custom/Apps</Namespace><MetricName>latency</MetricName><Dimensions><member><Name>Application</Name><Value>b</Value></member></Dimensions></member>',
    );
    const error = await fetch(h.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetMetricStatistics&Version=2010-08-01&Namespace=x',
    });
    expect(error.status).toBe(400);
    const errorXml = await error.text();
    expect(errorXml).toContain(
      '<Error><Type>Sender</Type><Code>MissingParameter</Code><Message>The parameter MetricName is required.</Message></Error>',
    );
    expect(errorXml).toMatch(/<RequestId>[0-9a-f-]{36}<\/RequestId>/);
  });
});
