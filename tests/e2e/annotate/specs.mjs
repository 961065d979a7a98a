// The annotation view's end-to-end specs. Each spec gets a fresh backend (the real `spanloop serve`
// or the API test double) seeded with fixtures.mjs, and a Chromium page; `backend.responseOf(user,
// externalId)` reads what the server stored, so offsets are checked as the API sees them.
import { CLAIM, cpSpan, LABELS } from './fixtures.mjs';
import { assert, assertEq, badges, dblclick, drag, login, openAnnotate, settled, waitForBadges } from './ui.mjs';

const ANNA = ['anna', 'anna-secret-1'];
const BOB = ['bob', 'bob-secret-12'];

// Insertion order, so the queue starts with the first fixture record (the real server's pending
// queue is otherwise shuffled per user).
async function start(ctx, user = ANNA, query = '?sort=inserted_at:asc') {
  const { page, backend } = ctx;
  await login(page, backend.base, ...user);
  await openAnnotate(page, backend.base, backend.datasetId, query);
}

const at = (sub) => cpSpan(CLAIM, sub, 'X');

export const specs = {
  async 'labels with the mouse: word snapping, Shift for exact characters, double-click; code point offsets stored'(ctx) {
    const { page, backend } = ctx;
    await start(ctx);
    // Drag from inside "high" to inside "κ": snaps to the whole word "high-κ".
    const hk = at('high-κ');
    await page.keyboard.press('2'); // Property
    await drag(page, hk.start + 1, hk.end);
    await waitForBadges(page, 1);
    // Drag over "(HfO 2 )" including the brackets: trimmed to "HfO 2".
    await page.keyboard.press('1'); // Material
    const br = at('(HfO 2 )');
    await drag(page, br.start, br.end);
    await waitForBadges(page, 2);
    // Double-click the astral letter 𝑥 and the emoji.
    await page.keyboard.press('5'); // Value
    await dblclick(page, at('𝑥').start);
    await waitForBadges(page, 3);
    await page.keyboard.press('3');
    await dblclick(page, at('🔬').start);
    await waitForBadges(page, 4);
    // Shift-drag part of "dielectric": exact characters "electric".
    await page.keyboard.press('2');
    const d = at('electric');
    await drag(page, d.start, d.end, { shift: true });
    await waitForBadges(page, 5);
    await ctx.shot('mouse-labelled');
    await page.keyboard.press('Enter');
    await settled(page);
    const stored = await backend.responseOf('anna', 'claim-1');
    assertEq(stored.status, 'submitted', 'status');
    assertEq(
      stored.spans,
      [
        cpSpan(CLAIM, '🔬', 'COMPONENT'),
        cpSpan(CLAIM, 'high-κ', 'PROPERTY'),
        cpSpan(CLAIM, 'electric', 'PROPERTY'),
        cpSpan(CLAIM, 'HfO 2', 'MATERIAL'),
        cpSpan(CLAIM, '𝑥', 'VALUE'),
      ],
      'stored spans (code points)',
    );
  },

  async 'labels with the keyboard only'(ctx) {
    const { page, backend } = ctx;
    await start(ctx);
    const k = (key, n = 1) => (async () => { for (let i = 0; i < n; i++) await page.keyboard.press(key); })();
    // Word cursor: Shift+→ starts at "A"; → moves word by word.
    await k('Shift+ArrowRight');
    await k('ArrowRight', 5); // gate stack 🔬 comprising a high-κ
    await k('ArrowRight'); // high-κ
    await k('2');
    await k('Space');
    await waitForBadges(page, 1);
    // The cursor moved on to "dielectric"; skip to "HfO", grow over "2", label Material.
    await k('ArrowRight', 2); // layer, HfO
    await k('Shift+ArrowRight'); // HfO 2
    await k('1');
    await k('Space');
    await waitForBadges(page, 2);
    await k('ArrowRight', 2); // thickness 𝑥  (the cursor moved on to "with" after labelling)
    await k('5');
    await k('Space');
    await waitForBadges(page, 3);
    await ctx.shot('keyboard-labelled');
    // Tab selects the first span, Delete removes it, Ctrl+Z brings it back.
    await k('Escape');
    await k('Tab');
    await k('Delete');
    await waitForBadges(page, 2);
    await k('Control+z');
    await waitForBadges(page, 3);
    await k('Enter');
    await settled(page);
    const stored = await backend.responseOf('anna', 'claim-1');
    assertEq(stored.spans, [cpSpan(CLAIM, 'high-κ', 'PROPERTY'), cpSpan(CLAIM, 'HfO 2', 'MATERIAL'), cpSpan(CLAIM, '𝑥', 'VALUE')], 'keyboard spans');
  },

  async 'without overlap a new overlapping span asks before replacing'(ctx) {
    const { page, backend } = ctx;
    await start(ctx);
    const hk = at('high-κ dielectric');
    await drag(page, hk.start, hk.start + 2); // "high-κ"
    await waitForBadges(page, 1);
    await page.keyboard.press('2');
    await drag(page, hk.end - 3, hk.end - 1); // "dielectric": no overlap
    await waitForBadges(page, 2);
    await drag(page, hk.start + 1, hk.end - 1); // "high-κ dielectric": overlaps both
    await page.waitForSelector('[data-testid=overlap-dialog]');
    await ctx.shot('overlap-question');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=overlap-dialog]', { state: 'detached' });
    assertEq((await badges(page)).length, 2, 'nothing deleted after Esc');
    await drag(page, hk.start + 1, hk.end - 1);
    await page.click('[data-testid=overlap-replace]');
    await waitForBadges(page, 1);
    await page.keyboard.press('Control+z');
    await waitForBadges(page, 2);
    await page.keyboard.press('Control+Shift+z');
    await waitForBadges(page, 1);
    await page.keyboard.press('Control+s');
    await settled(page);
    const stored = await backend.responseOf('anna', 'claim-1');
    assertEq(stored, { status: 'draft', spans: [cpSpan(CLAIM, 'high-κ dielectric', 'PROPERTY')] }, 'draft after replace');
  },

  async 'with overlap spans stack in lanes and a second label fits the same range'(ctx) {
    const { page, backend } = ctx;
    await start(ctx);
    const outer = at('high-κ dielectric layer');
    await drag(page, outer.start, outer.end);
    await page.keyboard.press('2');
    await drag(page, outer.start, outer.start + 3);
    await page.keyboard.press('3');
    await drag(page, outer.start + 8, outer.end - 2);
    await waitForBadges(page, 3);
    await page.click('.sl-badge >> nth=0');
    await page.selectOption('[data-testid=add-label]', 'PROCESS');
    await waitForBadges(page, 4);
    const tops = new Set((await badges(page)).map((b) => Math.round(b.top)));
    assert(tops.size >= 3, `overlapping spans should use 3+ lanes, got ${[...tops]}`);
    await ctx.shot('overlap-lanes');
    await page.keyboard.press('Enter');
    await settled(page);
    const stored = await backend.responseOf('anna', 'claim-1');
    assertEq(stored.spans.length, 4, 'four overlapping spans stored');
  },

  async 'suggestions are pre-filled, accepted or rejected one by one or all'(ctx) {
    const { page, backend } = ctx;
    await start(ctx);
    await page.keyboard.press('ArrowRight'); // record 2 has suggestions
    await waitForBadges(page, 3);
    const b = await badges(page);
    assert(b.every((x) => x.suggested), 'suggested spans are marked');
    assert(b[0].title.includes('0.91') && b[0].title.includes('bert-claims-v1'), `score and agent on hover: ${b[0].title}`);
    await page.waitForSelector('[data-testid=suggestion-bar]');
    await ctx.shot('suggestions');
    await page.keyboard.press('Tab'); // magnetic head
    await page.keyboard.press('Space'); // accept
    await page.keyboard.press('Tab'); // copper
    await page.keyboard.press('Delete'); // reject
    await waitForBadges(page, 2);
    const after = await badges(page);
    assertEq(after.map((x) => x.suggested), [false, true], 'accepted one, one left pending');
    await page.keyboard.press('Alt+r'); // reject all left
    await waitForBadges(page, 1);
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Alt+a');
    await page.waitForFunction(() => !document.querySelector('[data-testid=suggestion-bar]'));
    await page.keyboard.press('Enter');
    await settled(page);
    const text = 'The magnetic head has a coil of copper.';
    const stored = await backend.responseOf('anna', 'claim-2');
    assertEq(stored.spans, [cpSpan(text, 'magnetic head', 'COMPONENT'), { label: 'MATERIAL', start: 61, end: 65 }], 'accepted suggestions stored');
  },

  async 'submit, draft and discard move records between the status tabs'(ctx) {
    const { page } = ctx;
    await start(ctx);
    const count = (t) => page.$eval(`[data-testid=tab-${t}] .an-count`, (e) => Number(e.textContent));
    await page.keyboard.press('Enter'); // submit record 1 (no spans: a valid "no entities" answer)
    await page.keyboard.press('Control+Backspace'); // discard record 2
    await page.keyboard.press('Control+s'); // draft record 3 (stays)
    await settled(page);
    await page.waitForFunction(() => document.querySelector('[data-testid=tab-submitted] .an-count')?.textContent === '1');
    assertEq([await count('pending'), await count('draft'), await count('submitted'), await count('discarded')], [2, 1, 1, 1], 'tab counts');
    await page.click('[data-testid=tab-draft]');
    await page.waitForFunction(() => document.querySelector('[data-testid=record-status]')?.textContent === 'draft');
    await page.click('[data-testid=tab-discarded]');
    await page.waitForFunction(() => document.querySelector('[data-testid=record-status]')?.textContent === 'discarded');
    await ctx.shot('discarded-tab');
    await page.click('[data-testid=tab-pending]');
    await page.waitForFunction(() => document.querySelector('[data-testid=position]')?.textContent?.endsWith('of 2'));
  },

  async 'a second annotator does not see the first one\'s responses'(ctx) {
    const { page, backend } = ctx;
    await start(ctx);
    const hk = at('high-κ');
    await drag(page, hk.start, hk.end);
    await page.keyboard.press('Control+s'); // a draft keeps the record pending for everyone
    await settled(page);
    assertEq((await backend.responseOf('anna', 'claim-1'))?.status, 'draft', 'anna saved a draft');
    await page.click('[data-testid=logout]');
    await start(ctx, BOB);
    const meta = await page.$eval('[data-testid=metadata]', (e) => e.textContent);
    assert(meta.includes('claim-1'), `bob's queue starts at claim-1: ${meta}`);
    assertEq((await badges(page)).length, 0, 'bob sees none of anna\'s spans');
    assertEq(await page.$eval('[data-testid=tab-draft] .an-count', (e) => e.textContent), '0', 'bob has no drafts');
    assertEq(await backend.responseOf('bob', 'claim-1'), null, 'no response stored for bob');
  },

  async 'record text, labels, guidelines and metadata cannot inject HTML'(ctx) {
    const { page } = ctx;
    await start(ctx);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight'); // the XSS record
    await page.waitForFunction(() => document.querySelector('[data-testid=record-text]')?.textContent?.includes('<img'));
    const hk = await page.$eval('[data-testid=record-text]', (e) => e.textContent.indexOf('<img'));
    await drag(page, hk, hk + 4, { shift: true });
    await waitForBadges(page, 1);
    await page.keyboard.press('?');
    await page.waitForSelector('[data-testid=help-overlay]');
    await ctx.shot('help-overlay');
    await page.keyboard.press('Escape');
    const injected = await page.evaluate(() => ({
      xss: window.__xss ?? null,
      imgs: document.querySelectorAll('.annotate img').length,
      js: [...document.querySelectorAll('.annotate a')].filter((a) => a.href.startsWith('javascript')).length,
    }));
    assertEq(injected, { xss: null, imgs: 0, js: 0 }, 'XSS probe inert');
  },

  async 'a failed save is shown, retried and nothing is lost'(ctx) {
    const { page, backend } = ctx;
    await start(ctx);
    const hk = at('high-κ');
    await drag(page, hk.start, hk.end);
    // The first save attempt dies on the network, the second gets a 503: both before the server.
    let failures = 0;
    await page.route('**/api/v1/records/*/responses', (route) => {
      failures++;
      if (failures === 1) return route.abort('connectionreset');
      if (failures === 2) return route.fulfill({ status: 503, contentType: 'application/json', body: '{"detail":{"code":"unavailable","message":"injected"}}' });
      return route.continue();
    });
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=save-error]');
    await ctx.shot('save-error');
    await settled(page);
    const stored = await backend.responseOf('anna', 'claim-1');
    assertEq(stored?.spans, [cpSpan(CLAIM, 'high-κ', 'MATERIAL')], 'saved after retries');
  },

  async 'search highlights hits and filters narrow the queue'(ctx) {
    const { page } = ctx;
    await start(ctx);
    await page.keyboard.press('/');
    await page.keyboard.type('copper');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('[data-testid=position]')?.textContent === '1 of 1');
    const hits = await page.evaluate(() => (globalThis.CSS?.highlights ? [...CSS.highlights.keys()].filter((k) => k.endsWith('-search')).length : document.querySelectorAll('.sl-x-search').length));
    assert(hits > 0, 'search hits highlighted');
    await ctx.shot('search');
  },
};

export const labelCount = LABELS.length;
