// The shell in happy-dom with a fake server: login, home with progress, role gates, 401 expiry.
import { render } from 'preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

type Handler = (url: URL, init: RequestInit) => { status: number; body?: unknown };

function installServer(routes: Record<string, Handler | unknown>) {
  const calls: string[] = [];
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://localhost');
    const key = `${init.method ?? 'GET'} ${url.pathname}`;
    calls.push(key);
    const route = routes[key];
    if (route === undefined) return new Response(JSON.stringify({ detail: { code: 'not_found', message: key } }), { status: 404 });
    const out = typeof route === 'function' ? (route as Handler)(url, init) : { status: 200, body: route };
    return new Response(out.body === undefined ? null : JSON.stringify(out.body), { status: out.status });
  });
  return calls;
}

const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));
async function until(fn: () => boolean, what: string) {
  for (let i = 0; i < 300; i++) {
    if (fn()) return;
    await tick();
  }
  throw new Error(`timed out waiting for ${what}: ${document.body.innerHTML.slice(0, 500)}`);
}

const owner = { id: 'u1', username: 'owner', first_name: 'O', role: 'owner' };
const annotator = { id: 'u2', username: 'ann', first_name: 'A', role: 'annotator' };

function baseRoutes(user = owner) {
  return {
    'POST /api/v1/token': (_u: URL, init: RequestInit) =>
      String(init.body).includes('password=right')
        ? { status: 201, body: { access_token: 'tok', token_type: 'bearer' } }
        : { status: 401, body: { detail: { code: 'unauthenticated', message: 'wrong username or password' } } },
    'GET /api/v1/me': user,
    'GET /api/v1/me/workspaces': { items: [{ id: 'w1', name: 'patents' }] },
    'GET /api/v1/me/datasets': { items: [{ id: 'd1', name: 'claims <b>x</b>', workspace_id: 'w1', status: 'ready' }] },
    'GET /api/v1/datasets/d1/progress': { total: 10, completed: 4, pending: 6 },
    'GET /api/v1/me/datasets/d1/metrics': { responses: { total: 5, submitted: 3, draft: 1, discarded: 1, pending: 5 } },
  };
}

let host: HTMLElement;

beforeEach(async () => {
  vi.resetModules();
  localStorage.clear();
  history.replaceState(null, '', '/');
  location.hash = '';
  host = document.createElement('div');
  document.body.innerHTML = '';
  document.body.appendChild(host);
});

afterEach(() => {
  render(null, host);
  vi.unstubAllGlobals();
});

async function mountApp() {
  const { App } = await import('../src/app');
  render(<App />, host);
}

async function login(password: string) {
  await until(() => Boolean(host.querySelector('input[name=username]')), 'login form');
  const u = host.querySelector<HTMLInputElement>('input[name=username]')!;
  const p = host.querySelector<HTMLInputElement>('input[name=password]')!;
  u.value = 'owner';
  u.dispatchEvent(new Event('input', { bubbles: true }));
  p.value = password;
  p.dispatchEvent(new Event('input', { bubbles: true }));
  await tick(); // let Preact re-render so the submit handler sees the typed values
  host.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
}

describe('app shell', { timeout: 30000 }, () => {
  it('shows a wrong password, then signs in and lists datasets with progress', async () => {
    installServer(baseRoutes());
    await mountApp();
    await login('wrong');
    await until(() => host.textContent!.includes('wrong username or password'), 'error');
    await login('right');
    await until(() => Boolean(host.querySelector('[data-testid=dataset-card]')), 'home');
    expect(host.querySelector('.dataset-name')!.textContent).toBe('claims <b>x</b>');
    expect(host.querySelector('.dataset-name b')).toBeNull();
    expect(host.querySelector('[data-testid=dataset-progress]')!.textContent).toBe('4 of 10 records completed · 6 pending');
    expect(host.querySelector('[data-testid=my-counts]')!.textContent).toContain('3 submitted · 1 draft · 1 discarded · 5 to do');
    expect(host.textContent).toContain('New dataset');
    expect(JSON.parse(localStorage.getItem('spanloop.session')!).token).toBe('tok');
  });

  it('hides owner pages from annotators', async () => {
    installServer(baseRoutes(annotator));
    localStorage.setItem('spanloop.session', JSON.stringify({ kind: 'bearer', token: 'tok' }));
    location.hash = '#/users';
    await mountApp();
    await until(() => host.textContent!.includes('Your role cannot open this page.'), 'forbidden');
    expect(host.querySelector('.topbar')!.textContent).not.toContain('Users');
  });

  it('sends the user to login with a notice when the server answers 401', async () => {
    const routes = baseRoutes();
    installServer({ ...routes, 'GET /api/v1/me/workspaces': () => ({ status: 401, body: { detail: 'token expired' } }) });
    localStorage.setItem('spanloop.session', JSON.stringify({ kind: 'bearer', token: 'tok' }));
    location.hash = '#/';
    await mountApp();
    await until(() => host.textContent!.includes('Your session ended'), 'expiry notice');
    expect(localStorage.getItem('spanloop.session')).toBeNull();
    expect(location.hash).toContain('#/login');
  });
});
