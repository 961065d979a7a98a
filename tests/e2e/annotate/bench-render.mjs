// Render benchmark of the annotation view in headless Chromium (Performance API inside the page):
// a 10,000-character record with 500 overlapping spans, opened 7 times; then 10 new spans made with
// the mouse. Prints one line per metric (median and max in ms).
//   node tests/e2e/annotate/bench-render.mjs [--server URL --dataset ID --user U --password P]
// Without --server it runs against the API test double (fake-api.mjs) serving web/dist.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { LABELS } from './fixtures.mjs';
import { drag, login, openAnnotate } from './ui.mjs';

const WORDS = ['a', 'gate', 'stack', 'comprising', 'high-κ', 'dielectric', 'layer', '(HfO 2 )', 'thickness', '𝑥', '≤', '5', 'nm', 'electrode', 'titanium', 'nitride', 'annealed', 'at', '1200', '°C', 'substrate', 'silicon', 'carbide', 'wherein', 'the', 'channel', 'region', '🔬', 'is', 'doped'];

/** Deterministic 10,000-code-point text and 500 spans with up to 5 levels of overlap. */
export function bigRecord() {
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const parts = [];
  let len = 0;
  const starts = [];
  while (len < 10000) {
    const w = WORDS[Math.floor(rnd() * WORDS.length)];
    const sep = rnd() < 0.08 ? '.\n' : ' ';
    const n = Array.from(w).length;
    if (len + n + sep.length > 10000) break;
    starts.push([len, len + n]);
    parts.push(w + sep);
    len += n + sep.length;
  }
  let text = parts.join('');
  text += 'x'.repeat(10000 - Array.from(text).length);
  const spans = [];
  const key = new Set();
  while (spans.length < 500) {
    const i = Math.floor(rnd() * (starts.length - 4));
    const j = i + Math.floor(rnd() * 4);
    const s = { label: LABELS[Math.floor(rnd() * LABELS.length)].value, start: starts[i][0], end: starts[j][1] };
    const k = `${s.label}|${s.start}|${s.end}`;
    if (key.has(k)) continue;
    key.add(k);
    spans.push(s);
  }
  return { text, spans, starts };
}

const args = Object.fromEntries(process.argv.slice(2).reduce((a, v, i, all) => (v.startsWith('--') ? [...a, [v.slice(2), all[i + 1]]] : a), []));
const big = bigRecord();
let base = args.server;
let proc = null;
let datasetId = args.dataset;
const user = args.user ?? 'anna';
const password = args.password ?? 'anna-secret-1';
if (!base) {
  mkdirSync('build/e2e-artifacts/annotate', { recursive: true });
  const seedFile = 'build/e2e-artifacts/annotate/seed-bench.json';
  writeFileSync(seedFile, JSON.stringify({
    name: 'bench', allow_overlapping: true, labels: LABELS,
    users: [{ id: 'u1', username: 'anna', password: 'anna-secret-1', role: 'annotator' }],
    records: [
      { text: 'A short record.', external_id: 'short' },
      { text: big.text, external_id: 'big', responses: [{ user_id: 'u1', status: 'draft', values: { ner: { value: big.spans } } }] },
    ],
  }));
  proc = spawn(process.execPath, ['tests/e2e/annotate/fake-api.mjs', '--dist', 'web/dist', '--seed', seedFile], { stdio: ['ignore', 'pipe', 'inherit'] });
  base = `http://127.0.0.1:${await new Promise((ok) => proc.stdout.on('data', (d) => { const m = /listening (\d+)/.exec(String(d)); if (m) ok(m[1]); }))}`;
  datasetId = 'ds1';
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
await login(page, base, user, password);
// The big record is a draft of this user: open the Draft tab, where it is the only record.
await openAnnotate(page, base, datasetId, process.argv.includes('--no-highlight-api') ? '?status=draft&highlight=off' : '?status=draft');
await page.waitForFunction(() => performance.getEntriesByName('sl-record-render-painted').length > 0, null, { timeout: 20000 });
// Re-open it several times: → to an empty slot is not possible with one record, so reload the tab.
const renders = [];
const painted = [];
for (let i = 0; i < 7; i++) {
  await page.evaluate(() => performance.clearMeasures());
  await page.click('[data-testid=tab-pending]');
  await page.waitForFunction(() => document.querySelectorAll('.sl-badge').length === 0);
  await page.click('[data-testid=tab-draft]');
  await page.waitForFunction(() => performance.getEntriesByName('sl-record-render-painted').length > 0 && document.querySelectorAll('.sl-badge').length > 0, null, { timeout: 20000 });
  const [r, p] = await page.evaluate(() => ['sl-record-render', 'sl-record-render-painted'].map((n) => performance.getEntriesByName(n).at(-1).duration));
  renders.push(r);
  painted.push(p);
}
const bars = await page.evaluate(() => document.querySelectorAll('.sl-bar').length);
const drawnSpans = await page.evaluate(() => document.querySelectorAll('.sl-badge').length);
const lanes = await page.evaluate(() => new Set([...document.querySelectorAll('.sl-badge')].map((b) => Math.round(b.getBoundingClientRect().top - b.closest('.sl-pane').getBoundingClientRect().top))).size);
await page.screenshot({ path: 'build/e2e-artifacts/annotate/bench-10k-500.png' });

// New spans with the mouse: drag over words near the top of the record.
const adds = [];
const addsPainted = [];
for (let i = 0; i < 10; i++) {
  await page.evaluate(() => performance.clearMeasures());
  const [s, e] = [big.starts[3 + i * 3][0], big.starts[4 + i * 3][1]];
  await drag(page, s, e);
  await page.waitForFunction(() => performance.getEntriesByName('sl-span-add-painted').length > 0, null, { timeout: 5000 });
  const [a, p] = await page.evaluate(() => ['sl-span-add', 'sl-span-add-painted'].map((n) => performance.getEntriesByName(n).at(-1).duration));
  adds.push(a);
  addsPainted.push(p);
}
// Scroll to the end: the spans there get drawn too.
await page.$eval('.sl-scroll', (e) => (e.scrollTop = e.scrollHeight));
await page.waitForTimeout(300);
const count = await page.evaluate(() => document.querySelectorAll('.sl-badge').length);
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs) => `median ${med(xs).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms (n=${xs.length})`;
console.log(`record: ${Array.from(big.text).length} code points, ${big.spans.length} spans (${drawnSpans} drawn near the visible part, ${bars} bars, ${lanes} distinct bar rows)`);
console.log(`open record (DOM + layout):   ${fmt(renders)}`);
console.log(`open record (to next frame):  ${fmt(painted)}`);
console.log(`mouse-up -> span in DOM:      ${fmt(adds)}`);
console.log(`mouse-up -> next frame:       ${fmt(addsPainted)}`);
console.log(`spans drawn after adding 10 and scrolling to the end: ${count}`);
await browser.close();
proc?.kill();
