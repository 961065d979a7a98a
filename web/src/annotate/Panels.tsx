// Parts of the annotation workbench: the selected span's panel, the record metadata, the help
// overlay and the overlap question.
import { Modal } from '../components/ui';
import type { DatasetRecord } from '../api';
import type { Editor } from './editor';
import { SHORTCUTS } from './keymap';
import type { AnnotateSettings } from './model';
import { sortSpans, type Span } from './spans';

export function HelpDialog({ onClose }: { onClose: () => void }) {
  return (
    <Modal title="Keyboard shortcuts" onClose={onClose}>
      <table class="an-help" data-testid="help-overlay">
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.keys}>
              <td>
                <kbd>{s.keys}</kbd>
              </td>
              <td>{s.what}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Modal>
  );
}

/** Asks before a new span replaces the spans it overlaps (datasets without overlap). */
export function OverlapDialog({ editor, slice }: { editor: Editor; slice: (start: number, end: number) => string }) {
  const c = editor.conflict;
  if (!c) return null;
  return (
    <Modal title="Replace overlapping spans?" onClose={() => editor.cancelConflict()}>
      <div data-testid="overlap-dialog">
        <p>
          This dataset does not allow overlapping spans. The new <b>{c.value.label}</b> span “{slice(c.value.start, c.value.end)}”
          overlaps:
        </p>
        <ul>
          {c.conflicts.map((s) => (
            <li key={s.id}>
              <b>{s.label}</b> “{slice(s.start, s.end)}”
            </li>
          ))}
        </ul>
        <div class="row">
          <button type="button" class="btn btn-primary" onClick={() => editor.confirmConflict()} data-testid="overlap-replace">
            Replace them (Enter)
          </button>
          <button type="button" class="btn" onClick={() => editor.cancelConflict()} data-testid="overlap-cancel">
            Keep them (Esc)
          </button>
        </div>
      </div>
    </Modal>
  );
}

export function SelectedSpan({
  span,
  text,
  labels,
  allowOverlap,
  editor,
}: {
  span: Span;
  text: string;
  labels: { value: string; text: string; color?: string }[];
  allowOverlap: boolean;
  editor: Editor;
}) {
  const label = labels.find((l) => l.value === span.label);
  const same = sortSpans(editor.spans).filter((s) => s.start === span.start && s.end === span.end).map((s) => s.label);
  return (
    <div class="an-selected" data-testid="selected-span">
      <span>
        <b>{label?.text ?? span.label}</b> “{text.length > 80 ? `${text.slice(0, 80)}…` : text}”
        {span.origin !== 'user' && (
          <span class="muted">
            {' '}
            ✨ {span.origin === 'suggested' ? 'suggestion' : 'accepted suggestion'}
            {span.agent ? ` by ${span.agent}` : ''}
            {span.score !== undefined ? `, score ${span.score.toFixed(2)}` : ''}
          </span>
        )}
      </span>
      {span.origin === 'suggested' && (
        <>
          <button type="button" class="btn btn-small" onClick={() => editor.accept()} data-testid="accept-span" title="Space">
            Accept
          </button>
          <button type="button" class="btn btn-small" onClick={() => editor.reject()} data-testid="reject-span" title="Delete">
            Reject
          </button>
        </>
      )}
      {span.origin !== 'suggested' && (
        <button type="button" class="btn btn-small btn-danger" onClick={() => editor.deleteSelected()} data-testid="delete-span" title="Delete / Backspace">
          Delete
        </button>
      )}
      {allowOverlap && (
        <label class="inline">
          Also label as
          <select
            data-testid="add-label"
            value=""
            onChange={(e) => {
              const v = (e.target as HTMLSelectElement).value;
              if (v) editor.addLabelToSelected(v);
            }}
          >
            <option value="">…</option>
            {labels
              .filter((l) => !same.includes(l.value))
              .map((l) => (
                <option key={l.value} value={l.value}>
                  {l.text}
                </option>
              ))}
          </select>
        </label>
      )}
      <span class="muted">Pick a label (click or number) to change it · Esc to deselect</span>
    </div>
  );
}

export function MetadataTable({ record, settings }: { record: DatasetRecord | null; settings: AnnotateSettings }) {
  if (!record) return <p class="muted">—</p>;
  const meta = record.metadata ?? {};
  const visible = new Map(settings.metadata.map((p) => [p.name, p]));
  const keys = Object.keys(meta);
  return (
    <table class="an-meta" data-testid="metadata">
      <tbody>
        {record.external_id && (
          <tr>
            <th>id</th>
            <td>{record.external_id}</td>
          </tr>
        )}
        {keys.map((k) => {
          const v = meta[k];
          return (
            <tr key={k}>
              <th>{visible.get(k)?.title ?? k}</th>
              <td>{typeof v === 'string' ? v : JSON.stringify(v)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

