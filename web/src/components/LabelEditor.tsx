// Edits a question's labels: value (fixed once saved), display text, colour, description, order.
import { useState } from 'preact/hooks';
import { addLabels, moveItem, type LabelDraft } from '../lib/settings';

export function LabelEditor({
  labels,
  onChange,
  frozen,
  withColors = true,
}: {
  labels: LabelDraft[];
  onChange: (labels: LabelDraft[]) => void;
  /** Published: labels can be re-worded and re-ordered but not added or removed. */
  frozen: boolean;
  withColors?: boolean;
}) {
  const [pending, setPending] = useState('');
  const update = (i: number, patch: Partial<LabelDraft>) =>
    onChange(labels.map((l, j) => (j === i ? { ...l, ...patch } : l)));

  return (
    <div class="label-editor" data-testid="label-editor">
      {labels.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>#</th>
              {withColors && <th>Colour</th>}
              <th>Value</th>
              <th>Display text</th>
              <th>Description</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {labels.map((l, i) => (
              <tr key={`${i}:${l.value}`} data-testid="label-row">
                <td class="muted">{i + 1}</td>
                {withColors && (
                  <td>
                    <input
                      type="color"
                      aria-label={`Colour of ${l.value}`}
                      value={l.color}
                      onInput={(e) => update(i, { color: e.currentTarget.value })}
                    />
                  </td>
                )}
                <td>
                  <input
                    aria-label={`Value of label ${i + 1}`}
                    value={l.value}
                    disabled={l.saved}
                    title={l.saved ? 'Saved label values cannot change (stored annotations use them)' : ''}
                    onInput={(e) => {
                      const value = e.currentTarget.value;
                      update(i, { value, text: l.text === l.value ? value : l.text });
                    }}
                  />
                </td>
                <td>
                  <input
                    aria-label={`Display text of ${l.value}`}
                    name="label-text"
                    value={l.text}
                    onInput={(e) => update(i, { text: e.currentTarget.value })}
                  />
                </td>
                <td>
                  <input
                    aria-label={`Description of ${l.value}`}
                    value={l.description}
                    onInput={(e) => update(i, { description: e.currentTarget.value })}
                  />
                </td>
                <td class="nowrap">
                  <button
                    type="button"
                    class="btn btn-small"
                    aria-label={`Move ${l.value} up`}
                    disabled={i === 0}
                    onClick={() => onChange(moveItem(labels, i, i - 1))}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    class="btn btn-small"
                    aria-label={`Move ${l.value} down`}
                    disabled={i === labels.length - 1}
                    onClick={() => onChange(moveItem(labels, i, i + 1))}
                  >
                    ↓
                  </button>
                  {!frozen && !l.saved && (
                    <button
                      type="button"
                      class="btn btn-small btn-danger"
                      aria-label={`Remove ${l.value}`}
                      onClick={() => onChange(labels.filter((_, j) => j !== i))}
                    >
                      ×
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {!frozen && (
        <div class="row label-add">
          <textarea
            class="label-paste"
            name="new-labels"
            rows={2}
            placeholder="New labels: one per line or comma separated"
            value={pending}
            onInput={(e) => setPending(e.currentTarget.value)}
          />
          <button
            type="button"
            class="btn"
            disabled={!pending.trim()}
            onClick={() => {
              onChange(addLabels(labels, pending));
              setPending('');
            }}
          >
            Add labels
          </button>
        </div>
      )}
    </div>
  );
}
