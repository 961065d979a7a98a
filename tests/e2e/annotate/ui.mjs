// Page helpers for the annotation specs: select text by code point offsets with the real mouse,
// read the drawn spans, wait for saves.

/** Client rectangle of the code point range [start, end) of the record text. */
export async function rangeRect(page, start, end) {
  return page.evaluate(([s, e]) => {
    const el = document.querySelector('[data-testid=record-text]');
    const node = el.firstChild;
    const text = node.data;
    const u = (cp) => { let i = 0; let c = 0; while (c < cp && i < text.length) { const x = text.codePointAt(i); i += x > 0xffff ? 2 : 1; c++; } return i; };
    const r = document.createRange();
    r.setStart(node, u(s));
    r.setEnd(node, u(e));
    const rects = [...r.getClientRects()].filter((x) => x.width > 0);
    const a = rects[0];
    const b = rects[rects.length - 1];
    return { x1: a.left, y1: a.top + a.height / 2, x2: b.right, y2: b.top + b.height / 2 };
  }, [start, end]);
}

/** Drags the mouse from inside code point `start` to inside code point `end - 1` (optionally with Shift). */
export async function drag(page, start, end, { shift = false } = {}) {
  const a = await rangeRect(page, start, start + 1);
  const b = await rangeRect(page, end - 1, end);
  if (shift) await page.keyboard.down('Shift');
  await page.mouse.move(a.x1 + 1, a.y1);
  await page.mouse.down();
  await page.mouse.move((a.x1 + b.x2) / 2, (a.y1 + b.y2) / 2, { steps: 3 });
  await page.mouse.move(b.x2 - 1, b.y2, { steps: 2 });
  await page.mouse.up();
  if (shift) await page.keyboard.up('Shift');
}

export async function dblclick(page, at) {
  const r = await rangeRect(page, at, at + 1);
  await page.mouse.dblclick((r.x1 + r.x2) / 2, r.y1);
}

/** Spans drawn in the pane: one entry per badge, in DOM order. */
export async function badges(page) {
  const list = await page.$$eval('.sl-badge', (els) =>
    els.map((e) => ({ text: e.textContent, title: e.title, suggested: e.classList.contains('sl-suggested'), top: e.getBoundingClientRect().top, left: e.getBoundingClientRect().left, id: e.dataset.spanId })),
  );
  // Text order: line by line (lanes of one line sit within 80 px), then left to right.
  return list.sort((a, b) => (Math.abs(a.top - b.top) > 80 ? a.top - b.top : a.left - b.left || a.top - b.top));
}

export async function recordTextContent(page) {
  return page.$eval('[data-testid=record-text]', (e) => e.textContent);
}

export async function waitForBadges(page, n) {
  await page.waitForFunction((k) => document.querySelectorAll('.sl-badge').length === k, n, { timeout: 5000 });
}

export async function login(page, base, username, password) {
  await page.goto(`${base}/#/login`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid=current-user]', { timeout: 10000 });
}

export async function openAnnotate(page, base, datasetId, query = '') {
  await page.goto(`${base}/#/datasets/${datasetId}/annotate${query}`);
  await page.waitForSelector('[data-testid=annotate]');
  await page.waitForFunction(() => document.querySelector('[data-testid=position]')?.textContent || document.querySelector('[data-testid=empty-queue]'), null, { timeout: 10000 });
}

/** Waits until every save has reached the server (no "Saving" notice, no error). */
export async function settled(page) {
  await page.waitForFunction(() => !document.querySelector('.an-unsent') && !document.querySelector('[data-testid=save-error]'), null, { timeout: 15000 });
}

export function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

/** JSON with object keys sorted, so key order (which the API does not promise) never matters. */
function canonical(v) {
  return JSON.stringify(v, (_, x) =>
    x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([p], [q]) => (p < q ? -1 : 1))) : x);
}

export function assertEq(a, b, msg) {
  const ja = canonical(a);
  const jb = canonical(b);
  if (ja !== jb) throw new Error(`${msg}\n  got:      ${ja}\n  expected: ${jb}`);
}
