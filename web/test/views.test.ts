import { describe, expect, it } from 'vitest';
import { parseHash } from '../src/router';
import { safeNext } from '../src/views/LoginView';
import { exportFileName, exportParams, kDefaultExport } from '../src/views/ExportView';
import { generatePassword, userFormProblems } from '../src/views/UsersView';
import { groupByWorkspace } from '../src/views/HomeView';
import type { Dataset } from '../src/api';

describe('router', () => {
  it('parses every route', () => {
    expect(parseHash('')).toEqual({ name: 'home' });
    expect(parseHash('#/login?next=%2Fusers')).toEqual({ name: 'login', next: '/users' });
    expect(parseHash('#/users')).toEqual({ name: 'users' });
    expect(parseHash('#/datasets/new')).toEqual({ name: 'dataset-new' });
    expect(parseHash('#/datasets/a%2Fb/settings')).toEqual({ name: 'dataset-settings', datasetId: 'a/b' });
    expect(parseHash('#/datasets/x/import')).toEqual({ name: 'import', datasetId: 'x' });
    expect(parseHash('#/datasets/x/export')).toEqual({ name: 'export', datasetId: 'x' });
    const a = parseHash('#/datasets/x/annotate?status=draft');
    expect(a.name).toBe('annotate');
    expect(a.name === 'annotate' && a.query.get('status')).toBe('draft');
    expect(parseHash('#/nope/%E0%A4%A')).toEqual({ name: 'not-found', path: '/nope/%E0%A4%A' });
  });

  it('only follows in-app next paths after login', () => {
    expect(safeNext('/datasets/x/annotate')).toBe('/datasets/x/annotate');
    expect(safeNext('//evil.example')).toBe('/');
    expect(safeNext('https://evil.example')).toBe('/');
    expect(safeNext('/login')).toBe('/');
    expect(safeNext(undefined)).toBe('/');
  });
});

describe('export', () => {
  it('sends token options only for token formats', () => {
    expect(exportParams(kDefaultExport)).toEqual({
      format: 'conll', status: 'submitted', source: 'responses', scheme: 'iob2', tokenizer: 'bert', alignment: 'expand', overlap: 'error',
    });
    expect(exportParams({ ...kDefaultExport, format: 'spans-jsonl', overlap: 'layers' })).toEqual({
      format: 'spans-jsonl', status: 'submitted', source: 'responses',
    });
    expect(exportParams({ ...kDefaultExport, question: 'ner' }).question).toBe('ner');
  });

  it('makes a safe file name', () => {
    expect(exportFileName('Patent claims / v2', 'conll')).toBe('Patent_claims_v2.conll');
    expect(exportFileName('<img>', 'iob-jsonl')).toBe('img.jsonl');
    expect(exportFileName('***', 'spans-jsonl')).toBe('export.jsonl');
  });
});

describe('users', () => {
  it('checks the API rules for a new user', () => {
    expect(userFormProblems({ username: 'ann-1', first_name: 'Ann', password: '12345678' })).toEqual([]);
    expect(userFormProblems({ username: '-x', first_name: '', password: 'short' })).toHaveLength(3);
  });

  it('generates passwords the API accepts', () => {
    const p = generatePassword();
    expect(p).toHaveLength(16);
    expect(userFormProblems({ username: 'a', first_name: 'a', password: p })).toEqual([]);
  });
});

describe('home', () => {
  it('groups datasets by workspace, unknown workspaces last', () => {
    const ds = (id: string, ws: string, name: string): Dataset => ({ id, name, workspace_id: ws, status: 'ready' });
    const g = groupByWorkspace([{ id: 'w1', name: 'one' }, { id: 'w2', name: 'two' }], [
      { dataset: ds('b', 'w1', 'beta') },
      { dataset: ds('a', 'w1', 'alpha') },
      { dataset: ds('c', 'w9', 'gamma') },
    ]);
    expect(g.map((x) => [x.workspace.name, x.rows.map((r) => r.dataset.name)])).toEqual([
      ['one', ['alpha', 'beta']],
      ['two', []],
      ['w9', ['gamma']],
    ]);
  });
});
