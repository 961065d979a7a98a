// E2E harness: starts the real `spanloop serve` on a free loopback port with a temporary data
// directory, launches Debian's chromium through playwright-core, and offers an API client for
// set-up. Every spec file gets its own server and browser, so specs can run in parallel.
//
// Environment (CTest sets these; see tests/e2e/CMakeLists.txt):
//   SPANLOOP_BIN            the spanloop executable (required)
//   SPANLOOP_E2E_ARTIFACTS  folder for screenshots and server logs (default: a temp folder)
//   SPANLOOP_E2E_WEB_DIR    serve the UI from this folder (--web-dir) instead of the embedded one
//   SPANLOOP_CHROMIUM       browser executable (default /usr/bin/chromium)
//   SPANLOOP_E2E_HEADED=1   show the browser (debugging)
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const OWNER_USERNAME = 'owner';
export const OWNER_PASSWORD = 'e2e-owner-password-1';
export const OWNER_API_KEY = 'e2e-owner-api-key-0123456789abcdef';

/** Exit code CTest treats as "skipped" (SKIP_RETURN_CODE in tests/e2e/CMakeLists.txt). */
export const SKIP_CODE = 77;

export function skip(reason) {
  console.log(`SKIP: ${reason}`);
  process.exit(SKIP_CODE);
}

async function loadPlaywright() {
  try {
    return await import('playwright-core');
  } catch {
    skip('playwright-core is not installed (run scripts/install-deps.sh, or npm ci in tests/e2e)');
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function artifactsDir(name) {
  const root = process.env.SPANLOOP_E2E_ARTIFACTS || join(tmpdir(), 'spanloop-e2e-artifacts');
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Starts `spanloop serve`; resolves once /api/v1/version answers. */
export async function startServer(name) {
  const bin = process.env.SPANLOOP_BIN;
  if (!bin || !existsSync(bin)) skip(`SPANLOOP_BIN (${bin ?? 'unset'}) is not an executable`);
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), `spanloop-e2e-${name}-`));
  const logs = artifactsDir(name);
  const logPath = join(logs, 'server.log');
  const log = openSync(logPath, 'w');
  const args = ['serve', '--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir];
  if (process.env.SPANLOOP_E2E_WEB_DIR) args.push('--web-dir', process.env.SPANLOOP_E2E_WEB_DIR);
  const child = spawn(bin, args, {
    env: {
      ...process.env,
      SPANLOOP_OWNER_USERNAME: OWNER_USERNAME,
      SPANLOOP_OWNER_PASSWORD: OWNER_PASSWORD,
      SPANLOOP_OWNER_API_KEY: OWNER_API_KEY,
    },
    stdio: ['ignore', log, log],
  });
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30000;
  for (;;) {
    if (exited) throw new Error(`spanloop serve exited early (${JSON.stringify(exited)}); see ${logPath}`);
    try {
      const res = await fetch(`${url}/api/v1/version`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`spanloop serve did not answer on ${url} within 30 s; see ${logPath}`);
    }
    await sleep(100);
  }
  const index = await fetch(`${url}/`);
  if (!index.ok || !(index.headers.get('content-type') ?? '').includes('text/html')) {
    child.kill('SIGTERM');
    skip(
      `the server has no web UI at / (HTTP ${index.status}): build web/ (npm run build) and rebuild ` +
        'spanloop, or set SPANLOOP_E2E_WEB_DIR=web/dist',
    );
  }
  return {
    url,
    dataDir,
    logPath,
    async stop() {
      if (!exited) {
        child.kill('SIGTERM');
        for (let i = 0; i < 50 && !exited; i++) await sleep(100);
        if (!exited) child.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A small JSON client for set-up and for reading back what the UI stored. */
export function apiClient(baseUrl, auth = { apiKey: OWNER_API_KEY }) {
  async function call(method, path, body, extra = {}) {
    const headers = { Accept: 'application/json', ...extra.headers };
    if (auth.apiKey) headers['X-Argilla-Api-Key'] = auth.apiKey;
    if (auth.token) headers.Authorization = `Bearer ${auth.token}`;
    let payload;
    if (body instanceof FormData || typeof body === 'string') payload = body;
    else if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const res = await fetch(`${baseUrl}/api/v1${path}`, { method, headers, body: payload });
    const text = await res.text();
    let data;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      data = text;
    }
    if (!res.ok && !extra.allowError) {
      throw new Error(`${method} ${path} -> HTTP ${res.status}: ${text.slice(0, 500)}`);
    }
    return extra.allowError ? { status: res.status, data } : data;
  }
  return {
    get: (p, o) => call('GET', p, undefined, o),
    post: (p, b, o) => call('POST', p, b, o),
    put: (p, b, o) => call('PUT', p, b, o),
    patch: (p, b, o) => call('PATCH', p, b, o),
    delete: (p, o) => call('DELETE', p, undefined, o),
  };
}

/** Launches headless chromium; collects page errors so specs can assert there were none. */
export async function launchBrowser() {
  const { chromium } = await loadPlaywright();
  const executablePath = process.env.SPANLOOP_CHROMIUM || '/usr/bin/chromium';
  if (!existsSync(executablePath)) skip(`no browser at ${executablePath} (apt-get install chromium)`);
  const browser = await chromium.launch({
    executablePath,
    headless: process.env.SPANLOOP_E2E_HEADED !== '1',
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
  return browser;
}

/**
 * A new page with a fresh context. `page.spanloop.errors` collects uncaught page errors and
 * `page.spanloop.dialogs` every alert/confirm text (an XSS probe that fires shows up here).
 */
export async function newPage(browser, baseUrl) {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const state = { errors: [], dialogs: [] };
  page.on('pageerror', (e) => state.errors.push(String(e)));
  page.on('dialog', async (d) => {
    state.dialogs.push(`${d.type()}: ${d.message()}`);
    await d.dismiss().catch(() => {});
  });
  page.spanloop = state;
  openPages.add(page);
  page.on('close', () => openPages.delete(page));
  return page;
}

// Pages opened by newPage and not closed yet: what a failed step reports.
const openPages = new Set();

/**
 * Runs `fn` as the subtest `name` of `t`. When it fails, prints what every open page showed (its
 * URL, page errors and the start of its text) and saves a screenshot of each, so that a failure
 * in CI, where only the output survives, says what the browser was showing.
 */
export function step(t, name, fn) {
  return t.test(name, async () => {
    try {
      await fn();
    } catch (e) {
      await reportOpenPages(name);
      throw e;
    }
  });
}

async function reportOpenPages(stepName) {
  const slug = stepName.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
  let i = 0;
  for (const page of openPages) {
    i += 1;
    const text = await page.evaluate(() => document.body?.innerText ?? '').catch((e) => `(unreadable: ${e})`);
    console.error(
      `[failed step "${stepName}"] page ${i}: ${page.url()}\n` +
        `  page errors: ${JSON.stringify(page.spanloop?.errors ?? [])}\n` +
        `  text: ${text.replace(/\s+/g, ' ').slice(0, 1500)}`,
    );
    await page.screenshot({ path: join(artifactsDir('failed-steps'), `${slug}-${i}.png`), fullPage: true }).catch(() => {});
  }
}

/** Signs in through the login form and waits for the home page. */
export async function loginUI(page, username = OWNER_USERNAME, password = OWNER_PASSWORD) {
  await page.goto('/#/login');
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=current-user]');
}

export async function screenshot(page, name, file) {
  const path = join(artifactsDir(name), `${file}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** The patent-claim labels used across the specs (Component, Material, Value, ...). */
export const PATENT_LABELS = [
  { value: 'Component', text: 'Component', color: '#4e79a7' },
  { value: 'Material', text: 'Material', color: '#f28e2b' },
  { value: 'Value', text: 'Value', color: '#59a14f' },
  { value: 'Process', text: 'Process', color: '#e15759' },
  { value: 'Property', text: 'Property', color: '#b07aa1' },
];

/**
 * Creates a workspace and a published dataset over the API (for specs that do not test the
 * settings screen). Returns {workspace, dataset, field, question}.
 */
export async function createDatasetViaApi(
  api,
  { name, labels = PATENT_LABELS, allowOverlap = false, guidelines = '', workspace = null, metadata = [] },
) {
  if (!workspace) {
    const workspaces = await api.get('/me/workspaces');
    workspace = workspaces.items[0] ?? (await api.post('/workspaces', { name: 'e2e' }));
  }
  const dataset = await api.post('/datasets', {
    name,
    workspace_id: workspace.id,
    guidelines: guidelines || undefined, // the API takes 1..10000 characters or none
    metadata: { 'spanloop.label_colors': Object.fromEntries(labels.map((l) => [l.value, l.color])) },
  });
  const field = await api.post(`/datasets/${dataset.id}/fields`, {
    name: 'text',
    title: 'Text',
    required: true,
    settings: { type: 'text' },
  });
  const question = await api.post(`/datasets/${dataset.id}/questions`, {
    name: 'spans',
    title: 'Spans',
    required: true,
    settings: {
      type: 'span',
      field: 'text',
      options: labels.map(({ value, text }) => ({ value, text })),
      allow_overlapping: allowOverlap,
    },
  });
  for (const m of metadata) await api.post(`/datasets/${dataset.id}/metadata-properties`, m);
  await api.put(`/datasets/${dataset.id}/publish`);
  return { workspace, dataset, field, question };
}

/** Runs `fn(ctx)` with a server, a browser and an owner API client, cleaning up afterwards. */
export async function withApp(name, fn) {
  const server = await startServer(name);
  const browser = await launchBrowser();
  try {
    await fn({ server, browser, api: apiClient(server.url), url: server.url });
  } catch (e) {
    writeFileSync(join(artifactsDir(name), 'failure.txt'), String(e?.stack ?? e));
    throw e;
  } finally {
    await browser.close().catch(() => {});
    await server.stop();
  }
}
