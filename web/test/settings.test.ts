import { describe, expect, it } from 'vitest';
import type { Dataset, Field, MetadataProperty, Question } from '../src/api';
import { labelColors, storedLabelColors, textColorOn } from '../src/lib/labels';
import {
  addLabels,
  draftFromServer,
  moveItem,
  newDraft,
  planSave,
  questionSettings,
  validateDraft,
} from '../src/lib/settings';

const dataset: Dataset = {
  id: 'd1',
  name: 'claims',
  status: 'ready',
  workspace_id: 'w1',
  guidelines: 'Label things',
  distribution: { strategy: 'overlap', min_submitted: 1 },
  metadata: { 'spanloop.label_colors': { Component: '#112233', Bad: 'red;}' }, other: 5 },
};
const fields: Field[] = [{ id: 'f1', name: 'text', title: 'Text', required: true, settings: { type: 'text' } }];
const questions: Question[] = [
  {
    id: 'q1',
    name: 'spans',
    title: 'Spans',
    required: true,
    settings: {
      type: 'span',
      field: 'text',
      options: [
        { value: 'Component', text: 'Component' },
        { value: 'Material', text: 'Material', description: 'what it is made of' },
      ],
      visible_options: null,
      allow_overlapping: false,
    },
  },
];
const metadata: MetadataProperty[] = [
  { id: 'm1', name: 'year', title: 'Year', settings: { type: 'integer', min: 1900, max: null }, visible_for_annotators: true },
];

describe('label colours', () => {
  it('keeps well-formed stored colours and fills the rest from the palette', () => {
    expect(storedLabelColors(dataset)).toEqual({ Component: '#112233' });
    const c = labelColors(dataset, ['Component', 'Material']);
    expect(c.Component).toBe('#112233');
    expect(c.Material).toMatch(/^#[0-9a-f]{6}$/);
    expect(textColorOn('#ffffff')).toBe('#111111');
    expect(textColorOn('#000000')).toBe('#ffffff');
  });
});

describe('settings draft', () => {
  it('loads server objects and plans no call when nothing changed', () => {
    const d = draftFromServer(dataset, fields, questions, metadata);
    expect(d.published).toBe(true);
    expect(d.questions[0].labels.map((l) => [l.value, l.color, l.saved])).toEqual([
      ['Component', '#112233', true],
      ['Material', expect.stringMatching(/^#/), true],
    ]);
    expect(d.metadata[0]).toMatchObject({ type: 'integer', min: '1900', max: '' });
    expect(d.extraMetadata).toEqual({ other: 5 });
    expect(planSave(d, structuredClone(d))).toEqual([]);
  });

  it('plans label re-wording, re-ordering, colours and overlap as PATCHes', () => {
    const before = draftFromServer(dataset, fields, questions, metadata);
    const after = structuredClone(before);
    after.questions[0].labels = moveItem(after.questions[0].labels, 1, 0);
    after.questions[0].labels[0].text = 'Material (substance)';
    after.questions[0].labels[1].color = '#abcdef';
    after.questions[0].allowOverlapping = true;
    after.guidelines = 'new';
    const ops = planSave(before, after);
    expect(ops[0]).toEqual({
      kind: 'patch-dataset',
      body: { guidelines: 'new', metadata: { other: 5, 'spanloop.label_colors': expect.objectContaining({ Component: '#abcdef' }) } },
    });
    expect(ops[1]).toMatchObject({ kind: 'update-question', id: 'q1' });
    const s = (ops[1] as { body: Question }).body.settings as { options: { value: string; text: string }[]; allow_overlapping: boolean };
    expect(s.options.map((o) => o.value)).toEqual(['Material', 'Component']);
    expect(s.options[0].text).toBe('Material (substance)');
    expect(s.allow_overlapping).toBe(true);
  });

  it('plans creates for a new dataset and metadata deletes', () => {
    const d = newDraft('w1');
    d.name = 'x';
    d.questions[0].labels = addLabels([], 'Component\nMaterial, Value\nComponent');
    expect(d.questions[0].labels.map((l) => l.value)).toEqual(['Component', 'Material', 'Value']);
    d.metadata.push({ name: 'source', title: '', type: 'terms', values: 'a, b', min: '', max: '', visible: false });
    const ops = planSave(null, d);
    expect(ops.map((o) => o.kind)).toEqual(['create-field', 'create-question', 'create-metadata']);
    expect(ops[2]).toMatchObject({ body: { name: 'source', title: 'source', settings: { type: 'terms', values: ['a', 'b'] }, visible_for_annotators: false } });
    const before = draftFromServer(dataset, fields, questions, metadata);
    const after = structuredClone(before);
    after.metadata[0].deleted = true;
    expect(planSave(before, after)).toEqual([{ kind: 'delete-metadata', id: 'm1' }]);
  });

  it('validates names, labels, visible labels, overlap and publishing', () => {
    const d = newDraft('w1');
    d.name = 'ok';
    expect(validateDraft(d)).toContain('Question 1 (spans): add at least one label.');
    d.questions[0].labels = addLabels([], 'A,B');
    d.questions[0].visibleOptions = 5;
    d.questions[0].name = 'Bad Name';
    const problems = validateDraft(d);
    expect(problems.some((p) => p.includes('name must use'))).toBe(true);
    expect(problems.some((p) => p.includes('visible labels'))).toBe(true);
    const loaded = draftFromServer({ ...dataset, questions: undefined } as Dataset, fields, questions, metadata);
    loaded.questions[0].allowOverlapping = true;
    loaded.questions[0].savedOverlapping = true;
    loaded.questions[0].allowOverlapping = false;
    expect(validateDraft(loaded).some((p) => p.includes('cannot be turned off'))).toBe(true);
    const noRequired = newDraft('w1');
    noRequired.name = 'n';
    noRequired.questions[0].labels = addLabels([], 'A');
    noRequired.questions[0].required = false;
    expect(validateDraft(noRequired, true)).toContain('Publishing needs at least one required question.');
  });

  it('builds settings for every question type', () => {
    const d = newDraft('w1');
    const rating = { ...d.questions[0], type: 'rating' as const, ratingMin: 1, ratingMax: 3 };
    expect(questionSettings(rating)).toEqual({ type: 'rating', options: [{ value: 1 }, { value: 2 }, { value: 3 }] });
    const text = { ...d.questions[0], type: 'text' as const, useMarkdown: true };
    expect(questionSettings(text)).toEqual({ type: 'text', use_markdown: true });
    const multi = { ...d.questions[0], type: 'multi_label_selection' as const, labels: addLabels([], 'a,b') };
    expect(questionSettings(multi)).toMatchObject({ type: 'multi_label_selection', options: [{ value: 'a', text: 'a' }, { value: 'b' }] });
  });
});

describe('dataset names', () => {
  it('follow the store rule', () => {
    const d = newDraft('w1');
    d.questions[0].labels = addLabels([], 'A');
    d.name = 'Patent claims_2024-v1';
    expect(validateDraft(d)).toEqual([]);
    d.name = '<img src=x>';
    expect(validateDraft(d)[0]).toMatch(/^Dataset name: letters/);
  });
});
