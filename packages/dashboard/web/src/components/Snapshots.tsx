/** The application's snapshots, newest first, with their age and kind (application or enhanced, with its ARN). */
import type { Snapshot } from '../../../src/contract.js';
import { ageOf, formatAge, formatBytes, formatDateTime, titleCase } from '../format.js';
import { Empty } from './States.js';

export function Snapshots({ snapshots, now }: { snapshots: Snapshot[]; now: number }) {
  if (snapshots.length === 0) {
    return <Empty title="No snapshots.">A restore would start without state.</Empty>;
  }
  return (
    <div class="table-wrap">
      <table class="snapshots">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Kind</th>
            <th scope="col" class="num">
              Age
            </th>
            <th scope="col">Status</th>
            <th scope="col" class="num">
              Version
            </th>
            <th scope="col" class="num">
              Size
            </th>
            <th scope="col">ARN</th>
          </tr>
        </thead>
        <tbody>
          {snapshots.map((s) => (
            <tr key={s.name} data-snapshot={s.name}>
              <th scope="row">
                <span class="mono">{s.name}</span>
                {(s.initiator || s.reason) && (
                  <div class="muted small">{[s.initiator, s.reason].filter(Boolean).join(' · ')}</div>
                )}
              </th>
              <td>
                <span class={`badge kind kind-${s.kind}`}>
                  {s.kind === 'enhanced' ? 'Enhanced' : 'Application'}
                </span>
              </td>
              <td class="num" title={formatDateTime(s.createdAt)}>
                {formatAge(ageOf(s.createdAt, now))}
              </td>
              <td>
                <span class={`snap-status snap-${s.status.toLowerCase()}`}>{titleCase(s.status)}</span>
              </td>
              <td class="num">{s.versionId !== undefined ? `v${s.versionId}` : '–'}</td>
              <td class="num">{formatBytes(s.sizeBytes)}</td>
              <td class="mono muted small arn">{s.arn ?? '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
