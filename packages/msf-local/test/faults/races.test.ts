/**
 * Racing writers through the real API: every write path checks and commits under the application's lock, so of
 * many concurrent writes that all pass the same check (one version, one name) exactly one lands, inline code
 * included (its digest and file are written between the check and the commit).
 */
import {
  CreateApplicationCommand,
  DescribeApplicationCommand,
  UpdateApplicationCommand,
} from '@aws-sdk/client-kinesis-analytics-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/msf-local-harness.js';

const ROLE = 'arn:aws:iam::000000000000:role/msf-local-test';
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ runtime: null });
});

afterAll(async () => {
  await h?.close();
});

function code(i: number) {
  return Buffer.from(`PK\u0003\u0004 inline code ${i} ${'x'.repeat(20_000)}`);
}

async function settle<T>(promises: Promise<T>[]): Promise<{ ok: number; errors: string[] }> {
  const results = await Promise.allSettled(promises);
  return {
    ok: results.filter((r) => r.status === 'fulfilled').length,
    errors: results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as Error).name] : [])),
  };
}

describe('racing writes', () => {
  it('20 racing creates of one name with inline code: exactly one succeeds', async () => {
    const { ok, errors } = await settle(
      Array.from({ length: 20 }, (_, i) =>
        h.kda.send(
          new CreateApplicationCommand({
            ApplicationName: 'raced',
            RuntimeEnvironment: 'FLINK-1_20',
            ServiceExecutionRole: ROLE,
            ApplicationConfiguration: {
              ApplicationCodeConfiguration: {
                CodeContentType: 'ZIPFILE',
                CodeContent: { ZipFileContent: code(i) },
              },
            },
          }),
        ),
      ),
    );
    expect(ok).toBe(1);
    expect(new Set(errors)).toEqual(new Set(['ResourceInUseException']));
  });

  it('50 racing UpdateApplication of one version with ZipFileContentUpdate: exactly one succeeds', async () => {
    const before = await h.kda.send(new DescribeApplicationCommand({ ApplicationName: 'raced' }));
    const version = before.ApplicationDetail!.ApplicationVersionId!;
    const { ok, errors } = await settle(
      Array.from({ length: 50 }, (_, i) =>
        h.kda.send(
          new UpdateApplicationCommand({
            ApplicationName: 'raced',
            CurrentApplicationVersionId: version,
            ApplicationConfigurationUpdate: {
              ApplicationCodeConfigurationUpdate: {
                CodeContentUpdate: { ZipFileContentUpdate: code(100 + i) },
              },
            },
          }),
        ),
      ),
    );
    expect(ok).toBe(1);
    expect(errors).toHaveLength(49);
    expect(new Set(errors).size).toBe(1);
    const after = await h.kda.send(new DescribeApplicationCommand({ ApplicationName: 'raced' }));
    expect(after.ApplicationDetail!.ApplicationVersionId).toBe(version + 1);
  });
});
