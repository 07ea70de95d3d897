/**
 * The Debian AWS CLI v2 and Debian boto3 (both botocore's query protocol: form-encoded Action=…, XML
 * responses) against msf-local's CloudWatch, on datapoints seeded the way the Flink driver writes them.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli, awsCliJson } from '../support/aws-cli.js';
import { startCloudWatch, TEST_CREDENTIALS, type CloudWatchHarness } from './harness.js';

const KDA = 'AWS/KinesisAnalytics';
let h: CloudWatchHarness;
/** A whole minute, 20 minutes ago: the seeded series runs from here for 10 minutes. */
const base = Math.floor((Date.now() - 20 * 60_000) / 60_000) * 60_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, 'Z');

beforeAll(async () => {
  h = await startCloudWatch();
  // Every 15 s: uptime grows, downtime is 1000 ms during minute 4, fullRestarts counts up once there.
  for (let s = 0; s < 600; s += 15) {
    const t = base + s * 1000;
    await h.store.put(KDA, 'uptime', { Application: 'cli-app' }, t, s * 1000, 'Milliseconds');
    await h.store.put(
      KDA,
      'downtime',
      { Application: 'cli-app' },
      t,
      s >= 240 && s < 300 ? 1000 : 0,
      'Milliseconds',
    );
    await h.store.put(KDA, 'fullRestarts', { Application: 'cli-app' }, t, s >= 240 ? 1 : 0, 'Count');
  }
  await h.store.put(KDA, 'uptime', { Application: 'other-app' }, base, 5, 'Milliseconds');
});
afterAll(async () => {
  await h.dispose();
});

describe('aws cloudwatch (Debian CLI v2, query protocol)', () => {
  it('list-metrics filters by namespace and dimension', { timeout: 60_000 }, async () => {
    const out = await awsCliJson<{
      Metrics: { MetricName: string; Dimensions: { Name: string; Value: string }[] }[];
    }>(h.url, [
      'cloudwatch',
      'list-metrics',
      '--namespace',
      KDA,
      '--dimensions',
      'Name=Application,Value=cli-app',
    ]);
    expect(out.Metrics.map((m) => m.MetricName).sort()).toEqual(['downtime', 'fullRestarts', 'uptime']);
    expect(out.Metrics[0]!.Dimensions).toEqual([{ Name: 'Application', Value: 'cli-app' }]);
  });

  it('get-metric-statistics aggregates per period', { timeout: 60_000 }, async () => {
    const out = await awsCliJson<{
      Label: string;
      Datapoints: {
        Timestamp: string;
        Maximum: number;
        SampleCount: number;
        Average: number;
        Unit: string;
      }[];
    }>(h.url, [
      'cloudwatch',
      'get-metric-statistics',
      '--namespace',
      KDA,
      '--metric-name',
      'downtime',
      '--dimensions',
      'Name=Application,Value=cli-app',
      '--start-time',
      iso(base),
      '--end-time',
      iso(base + 10 * 60_000),
      '--period',
      '60',
      '--statistics',
      'Maximum',
      'SampleCount',
      'Average',
    ]);
    expect(out.Label).toBe('downtime');
    const points = out.Datapoints.sort((a, b) => Date.parse(a.Timestamp) - Date.parse(b.Timestamp));
    expect(points).toHaveLength(10);
    expect(points.map((p) => p.Maximum)).toEqual([0, 0, 0, 0, 1000, 0, 0, 0, 0, 0]);
    expect(points.every((p) => p.SampleCount === 4 && p.Unit === 'Milliseconds')).toBe(true);
    expect(Date.parse(points[4]!.Timestamp)).toBe(base + 4 * 60_000);
  });

  it('get-metric-data answers several queries; errors come back typed', { timeout: 60_000 }, async () => {
    const metric = (name: string) => ({
      Namespace: KDA,
      MetricName: name,
      Dimensions: [{ Name: 'Application', Value: 'cli-app' }],
    });
    const out = await awsCliJson<{
      MetricDataResults: {
        Id: string;
        Label: string;
        Timestamps: string[];
        Values: number[];
        StatusCode: string;
      }[];
    }>(h.url, [
      'cloudwatch',
      'get-metric-data',
      '--start-time',
      iso(base),
      '--end-time',
      iso(base + 10 * 60_000),
      '--scan-by',
      'TimestampAscending',
      '--metric-data-queries',
      JSON.stringify([
        { Id: 'up', MetricStat: { Metric: metric('uptime'), Period: 300, Stat: 'Minimum' } },
        {
          Id: 'restarts',
          MetricStat: { Metric: metric('fullRestarts'), Period: 300, Stat: 'Maximum' },
          Label: 'restarts',
        },
      ]),
    ]);
    const [up, restarts] = out.MetricDataResults;
    expect(up).toMatchObject({ Id: 'up', Label: 'uptime', StatusCode: 'Complete', Values: [0, 300_000] });
    expect(up!.Timestamps.map((t) => Date.parse(t))).toEqual([base, base + 300_000]);
    expect(restarts).toMatchObject({ Id: 'restarts', Label: 'restarts', Values: [1, 1] });

    const bad = await awsCli(h.url, [
      'cloudwatch',
      'get-metric-statistics',
      '--namespace',
      KDA,
      '--metric-name',
      'uptime',
      '--start-time',
      iso(base + 60_000),
      '--end-time',
      iso(base),
      '--period',
      '60',
      '--statistics',
      'Sum',
    ]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('(InvalidParameterValue)');
    expect(bad.stderr).toContain('The parameter StartTime must be less than the parameter EndTime.');
  });
});

describe('boto3 (Debian python3-boto3, query protocol)', () => {
  it(
    'put_metric_data, list_metrics, get_metric_statistics, get_metric_data and a typed error',
    { timeout: 60_000 },
    async () => {
      const python = '/usr/bin/python3';
      if (!existsSync(python))
        throw new Error(`${python} is missing: install Debian python3 and python3-boto3`);
      const script = `
import boto3, datetime, json, sys
c = boto3.client('cloudwatch', endpoint_url=sys.argv[1], region_name='us-east-1',
                 aws_access_key_id='${TEST_CREDENTIALS.accessKeyId}', aws_secret_access_key='${TEST_CREDENTIALS.secretAccessKey}')
base = datetime.datetime.fromtimestamp(int(sys.argv[2]) / 1000, datetime.timezone.utc)
c.put_metric_data(Namespace='Custom/Boto', MetricData=[{'MetricName': 'm', 'Value': v, 'Unit': 'Count', 'Timestamp': base + datetime.timedelta(seconds=s)} for s, v in [(0, 1), (30, 2), (60, 3)]])
out = {'protocol': c.meta.service_model.protocol}
out['metrics'] = c.list_metrics(Namespace='Custom/Boto')['Metrics']
stats = c.get_metric_statistics(Namespace='Custom/Boto', MetricName='m', StartTime=base, EndTime=base + datetime.timedelta(minutes=2), Period=60, Statistics=['Sum'])
out['sums'] = [p['Sum'] for p in sorted(stats['Datapoints'], key=lambda p: p['Timestamp'])]
data = c.get_metric_data(StartTime=base, EndTime=base + datetime.timedelta(minutes=2), MetricDataQueries=[{'Id': 'q', 'MetricStat': {'Metric': {'Namespace': 'Custom/Boto', 'MetricName': 'm'}, 'Period': 60, 'Stat': 'Maximum'}}])
out['maxima'] = data['MetricDataResults'][0]['Values']
try:
    c.get_metric_statistics(Namespace='Custom/Boto', MetricName='m', StartTime=base, EndTime=base, Period=60, Statistics=['Sum'])
except c.exceptions.InvalidParameterValueException as e:
    out['error'] = e.response['Error']['Code']
print(json.dumps(out))
`;
      let stdout: string;
      try {
        ({ stdout } = await promisify(execFile)(python, ['-c', script, h.url, String(base)], {
          env: { PATH: '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', AWS_CONFIG_FILE: '/dev/null' },
        }));
      } catch (error) {
        const stderr = String((error as { stderr?: string }).stderr ?? error);
        if (stderr.includes("No module named 'boto3'")) {
          throw new Error('Debian boto3 is missing: apt-get install -y python3-boto3 (as .ci/run should)');
        }
        throw error;
      }
      const out = JSON.parse(stdout) as Record<string, unknown>;
      expect(out).toEqual({
        protocol: 'query',
        metrics: [{ Namespace: 'Custom/Boto', MetricName: 'm', Dimensions: [] }],
        sums: [3, 3],
        maxima: [3, 2],
        error: 'InvalidParameterValue',
      });
    },
  );
});
