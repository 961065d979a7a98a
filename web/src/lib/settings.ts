// Dataset settings as an editable draft: load from the API objects, validate, and plan the API
// calls that turn the saved state into the draft. Pure, so it is unit-tested without a browser.
import type {
  Dataset,
  Field,
  LabelOption,
  MetadataProperty,
  Question,
  QuestionSettings,
} from '../api';
import { defaultColor, kLabelColorsKey, storedLabelColors } from './labels';

export type QuestionType = 'span' | 'label_selection' | 'multi_label_selection' | 'rating' | 'text' | 'ranking';

export interface LabelDraft {
  value: string;
  text: string;
  description: string;
  color: string;
  /** Saved on the server: its value can no longer change and it cannot be removed. */
  saved: boolean;
}

export interface FieldDraft {
  id?: string;
  name: string;
  title: string;
  required: boolean;
  useMarkdown: boolean;
}

export interface QuestionDraft {
  id?: string;
  name: string;
  title: string;
  description: string;
  required: boolean;
  type: QuestionType;
  /** span: the text field it annotates. */
  field: string;
  /** span, label_selection, multi_label_selection, ranking. */
  labels: LabelDraft[];
  allowOverlapping: boolean;
  /** Overlap was on when loaded: it can never be switched off again. */
  savedOverlapping: boolean;
  /** null = show all. */
  visibleOptions: number | null;
  /** rating: the values offered. */
  ratingMin: number;
  ratingMax: number;
  useMarkdown: boolean;
}

export interface MetadataDraft {
  id?: string;
  name: string;
  title: string;
  type: 'terms' | 'integer' | 'float';
  values: string; // terms, comma separated; empty = any
  min: string;
  max: string;
  visible: boolean;
  deleted?: boolean;
}

export interface SettingsDraft {
  name: string;
  workspaceId: string;
  guidelines: string;
  minSubmitted: number;
  allowExtraMetadata: boolean;
  /** Published datasets cannot add or delete fields and questions. */
  published: boolean;
  fields: FieldDraft[];
  questions: QuestionDraft[];
  metadata: MetadataDraft[];
  /** Other dataset metadata keys, kept as they were. */
  extraMetadata: Record<string, unknown>;
}

const kQuestionName = /^(?=.*[a-z0-9])[a-z0-9_-]+$/;
const kFieldName = /^(?=.*[a-z0-9])[a-z0-9_-]+$/;
const kDatasetName = /^[A-Za-z0-9 ][A-Za-z0-9_ -]*$/;

export function emptyQuestion(type: QuestionType, field = 'text'): QuestionDraft {
  return {
    name: type === 'span' ? 'spans' : type,
    title: type === 'span' ? 'Spans' : '',
    description: '',
    required: true,
    type,
    field,
    labels: [],
    allowOverlapping: false,
    savedOverlapping: false,
    visibleOptions: null,
    ratingMin: 1,
    ratingMax: 5,
    useMarkdown: false,
  };
}

export function newDraft(workspaceId = ''): SettingsDraft {
  return {
    name: '',
    workspaceId,
    guidelines: '',
    minSubmitted: 1,
    allowExtraMetadata: true,
    published: false,
    fields: [{ name: 'text', title: 'Text', required: true, useMarkdown: false }],
    questions: [emptyQuestion('span')],
    metadata: [],
    extraMetadata: {},
  };
}

export function makeLabel(value: string, index: number, text = value): LabelDraft {
  return { value, text, description: '', color: defaultColor(index), saved: false };
}

/** Adds labels from pasted text (one per line, or comma separated), skipping duplicates. */
export function addLabels(labels: LabelDraft[], pasted: string): LabelDraft[] {
  const out = [...labels];
  const seen = new Set(out.map((l) => l.value));
  for (const raw of pasted.split(/[\n,]/)) {
    const value = raw.trim();
    if (!value || seen.has(value)) continue;
    seen.add(value);
    out.push(makeLabel(value, out.length));
  }
  return out;
}

export function moveItem<T>(list: T[], from: number, to: number): T[] {
  if (to < 0 || to >= list.length || from === to) return list;
  const out = [...list];
  const [item] = out.splice(from, 1);
  out.splice(to, 0, item);
  return out;
}

function hasOptions(s: QuestionSettings): s is QuestionSettings & { options: LabelOption[] } {
  return s.type === 'span' || s.type === 'label_selection' || s.type === 'multi_label_selection' || s.type === 'ranking';
}

export function draftFromServer(
  dataset: Dataset,
  fields: Field[],
  questions: Question[],
  metadata: MetadataProperty[],
): SettingsDraft {
  const colors = storedLabelColors(dataset);
  const { [kLabelColorsKey]: _colors, ...extraMetadata } = dataset.metadata ?? {};
  void _colors;
  return {
    name: dataset.name,
    workspaceId: dataset.workspace_id,
    guidelines: dataset.guidelines ?? '',
    minSubmitted: dataset.distribution?.min_submitted ?? 1,
    allowExtraMetadata: dataset.allow_extra_metadata ?? true,
    published: dataset.status === 'ready',
    fields: fields.map((f) => ({
      id: f.id,
      name: f.name,
      title: f.title,
      required: f.required,
      useMarkdown: Boolean((f.settings as { use_markdown?: boolean }).use_markdown),
    })),
    questions: questions.map((q) => {
      const s = q.settings;
      const d: QuestionDraft = {
        ...emptyQuestion(s.type as QuestionType),
        id: q.id,
        name: q.name,
        title: q.title,
        description: q.description ?? '',
        required: q.required,
      };
      if (hasOptions(s)) {
        d.labels = s.options.map((o, i) => ({
          value: String(o.value),
          text: o.text ?? String(o.value),
          description: o.description ?? '',
          color: colors[String(o.value)] ?? defaultColor(i),
          saved: true,
        }));
        d.visibleOptions = (s as { visible_options?: number | null }).visible_options ?? null;
      }
      if (s.type === 'span') {
        d.field = s.field;
        d.allowOverlapping = s.allow_overlapping;
        d.savedOverlapping = s.allow_overlapping;
      }
      if (s.type === 'rating' && s.options.length) {
        const values = s.options.map((o) => o.value);
        d.ratingMin = Math.min(...values);
        d.ratingMax = Math.max(...values);
      }
      if (s.type === 'text') d.useMarkdown = Boolean(s.use_markdown);
      return d;
    }),
    metadata: metadata.map((m) => ({
      id: m.id,
      name: m.name,
      title: m.title,
      type: m.settings.type,
      values: m.settings.type === 'terms' ? (m.settings.values ?? []).join(', ') : '',
      min: m.settings.type !== 'terms' && m.settings.min != null ? String(m.settings.min) : '',
      max: m.settings.type !== 'terms' && m.settings.max != null ? String(m.settings.max) : '',
      visible: m.visible_for_annotators,
    })),
    extraMetadata,
  };
}

/** Problems that block saving, each naming where it is. Empty when the draft can be saved. */
export function validateDraft(d: SettingsDraft, forPublish = false): string[] {
  const problems: string[] = [];
  if (!d.name.trim()) problems.push('Dataset name is required.');
  else if (!kDatasetName.test(d.name.trim()))
    problems.push('Dataset name: letters, digits, spaces, _ and -, not starting with _ or -.');
  if (d.name.length > 200) problems.push('Dataset name is longer than 200 characters.');
  if (!d.workspaceId) problems.push('Choose a workspace.');
  if (d.guidelines.length > 10000) problems.push('Guidelines are longer than 10,000 characters.');
  if (!Number.isInteger(d.minSubmitted) || d.minSubmitted < 1) problems.push('Minimum submitted must be 1 or more.');
  const fieldNames = new Set<string>();
  d.fields.forEach((f, i) => {
    const where = `Field ${i + 1}`;
    if (!kFieldName.test(f.name)) problems.push(`${where}: name "${f.name}" must use a-z, 0-9, _ or -.`);
    if (fieldNames.has(f.name)) problems.push(`${where}: name "${f.name}" is used twice.`);
    fieldNames.add(f.name);
    if (!f.title.trim()) problems.push(`${where}: title is required.`);
  });
  const questionNames = new Set<string>();
  const spanFields = new Set<string>();
  d.questions.forEach((q, i) => {
    const where = `Question ${i + 1} (${q.name || 'unnamed'})`;
    if (!kQuestionName.test(q.name)) problems.push(`${where}: name must use a-z, 0-9, _ or -.`);
    if (questionNames.has(q.name)) problems.push(`${where}: name is used twice.`);
    questionNames.add(q.name);
    if (q.type === 'span') {
      if (!fieldNames.has(q.field)) problems.push(`${where}: field "${q.field}" does not exist.`);
      if (spanFields.has(q.field)) problems.push(`${where}: only one span question per field.`);
      spanFields.add(q.field);
      if (q.savedOverlapping && !q.allowOverlapping) problems.push(`${where}: overlapping cannot be turned off again.`);
    }
    if (q.type !== 'rating' && q.type !== 'text') {
      if (q.labels.length === 0) problems.push(`${where}: add at least one label.`);
      if (q.type !== 'span' && q.labels.length < 2) problems.push(`${where}: needs at least two options.`);
      const values = new Set<string>();
      q.labels.forEach((l, j) => {
        if (!l.value.trim()) problems.push(`${where}: label ${j + 1} has no value.`);
        if (l.value.length > 200) problems.push(`${where}: label "${l.value.slice(0, 20)}…" is longer than 200.`);
        if (values.has(l.value)) problems.push(`${where}: label "${l.value}" is used twice.`);
        values.add(l.value);
        if (!l.text.trim()) problems.push(`${where}: label "${l.value}" needs a display text.`);
      });
      if (q.visibleOptions !== null && (q.visibleOptions < 3 || q.visibleOptions > q.labels.length)) {
        problems.push(`${where}: visible labels must be between 3 and ${q.labels.length}, or all.`);
      }
    }
    if (q.type === 'rating') {
      if (q.ratingMin < 0 || q.ratingMax > 10 || q.ratingMax - q.ratingMin < 1)
        problems.push(`${where}: ratings go from 0 to 10 with at least two values.`);
    }
  });
  const metaNames = new Set<string>();
  d.metadata.forEach((m, i) => {
    if (m.deleted) return;
    const where = `Metadata ${i + 1} (${m.name || 'unnamed'})`;
    if (!kFieldName.test(m.name)) problems.push(`${where}: name must use a-z, 0-9, _ or -.`);
    if (metaNames.has(m.name)) problems.push(`${where}: name is used twice.`);
    metaNames.add(m.name);
    if (m.type !== 'terms') {
      for (const [k, v] of [['min', m.min], ['max', m.max]] as const) {
        if (v.trim() && !Number.isFinite(Number(v))) problems.push(`${where}: ${k} is not a number.`);
        if (v.trim() && m.type === 'integer' && !Number.isInteger(Number(v))) problems.push(`${where}: ${k} must be an integer.`);
      }
      if (m.min.trim() && m.max.trim() && Number(m.min) > Number(m.max)) problems.push(`${where}: min is above max.`);
    }
  });
  if (forPublish) {
    if (d.fields.length === 0) problems.push('Publishing needs at least one field.');
    if (!d.questions.some((q) => q.required)) problems.push('Publishing needs at least one required question.');
  }
  return problems;
}

export function questionSettings(q: QuestionDraft): QuestionSettings {
  const options = q.labels.map((l) => ({ value: l.value, text: l.text, description: l.description.trim() || null }));
  switch (q.type) {
    case 'span':
      return {
        type: 'span',
        field: q.field,
        options,
        visible_options: q.visibleOptions,
        allow_overlapping: q.allowOverlapping,
      };
    case 'label_selection':
    case 'multi_label_selection':
      return { type: q.type, options, visible_options: q.visibleOptions };
    case 'ranking':
      return { type: 'ranking', options };
    case 'rating': {
      const values: { value: number }[] = [];
      for (let v = q.ratingMin; v <= q.ratingMax; v++) values.push({ value: v });
      return { type: 'rating', options: values };
    }
    case 'text':
      return { type: 'text', use_markdown: q.useMarkdown };
  }
}

function metadataSettings(m: MetadataDraft): MetadataProperty['settings'] {
  if (m.type === 'terms') {
    const values = m.values.split(',').map((v) => v.trim()).filter(Boolean);
    return { type: 'terms', values: values.length ? values : null };
  }
  return {
    type: m.type,
    min: m.min.trim() ? Number(m.min) : null,
    max: m.max.trim() ? Number(m.max) : null,
  };
}

/** Every label colour of every option question, for dataset.metadata. */
export function colorMap(d: SettingsDraft): Record<string, string> {
  const out: Record<string, string> = {};
  for (const q of d.questions) for (const l of q.labels) out[l.value] = l.color;
  return out;
}

export function datasetMetadata(d: SettingsDraft): Record<string, unknown> {
  return { ...d.extraMetadata, [kLabelColorsKey]: colorMap(d) };
}

/** One API call of a save, in order. */
export type Op =
  | { kind: 'patch-dataset'; body: Record<string, unknown> }
  | { kind: 'create-field'; body: Omit<Field, 'id'> }
  | { kind: 'update-field'; id: string; body: Partial<Field> }
  | { kind: 'create-question'; body: Omit<Question, 'id'> }
  | { kind: 'update-question'; id: string; body: Partial<Question> }
  | { kind: 'create-metadata'; body: Omit<MetadataProperty, 'id'> }
  | { kind: 'update-metadata'; id: string; body: { title?: string; visible_for_annotators?: boolean } }
  | { kind: 'delete-metadata'; id: string };

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The calls after the dataset exists that make the server match `draft`; `before` is the
 * draft as loaded (null for a new dataset). Unchanged items produce no call.
 */
export function planSave(before: SettingsDraft | null, draft: SettingsDraft): Op[] {
  const ops: Op[] = [];
  if (before) {
    const body: Record<string, unknown> = {};
    if (draft.name !== before.name) body.name = draft.name.trim();
    if (draft.guidelines !== before.guidelines) body.guidelines = draft.guidelines || null;
    if (draft.minSubmitted !== before.minSubmitted)
      body.distribution = { strategy: 'overlap', min_submitted: draft.minSubmitted };
    if (draft.allowExtraMetadata !== before.allowExtraMetadata) body.allow_extra_metadata = draft.allowExtraMetadata;
    if (!same(colorMap(draft), colorMap(before))) body.metadata = datasetMetadata(draft);
    if (Object.keys(body).length) ops.push({ kind: 'patch-dataset', body });
  }
  const oldFields = new Map((before?.fields ?? []).map((f) => [f.id, f]));
  for (const f of draft.fields) {
    const settings = { type: 'text' as const, use_markdown: f.useMarkdown };
    const old = f.id ? oldFields.get(f.id) : undefined;
    if (!old) ops.push({ kind: 'create-field', body: { name: f.name, title: f.title, required: f.required, settings } });
    else if (old.title !== f.title || old.required !== f.required || old.useMarkdown !== f.useMarkdown)
      ops.push({ kind: 'update-field', id: f.id!, body: { title: f.title, required: f.required, settings } });
  }
  const oldQuestions = new Map((before?.questions ?? []).map((q) => [q.id, q]));
  for (const q of draft.questions) {
    const old = q.id ? oldQuestions.get(q.id) : undefined;
    const settings = questionSettings(q);
    const description = q.description.trim() || null;
    if (!old) {
      ops.push({
        kind: 'create-question',
        body: { name: q.name, title: q.title || q.name, description, required: q.required, settings },
      });
      continue;
    }
    const body: Partial<Question> = {};
    if (old.title !== q.title) body.title = q.title || q.name;
    if (old.description !== q.description) body.description = description;
    if (old.required !== q.required) body.required = q.required;
    if (!same(questionSettings(old), settings)) body.settings = settings;
    if (Object.keys(body).length) ops.push({ kind: 'update-question', id: q.id!, body });
  }
  const oldMeta = new Map((before?.metadata ?? []).map((m) => [m.id, m]));
  for (const m of draft.metadata) {
    const old = m.id ? oldMeta.get(m.id) : undefined;
    if (m.deleted) {
      if (m.id) ops.push({ kind: 'delete-metadata', id: m.id });
      continue;
    }
    if (!old) {
      ops.push({
        kind: 'create-metadata',
        body: { name: m.name, title: m.title || m.name, settings: metadataSettings(m), visible_for_annotators: m.visible },
      });
    } else if (old.title !== m.title || old.visible !== m.visible) {
      ops.push({ kind: 'update-metadata', id: m.id!, body: { title: m.title || m.name, visible_for_annotators: m.visible } });
    }
  }
  return ops;
}
