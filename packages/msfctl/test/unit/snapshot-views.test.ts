/** The snapshot list views: both kinds in one table, the newest READY one marked, enhanced ones with their ARN. */
import { describe, expect, it } from 'vitest';
import { createStyle } from '../../src/adapters/io/style.js';
import { renderAccountSnapshots, renderSnapshots, snapshotJson } from '../../src/cli/views/views.js';
import { enhancedSnapshot, snapshot } from './fixtures.js';

const plain = createStyle(false);
const at = Date.parse('2026-12-01T10:00:00Z');

describe('snapshot views', () => {
  it("lists an application's snapshots of both kinds, with initiator, source and ARN for enhanced ones", () => {
    const text = renderSnapshots(
      'stock-prices',
      [
        enhancedSnapshot('system-1', at - 60_000, { initiator: 'SYSTEM' }),
        snapshot('legacy-1', at - 3_600_000),
      ],
      plain,
      at,
    );
    const [head, first, second] = text.split('\n');
    expect(head!.split(/\s{2,}/)).toEqual([
      'snapshot',
      'kind',
      'status',
      'version',
      'created',
      'age',
      'initiator',
      'source',
      'arn',
    ]);
    expect(first!.split(/\s{2,}/)).toEqual([
      'system-1 (newest)',
      'enhanced',
      'READY',
      '2',
      '2026-12-01 09:59:00',
      '60s ago',
      'SYSTEM',
      'stock-prices',
      'arn:aws:kinesisanalytics:us-east-1:123456789012:snapshot/system-1',
    ]);
    expect(second!.split(/\s{2,}/)).toEqual([
      'legacy-1',
      'application',
      'READY',
      '1',
      '2026-12-01 09:00:00',
      '60m ago',
    ]);
    expect(renderSnapshots('x', [], plain)).toBe('x has no snapshots.');
  });

  it("lists the account's enhanced snapshots with where they came from", () => {
    const text = renderAccountSnapshots([enhancedSnapshot('imp', at - 1000, { imported: true })], plain, at);
    expect(text.split('\n')[1]!.split(/\s{2,}/)).toEqual([
      'imp',
      'READY',
      'USER (import)',
      's3://exports/sp/',
      '2026-12-01 09:59:59',
      '1s ago',
      'arn:aws:kinesisanalytics:us-east-1:123456789012:snapshot/imp',
    ]);
    expect(snapshotJson(enhancedSnapshot('imp', at, { imported: true }))).toEqual({
      name: 'imp',
      kind: 'enhanced',
      status: 'READY',
      versionId: 0,
      createdAt: '2026-12-01T10:00:00.000Z',
      arn: 'arn:aws:kinesisanalytics:us-east-1:123456789012:snapshot/imp',
      initiator: 'USER',
      initiatorOperation: 'ImportSnapshot',
      importedFrom: 's3://exports/sp/',
    });
  });
});
