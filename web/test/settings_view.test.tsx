// The settings screen in happy-dom against a fake server: creating a dataset sends the dataset,
// field, span question (labels in order, display texts), metadata property and publish calls.
import { render } from 'preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

interface Sent {
  method: string;
  path: string;
  body: unknown;
}

const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));
async function until(fn: () => boolean, what: string) {
  for (let i = 0; i < 300; i++) {
    if (fn()) return;
    await tick();
  }
  throw new Error(`timed out waiting for ${what}`);
}

function type(el: Element | null, value: string) {
  const input = el as HTMLInputElement;
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

let host: HTMLElement;
let sent: Sent[];

beforeEach(() => {
  vi.resetModules();
  localStorage.clear();
  localStorage.setItem('spanloop.session', JSON.stringify({ kind: 'bearer', token: 'tok' }));
  sent = [];
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://localhost');
    const method = init.method ?? 'GET';
    const body = typeof init.body === 'string' && init.body.startsWith('{') ? JSON.parse(init.body) : init.body;
    sent.push({ method, path: url.pathname, body });
    const reply = (status: number, b: unknown) => new Response(JSON.stringify(b), { status });
    if (method === 'GET' && url.pathname === '/api/v1/me/workspaces') return reply(200, { items: [{ id: 'w1', name: 'patents' }] });
    if (method === 'POST' && url.pathname === '/api/v1/datasets') return reply(201, { id: 'd9', status: 'draft', ...(body as object) });
    if (method === 'POST' && url.pathname.endsWith('/questions') && (body as { name: string }).name === 'broken')
      return reply(422, { detail: { code: 'invalid_argument', message: 'question rejected' } });
    if (method === 'POST') return reply(201, { id: `id-${sent.length}`, ...(body as object) });
    if (method === 'PUT') return reply(200, { id: 'd9', status: 'ready' });
    return reply(404, { detail: 'not found' });
  });
  host = document.createElement('div');
  document.body.innerHTML = '';
  document.body.appendChild(host);
  location.hash = '#/datasets/new';
});

afterEach(() => {
  render(null, host);
  vi.unstubAllGlobals();
});

describe('dataset creation screen', { timeout: 30000 }, () => {
  it('sends every part of the new dataset in order, then opens import', async () => {
    const { DatasetSettingsView } = await import('../src/views/DatasetSettingsView');
    render(<DatasetSettingsView />, host);
    await until(() => Boolean(host.querySelector('input[name=name]')), 'form');
    type(host.querySelector('input[name=name]'), 'claims');
    type(host.querySelector('textarea[name=guidelines]'), '**Mark** materials');
    type(host.querySelector('textarea[name=new-labels]'), 'Component\nMaterial\nValue');
    await tick();
    [...host.querySelectorAll('button')].find((b) => b.textContent === 'Add labels')!.click();
    await until(() => host.querySelectorAll('[data-testid=label-row]').length === 3, 'labels');
    type(host.querySelector('input[aria-label="Display text of Value"]'), 'Value (with unit)');
    await tick();
    (host.querySelector('button[aria-label="Move Value up"]') as HTMLButtonElement).click();
    await tick();
    host.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await until(() => location.hash === '#/datasets/d9/import' || Boolean(host.querySelector('[role=alert]')), 'navigation to import');
    expect(host.querySelector('[role=alert]')?.textContent ?? '').toBe('');

    const writes = sent.filter((s) => s.method !== 'GET');
    expect(writes.map((s) => `${s.method} ${s.path}`)).toEqual([
      'POST /api/v1/datasets',
      'POST /api/v1/datasets/d9/fields',
      'POST /api/v1/datasets/d9/questions',
      'PUT /api/v1/datasets/d9/publish',
    ]);
    const dataset = writes[0].body as { name: string; workspace_id: string; guidelines: string; metadata: Record<string, Record<string, string>> };
    expect(dataset).toMatchObject({ name: 'claims', workspace_id: 'w1', guidelines: '**Mark** materials' });
    expect(Object.keys(dataset.metadata['spanloop.label_colors']).sort()).toEqual(['Component', 'Material', 'Value']);
    const q = writes[2].body as { settings: { options: { value: string; text: string }[]; field: string } };
    expect(q.settings.field).toBe('text');
    expect(q.settings.options.map((o) => [o.value, o.text])).toEqual([
      ['Component', 'Component'],
      ['Value', 'Value (with unit)'],
      ['Material', 'Material'],
    ]);
  });

  it('lists problems instead of sending an invalid form', async () => {
    const { DatasetSettingsView } = await import('../src/views/DatasetSettingsView');
    render(<DatasetSettingsView />, host);
    await until(() => Boolean(host.querySelector('input[name=name]')), 'form');
    host.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await until(() => Boolean(host.querySelector('[data-testid=problems]')), 'problems');
    expect(host.querySelector('[data-testid=problems]')!.textContent).toContain('Dataset name is required.');
    expect(sent.filter((s) => s.method !== 'GET')).toEqual([]);
  });
});
