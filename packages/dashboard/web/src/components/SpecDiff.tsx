/** The spec against the live configuration, field by field; differing fields first and marked. */
import { useState } from 'preact/hooks';
import type { SpecDiff } from '../../../src/contract.js';

const STATE_TEXT: Record<SpecDiff['state'], string> = {
  'in-sync': 'The live configuration matches the spec.',
  differs: 'The live configuration differs from the spec.',
  'no-spec': 'No spec manages this application.',
  'not-deployed': 'The spec is not deployed: the application does not exist yet.',
  error: 'The spec could not be read.',
};

export function SpecDiffTable({ diff }: { diff: SpecDiff }) {
  const differing = diff.fields.filter((f) => f.differs);
  // In sync: every field, so the card says what runs; otherwise the differences first.
  const [all, setAll] = useState(differing.length === 0);
  const shown = all ? [...differing, ...diff.fields.filter((f) => !f.differs)] : differing;
  return (
    <div class="spec-diff" data-state={diff.state}>
      <p class={`diff-state diff-${diff.state}`}>
        {STATE_TEXT[diff.state]}
        {diff.spec && <span class="muted small"> ({diff.spec})</span>}
        {diff.fields.length > 0 && (
          <span class="muted small">
            {' '}
            {differing.length} of {diff.fields.length} fields differ.
          </span>
        )}
      </p>
      {diff.notes.map((n, i) => (
        <p key={i} class="note small">
          {n}
        </p>
      ))}
      {diff.fields.length > 0 && (
        <>
          {shown.length > 0 && (
            <div class="table-wrap">
              <table class="diff">
                <thead>
                  <tr>
                    <th scope="col">Field</th>
                    <th scope="col">Spec</th>
                    <th scope="col">Live</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((f) => (
                    <tr key={f.field} class={f.differs ? 'differs' : undefined} data-field={f.field}>
                      <th scope="row" class="mono">
                        {f.differs && (
                          <span class="diff-mark" aria-label="differs">
                            ≠{' '}
                          </span>
                        )}
                        {f.field}
                        <span class="muted small"> {f.kind}</span>
                      </th>
                      <td class="mono">{f.spec ?? <span class="muted">not set</span>}</td>
                      <td class="mono">{f.live ?? <span class="muted">not set</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <button type="button" class="link-button" onClick={() => setAll(!all)}>
            {all ? 'Show only differences' : `Show all ${diff.fields.length} fields`}
          </button>
        </>
      )}
    </div>
  );
}
