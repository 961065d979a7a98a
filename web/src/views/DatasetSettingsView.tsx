// Dataset creation and settings (owner/admin): fields, questions (span labels with display
// text, colours, order, descriptions, overlap, visible labels; other question types),
// guidelines, min_submitted and metadata properties.
import { useState } from 'preact/hooks';
import { api, endpoints, type Dataset, type Workspace } from '../api';
import { isOwner, useUser } from '../auth';
import { LabelEditor } from '../components/LabelEditor';
import { Markdown } from '../components/Markdown';
import { ErrorBanner, Modal, Notice, Page, Spinner, describeError } from '../components/ui';
import {
  datasetMetadata,
  draftFromServer,
  emptyQuestion,
  moveItem,
  newDraft,
  planSave,
  validateDraft,
  type FieldDraft,
  type MetadataDraft,
  type Op,
  type QuestionDraft,
  type QuestionType,
  type SettingsDraft,
} from '../lib/settings';
import { useAsync } from '../lib/useAsync';
import { href, navigate } from '../router';

interface Loaded {
  workspaces: Workspace[];
  dataset?: Dataset;
  before: SettingsDraft | null;
}

async function load(datasetId?: string): Promise<Loaded> {
  const workspaces = (await endpoints.myWorkspaces(api)).items;
  if (!datasetId) return { workspaces, before: null };
  const [dataset, fields, questions, metadata] = await Promise.all([
    endpoints.getDataset(api, datasetId),
    endpoints.listFields(api, datasetId),
    endpoints.listQuestions(api, datasetId),
    endpoints.listMetadataProperties(api, datasetId),
  ]);
  return { workspaces, dataset, before: draftFromServer(dataset, fields.items, questions.items, metadata.items) };
}

const kQuestionTypes: { type: QuestionType; label: string }[] = [
  { type: 'span', label: 'Span (NER labels)' },
  { type: 'label_selection', label: 'Single label' },
  { type: 'multi_label_selection', label: 'Multiple labels' },
  { type: 'rating', label: 'Rating' },
  { type: 'text', label: 'Free text' },
];

function describeOp(op: Op): string {
  switch (op.kind) {
    case 'patch-dataset':
      return 'updating the dataset';
    case 'create-field':
      return `creating field "${op.body.name}"`;
    case 'update-field':
      return 'updating a field';
    case 'create-question':
      return `creating question "${op.body.name}"`;
    case 'update-question':
      return 'updating a question';
    case 'create-metadata':
      return `creating metadata property "${op.body.name}"`;
    case 'update-metadata':
      return 'updating a metadata property';
    case 'delete-metadata':
      return 'deleting a metadata property';
  }
}

/** Applies ops in order, writing created ids back into `draft` so a retry does not recreate. */
async function applyOps(datasetId: string, ops: Op[], draft: SettingsDraft): Promise<void> {
  for (const op of ops) {
    try {
      switch (op.kind) {
        case 'patch-dataset':
          await endpoints.updateDataset(api, datasetId, op.body);
          break;
        case 'create-field': {
          const f = await endpoints.createField(api, datasetId, op.body);
          const d = draft.fields.find((x) => !x.id && x.name === op.body.name);
          if (d) d.id = f.id;
          break;
        }
        case 'update-field':
          await endpoints.updateField(api, op.id, op.body);
          break;
        case 'create-question': {
          const q = await endpoints.createQuestion(api, datasetId, op.body);
          const d = draft.questions.find((x) => !x.id && x.name === op.body.name);
          if (d) {
            d.id = q.id;
            d.labels = d.labels.map((l) => ({ ...l, saved: true }));
            d.savedOverlapping = d.allowOverlapping;
          }
          break;
        }
        case 'update-question':
          await endpoints.updateQuestion(api, op.id, op.body);
          break;
        case 'create-metadata': {
          const m = await endpoints.createMetadataProperty(api, datasetId, op.body);
          const d = draft.metadata.find((x) => !x.id && x.name === op.body.name);
          if (d) d.id = m.id;
          break;
        }
        case 'update-metadata':
          await endpoints.updateMetadataProperty(api, op.id, op.body);
          break;
        case 'delete-metadata':
          await endpoints.deleteMetadataProperty(api, op.id);
          draft.metadata = draft.metadata.filter((m) => m.id !== op.id);
          break;
      }
    } catch (e) {
      throw new Error(`Failed while ${describeOp(op)}: ${describeError(e)}`);
    }
  }
}

export function DatasetSettingsView({ datasetId }: { datasetId?: string }) {
  const state = useAsync(() => load(datasetId), [datasetId]);
  if (state.error) {
    return (
      <Page title="Dataset settings">
        <ErrorBanner error={state.error} onRetry={state.reload} />
      </Page>
    );
  }
  if (!state.data) return <Spinner />;
  return <SettingsForm key={datasetId ?? 'new'} datasetId={datasetId} loaded={state.data} />;
}

function SettingsForm({ datasetId, loaded }: { datasetId?: string; loaded: Loaded }) {
  const user = useUser();
  const creating = !datasetId;
  const [before, setBefore] = useState(loaded.before);
  const [draft, setDraft] = useState<SettingsDraft>(
    () => structuredClone(loaded.before) ?? newDraft(loaded.workspaces[0]?.id ?? ''),
  );
  const [workspaces, setWorkspaces] = useState(loaded.workspaces);
  const [datasetName, setDatasetName] = useState(loaded.dataset?.name ?? '');

  /** Re-reads the saved state after a save, so the next save diffs against the server. */
  const refresh = async (id: string) => {
    const fresh = await load(id);
    setBefore(fresh.before);
    setDraft(structuredClone(fresh.before)!);
    setDatasetName(fresh.dataset?.name ?? '');
  };
  const [newWorkspace, setNewWorkspace] = useState('');
  const [publishNow, setPublishNow] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const frozen = draft.published;

  // Functional updates: several edits before the next render must all survive.
  const update = (fn: (d: SettingsDraft) => Partial<SettingsDraft>) => {
    setDraft((d) => ({ ...d, ...fn(d) }));
    setSaved(null);
  };
  const set = (patch: Partial<SettingsDraft>) => update(() => patch);
  const setField = (i: number, patch: Partial<FieldDraft>) =>
    update((d) => ({ fields: d.fields.map((f, j) => (j === i ? { ...f, ...patch } : f)) }));
  const setQuestion = (i: number, patch: Partial<QuestionDraft>) =>
    update((d) => ({ questions: d.questions.map((q, j) => (j === i ? { ...q, ...patch } : q)) }));
  const setMeta = (i: number, patch: Partial<MetadataDraft>) =>
    update((d) => ({ metadata: d.metadata.map((m, j) => (j === i ? { ...m, ...patch } : m)) }));

  const createWorkspace = async () => {
    setError(null);
    try {
      const w = await endpoints.createWorkspace(api, newWorkspace.trim());
      setWorkspaces([...workspaces, w]);
      set({ workspaceId: w.id });
      setNewWorkspace('');
    } catch (e) {
      setError(e);
    }
  };

  const save = async (e: Event) => {
    e.preventDefault();
    const found = validateDraft(draft, creating && publishNow);
    setProblems(found);
    if (found.length) return;
    setBusy(true);
    setError(null);
    setSaved(null);
    const working = structuredClone(draft);
    let id = datasetId;
    try {
      if (!id) {
        const created = await endpoints.createDataset(api, {
          name: working.name.trim(),
          workspace_id: working.workspaceId,
          guidelines: working.guidelines || null,
          allow_extra_metadata: working.allowExtraMetadata,
          distribution: { strategy: 'overlap', min_submitted: working.minSubmitted },
          metadata: datasetMetadata(working),
        });
        id = created.id;
      }
      await applyOps(id, planSave(before, working), working);
      if (creating && publishNow) await endpoints.publishDataset(api, id);
      if (creating) {
        navigate(href.import(id));
        return;
      }
      await refresh(id);
      setSaved('Settings saved.');
    } catch (err) {
      setError(err);
      // Keep the user's edits (with any ids created so far); re-read the server state to diff from.
      if (id && !creating) {
        try {
          const fresh = await load(id);
          setBefore(fresh.before);
        } catch {
          /* keep the old baseline; the next save repeats idempotent updates */
        }
      } else if (id && creating) {
        navigate(href.settings(id));
      }
      setDraft(working);
    } finally {
      setBusy(false);
    }
  };

  const publish = async () => {
    const found = validateDraft(draft, true);
    setProblems(found);
    if (found.length || !datasetId) return;
    setBusy(true);
    setError(null);
    try {
      await applyOps(datasetId, planSave(before, draft), structuredClone(draft));
      await endpoints.publishDataset(api, datasetId);
      await refresh(datasetId);
      setSaved('Dataset published: annotators can start.');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!datasetId) return;
    setBusy(true);
    try {
      await endpoints.deleteDataset(api, datasetId);
      navigate(href.home());
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const title = creating ? 'New dataset' : `Settings: ${datasetName}`;
  const fieldNames = draft.fields.map((f) => f.name);

  return (
    <Page
      title={title}
      actions={
        !creating && (
          <>
            <a class="btn" href={href.annotate(datasetId!)}>
              Annotate
            </a>
            <a class="btn" href={href.import(datasetId!)}>
              Import
            </a>
            <a class="btn" href={href.export(datasetId!)}>
              Export
            </a>
          </>
        )
      }
    >
      <form class="stack" onSubmit={save} aria-label="Dataset settings">
        {frozen && (
          <Notice>
            This dataset is published: fields and questions are fixed. You can still change titles, label
            display text, colours, descriptions and order, visible labels, guidelines and metadata properties,
            and turn overlapping on.
          </Notice>
        )}
        <section class="card stack">
          <h2>Dataset</h2>
          <div class="form-grid">
            <label>
              Name
              <input name="name" value={draft.name} maxLength={200} onInput={(e) => set({ name: e.currentTarget.value })} required />
            </label>
            <label>
              Workspace
              <select
                name="workspace"
                value={draft.workspaceId}
                disabled={!creating}
                onChange={(e) => set({ workspaceId: e.currentTarget.value })}
              >
                {workspaces.length === 0 && <option value="">(none)</option>}
                {workspaces.map((w) => (
                  <option key={w.id} value={w.id}>
                    {w.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Submitted responses to complete a record
              <input
                name="min_submitted"
                type="number"
                min={1}
                value={draft.minSubmitted}
                onInput={(e) => set({ minSubmitted: Number(e.currentTarget.value) })}
              />
            </label>
          </div>
          {creating && isOwner(user) && (
            <div class="row">
              <input
                aria-label="New workspace name"
                placeholder="New workspace name"
                value={newWorkspace}
                onInput={(e) => setNewWorkspace(e.currentTarget.value)}
              />
              <button type="button" class="btn" disabled={!newWorkspace.trim()} onClick={createWorkspace}>
                Create workspace
              </button>
            </div>
          )}
          <label class="inline">
            <input
              type="checkbox"
              checked={draft.allowExtraMetadata}
              onChange={(e) => set({ allowExtraMetadata: e.currentTarget.checked })}
            />
            Accept record metadata keys that are not declared below
          </label>
        </section>

        <section class="card stack">
          <h2>Guidelines</h2>
          <div class="guidelines-edit">
            <label>
              Markdown
              <textarea
                name="guidelines"
                maxLength={10000}
                value={draft.guidelines}
                onInput={(e) => set({ guidelines: e.currentTarget.value })}
              />
            </label>
            <div>
              <div class="muted small">Preview</div>
              <div class="guidelines-preview" data-testid="guidelines-preview">
                <Markdown source={draft.guidelines} />
              </div>
            </div>
          </div>
        </section>

        <section class="card stack">
          <h2>Fields</h2>
          {draft.fields.map((f, i) => (
            <div class="field-row form-grid" key={i} data-testid="field-row">
              <label>
                Name
                <input value={f.name} disabled={Boolean(f.id)} onInput={(e) => setField(i, { name: e.currentTarget.value })} />
              </label>
              <label>
                Title
                <input value={f.title} onInput={(e) => setField(i, { title: e.currentTarget.value })} />
              </label>
              <label class="inline">
                <input type="checkbox" checked={f.required} onChange={(e) => setField(i, { required: e.currentTarget.checked })} />
                Required
              </label>
              {!f.id && !frozen && (
                <button type="button" class="btn btn-danger" onClick={() => set({ fields: draft.fields.filter((_, j) => j !== i) })}>
                  Remove field
                </button>
              )}
            </div>
          ))}
          {!frozen && (
            <div>
              <button
                type="button"
                class="btn"
                onClick={() =>
                  set({ fields: [...draft.fields, { name: `field_${draft.fields.length + 1}`, title: 'Text', required: false, useMarkdown: false }] })
                }
              >
                Add text field
              </button>
            </div>
          )}
        </section>

        <section class="card stack">
          <h2>Questions</h2>
          {draft.questions.map((q, i) => (
            <QuestionEditor
              key={i}
              q={q}
              index={i}
              count={draft.questions.length}
              fieldNames={fieldNames}
              frozen={frozen}
              onChange={(patch) => setQuestion(i, patch)}
              onRemove={() => set({ questions: draft.questions.filter((_, j) => j !== i) })}
              onMove={(to) => set({ questions: moveItem(draft.questions, i, to) })}
            />
          ))}
          {!frozen && (
            <div class="row">
              <span class="muted">Add a question:</span>
              {kQuestionTypes.map((t) => (
                <button
                  key={t.type}
                  type="button"
                  class="btn btn-small"
                  onClick={() => {
                    const q = emptyQuestion(t.type, fieldNames[0] ?? 'text');
                    const taken = new Set(draft.questions.map((x) => x.name));
                    let name = q.name;
                    for (let n = 2; taken.has(name); n++) name = `${q.name}_${n}`;
                    set({ questions: [...draft.questions, { ...q, name, title: q.title || name }] });
                  }}
                >
                  {t.label}
                </button>
              ))}
            </div>
          )}
        </section>

        <section class="card stack">
          <h2>Metadata properties</h2>
          <p class="muted small">Declared metadata can be filtered on in the annotation view.</p>
          {draft.metadata.map((m, i) =>
            m.deleted ? null : (
              <div class="meta-row form-grid" key={i} data-testid="metadata-row">
                <label>
                  Name
                  <input value={m.name} disabled={Boolean(m.id)} onInput={(e) => setMeta(i, { name: e.currentTarget.value })} />
                </label>
                <label>
                  Title
                  <input value={m.title} onInput={(e) => setMeta(i, { title: e.currentTarget.value })} />
                </label>
                <label>
                  Type
                  <select
                    value={m.type}
                    disabled={Boolean(m.id)}
                    onChange={(e) => setMeta(i, { type: e.currentTarget.value as MetadataDraft['type'] })}
                  >
                    <option value="terms">terms</option>
                    <option value="integer">integer</option>
                    <option value="float">float</option>
                  </select>
                </label>
                {m.type === 'terms' ? (
                  <label>
                    Allowed values (comma separated, empty = any)
                    <input value={m.values} disabled={Boolean(m.id)} onInput={(e) => setMeta(i, { values: e.currentTarget.value })} />
                  </label>
                ) : (
                  <>
                    <label>
                      Min
                      <input value={m.min} disabled={Boolean(m.id)} onInput={(e) => setMeta(i, { min: e.currentTarget.value })} />
                    </label>
                    <label>
                      Max
                      <input value={m.max} disabled={Boolean(m.id)} onInput={(e) => setMeta(i, { max: e.currentTarget.value })} />
                    </label>
                  </>
                )}
                <label class="inline">
                  <input type="checkbox" checked={m.visible} onChange={(e) => setMeta(i, { visible: e.currentTarget.checked })} />
                  Visible to annotators
                </label>
                <button
                  type="button"
                  class="btn btn-danger"
                  onClick={() =>
                    m.id
                      ? setMeta(i, { deleted: true })
                      : set({ metadata: draft.metadata.filter((_, j) => j !== i) })
                  }
                >
                  Remove
                </button>
              </div>
            ),
          )}
          <div>
            <button
              type="button"
              class="btn"
              onClick={() =>
                set({
                  metadata: [
                    ...draft.metadata,
                    { name: '', title: '', type: 'terms', values: '', min: '', max: '', visible: true },
                  ],
                })
              }
            >
              Add metadata property
            </button>
          </div>
        </section>

        {problems.length > 0 && (
          <div class="banner banner-error" role="alert" data-testid="problems">
            <ul>
              {problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </div>
        )}
        <ErrorBanner error={error} />
        {saved && <Notice kind="ok">{saved}</Notice>}
        <div class="row sticky-actions">
          <button type="submit" class="btn btn-primary" disabled={busy} data-testid="save-settings">
            {busy ? 'Saving…' : creating ? 'Create dataset' : 'Save settings'}
          </button>
          {creating && (
            <label class="inline">
              <input type="checkbox" checked={publishNow} onChange={(e) => setPublishNow(e.currentTarget.checked)} />
              Publish now (annotators can start; fields and questions are then fixed)
            </label>
          )}
          {!creating && !frozen && (
            <button type="button" class="btn" disabled={busy} onClick={publish}>
              Publish
            </button>
          )}
          <span class="spacer" />
          {!creating && (
            <button type="button" class="btn btn-danger" disabled={busy} onClick={() => setConfirmDelete(true)}>
              Delete dataset
            </button>
          )}
        </div>
      </form>
      {confirmDelete && (
        <Modal title="Delete this dataset?" onClose={() => setConfirmDelete(false)}>
          <p>
            Every record, response and suggestion of <strong>{draft.name}</strong> is deleted. This cannot be undone.
          </p>
          <div class="row">
            <button type="button" class="btn btn-danger" onClick={remove} data-testid="confirm-delete">
              Delete
            </button>
            <button type="button" class="btn" onClick={() => setConfirmDelete(false)}>
              Cancel
            </button>
          </div>
        </Modal>
      )}
    </Page>
  );
}

function QuestionEditor({
  q,
  index,
  count,
  fieldNames,
  frozen,
  onChange,
  onRemove,
  onMove,
}: {
  q: QuestionDraft;
  index: number;
  count: number;
  fieldNames: string[];
  frozen: boolean;
  onChange: (patch: Partial<QuestionDraft>) => void;
  onRemove: () => void;
  onMove: (to: number) => void;
}) {
  const saved = Boolean(q.id);
  const hasLabels = q.type !== 'rating' && q.type !== 'text';
  return (
    <div class="question-card stack" data-testid="question-card">
      <div class="row">
        <strong>{kQuestionTypes.find((t) => t.type === q.type)?.label ?? q.type}</strong>
        <span class="spacer" />
        {!saved && (
          <>
            <button type="button" class="btn btn-small" disabled={index === 0} onClick={() => onMove(index - 1)} aria-label="Move question up">
              ↑
            </button>
            <button type="button" class="btn btn-small" disabled={index === count - 1} onClick={() => onMove(index + 1)} aria-label="Move question down">
              ↓
            </button>
          </>
        )}
        {!saved && !frozen && (
          <button type="button" class="btn btn-small btn-danger" onClick={onRemove}>
            Remove question
          </button>
        )}
      </div>
      <div class="form-grid">
        <label>
          Name
          <input name="question-name" value={q.name} disabled={saved} onInput={(e) => onChange({ name: e.currentTarget.value })} />
        </label>
        <label>
          Title
          <input name="question-title" value={q.title} onInput={(e) => onChange({ title: e.currentTarget.value })} />
        </label>
        <label>
          Description
          <input value={q.description} onInput={(e) => onChange({ description: e.currentTarget.value })} />
        </label>
        <label class="inline">
          <input type="checkbox" checked={q.required} onChange={(e) => onChange({ required: e.currentTarget.checked })} />
          Required
        </label>
      </div>
      {q.type === 'span' && (
        <div class="form-grid">
          <label>
            Text field
            <select value={q.field} disabled={saved} onChange={(e) => onChange({ field: e.currentTarget.value })}>
              {fieldNames.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
          <label class="inline">
            <input
              type="checkbox"
              name="allow-overlapping"
              checked={q.allowOverlapping}
              disabled={q.savedOverlapping}
              title={q.savedOverlapping ? 'Overlapping cannot be turned off once saved' : ''}
              onChange={(e) => onChange({ allowOverlapping: e.currentTarget.checked })}
            />
            Allow overlapping spans
          </label>
        </div>
      )}
      {hasLabels && (
        <>
          <LabelEditor
            labels={q.labels}
            frozen={frozen && saved}
            withColors={q.type === 'span'}
            onChange={(labels) => onChange({ labels })}
          />
          {q.type !== 'ranking' && (
            <label class="inline">
              Labels shown before “more”:
              <select
                value={q.visibleOptions === null ? '' : String(q.visibleOptions)}
                onChange={(e) => onChange({ visibleOptions: e.currentTarget.value ? Number(e.currentTarget.value) : null })}
              >
                <option value="">all</option>
                {q.labels.length >= 3 &&
                  Array.from({ length: q.labels.length - 2 }, (_, k) => k + 3).map((n) => (
                    <option key={n} value={String(n)}>
                      {n}
                    </option>
                  ))}
              </select>
            </label>
          )}
        </>
      )}
      {q.type === 'rating' && (
        <div class="form-grid">
          <label>
            From
            <input type="number" min={0} max={9} value={q.ratingMin} disabled={saved} onInput={(e) => onChange({ ratingMin: Number(e.currentTarget.value) })} />
          </label>
          <label>
            To
            <input type="number" min={1} max={10} value={q.ratingMax} disabled={saved} onInput={(e) => onChange({ ratingMax: Number(e.currentTarget.value) })} />
          </label>
        </div>
      )}
      {q.type === 'text' && (
        <label class="inline">
          <input type="checkbox" checked={q.useMarkdown} onChange={(e) => onChange({ useMarkdown: e.currentTarget.checked })} />
          Answers use markdown
        </label>
      )}
    </div>
  );
}
